"""`ctkg refresh`: every configured source, incrementally, into the graph.

For each source: list its items (feed, sitemap, URL list, folder, JSONL dump), read only what
may have changed (reading.py), skip articles whose text is already stored by this extractor
version, extract the rest and write them through `ctkg.ingest.ingest` (the pipeline of
`ctkg ingest`). A failing item is quarantined: kept once with its reason and attempt count,
reported the first time only, tried again after a delay that doubles at each attempt. A
failing source is one such item; the other sources go on. The run is recorded as a
RefreshRun (seen.py); only runs that wrote something leave an IngestRun, so `new-since`
keeps showing what the last productive run added.
"""
from __future__ import annotations

import logging
import time
from collections import Counter
from dataclasses import dataclass, field

from ctkg.errors import CtkgError
from ctkg.fetch import Fetcher
from ctkg.graph.model import GraphBatch
from ctkg.graph.writer import now_iso
from ctkg.ingest import Failure, extract_one, ingest
from ctkg.listing import Candidate, SourceError, is_url, list_source
from ctkg.loaders.articles import ArticleError, RawArticle
from ctkg.loaders.extractor import EXTRACTOR_VERSION
from ctkg.loaders.language import normalise
from ctkg.reading import ItemError, read_candidate, same_file
from ctkg.seen import COUNTS, SeenStore
from ctkg.sources import RefreshSettings, Source

log = logging.getLogger(__name__)

MAX_RETRY_DELAY = 7 * 86400.0
EXIT_OK, EXIT_FAILED = 0, 3  # 3: the run finished, and some item or source failed for the first time

STORED = """
OPTIONAL MATCH (same:Article {id: $id})
OPTIONAL MATCH (here:Article {locator: $locator})
RETURN coalesce(same.locators, [same.locator]) AS locators, same.extractor_version AS version,
       count(here) > 0 AS placed
"""


@dataclass
class SourceReport:
    name: str
    counts: Counter = field(default_factory=lambda: Counter({k: 0 for k in COUNTS}))
    errors: list[str] = field(default_factory=list)  # failures new in this run

    def as_dict(self) -> dict:
        return {"source": self.name, **{k: self.counts[k] for k in COUNTS},
                "errors": self.errors}


@dataclass
class RunReport:
    started: str
    finished: str = ""
    sources: list[SourceReport] = field(default_factory=list)
    run_id: str | None = None
    alerts: list[dict] = field(default_factory=list)

    @property
    def exit_code(self) -> int:
        return EXIT_FAILED if any(r.counts["failed"] for r in self.sources) else EXIT_OK

    def as_dict(self) -> dict:
        totals = {k: sum(r.counts[k] for r in self.sources) for k in COUNTS}
        return {"run": self.run_id, "started_at": self.started, "finished_at": self.finished,
                "status": "failed" if self.exit_code else "ok", **totals,
                "sources": [r.as_dict() for r in self.sources], "alerts": self.alerts}


