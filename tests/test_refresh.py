"""`ctkg refresh` against a real HTTP server (tests/refresh_site.py) and the real Neo4j:
incremental runs, conditional GET, changes, duplicates, failing sources, quarantine."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from ctkg.refresh import Refresher
from ctkg.sources import RefreshSettings, Source

from tests.refresh_site import Site

ROOT = Path(__file__).resolve().parent.parent
ISWAP = (ROOT / "devset" / "en" / "en-004.txt").read_text(encoding="utf-8")
TUNIS = (ROOT / "devset" / "en" / "en-005.txt").read_text(encoding="utf-8")
HOUR = 3600.0


@pytest.fixture
def site():
    with Site() as s:
        yield s



class Clock:
    def __init__(self) -> None:
        self.now = 1_800_000_000.0

    def __call__(self) -> float:
        return self.now


def settings(*sources: Source, **kw) -> RefreshSettings:
    values = dict(timeout=0.5, retries=1, backoff=0, per_host_interval=0,
                  retry_failed_after=HOUR)
    values.update(kw)
    return RefreshSettings(sources=sources, origin="test", **values)


def feed(name: str, url: str, **kw) -> Source:
    return Source(name=name, kind="feed", location=url, **kw)


def counts(report, name: str) -> dict:
    [source] = [s for s in report.sources if s.name == name]
    return {k: v for k, v in source.counts.items() if v}


def count(driver, query: str) -> int:
    return driver.execute_query(query).records[0][0]


def test_a_first_run_ingests_and_a_second_changes_nothing(site, writer, driver):
    site.rss("/feed.xml", [site.page("/a/iswap", ISWAP), site.page("/a/tunis", TUNIS)])
    config = settings(feed("wire", site.url + "/feed.xml", lang="en", tags=("wire",)))

    first = Refresher(writer, config).run()
    assert counts(first, "wire") == {"new": 2}
    assert first.exit_code == 0
    assert count(driver, "MATCH (a:Article) RETURN count(a)") == 2
    assert count(driver, "MATCH (r:IngestRun) RETURN count(r)") == 1
    kinds = {a["kind"] for a in first.alerts}
    assert {"Cell", "Organisation"} <= kinds  # the alert report names what was added
    assert any("ctkg/" in agent for agent in site.agents)
    new_since = driver.execute_query(
        "MATCH (n:Cell) RETURN count(n) AS n").records[0]["n"]

    second = Refresher(writer, config).run()
    assert counts(second, "wire") == {}  # the feed answered 304: nothing looked at
    assert site.not_modified["/feed.xml"] == 1
    assert site.hits["/a/iswap"] == site.hits["/a/tunis"] == 1
    assert second.alerts == []
    # a run that added nothing leaves no IngestRun, so `new-since` still shows the first's
    assert count(driver, "MATCH (r:IngestRun) RETURN count(r)") == 1
    assert count(driver, "MATCH (r:RefreshRun) RETURN count(r)") == 2
    assert new_since_cells(driver) == new_since > 0


def new_since_cells(driver) -> int:
    """The cells queries/new-since.cypher lists with its defaults."""
    cypher = (ROOT / "queries" / "new-since.cypher").read_text(encoding="utf-8")
    params = {name: None for name in re.findall(r"\$(\w+)", cypher)}
    params.update({k: v for k, v in (("skip", 0), ("limit", 10_000)) if k in params})
    rows = driver.execute_query(cypher, params).records
    return sum(r["kind"] == "Cell" for r in rows)


def test_a_listed_page_is_asked_with_its_etag_and_a_304_is_unchanged(site, writer):
    url = site.page("/a/iswap", ISWAP)
    site.atom("/atom.xml", [(url, "2026-03-01T10:00:00Z")])
    config = settings(feed("atom", site.url + "/atom.xml"))
    assert counts(Refresher(writer, config).run(), "atom") == {"new": 1}
    site.atom("/atom.xml", [(url, "2026-03-02T10:00:00Z")])  # the entry says it changed
    again = Refresher(writer, config).run()
    assert counts(again, "atom") == {"unchanged": 1}
    assert site.not_modified["/a/iswap"] == 1 and site.hits["/a/iswap"] == 2


def test_a_changed_article_is_read_again_and_replaces_the_old_one(site, writer, driver):
    url = site.page("/a/story", ISWAP)
    site.atom("/atom.xml", [(url, "2026-03-01T10:00:00Z")])
    config = settings(feed("atom", site.url + "/atom.xml"))
    Refresher(writer, config).run()
    before = driver.execute_query("MATCH (a:Article) RETURN a.id AS id").records[0]["id"]
    site.page("/a/story", ISWAP.replace("six suspected members", "seven suspected members"))
    site.atom("/atom.xml", [(url, "2026-03-02T10:00:00Z")])
    report = Refresher(writer, config).run()
    assert counts(report, "atom") == {"changed": 1}
    ids = [r["id"] for r in driver.execute_query("MATCH (a:Article) RETURN a.id AS id").records]
    assert len(ids) == 1 and ids[0] != before  # the old reading was retracted


def test_an_article_in_two_feeds_is_fetched_and_stored_once(site, writer, driver):
    shared = site.page("/a/iswap", ISWAP)
    site.rss("/one.xml", [shared])
    site.rss("/two.xml", [shared, site.page("/a/tunis", TUNIS)])
    config = settings(feed("one", site.url + "/one.xml"), feed("two", site.url + "/two.xml"))
    report = Refresher(writer, config).run()
    assert counts(report, "one") == {"new": 1}
    assert counts(report, "two") == {"new": 1, "duplicate": 1}
    assert site.hits["/a/iswap"] == 1
    assert count(driver, "MATCH (a:Article) RETURN count(a)") == 2


def test_a_failing_source_is_reported_once_and_never_stops_the_others(site, writer, driver):
    site.fail("/down.xml", 500)
    site.hang("/slow.xml")
    site.serve("/broken.xml", "<rss><channel><item><link>http://x", "application/rss+xml")
    site.rss("/good.xml", [site.page("/a/iswap", ISWAP)])
    config = settings(feed("down", site.url + "/down.xml"), feed("slow", site.url + "/slow.xml"),
                      feed("broken", site.url + "/broken.xml"),
                      feed("good", site.url + "/good.xml"))
    first = Refresher(writer, config).run()
    assert counts(first, "good") == {"new": 1}
    for name in ("down", "slow", "broken"):
        assert counts(first, name) == {"failed": 1}
    reasons = {s.name: s.errors[0] for s in first.sources if s.errors}
    assert "HTTP 500" in reasons["down"] and "2 attempts" in reasons["down"]
    assert "timed out" in reasons["slow"]
    assert "malformed feed" in reasons["broken"]
    assert site.hits["/down.xml"] == 2  # the first attempt and one retry
    assert first.exit_code == 3
    stored = driver.execute_query(
        "MATCH (:RefreshRun)-[:COUNTED]->(c:SourceRun {source: 'down'}) RETURN c.errors AS e")
    assert "HTTP 500" in stored.records[0]["e"][0]

    second = Refresher(writer, config).run()
    for name in ("down", "slow", "broken"):
        assert counts(second, name) == {"quarantined": 1}  # still failing, not reported again
    assert second.exit_code == 0 and not any(s.errors for s in second.sources)
    attempts = driver.execute_query(
        "MATCH (s:SourceItem {source: 'down'}) RETURN s.attempts AS n, s.reason AS r")
    assert attempts.records[0]["n"] == 2 and "HTTP 500" in attempts.records[0]["r"]


def test_a_poisoned_item_does_not_poison_later_runs(site, writer, driver):
    clock = Clock()
    good, bad = site.page("/a/iswap", ISWAP), site.url + "/a/poison"
    site.fail("/a/poison", 500)
    site.rss("/feed.xml", [good, bad])
    config = settings(feed("wire", site.url + "/feed.xml"))

    first = Refresher(writer, config, clock=clock).run()
    assert counts(first, "wire") == {"new": 1, "failed": 1} and first.exit_code == 3
    assert count(driver, "MATCH (r:IngestRun) RETURN count(r)") == 1

    site.rss("/feed.xml", [site.page("/a/tunis", TUNIS), good, bad])  # news arrives
    second = Refresher(writer, config, clock=clock).run()
    assert counts(second, "wire") == {"new": 1, "unchanged": 1, "quarantined": 1}
    assert second.exit_code == 0 and site.hits["/a/poison"] == 2  # not asked again yet

    clock.now += 2 * HOUR  # its time comes: tried again, fails again, stays quiet
    third = Refresher(writer, config, clock=clock).run()
    assert counts(third, "wire") == {"quarantined": 1} and third.exit_code == 0
    assert site.hits["/a/poison"] == 4
    # new-since still shows the second run's additions
    assert count(driver, "MATCH (r:IngestRun) RETURN count(r)") == 2

    site.page("/a/poison", TUNIS.replace("seven men", "nine men"))  # repaired
    clock.now += 4 * HOUR
    fourth = Refresher(writer, config, clock=clock).run()
    assert counts(fourth, "wire") == {"new": 1} and fourth.exit_code == 0
    state = driver.execute_query("MATCH (s:SourceItem {key: $k}) RETURN s.status AS s, "
                                 "s.reason AS r", k=bad).records[0]
    assert state["s"] == "ok" and state["r"] is None


def test_a_page_that_is_not_html_is_a_failure_with_its_reason(site, writer):
    site.serve("/report.pdf", b"%PDF-1.4 ...", "application/pdf")
    config = settings(Source(name="list", kind="urls", location=(site.url + "/report.pdf",)))
    report = Refresher(writer, config).run()
    assert counts(report, "list") == {"failed": 1}
    assert "not a web page (application/pdf)" in report.sources[0].errors[0]
