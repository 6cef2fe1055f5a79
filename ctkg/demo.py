"""`make demo`: ingest the shipped example articles and answer the headline questions."""
from __future__ import annotations

import sys
from pathlib import Path

import click

from ctkg.config import Settings
from ctkg.output import render

HEADLINE_QUERIES = ("cells-directed-from-abroad", "cells-by-organisation", "agency-scorecard",
                    "multi-source-incidents")


def run_demo(settings: Settings, folders: list[Path]) -> None:
    from ctkg.db import open_driver
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
        for query_id in HEADLINE_QUERIES:
            query = get_query(query_id)
            result = run_query(driver, query, {}, database=settings.database)
            click.echo(f"\n== {query.title} (ctkg query run {query_id})")
            click.echo(render(result.rows, result.columns, "table"))
    sys.stdout.flush()
