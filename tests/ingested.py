"""A database holding just the articles a test module reads."""
from __future__ import annotations

from ctkg.graph.writer import GraphWriter
from ctkg.ingest import Outcome, ingest


def ingest_fresh(driver, paths: list[str]) -> Outcome:
    """Empty the database, put the schema in place and ingest `paths`; none may fail."""
    with driver.session() as session:
        session.run("MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS").consume()
    writer = GraphWriter(driver)
    writer.ensure_schema()
    outcome = ingest(paths, writer)
    assert outcome.batches and not outcome.failures, outcome.failures
    return outcome
