"""Entity resolution against the real Neo4j: reports of one operation in three languages, a
republished copy and a report a day apart are one incident with one cell; a person written in
two scripts is one person; merges are recorded, and accept, reject and undo do what they say;
sources that disagree on a count keep their own values."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

import ctkg.cli
from ctkg.errors import CtkgError
from ctkg.graph.resolve import Resolver, ResolveError, candidates, pair_id
from ctkg.ingest import extract_all, ingest
from ctkg.queries.library import get_query
from ctkg.queries.runner import run_query

from tests.graph.batches import graph_state

ctkg.cli._register()
ROOT = Path(__file__).resolve().parent.parent.parent
TANGIER = ROOT / "examples" / "tangier-cell.jsonl"
DEVSET = ROOT / "devset"


def count(driver, cypher: str, **params):
    return driver.execute_query(cypher, params)[0][0][0]


def reports() -> list[dict]:
    return [json.loads(line) for line in TANGIER.read_text("utf-8").splitlines()]


def write_jsonl(path: Path, items: list[dict]) -> Path:
    path.write_text("".join(json.dumps(i, ensure_ascii=False) + "\n" for i in items), "utf-8")
    return path


def load(writer, *paths) -> None:
    outcome = ingest([str(p) for p in paths], writer)
    assert outcome.batches and not outcome.failures


@pytest.fixture
def cli(cli_env):
    def invoke(*args: str, ok: bool = True):
        result = CliRunner().invoke(ctkg.cli.cli, list(args))
        assert (result.exit_code == 0) == ok, result.output
        return result
    return invoke


# -- one story, one incident, one cell ------------------------------------------------------
def test_three_languages_are_one_incident_with_one_cell_and_three_sources(writer, driver):
    load(writer, TANGIER)
    assert count(driver, "MATCH (i:Incident) RETURN count(i)") == 1
    assert count(driver, "MATCH (c:Cell) RETURN count(c)") == 1
    assert count(driver, "MATCH (:Incident)-[:INVOLVED]->(c:Cell) RETURN count(c)") == 1
    assert count(driver, "MATCH (a:Article)-[:MENTIONS]->(:Cell) "
                         "RETURN count(DISTINCT a.lang)") == 3
    row = run_query(driver, get_query("incident-reports"), {"min_articles": "2"}).rows
    assert len(row) == 1 and row[0]["articles"] == 3 and len(row[0]["outlets"]) == 3
    assert row[0]["languages"] == ["ar", "en", "fr"] and len(row[0]["cell_ids"]) == 1
    # Nothing is left for the resolver, and re-ingesting changes nothing.
    assert Resolver(driver).run() == []
    assert sum(ingest([str(TANGIER)], writer).counters.values()) == 0


def test_a_report_a_day_apart_joins_the_incident_and_its_cell(writer, driver, tmp_path):
    ar, fr, en = reports()
    en = {**en, "published": "2026-03-11", "url": en["url"] + "-late"}
    load(writer, write_jsonl(tmp_path / "t.jsonl", [ar, fr, en]))
    assert count(driver, "MATCH (i:Incident) RETURN count(i)") == 2
    found = candidates(driver, "Incident")
    assert len(found) == 1 and found[0].score >= 0.8
    assert any("1 day apart" in e for e in found[0].evidence)
    assert any("shared agency agency:bcij-ma" in e for e in found[0].evidence)
    merged = Resolver(driver).run()
    assert sorted(m["label"] for m in merged) == ["Cell", "Incident"]
    assert count(driver, "MATCH (i:Incident) RETURN count(i)") == 1
    assert count(driver, "MATCH (c:Cell) RETURN count(c)") == 1
    assert count(driver, "MATCH (:Article)-[:REPORTS]->(i:Incident) RETURN count(*)") == 3
    # The two dates stay, each with its source.
    assert count(driver, "MATCH (i:Incident) RETURN i.disputed") == ["date"]
    assert count(driver, "MATCH (j:Judgement {decision: 'positive'}) "
                         "RETURN collect(DISTINCT j.auto)") == [True]
    # Undoing the incident merge undoes the cell merge that followed from it.
    incident = next(m["id"] for m in merged if m["label"] == "Incident")
    Resolver(driver).undo(incident)
    assert count(driver, "MATCH (i:Incident) RETURN count(i)") == 2
    assert count(driver, "MATCH (c:Cell) RETURN count(c)") == 2
    assert count(driver, "MATCH (j:Judgement {decision: 'undone'}) RETURN count(j)") == 2
    assert count(driver, "MATCH (i:Incident) WHERE i.disputed IS NOT NULL RETURN count(i)") == 0


def test_operations_of_different_agencies_are_not_merged(writer, driver, tmp_path):
    ar, fr, _ = reports()
    other = {**fr, "url": "https://example.org/fr/other", "published": "2026-03-11",
             "text": fr["text"].replace("Le Bureau central d'investigations judiciaires (BCIJ)",
                                        "La Garde civile espagnole")
                               .replace("Selon le BCIJ", "Selon la Garde civile")
                               .replace("Tanger", "Ceuta")}
    load(writer, write_jsonl(tmp_path / "t.jsonl", [ar, other]))
    assert count(driver, "MATCH (i:Incident) RETURN count(i)") == 2
    assert Resolver(driver).run() == []
    assert count(driver, "MATCH (i:Incident) RETURN count(i)") == 2


def test_a_report_of_two_cells_keeps_two_cells(writer, driver, tmp_path):
    # ar-004: one article, two cells (Oujda and Marrakesh) dismantled the same day.
    text = (DEVSET / "ar" / "ar-004.txt").read_text("utf-8")
    load(writer, write_jsonl(tmp_path / "two.jsonl", [
        {"url": "https://example.org/two", "lang": "ar", "published": "2024-10-08",
         "text": text}]))
    assert count(driver, "MATCH (c:Cell) RETURN count(c)") == 2
    assert count(driver, "MATCH (i:Incident) RETURN count(i)") == 2
    assert candidates(driver) == [] and Resolver(driver).run() == []


def test_a_republished_copy_is_the_same_story(writer, driver, tmp_path):
    # Undated, as plain-text articles are: only the texts say that the two are one story.
    text = (DEVSET / "ar" / "ar-001.txt").read_text("utf-8")
    original = {"url": "https://example.org/a/1", "source": "Outlet A", "lang": "ar",
                "text": text}
    copy = {**original, "url": "https://copy.example.net/x/9", "source": "Outlet B",
            "text": text.rstrip() + "\nوأفاد مصدر مطلع أن التحقيقات لا تزال جارية.\n"}
    load(writer, write_jsonl(tmp_path / "copy.jsonl", [original, copy]))
    assert count(driver, "MATCH (a:Article) RETURN count(a)") == 2
    before = count(driver, "MATCH (c:Cell) RETURN count(c)")
    assert before == 2 and count(driver, "MATCH (i:Incident) RETURN count(i)") == 2
    found = candidates(driver, "Incident")
    assert len(found) == 1 and found[0].score >= 0.95
    assert any(e.startswith("near-duplicate texts") for e in found[0].evidence)
    Resolver(driver).run()
    assert count(driver, "MATCH (c:Cell) RETURN count(c)") == 1
    assert count(driver, "MATCH (i:Incident) RETURN count(i)") == 1
    assert count(driver, "MATCH (a:Article)-[:MENTIONS]->(:Cell) RETURN count(a)") == 2
    # Each side's provenance now supports the one cell.
    cell = count(driver, "MATCH (c:Cell) RETURN c.id")
    assert count(driver, "MATCH (e:Evidence {fact: $id}) RETURN count(DISTINCT e.article)",
                 id=cell) == 2


# -- names across scripts, and the decisions ------------------------------------------------
def _iyad(driver) -> list[str]:
    return driver.execute_query(
        "MATCH (p:Person) WHERE p.name IN ['Iyad Ag Ghaly', 'إياد أغ غالي'] "
        "RETURN p.id AS id ORDER BY id")[0]


def test_a_person_in_two_scripts_is_one_person(writer, driver):
    load(writer, DEVSET / "en" / "en-006.txt", DEVSET / "ar" / "ar-011.txt")
    assert len(_iyad(driver)) == 2
    found = [c for c in candidates(driver, "Person")
             if {c.left_name, c.right_name} == {"Iyad Ag Ghaly", "إياد أغ غالي"}]
    assert len(found) == 1 and found[0].score >= 0.9
    assert any("same transliteration" in e for e in found[0].evidence)
    Resolver(driver).run()
    ids = _iyad(driver)
    assert len(ids) == 1
    person = ids[0]["id"]
    assert count(driver, "MATCH (p:Person {id: $id}) RETURN p.aliases", id=person) == \
        ["Iyad Ag Ghaly", "إياد أغ غالي"]
    assert count(driver, "MATCH (a:Article)-[:MENTIONS]->(:Person {id: $id}) "
                         "RETURN count(DISTINCT a.lang)", id=person) == 2
    assert {r["o"] for r in driver.execute_query(
        "MATCH (:Person {id: $id})-[:LEADS]->(o) RETURN o.id AS o", id=person)[0]} >= \
        {"org:jnim"}


def test_accept_reject_and_undo(writer, driver, cli):
    paths = [DEVSET / "en" / "en-006.txt", DEVSET / "ar" / "ar-011.txt"]
    load(writer, *paths)
    pair = json.loads(cli("resolve", "list", "-l", "Person", "--format", "json").stdout)
    assert pair and all(p["score"] and p["evidence"] for p in pair)
    left, right = pair[0]["left_id"], pair[0]["right_id"]

    # reject: never proposed again, not even by the automatic run
    cli("resolve", "reject", left, right)
    assert json.loads(cli("resolve", "list", "-l", "Person", "--format", "json").stdout) == []
    assert Resolver(driver).run() == []
    with pytest.raises(ResolveError, match="judged different"):
        Resolver(driver).accept(left, right)
    # undo the rejection: proposed again (as undone: for a person to decide, not the run)
    cli("resolve", "undo", pair_id(left, right))
    again = json.loads(cli("resolve", "list", "-l", "Person", "--format", "json").stdout)
    assert [(p["left_id"], p["status"]) for p in again] == [(left, "undone")]
    assert Resolver(driver).run() == []

    # accept: the facts, provenance and aliases of `right` are `left`'s
    right_facts = driver.execute_query(
        "MATCH (:Person {id: $id})-[r]-(o) WHERE r.id IS NOT NULL RETURN type(r) AS t, o.id AS o",
        id=right)[0]
    assert right_facts
    cli("resolve", "accept", left, right)
    assert count(driver, "MATCH (p:Person {id: $id}) RETURN count(p)", id=right) == 0
    for fact in right_facts:
        assert count(driver, "MATCH (:Person {id: $id})-[r]-(o {id: $o}) WHERE type(r) = $t "
                             "RETURN count(r)", id=left, o=fact["o"], t=fact["t"]) == 1
    assert count(driver, "MATCH (e:Evidence {fact: $id}) RETURN count(e)", id=right) == 0
    assert count(driver, "MATCH (e:Evidence {fact: $id}) RETURN count(DISTINCT e.article)",
                 id=left) == 2
    decisions = json.loads(cli("resolve", "decisions", "--format", "json").stdout)
    assert [(d["kept"], d["merged"], d["decision"], d["auto"]) for d in decisions] == \
        [(left, right, "positive", False)]
    # a re-ingest, or a new reading of the articles, writes to the kept node
    assert sum(ingest([str(p) for p in paths], writer).counters.values()) == 0
    for batch in extract_all([str(p) for p in paths]):
        batch.extractor_version += "-next"
        writer.write(batch)
    assert count(driver, "MATCH (p:Person {id: $id}) RETURN count(p)", id=right) == 0
    assert count(driver, "MATCH (e:Evidence {fact: $id}) RETURN count(DISTINCT e.article)",
                 id=left) == 2

    # undo: the two persons again, each with its own facts and provenance
    cli("resolve", "undo", right)
    assert count(driver, "MATCH (p:Person) WHERE p.id IN [$a, $b] RETURN count(p)",
                 a=left, b=right) == 2
    for fact in right_facts:
        assert count(driver, "MATCH (:Person {id: $id})-[r]-(o {id: $o}) WHERE type(r) = $t "
                             "RETURN count(r)", id=right, o=fact["o"], t=fact["t"]) == 1
    assert count(driver, "MATCH (e:Evidence {fact: $id}) RETURN count(DISTINCT e.article)",
                 id=right) == 1
    assert len(count(driver, "MATCH (p:Person {id: $id}) RETURN p.aliases", id=left)) == 1
    cli("resolve", "undo", right, ok=False)  # already undone: one clear line


def test_undo_gives_back_the_graph_as_it_was(writer, driver):
    load(writer, DEVSET / "en" / "en-006.txt", DEVSET / "ar" / "ar-011.txt")
    before = graph_state(driver)
    merged = Resolver(driver).run()
    assert merged and graph_state(driver) != before
    for m in reversed(merged):
        Resolver(driver).undo(m["id"])
    assert graph_state(driver) == before


def test_accept_refuses_what_is_not_a_pair(writer, driver, cli):
    load(writer, TANGIER)
    incident = count(driver, "MATCH (i:Incident) RETURN i.id")
    cell = count(driver, "MATCH (c:Cell) RETURN c.id")
    for args, says in ((("accept", incident, cell), "not two entities of one label"),
                       (("accept", cell, cell), "cannot be merged with itself"),
                       (("undo", "judgement:nope"), "no merge decision about"),
                       (("accept", cell, "Nobody At All"), "no entity named")):
        result = cli("resolve", *args, ok=False)
        assert isinstance(result.exception, CtkgError), result.exception
        assert says in str(result.exception) and "\n" not in str(result.exception)
    assert count(driver, "MATCH (j:Judgement) RETURN count(j)") == 0


# -- disagreeing values ---------------------------------------------------------------------
def test_a_conflicting_count_keeps_each_value_with_its_source(writer, driver, tmp_path):
    ar, fr, en = reports()
    four = {**fr, "url": fr["url"] + "-bis", "source": "Another French site",
            "text": fr["text"].replace("de trois membres", "de quatre membres")}
    path = write_jsonl(tmp_path / "t.jsonl", [ar, fr, four])
    load(writer, path)
    assert count(driver, "MATCH (c:Cell) RETURN count(c)") == 1
    assert count(driver, "MATCH (c:Cell) RETURN c.disputed") == ["members"]
    rows = run_query(driver, get_query("disputed-values"), {}).rows
    assert [(r["property"], r["value"], r["sources"], r["articles"]) for r in rows] == [
        ("members", "3", ["Example Arabic daily", "Example French-language site"], 2),
        ("members", "4", ["Another French site"], 1)]
    # The node keeps a value, and the dispute ends when the dissenting source goes.
    assert count(driver, "MATCH (c:Cell) RETURN c.members") == 3
    article = count(driver, "MATCH (a:Article {source: 'Another French site'}) RETURN a.id")
    writer.retract(article)
    assert count(driver, "MATCH (c:Cell) RETURN c.disputed") is None
    assert run_query(driver, get_query("disputed-values"), {}).rows == []
