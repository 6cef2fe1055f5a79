"""One output option set for every reading command.

`--format table|json|jsonl|csv|excel`, `--columns` to pick and order columns, `--wide` to keep
table cells whole. Tables fit the terminal (cells cut with "…", widths measured in terminal
cells with wcwidth, so Arabic with diacritics lines up) and show control characters escaped;
`excel` is CSV with a byte-order mark, CRLF lines and lists joined with "; ". Both CSV flavours
neutralise spreadsheet formulas (a text cell starting with =, +, -, @ gets a leading ').
Commands that print entity names add `--lang ar|fr|en` (`lang_option`, ctkg/display.py).
"""
from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import sys
from datetime import date, datetime
from typing import Any, Iterable, Sequence

import click
from wcwidth import wcswidth, wcwidth

from ctkg.errors import CtkgError

FORMATS = ("table", "json", "jsonl", "csv", "excel")
ELLIPSIS = "…"
GAP = 2           # spaces between table columns (tabulate's "simple" format)
MIN_WIDTH = 6     # a truncated column keeps at least this many terminal cells
HEADER_PADDING = 2  # tabulate's MIN_PADDING around a header
EXCEL_LIST_SEPARATOR = "; "
_META = "ctkg.output."
# C0/C1 controls and bidi embeddings/overrides/isolates: they move the cursor, colour the
# terminal or reorder the line, so a table shows them escaped.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
_FORMULA = re.compile(r"[=+\-@\t\r]")
_NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")


def _remember(ctx: click.Context, param: click.Parameter, value: Any) -> Any:
    ctx.meta[_META + param.name] = value
    return value


def format_option(default: str = "table"):
    """--format, --columns and --wide; emit() reads the last two from the click context."""
    def decorate(fn):
        fn = click.option("--wide", is_flag=True, expose_value=False, callback=_remember,
                          help="Table cells in full, however wide the table gets.")(fn)
        fn = click.option("--columns", metavar="COL,COL...", expose_value=False,
                          callback=_remember,
                          help="Only these columns, in this order (comma-separated).")(fn)
        return click.option("--format", "fmt", type=click.Choice(FORMATS), default=default,
                            show_default=True,
                            help="Output format; json/jsonl/csv pipe into other tools, excel is "
                                 "CSV for spreadsheets (BOM, lists joined with '; ').")(fn)
    return decorate


def lang_option(fn):
    """--lang ar|fr|en for commands that print entity names (ctkg.display.localise)."""
    return click.option("--lang", type=click.Choice(("ar", "fr", "en")), default=None,
                        help="Show entity names in this language where the graph has them "
                             "(name_ar/name_fr/name_en, or a name or alias in its script); "
                             "other names as stored.")(fn)


def _setting(name: str) -> Any:
    ctx = click.get_current_context(silent=True)
    return ctx.meta.get(_META + name) if ctx is not None else None


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


def _cell(value: Any, list_separator: str | None = None) -> str:
    value = _plain(value)
    if isinstance(value, list) and list_separator is not None:
        return list_separator.join(_cell(v, list_separator) for v in value)
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False)
    return "" if value is None else str(value)


def escape_controls(text: str) -> str:
    """Control and bidi-override characters as visible escapes (\\n, \\x1b, \\u202e)."""
    def visible(m: re.Match) -> str:
        c = m.group()
        return _NAMED.get(c) or (f"\\x{ord(c):02x}" if ord(c) < 0x100 else f"\\u{ord(c):04x}")
    return _CONTROL.sub(visible, text)


def neutralise_formula(text: str) -> str:
    """A spreadsheet would run a cell starting with = + - @ (or a tab/CR before one) as a
    formula: prefix it with ' unless it is a plain number."""
    if text and _FORMULA.match(text) and not _NUMBER.fullmatch(text):
        return "'" + text
    return text


def display_width(text: str) -> int:
    """Terminal cells a (control-free) string takes: combining marks 0, wide characters 2."""
    width = wcswidth(text)
    return width if width >= 0 else sum(max(wcwidth(c), 0) for c in text)


