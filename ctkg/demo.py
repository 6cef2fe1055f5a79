"""`make demo`: ingest the shipped example articles, resolve what several reports say of one
thing, and answer the headline questions."""
from __future__ import annotations

import sys
from pathlib import Path

import click

from ctkg.config import Settings
from ctkg.output import render

# (query id, its parameters as given on the command line)
HEADLINE_QUERIES = (("cells-directed-from-abroad", {}), ("cells-by-organisation", {}),
                    ("agency-scorecard", {}), ("multi-source-incidents", {}),
                    ("incident-reports", {"min_articles": "2"}))

COUNTS = """
RETURN COUNT { MATCH (:Incident) } AS incidents, COUNT { MATCH (:Cell) } AS cells,
       COUNT { MATCH (:Person) } AS persons
"""


def run_demo(settings: Settings, folders: list[Path]) -> None:
    from ctkg.db import open_driver
    from ctkg.graph.resolve import Resolver
    from ctkg.graph.writer import GraphWriter
    from ctkg.ingest import Failure, ingest
    from ctkg.queries.library import get_query
    from ctkg.queries.runner import run_query

    with open_driver(settings) as driver:
        writer = GraphWriter(driver, database=settings.database)
        writer.ensure_schema()
        paths = [str(f) for f in folders if f.exists()]
        outcome = ingest(paths, writer, lambda r: isinstance(r, Failure) and click.echo(
            f"skipped {r.item}: {r.reason}", err=True), source="demo")
        changes = ", ".join(f"{k}={v}" for k, v in sorted(outcome.counters.items()) if v)
        click.echo(f"ingested {outcome.batches} example article(s) from "
                   f"{', '.join(paths)}; {changes or 'no changes (already ingested)'}")
        merged = Resolver(driver, settings.database).run()
        counts = driver.execute_query(COUNTS, database_=settings.database)[0][0].data()
        click.echo(f"resolved: {len(merged)} automatic merge(s) recorded "
                   f"(ctkg resolve decisions; ctkg resolve list for the pairs left to review); "
                   + ", ".join(f"{n} {what}" for what, n in counts.items()))
        for query_id, params in HEADLINE_QUERIES:
            query = get_query(query_id)
            result = run_query(driver, query, params, database=settings.database)
            click.echo(f"\n== {query.title} (ctkg query run {query_id}"
                       + "".join(f" -p {k}={v}" for k, v in params.items()) + ")")
            click.echo(render(result.rows, result.columns, "table"))
    sys.stdout.flush()