class Refresher:
    def __init__(self, writer, settings: RefreshSettings, fetcher: Fetcher | None = None,
                 clock=time.time) -> None:
        self.writer = writer
        self.settings = settings
        self.fetcher = fetcher or Fetcher(settings.user_agent, settings.timeout, settings.retries,
                                          settings.backoff, settings.per_host_interval)
        self.store = SeenStore(writer.driver, writer.database)
        self.clock = clock
        self.read_this_run: dict[str, dict] = {}  # URL -> its state, for sources sharing it
        self.counted = "new"  # how the last extracted article was counted

    def run(self, names: list[str] | None = None) -> RunReport:
        from ctkg.alerts import new_entities

        sources = [self.settings.source(n) for n in names] if names else self.settings.sources
        if not sources:
            raise CtkgError(f"no sources configured: add [[source]] tables to "
                            f"{self.settings.origin} (see the README, Refresh scheduling)")
        report = RunReport(started=now_iso())
        self.writer.ensure_schema()
        self.store.ensure_schema()
        for source in sources:
            report.sources.append(self.refresh_source(source))
        report.finished = now_iso()
        report.run_id = self.store.record_run(report.started, report.finished,
                                              "failed" if report.exit_code else "ok",
                                              report.sources)
        report.alerts = new_entities(self.writer, report.started)
        return report

    # -- one source ---------------------------------------------------------------------
    def refresh_source(self, source: Source) -> SourceReport:
        report = SourceReport(source.name)
        now = now_iso()
        listing_key = source.location if isinstance(source.location, str) else None
        listing_prev = self.store.get(source.name, [listing_key]) if listing_key else {}
        try:
            listing = list_source(source, self.fetcher, listing_prev.get(listing_key))
        except SourceError as exc:
            state = self._failed(report, listing_key or source.name, str(exc),
                                 listing_prev.get(listing_key), {})
            self.store.save(source.name, {listing_key or source.name: state}, now)
            return report
        candidates = listing.candidates + self._due(source, listing, listing_key)
        whole = source.kind == "folder" or (source.retract and listing.complete
                                            and not listing.unchanged)
        states = (self.store.all(source.name) if whole
                  else self.store.get(source.name, [c.key for c in candidates]))
        saves = {k: {**v, "status": "ok", "reason": None, "attempts": None, "next_attempt": None}
                 for k, v in listing.state.items()}
        if listing_prev.get(listing_key, {}).get("status") == "failed":
            saves.setdefault(listing_key, {"status": "ok", "reason": None, "attempts": None,
                                           "next_attempt": None})
        saves.update(self._ingest(source, candidates, states, report))
        if source.retract and listing.complete and not listing.unchanged:
            self._retract(source, {c.key for c in candidates} | set(listing.state),
                          states, report)
        self.store.save(source.name, saves, now)
        return report

    def _due(self, source: Source, listing, listing_key) -> list[Candidate]:
        """Failed URLs whose time for another attempt has come, though no longer listed."""
        if source.kind not in ("feed", "sitemap", "urls"):
            return []
        listed = {c.key for c in listing.candidates}
        return [Candidate(key=k, url=k, hint=v.get("hint"))
                for k, v in self.store.due(source.name, self.clock()).items()
                if k not in listed and k != listing_key and is_url(k)]

    def _ingest(self, source: Source, candidates: list[Candidate], states: dict[str, dict],
                report: SourceReport) -> dict[str, dict]:
        """Read, extract and write the candidates; the state to save per item."""
        saves: dict[str, dict] = {}
        owner: dict[str, tuple[str, str]] = {}  # locator -> (item key, how it was counted)

        def batches():
            for cand in candidates:
                yield from self._item(source, cand, states.get(cand.key), report, saves, owner)

        def on_item(result) -> None:
            if isinstance(result, Failure):  # Neo4j refused the batch
                key, counted = owner.get(result.item, (result.item, ""))
                report.counts[counted] -= 1
                saves[key] = self._failed(report, key, result.reason, states.get(key),
                                          saves.get(key, {}))

        ingest(batches(), self.writer, on_item, source=f"refresh:{source.name}")
        return saves

    def _item(self, source: Source, cand: Candidate, prev: dict | None, report: SourceReport,
              saves: dict, owner: dict):
        """The GraphBatches to write for one candidate; its state goes into `saves`."""
        prev = prev or {}
        current = prev.get("status") == "ok" and prev.get("extractor_version") == EXTRACTOR_VERSION
        if prev.get("status") == "failed" and prev.get("next_attempt", 0) > self.clock() \
                and (cand.url or same_file(cand.path, prev)):
            report.counts["quarantined"] += 1
            return
        if cand.url and not current and cand.url in self.read_this_run:
            report.counts["duplicate"] += 1  # listed by another source too: read once
            saves[cand.key] = dict(self.read_this_run[cand.url])
            return
        try:
            read = read_candidate(source, cand, prev, self.fetcher, current)
        except ItemError as exc:
            saves[cand.key] = self._failed(report, cand.key, str(exc), prev, {})
            return
        if read.skipped:
            if prev.get("status") != "skipped":
                log.info("%s: %s: skipped: %s", source.name, cand.key, read.skipped)
            saves[cand.key] = {**read.state, "status": "skipped"}
            return
        if read.unchanged:
            report.counts["unchanged"] += 1
            if read.state:
                saves[cand.key] = {**read.state}
            return
        state = {**read.state, "status": "ok", "extractor_version": EXTRACTOR_VERSION,
                 "tags": list(source.tags), "reason": None, "attempts": None,
                 "next_attempt": None, "articles": []}
        saves[cand.key] = state
        if cand.url:
            self.read_this_run[cand.url] = state
        single = source.kind != "jsonl" and len(read.articles) == 1
        for item in read.articles:
            result = self._one_article(source, item, report)
            if isinstance(result, Failure):
                key = cand.key if single else result.item
                before = prev if single else self.store.get(source.name, [key]).get(key)
                saves[key] = self._failed(report, key, result.reason, before,
                                          read.state if single else {})
                continue
            if result is None:  # stored already
                state["articles"].append(item.id)
                continue
            state["articles"].append(result.article.id)
            owner[result.article.locator] = (cand.key, self.counted)
            yield result

    def _one_article(self, source: Source, item: RawArticle | ArticleError,
                     report: SourceReport) -> GraphBatch | Failure | None:
        """The batch to write, a Failure, or None when the text is already stored."""
        if isinstance(item, ArticleError):
            return extract_one(item)
        item.lang = normalise(item.lang) or _identify(item.text) or source.lang
        item.source = item.source or source.name
        row = self.writer.driver.execute_query(STORED, id=item.id, locator=item.locator,
                                               database_=self.writer.database).records[0]
        if row["version"] == EXTRACTOR_VERSION:
            report.counts["unchanged" if item.locator in row["locators"] else "duplicate"] += 1
            return None
        try:
            result = extract_one(item)
        except Exception as exc:  # an extractor bug must not stop the run
            log.debug("extraction of %s crashed", item.locator, exc_info=True)
            return Failure(item.locator, f"extraction failed: {type(exc).__name__}: {exc}")
        if isinstance(result, GraphBatch):
            self.counted = "changed" if row["placed"] else "new"
            report.counts[self.counted] += 1
        return result

    # -- failures and retraction ----------------------------------------------------------
    def _failed(self, report: SourceReport, key: str, reason: str, prev: dict | None,
                state: dict) -> dict:
        """Quarantine an item: reported (and counted as failed) only the first time."""
        prev = prev or {}
        again = prev.get("status") == "failed"
        attempts = (prev.get("attempts") or 0) + 1 if again else 1
        delay = min(self.settings.retry_failed_after * 2 ** (attempts - 1), MAX_RETRY_DELAY)
        if again:
            report.counts["quarantined"] += 1
            log.info("%s: %s: still failing (attempt %d, next in %s): %s", report.name, key,
                     attempts, _human(delay), reason)
        else:
            report.counts["failed"] += 1
            report.errors.append(f"{key}: {reason}")
            log.error("%s: %s: %s (kept aside; tried again in %s)", report.name, key, reason,
                      _human(delay))
        return {**state, "status": "failed", "reason": reason, "attempts": attempts,
                "next_attempt": self.clock() + delay}

    def _retract(self, source: Source, listed: set[str], states: dict[str, dict],
                 report: SourceReport) -> None:
        """Articles of items no longer listed are retracted (facts others support stay)."""
        gone = [k for k, v in states.items() if k not in listed and v.get("status") == "ok"]
        for key in gone:
            for article in states[key].get("articles") or []:
                if self._shared(source.name, key, article):
                    continue
                self.writer.retract(article)
                report.counts["retracted"] += 1
                log.info("%s: %s: no longer listed: article %s retracted", source.name, key,
                         article[:12])
        self.store.forget(source.name, gone)

    def _shared(self, source: str, key: str, article: str) -> bool:
        """Another source item still lists this article."""
        from ctkg.seen import item_id

        rows = self.writer.driver.execute_query(
            "MATCH (s:SourceItem) WHERE $article IN s.articles AND s.id <> $id "
            "AND s.status = 'ok' RETURN count(s) AS n", article=article,
            id=item_id(source, key), database_=self.writer.database).records
        return rows[0]["n"] > 0


def _identify(text: str) -> str | None:
    from ctkg.loaders.articles import detect_language

    return detect_language(text)


def _human(seconds: float) -> str:
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        if seconds >= size:
            return f"{seconds / size:g}{unit}"
    return f"{seconds:g}s"

