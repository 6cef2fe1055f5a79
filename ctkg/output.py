"""One output option set for every reading command: table, json, jsonl, csv."""
from __future__ import annotations

import csv
import io
import json
from datetime import date, datetime
from typing import Any, Iterable, Sequence

import click

FORMATS = ("table", "json", "jsonl", "csv")


def format_option(default: str = "table"):
    return click.option("--format", "fmt", type=click.Choice(FORMATS), default=default,
                        show_default=True, help="Output format; json/jsonl/csv pipe into other tools.")


def _plain(value: Any) -> Any:
    """Make driver values (dates, nodes, lists) JSON-friendly."""
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set)):
        return [_plain(v) for v in value]
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if hasattr(value, "iso_format"):  # neo4j.time types
        return value.iso_format()
    if hasattr(value, "items"):  # neo4j Node/Relationship
        return {k: _plain(v) for k, v in value.items()}
    return str(value)


def _cell(value: Any) -> str:
    value = _plain(value)
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False)
    return "" if value is None else str(value)


def render(rows: Sequence[dict], columns: Sequence[str], fmt: str) -> str:
    rows = [{c: _plain(r.get(c)) for c in columns} for r in rows]
    if fmt == "json":
        return json.dumps(rows, ensure_ascii=False, indent=2)
    if fmt == "jsonl":
        return "\n".join(json.dumps(r, ensure_ascii=False) for r in rows)
    if fmt == "csv":
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows([_cell(r[c]) for c in columns] for r in rows)
        return buf.getvalue().rstrip("\n")
    from tabulate import tabulate

    if not rows:
        return "(no rows)"
    return tabulate([[_cell(r[c]) for c in columns] for r in rows], headers=list(columns))


def emit(rows: Iterable[dict], columns: Sequence[str], fmt: str) -> None:
    text = render(list(rows), columns, fmt)
    if text:
        click.echo(text)
