"""Ingest with two write transactions in flight: the same graph as with one, and a chunk that
replaces an earlier reading (whose retraction decides what only that reading supported) or
shares an article with a chunk in flight is never written beside another."""
from __future__ import annotations

import threading
import time

import ctkg.ingest as ingest_module
from ctkg.corpus import generate
from ctkg.graph.writer import GraphWriter
from ctkg.ingest import extract_all

from tests.graph.batches import cell_batch, graph_state

CLOCK = ("first_seen", "last_seen", "ingested_at")  # the time of the chunk that wrote it


def state(driver) -> tuple[list, list]:
    """The whole graph (graph_state) without the clock."""
    nodes, rels = graph_state(driver)
    for item in nodes + rels:
        item["props"] = {k: v for k, v in item["props"].items() if k not in CLOCK}
    return nodes, rels


class Recording:
    """A GraphWriter whose writes take a little longer, noting when each starts and ends and
    which articles it holds (so that two chunks overlap when the ingest lets them)."""

    def __init__(self, writer: GraphWriter, pause: float = 0.3) -> None:
        self.writer, self.pause = writer, pause
        self.lock = threading.Lock()
        self.writes: list[tuple[float, float, set[str]]] = []

    def __getattr__(self, name):
        return getattr(self.writer, name)

    def write_prepared(self, prepared, now=None):
        started = time.monotonic()
        time.sleep(self.pause)
        counters = self.writer.write_prepared(prepared, now)
        with self.lock:
            self.writes.append((started, time.monotonic(),
                                {b.article.locator for b in prepared.batches}))
        return counters

    def beside(self, locator: str, nth: int = 0) -> list[set[str]]:
        """The writes that overlapped in time the `nth` one holding `locator`."""
        mine = sorted(w for w in self.writes if locator in w[2])[nth]
        return [w[2] for w in self.writes if w is not mine and w[0] < mine[1] and mine[0] < w[1]]

    def overlapped(self) -> bool:
        spans = sorted(w[:2] for w in self.writes)
        return any(b[0] < a[1] for a, b in zip(spans, spans[1:]))


def test_two_writers_write_the_same_graph_as_one(driver):
    # Synthetic articles share organisations, agencies and regions from chunk to chunk: the
    # aliases, sources, disputed values and the regions' counts (kept by difference) must come
    # out the same when two transactions write them at once.
    batches = list(extract_all(generate(80, seed=5), workers=1))
    writer = GraphWriter(driver)
    writer.ensure_schema()
    recording = Recording(writer, pause=0.05)
    ingest_module.ingest(batches, recording, chunk=4, writers=2)
    assert recording.overlapped()
    two = state(driver)
    with driver.session() as session:  # IN TRANSACTIONS needs an auto-commit transaction
        session.run("MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS").consume()
    ingest_module.ingest(batches, writer, chunk=4, writers=1)
    one = state(driver)
    assert len(one[0]) > 300 and len(one[1]) > 1000
    assert two == one


def test_a_chunk_that_replaces_an_earlier_reading_is_written_alone(driver):
    writer = GraphWriter(driver)
    writer.ensure_schema()
    ingest_module.ingest([cell_batch(n) for n in (1, 2, 3)], writer)
    edited = cell_batch(2, cell="2b")  # the same locator, another text
    recording = Recording(writer)
    batches = [cell_batch(n) for n in (4, 5, 6, 7)] + [edited] + \
        [cell_batch(n) for n in (8, 9, 10, 11)]
    outcome = ingest_module.ingest(batches, recording, chunk=1, writers=2)
    assert outcome.batches == 9 and not outcome.failures
    assert recording.overlapped()  # the others were written two at a time
    assert recording.beside("in/2.txt") == []
    cells = driver.execute_query("MATCH (c:Cell) RETURN c.id AS id ORDER BY id").records
    assert "cell:c2" not in [c["id"] for c in cells]  # only the old reading stated it
    assert "cell:c2b" in [c["id"] for c in cells]


def test_chunks_that_share_an_article_are_not_written_at_once(driver):
    # The same locator twice in one input: the second is an edit of the first, so it waits
    # for the first to be written, then replaces it alone.
    writer = GraphWriter(driver)
    writer.ensure_schema()
    recording = Recording(writer)
    batches = [cell_batch(1), cell_batch(2), cell_batch(3),
               cell_batch(1, cell="1b"), cell_batch(4), cell_batch(5)]
    outcome = ingest_module.ingest(batches, recording, chunk=1, writers=2)
    assert outcome.batches == 6 and not outcome.failures
    assert recording.overlapped()
    assert all("in/1.txt" not in w for w in recording.beside("in/1.txt", 0))
    assert recording.beside("in/1.txt", 1) == []
    ids = [r["id"] for r in driver.execute_query(
        "MATCH (c:Cell) RETURN c.id AS id ORDER BY id").records]
    assert ids == ["cell:c1b", "cell:c2", "cell:c3", "cell:c4", "cell:c5"]