def truncate(text: str, width: int) -> str:
    """At most ``width`` terminal cells, ending with "…" when cut; a base letter keeps its
    combining marks."""
    if display_width(text) <= width:
        return text
    out, used = [], 0
    for char in text:
        w = max(wcwidth(char), 0)
        if used + w > width - 1:
            break
        out.append(char)
        used += w
    return "".join(out) + ELLIPSIS


def fit(widths: Sequence[int], total: int, gap: int = GAP, minimum: int = MIN_WIDTH) -> int | None:
    """The largest per-column cap that makes the table fit in ``total`` cells, or None when it
    fits already; never below ``minimum``."""
    def width(cap: int) -> int:
        return sum(min(w, cap) for w in widths) + gap * (len(widths) - 1)
    if not widths or width(max(widths)) <= total:
        return None
    low, high = minimum, max(widths)
    while low < high:
        mid = (low + high + 1) // 2
        low, high = (mid, high) if width(mid) <= total else (low, mid - 1)
    return low


def terminal_width() -> int | None:
    """The width to fit tables in: the terminal's, or $COLUMNS; None when output is piped."""
    if "COLUMNS" in os.environ or sys.stdout.isatty():
        return shutil.get_terminal_size().columns
    return None


def select_columns(columns: Sequence[str], wanted: str | None, strict: bool = True) -> list[str]:
    """The --columns choice against the available columns; an unknown name is one error."""
    if not wanted:
        return list(columns)
    names = [name.strip() for name in wanted.split(",") if name.strip()]
    unknown = [name for name in names if name not in columns]
    if unknown and strict:
        raise CtkgError(f"--columns: no column {unknown[0]!r} (columns: {', '.join(columns)})")
    return [name for name in names if name in columns]


def table(rows: Sequence[dict], columns: Sequence[str], width: int | None) -> str:
    from tabulate import tabulate

    if not rows:
        return "(no rows)"
    cells = [[escape_controls(_cell(r.get(c))) for c in columns] for r in rows]
    headers = [escape_controls(c) for c in columns]
    if width is not None:
        # tabulate pads a header by HEADER_PADDING cells
        natural = [max(display_width(h) + HEADER_PADDING,
                       *(display_width(row[i]) for row in cells)) for i, h in enumerate(headers)]
        cap = fit(natural, width)
        if cap is not None:
            cells = [[truncate(v, cap) for v in row] for row in cells]
            headers = [truncate(h, cap - HEADER_PADDING) for h in headers]
    return tabulate(cells, headers=headers)


def _csv(rows: Sequence[dict], columns: Sequence[str], excel: bool) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n" if excel else "\n")
    writer.writerow(columns)
    separator = EXCEL_LIST_SEPARATOR if excel else None
    writer.writerows([neutralise_formula(_cell(r.get(c), separator)) for c in columns]
                     for r in rows)
    text = buf.getvalue()
    return "\ufeff" + text if excel else text.rstrip("\n")


def render(rows: Sequence[dict], columns: Sequence[str], fmt: str, *, wide: bool = True,
           width: int | None = None) -> str:
    rows = [{c: _plain(r.get(c)) for c in columns} for r in rows]
    if fmt == "json":
        return json.dumps(rows, ensure_ascii=False, indent=2)
    if fmt == "jsonl":
        return "\n".join(json.dumps(r, ensure_ascii=False) for r in rows)
    if fmt in ("csv", "excel"):
        return _csv(rows, columns, excel=fmt == "excel")
    return table(rows, columns, None if wide else width)


def emit(rows: Iterable[dict], columns: Sequence[str], fmt: str, *, strict: bool = True) -> None:
    """Print rows in the chosen format, with the command's --columns and --wide."""
    columns = select_columns(columns, _setting("columns"), strict)
    wide = bool(_setting("wide"))
    text = render(list(rows), columns, fmt, wide=wide,
                  width=None if wide or fmt != "table" else terminal_width())
    if text:
        click.echo(text, nl=not text.endswith("\n"))
