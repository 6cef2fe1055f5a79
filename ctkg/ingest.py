"""Articles to the graph: read, extract, write, one article at a time; failures are kept
with their reason and never stop the batch or touch what is stored."""
from __future__ import annotations

import json
import logging
from collections import Counter, deque
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from itertools import chain
from pathlib import Path
from typing import Callable, Iterable, Iterator

import neo4j

from ctkg.config import input_limits
from ctkg.dberrors import describe, stops_the_run
from ctkg.errors import CtkgError
from ctkg.graph.model import BatchError, GraphBatch
from ctkg.loaders.articles import ArticleError, RawArticle, iter_articles
from ctkg.loaders.extractor import EXTRACTOR_VERSION, SUPPORTED, UnsupportedLanguage, extract
from ctkg.loaders.language import refusal
from ctkg.lock import exclusive
from ctkg.memory import streaming_collector
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
    unchanged: int = 0  # articles already stored as they are (counted in `batches` too)


Item = RawArticle | ArticleError | GraphBatch | Failure
Source = str | Path | Item


def read_all(sources: Iterable[Source]) -> Iterator[Item]:
    """Articles of the given files and folders; items already read (or already extracted:
    `ctkg ingest -`) pass through as they are, so that a caller that counted them for a
    progress bar does not read them twice."""
    limits = None
    for source in sources:
        if isinstance(source, (RawArticle, ArticleError, GraphBatch, Failure)):
            yield source
        else:
            limits = limits or input_limits()  # the [input] settings, read once
            yield from iter_articles([source], limits)


def extract_one(item: Item) -> GraphBatch | Failure:
    """One article's GraphBatch, or the Failure that says in one line why there is none."""
    if isinstance(item, (GraphBatch, Failure)):
        return item
    if isinstance(item, ArticleError):
        return Failure(item.where, item.reason)
    refused = refusal(item.lang, SUPPORTED)
    if refused:
        return Failure(item.locator, refused)
    try:
        return extract(item)
    except UnsupportedLanguage as exc:
        return Failure(item.locator, str(exc))


def extract_all(sources: Iterable[Source], workers: int = 1,
                spare: int = 0) -> Iterator[GraphBatch | Failure]:
    """GraphBatches of every article, in input order; a bad item yields a Failure.
    With `workers` other than 1, extraction runs in that many processes (0: one per core,
    less `spare` cores kept for other work, and at least one process)."""
    items = read_all(sources)
    if workers == 1:
        yield from map(extract_one, items)
        return
    first = next(items, None)
    if first is None:
        return  # nothing to extract (a re-ingest of stored articles): no workers started
    with WorkerPool(workers, spare) as pool:
        for result in pool.map(extract_one, chain([first], items)):
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


# Articles written per transaction, at most: fewer, wider statements, and the nodes most
# articles share (organisations, agencies, places) written once for more articles. Chunks
# alternated in one run wrote 8% faster per article at 250 than at 100; at 500, pure writing
# was faster still, but a whole ingest of 100,000 (extraction beside it) was slower than at
# 250 (0.45 of plain CREATE against 0.49) and took more memory. A chunk also ends at FACTS
# extracted nodes and relationships, so that long articles do not make a transaction too big
# for a small heap.
CHUNK = 250
# (the synthetic corpus has 49 facts an article: its chunks end at about 200 articles, some
# 20,000 nodes and relationships created, which `ctkg neo4j start`'s 1 GB heap writes)
FACTS = 10_000
# Write transactions in flight at once. One waits for the other on the nodes both touch (the
# writer locks in label and id order): on the synthetic corpus the organisations, agencies and
# places most articles share serialise most of the work. On 2 cores, with extraction beside
# them, two wrote no faster than one and cost more CPU per article (a read before each chunk to
# decide whether it must go alone, and lock waits), so one is the default.
WRITERS = 1
# Cores `--workers 0` leaves to the writer (its thread, and the database it writes to when that
# runs here): extraction on every core starves them. On 2 cores, a first ingest with one
# extraction process beside the writer was 22% faster than with two, the writer's statements
# 31% faster (ingests of 3,000 articles into a 5,000-article graph, alternated): two
# extracting processes slowed the writer and the server more than they fed them, as the
# writer, not extraction, sets the pace (one process extracts about 250 articles/s, the
# writer writes about 150).
SPARE = 1
# Articles checked per lookup of those already stored: a re-ingest of an unchanged archive is
# little more than these lookups (one of 1,000 costs about as much as one of 100).
LOOKUP = 1000


