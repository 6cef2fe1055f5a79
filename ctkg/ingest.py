"""Articles to the graph: read, extract, write, one article at a time; failures are kept
with their reason and never stop the batch or touch what is stored."""
from __future__ import annotations

import json
import logging
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Iterator

import neo4j

from ctkg.errors import CtkgError
from ctkg.graph.model import BatchError, GraphBatch
from ctkg.loaders.articles import ArticleError, RawArticle, iter_articles
from ctkg.loaders.extractor import EXTRACTOR_VERSION, SUPPORTED, UnsupportedLanguage, extract
from ctkg.loaders.language import refusal
from ctkg.workers import WorkerPool

log = logging.getLogger(__name__)


@dataclass
class Failure:
    item: str
    reason: str

    def as_dict(self) -> dict:
        return {"item": self.item, "reason": self.reason}


@dataclass
class Outcome:
    batches: int = 0
    failures: list[Failure] = field(default_factory=list)
    counters: Counter = field(default_factory=Counter)


Item = RawArticle | ArticleError | GraphBatch | Failure
Source = str | Path | Item


def read_all(sources: Iterable[Source]) -> Iterator[Item]:
    """Articles of the given files and folders; items already read (or already extracted:
    `ctkg ingest -`) pass through as they are, so that a caller that counted them for a
    progress bar does not read them twice."""
    for source in sources:
        if isinstance(source, (RawArticle, ArticleError, GraphBatch, Failure)):
            yield source
        else:
            yield from iter_articles([source])


def extract_one(item: Item) -> GraphBatch | Failure:
    """One article's GraphBatch, or the Failure that says in one line why there is none."""
    if isinstance(item, (GraphBatch, Failure)):
        return item
    if isinstance(item, ArticleError):
        where, _, reason = str(item).partition(": ")
        return Failure(where, reason or str(item))
    refused = refusal(item.lang, SUPPORTED)
    if refused:
        return Failure(item.locator, refused)
    try:
        return extract(item)
    except UnsupportedLanguage as exc:
        return Failure(item.locator, str(exc))


def extract_all(sources: Iterable[Source], workers: int = 1) -> Iterator[GraphBatch | Failure]:
    """GraphBatches of every article, in input order; a bad item yields a Failure.
    With `workers` other than 1, extraction runs in that many processes (0: one per core)."""
    items = read_all(sources)
    if workers == 1:
        yield from map(extract_one, items)
        return
    with WorkerPool(workers) as pool:
        for result in pool.map(extract_one, items):
            if isinstance(result, GraphBatch) and result.extractor_version != EXTRACTOR_VERSION:
                # A worker imports the rules when it starts: they were edited since this
                # process read them, and one run must not mix two readings.
                raise CtkgError(f"the extractor's rules changed during the run (worker "
                                f"{result.extractor_version}, here {EXTRACTOR_VERSION}); "
                                f"run it again")
            yield result


def read_extracted(lines: Iterable[str], name: str = "<stdin>") -> Iterator[GraphBatch | Failure]:
    """`ctkg extract`'s JSON Lines back into batches, each validated against the schema; a bad
    line is a Failure naming its line number, and the rest goes on."""
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            yield GraphBatch.from_contract(json.loads(line))
        except json.JSONDecodeError as exc:
            yield Failure(f"{name}:{n}", f"invalid JSON ({exc.msg})")
        except BatchError as exc:
            yield Failure(f"{name}:{n}", f"invalid batch: {exc}")


CHUNK = 25  # articles written per transaction


def ingest(sources: Iterable[Source], writer,
           on_item: Callable[[GraphBatch | Failure], None] = lambda _: None,
           source: str | None = None, chunk: int = CHUNK, workers: int = 1) -> Outcome:
    """Write every article, `chunk` articles per transaction; record the run as an
    IngestRun node. Extraction runs in `workers` processes (see extract_all); writing stays
    here. A chunk that fails is written again article by article, so that only
    the bad article is kept aside (with its reason) and the others are stored."""
    from ctkg.graph.writer import now_iso

    started = now_iso()
    outcome = Outcome()
    pending: list[GraphBatch] = []

    def fail(failure: Failure) -> None:
        outcome.failures.append(failure)
        log.debug("skipped %s: %s", failure.item, failure.reason)
        on_item(failure)

    def flush() -> None:
        try:
            outcome.counters.update(writer.write_many(pending))
            written = list(pending)
        except (CtkgError, ValueError, neo4j.exceptions.Neo4jError):
            written = []
            for batch in pending:
                try:
                    outcome.counters.update(writer.write(batch))
                    written.append(batch)
                except (CtkgError, ValueError, neo4j.exceptions.Neo4jError) as exc:
                    fail(Failure(batch.article.locator, _reason(exc)))
        outcome.batches += len(written)
        for batch in written:
            on_item(batch)
        pending.clear()

    for result in extract_all(sources, workers=workers):
        if isinstance(result, Failure):
            fail(result)
            continue
        pending.append(result)
        if len(pending) >= chunk:
            flush()
    if pending:
        flush()
    if sum(outcome.counters.values()) or outcome.failures:
        # Only runs that changed or refused something are logged, so that a repeated
        # ingest leaves the graph exactly as it was.
        record_run(writer, started, outcome, source)
    return outcome


def _reason(exc: Exception) -> str:
    if isinstance(exc, neo4j.exceptions.Neo4jError):
        return f"Neo4j refused it: {exc.message or exc.code}"
    if isinstance(exc, ValueError) and not isinstance(exc, CtkgError):
        return f"invalid extraction: {exc}"  # a batch the schema refuses
    return str(exc)


def record_run(writer, started: str, outcome: Outcome, source: str | None) -> None:
    writer.log_run(started, outcome.batches,
                   [json.dumps(f.as_dict(), ensure_ascii=False) for f in outcome.failures],
                   source)
