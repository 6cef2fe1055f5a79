"""The scale bench's comparison writers (scripts/bench_writers.py) write exactly what ctkg's
writer writes: the same number of nodes and relationships, so that created/s compare."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

from ctkg.corpus import generate
from ctkg.ingest import extract_one

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))
from bench_writers import (created, drop, full_content, naive_merge, plain_create,  # noqa: E402
                           prepare)


@pytest.fixture
def batches():
    return [extract_one(a) for a in generate(12, seed=3)]


def graph_counts(driver, prefix: str = "") -> tuple[int, int]:
    """Nodes and relationships under the given label prefix (none: ctkg's own labels)."""
    labels = [f"{prefix}{label}" for label in ("Article", "Evidence", "Cell", "Organisation",
                                               "Agency", "Person", "Region", "Statement",
                                               "Incident", "WeaponsCache")]
    nodes = sum(driver.execute_query(f"MATCH (n:{label}) RETURN count(n) AS n").records[0]["n"]
                for label in labels)
    rels = driver.execute_query(
        "MATCH (a)-[r]->() WHERE any(l IN labels(a) WHERE l IN $labels) RETURN count(r) AS n",
        labels=labels).records[0]["n"]
    return nodes, rels


def test_plain_create_writes_what_ctkg_writes(writer, driver, batches):
    made = created(writer.write_many(batches))
    content = full_content(batches)
    assert content.size() == made
    ctkg_graph = graph_counts(driver)
    prepare(driver, "BenchPlain")
    try:
        _, count = plain_create(driver, content, "BenchPlain")
        assert count == made
        assert graph_counts(driver, "BenchPlain") == ctkg_graph
    finally:
        drop(driver, "BenchPlain")
    assert graph_counts(driver, "BenchPlain") == (0, 0)


def test_naive_merge_writes_the_same_graph(writer, driver, batches):
    writer.write_many(batches)
    prepare(driver, "BenchNaive")
    try:
        naive_merge(driver, batches, "BenchNaive")
        assert graph_counts(driver, "BenchNaive") == graph_counts(driver)
    finally:
        drop(driver, "BenchNaive")