def skip_stored(items: Iterable[Item], writer, chunk: int,
                on_skip: Callable[[RawArticle], None]) -> Iterator[Item]:
    """The items, less the articles already stored with this text at this locator by this
    extractor version (one lookup per `chunk` articles): those need neither extraction nor
    writing."""
    buffer: list[Item] = []

    def drain() -> Iterator[Item]:
        raw = [(i.locator, i.id) for i in buffer if isinstance(i, RawArticle)]
        known = writer.stored(raw, EXTRACTOR_VERSION) if raw else set()
        for item in buffer:
            if isinstance(item, RawArticle) and (item.locator, item.id) in known:
                on_skip(item)
            else:
                yield item
        buffer.clear()

    for item in items:
        buffer.append(item)
        if len(buffer) >= chunk:
            yield from drain()
    yield from drain()


@exclusive("ctkg ingest")  # never two writers at once (ctkg refresh holds it too)
def ingest(sources: Iterable[Source], writer,
           on_item: Callable[[GraphBatch | Failure | RawArticle], None] = lambda _: None,
           source: str | None = None, chunk: int = CHUNK, workers: int = 1,
           writers: int = WRITERS, facts: int = FACTS) -> Outcome:
    """Write every article, `chunk` articles per transaction (fewer when they hold `facts`
    nodes and relationships before that); record the run as an IngestRun node. Extraction
    runs in `workers` processes (see extract_all; 0: one per core less SPARE). Writing runs
    in `writers` threads, a transaction each, while this thread reads and prepares the next
    chunk; chunks are accounted for in input order. A chunk that replaces earlier readings
    (an edited article, or one read by another extractor version: its retraction decides what
    only the old reading supported) is written alone, with no other transaction in flight. A
    chunk that fails is written again article by article, so that only the bad article is
    kept aside (with its reason) and the others are stored."""
    from ctkg.graph.writer import now_iso

    started = now_iso()
    outcome = Outcome()
    pending: list[GraphBatch] = []
    # chunks written now, oldest first: (their write, their batches, their articles' keys,
    # whether they are written alone)
    in_flight: deque[tuple[Future, list[GraphBatch], set[str], bool]] = deque()
    run_id: str | None = None

    def fail(failure: Failure) -> None:
        outcome.failures.append(failure)
        log.debug("skipped %s: %s", failure.item, failure.reason)
        on_item(failure)

    def one_by_one(batches: list[GraphBatch]) -> list[GraphBatch]:
        written = []
        for batch in batches:
            try:
                outcome.counters.update(writer.write(batch))
                written.append(batch)
            except (CtkgError, ValueError, neo4j.exceptions.Neo4jError) as exc:
                if stops_the_run(exc):
                    raise
                fail(Failure(batch.article.locator, _reason(exc)))
        return written

    def account(written: list[GraphBatch]) -> None:
        outcome.batches += len(written)
        for batch in written:
            on_item(batch)

    def settle(keep: int = 0) -> None:
        """Wait for the oldest chunks in flight until `keep` are left, and account for them."""
        while len(in_flight) > keep:
            settle_oldest()

    def settle_oldest() -> None:
        future, batches, _, _ = in_flight.popleft()
        try:
            outcome.counters.update(future.result())
            account(batches)
        except (CtkgError, ValueError, neo4j.exceptions.Neo4jError) as exc:
            if stops_the_run(exc):
                raise  # the database failed, not an article: trying each one cannot help
            account(one_by_one(batches))

    def flush(write: ThreadPoolExecutor) -> None:
        batches = list(pending)
        pending.clear()
        try:
            prepared = writer.prepare(batches)
        except (CtkgError, ValueError):
            settle()  # a batch the schema refuses: the chunk goes one article at a time
            account(one_by_one(batches))
            return
        keys, alone = article_keys(batches), False
        if writers > 1:
            if any(a or k & keys for _, _, k, a in in_flight):
                settle()  # after a chunk written alone, or one that shares an article
            alone = writer.replaces_earlier(prepared)
            if alone:
                settle()
        settle(writers - 1)
        in_flight.append((write.submit(writer.write_prepared, prepared), batches, keys, alone))

    def full() -> bool:
        return len(pending) >= chunk or \
            sum(len(b.nodes) + len(b.edges) for b in pending) >= facts

    def unchanged(article: RawArticle) -> None:
        outcome.unchanged += 1
        outcome.batches += 1
        on_item(article)

    try:
        run_id = writer.open_run(started, source)  # unfinished until the end: a killed run shows
        with ThreadPoolExecutor(writers, thread_name_prefix="ctkg-writer") as write, \
                streaming_collector():
            try:
                fresh = skip_stored(read_all(sources), writer, max(chunk, LOOKUP), unchanged)
                for result in extract_all(fresh, workers=workers, spare=SPARE):
                    if isinstance(result, Failure):
                        fail(result)
                        continue
                    pending.append(result)
                    if full():
                        flush(write)
                if pending:
                    flush(write)
                settle()
            finally:
                for future, *_ in in_flight:  # an error on the way: let the writes end
                    future.exception()
    except (neo4j.exceptions.Neo4jError, neo4j.exceptions.DriverError) as exc:
        if not stops_the_run(exc):
            raise
        unrecorded = (record_run(writer, run_id, outcome, describe(exc)) if run_id
                      else "the database refused to start it")
        raise IngestStopped(exc, outcome, unrecorded) from None
    if sum(outcome.counters.values()) or outcome.failures:
        record_run(writer, run_id, outcome)
    else:
        # A run that changed and refused nothing leaves no trace, so that a repeated
        # ingest leaves the graph exactly as it was.
        writer.drop_run(run_id)
    return outcome


