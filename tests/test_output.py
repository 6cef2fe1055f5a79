"""ctkg.output: the table/json/jsonl/csv/excel renderer and its --columns/--wide options."""
from __future__ import annotations

import csv
import io
import json

import click
import pytest
from click.testing import CliRunner

from ctkg.errors import CtkgError
from ctkg.output import (display_width, emit, escape_controls, fit, format_option,
                         neutralise_formula, render, truncate)

ARABIC = "خَلِيَّة إرهابية مُوَالِيَة لتنظيم داعش"  # diacritics take no terminal cell
ROWS = [
    {"name": ARABIC, "id": "cell:1", "members": ["أحمد", "Omar"], "note": "=HYPERLINK(\"x\")",
     "n": -5},
    {"name": "Tangier cell", "id": "cell:2", "members": [], "note": "\x1b[31mred\x1b[0m", "n": 3},
]
COLUMNS = ["name", "id", "members", "note", "n"]


@click.command()
@format_option()
def show(fmt):
    emit(ROWS, COLUMNS, fmt)


def invoke(*args, columns: int | None = None):
    env = {"COLUMNS": str(columns)} if columns else {"COLUMNS": None}
    result = CliRunner().invoke(show, list(args), env=env)
    return result


def widths(text: str) -> list[int]:
    return [display_width(line) for line in text.splitlines()]


def test_display_width_counts_terminal_cells():
    assert len(ARABIC) > display_width(ARABIC) == len("خلية إرهابية موالية لتنظيم داعش")
    assert display_width("日本") == 4


def test_truncate_keeps_marks_with_their_letter_and_ends_with_an_ellipsis():
    cut = truncate(ARABIC, 6)
    assert cut.endswith("…") and display_width(cut) <= 6
    assert cut.startswith("خَلِيَّة"[:4])
    assert truncate("short", 10) == "short"


def test_fit_finds_the_largest_cap():
    assert fit([10, 10], 30) is None
    cap = fit([100, 10, 50], 60)
    assert sum(min(w, cap) for w in [100, 10, 50]) + 4 <= 60
    assert sum(min(w, cap + 1) for w in [100, 10, 50]) + 4 > 60
    assert fit([100, 100, 100], 10) == 6  # never below the minimum


def test_a_table_fits_the_terminal_and_wide_keeps_it_whole():
    full = invoke("--wide", columns=40)
    assert full.exit_code == 0, full.output
    assert max(widths(full.stdout)) > 40 and "=HYPERLINK" in full.stdout
    cut = invoke(columns=40)
    assert cut.exit_code == 0, cut.output
    assert max(widths(cut.stdout)) <= 40 and "…" in cut.stdout
    # not a terminal and no COLUMNS: whole cells, for pipes
    assert invoke().stdout == full.stdout


def test_arabic_rows_line_up_on_display_width():
    text = invoke("--wide", "--columns", "name,id").stdout
    lines = text.splitlines()
    ids = [line.rindex("cell:") for line in lines[2:]]
    positions = {display_width(line[:i]) for line, i in zip(lines[2:], ids)}
    assert len(positions) == 1, text


def test_control_characters_show_escaped_in_tables():
    text = invoke("--wide").stdout
    assert "\x1b" not in text and "\\x1b[31mred\\x1b[0m" in text
    assert escape_controls("a\nb\u202ec\u200fd") == "a\\nb\\u202ec\u200fd"  # RLM stays


def test_columns_pick_and_order():
    rows = json.loads(invoke("--format", "json", "--columns", "id, name").stdout)
    assert [list(r) for r in rows] == [["id", "name"], ["id", "name"]]
    bad = invoke("--columns", "id,nope")
    assert bad.exit_code != 0 and isinstance(bad.exception, CtkgError)
    assert "no column 'nope'" in str(bad.exception)


def test_csv_neutralises_formulas_but_not_numbers():
    rows = list(csv.DictReader(io.StringIO(invoke("--format", "csv").stdout)))
    assert rows[0]["note"] == "'=HYPERLINK(\"x\")" and rows[0]["n"] == "-5"
    assert json.loads(rows[0]["members"]) == ["أحمد", "Omar"]
    assert [neutralise_formula(v) for v in ("+1", "-2.5e3", "@SUM(A1)", "-x", "\t=1", "a=b")] == \
        ["+1", "-2.5e3", "'@SUM(A1)", "'-x", "'\t=1", "a=b"]


def test_excel_csv_has_a_bom_crlf_and_joined_lists():
    raw = invoke("--format", "excel").stdout_bytes
    assert raw.startswith("\ufeff".encode()) and b"\r\n" in raw and b"\n\n" not in raw
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    assert rows[0]["members"] == "أحمد; Omar" and rows[1]["members"] == ""
    assert rows[0]["note"].startswith("'=")


def test_render_without_a_click_context_is_whole():
    assert render(ROWS, ["id"], "table") == "id\n------\ncell:1\ncell:2"
    with pytest.raises(CtkgError):
        with click.Context(show) as ctx:
            ctx.meta["ctkg.output.columns"] = "zzz"
            emit(ROWS, COLUMNS, "json")


def test_quiet_silences_the_drivers_retry_warnings():
    import logging

    import ctkg.cli

    ctkg.cli._register()
    session_log = logging.getLogger("neo4j.session")  # "Transaction failed and will be retried"
    for args, level in ((["-q"], logging.ERROR), ([], logging.WARNING)):
        result = CliRunner().invoke(ctkg.cli.cli, [*args, "query", "list", "--format", "json"])
        assert result.exit_code == 0, result.output
        assert session_log.getEffectiveLevel() == level
        assert session_log.isEnabledFor(logging.WARNING) is (level == logging.WARNING)
