"""Ingest writes articles in chunks; a chunk that Neo4j refuses is written again article by
article, so that only the bad article is set aside, with its reason."""
from __future__ import annotations

import ctkg.ingest as ingest_module
from ctkg.graph.writer import GraphWriter

from tests.graph.batches import cell_batch


def good(n: int):
    return cell_batch(n)


def bad():
    batch = good(99)
    batch.nodes[0].props["members"] = {"not": "a property value"}  # Neo4j refuses maps
    return batch


def test_a_refused_article_is_set_aside_and_the_chunk_goes_on(driver, monkeypatch):
    batches = [good(1), bad(), good(2)]
    monkeypatch.setattr(ingest_module, "extract_all", lambda paths, **_: iter(batches))
    writer = GraphWriter(driver)
    writer.ensure_schema()
    seen = []
    outcome = ingest_module.ingest(["ignored"], writer, seen.append, chunk=10)
    assert outcome.batches == 2
    assert [(f.item, f.reason.split(":")[0]) for f in outcome.failures] == [
        ("in/99.txt", "Neo4j refused it")]
    cells = driver.execute_query("MATCH (c:Cell) RETURN c.id AS id ORDER BY id").records
    assert [c["id"] for c in cells] == ["cell:c1", "cell:c2"]
    assert len(seen) == 3  # progress hears of every item, written or not
    run = driver.execute_query("MATCH (r:IngestRun) RETURN r.articles AS n, r.failed AS f")
    assert run.records[0]["n"] == 2 and "in/99.txt" in run.records[0]["f"][0]


def test_chunks_write_the_same_graph_as_single_articles(driver, monkeypatch):
    batches = [good(n) for n in range(1, 6)]
    monkeypatch.setattr(ingest_module, "extract_all", lambda paths, **_: iter(batches))
    writer = GraphWriter(driver)
    writer.ensure_schema()
    chunked = ingest_module.ingest(["ignored"], writer, chunk=2)
    shape = driver.execute_query(
        "MATCH (n) WHERE NOT n:IngestRun RETURN labels(n)[0] AS l, count(*) AS c ORDER BY l"
    ).records
    driver.execute_query("MATCH (n) DETACH DELETE n")
    one_by_one = ingest_module.ingest(["ignored"], writer, chunk=1)
    again = driver.execute_query(
        "MATCH (n) WHERE NOT n:IngestRun RETURN labels(n)[0] AS l, count(*) AS c ORDER BY l"
    ).records
    assert [tuple(r) for r in shape] == [tuple(r) for r in again]
    # (properties_set differs with the clock: last_seen is refreshed when a second passed)
    structural = ("nodes_created", "relationships_created", "labels_added")
    assert [chunked.counters[k] for k in structural] == \
        [one_by_one.counters[k] for k in structural]


def test_a_batch_the_schema_refuses_is_set_aside_before_any_write(driver, monkeypatch):
    # The rows of a chunk are prepared (and checked) while the chunk before is written: a
    # batch the schema refuses sends only its own chunk article by article, and the chunks
    # around it are written whole.
    refused = good(7)
    refused.nodes[0].label = "Weapon"  # no such label in the schema
    batches = [good(1), good(2), good(3), refused, good(4), good(5)]
    monkeypatch.setattr(ingest_module, "extract_all", lambda paths, **_: iter(batches))
    writer = GraphWriter(driver)
    writer.ensure_schema()
    seen = []
    outcome = ingest_module.ingest(["ignored"], writer, seen.append, chunk=2)
    assert outcome.batches == 5 and len(seen) == 6
    assert [f.item for f in outcome.failures] == ["in/7.txt"]
    assert "invalid extraction" in outcome.failures[0].reason
    cells = driver.execute_query("MATCH (c:Cell) RETURN c.id AS id ORDER BY id").records
    assert [c["id"] for c in cells] == [f"cell:c{n}" for n in (1, 2, 3, 4, 5)]


def test_a_chunk_ends_at_its_facts_budget_before_its_article_count(driver, monkeypatch):
    # Each batch holds 3 facts (a cell, an agency, DISMANTLED_BY): a budget of 7 ends a chunk
    # at its third article, before the 10 articles a chunk may hold.
    batches = [good(n) for n in range(1, 8)]
    monkeypatch.setattr(ingest_module, "extract_all", lambda paths, **_: iter(batches))
    writer = GraphWriter(driver)
    writer.ensure_schema()
    chunks = []
    real = writer.write_prepared
    monkeypatch.setattr(writer, "write_prepared", lambda prepared, now=None: (
        chunks.append([b.article.locator for b in prepared.batches]), real(prepared, now))[1])
    outcome = ingest_module.ingest(["ignored"], writer, chunk=10, facts=7)
    assert [len(c) for c in chunks] == [3, 3, 1]
    assert outcome.batches == 7 and not outcome.failures
    chunks.clear()
    ingest_module.ingest(["ignored"], writer, chunk=2, facts=7)
    assert [len(c) for c in chunks] == [2, 2, 2, 1]  # the article count ends them first


def test_an_ingest_runs_with_the_streaming_collector_thresholds(driver, monkeypatch):
    import gc

    from ctkg.memory import STREAMING_THRESHOLDS

    batches = [good(n) for n in range(1, 4)]
    monkeypatch.setattr(ingest_module, "extract_all", lambda paths, **_: iter(batches))
    before = gc.get_threshold()
    during = []
    outcome = ingest_module.ingest(["ignored"], GraphWriter(driver),
                                   lambda _: during.append(gc.get_threshold()), chunk=2)
    assert outcome.batches == 3
    assert set(during) == {(*STREAMING_THRESHOLDS, before[2])}
    assert gc.get_threshold() == before