def article_keys(batches: list[GraphBatch]) -> set[str]:
    """What two chunks written at once must not share: their articles' ids and locators
    (one could be an earlier reading of the other)."""
    return {key for b in batches if b.article is not None
            for key in (b.article.id, b.article.locator)}


def _reason(exc: Exception) -> str:
    if isinstance(exc, neo4j.exceptions.Neo4jError):
        return f"Neo4j refused it: {exc.message or exc.code}"
    if isinstance(exc, ValueError) and not isinstance(exc, CtkgError):
        return f"invalid extraction: {exc}"  # a batch the schema refuses
    return str(exc)


def record_run(writer, run_id: str, outcome: Outcome, stopped: str | None = None) -> str | None:
    """Finish the run's IngestRun node; None, or why it could not be written (the database
    that stopped the run may refuse this too)."""
    failed = [json.dumps(f.as_dict(), ensure_ascii=False) for f in outcome.failures]
    try:
        writer.close_run(run_id, outcome.batches, failed,
                         "finished" if stopped is None else f"stopped: {stopped}")
    except (neo4j.exceptions.Neo4jError, neo4j.exceptions.DriverError) as exc:
        if stopped is None:
            raise
        return describe(exc) or str(exc)
    return None


class IngestStopped(CtkgError):
    """The database failed during a run (a full disk, no database, no connection): the run
    stopped at once. `outcome` is what it did before; `unrecorded` says why its IngestRun
    could not be finished, when it could not."""

    def __init__(self, cause: Exception, outcome: Outcome, unrecorded: str | None) -> None:
        self.outcome, self.unrecorded = outcome, unrecorded
        super().__init__(f"ingest stopped: {describe(cause)}")
