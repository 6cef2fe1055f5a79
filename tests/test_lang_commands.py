"""`--lang ar|fr|en` on `ctkg search`, `ctkg analyze` and `ctkg report`: the same rule as
`ctkg query run --lang` (ctkg/display.py), against the real Neo4j holding the shipped examples
(the Tangier story in Arabic, French and English, and an Arabic seed article)."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

import ctkg.cli
from ctkg.display import in_script
from tests.ingested import ingest_fresh
from tests.queries.test_report import Page

ctkg.cli._register()
EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
TANGIER = {"ar": "تفكيك خلية (طنجة، 2026-03-10)",
           "fr": "démantèlement cellule (Tanger, 2026-03-10)",
           "en": "dismantlement cell (Tanger, 2026-03-10)"}
IS = {"ar": "الدولة الإسلامية", "fr": "État islamique", "en": "Islamic State"}


@pytest.fixture(scope="module")
def demo(session_driver):
    ingest_fresh(session_driver, [str(EXAMPLES)])
    return session_driver


def invoke(*args: str):
    result = CliRunner().invoke(ctkg.cli.cli, ["-q", *args])
    assert result.exit_code == 0, result.output
    return result.output


def run(*args: str) -> list[dict]:
    return json.loads(invoke(*args, "--format", "json"))


@pytest.mark.parametrize("lang", ["ar", "fr", "en"])
def test_search_shows_each_hit_in_the_language(demo, cli_env, lang):
    default = run("search", "داعش")
    shown = run("search", "داعش", "--lang", lang)
    assert [(h["id"], h["score"], h["match"]) for h in shown] == \
        [(h["id"], h["score"], h["match"]) for h in default]
    assert {h["id"]: h["name"] for h in shown}["org:islamic-state"] == IS[lang]


def test_search_in_french_shows_a_place_and_an_agency_in_french(demo, cli_env):
    hits = run("search", "طنجة", "--lang", "fr")
    assert hits[0]["label"] == "Region" and hits[0]["name"] == "Tanger"
    assert "cellule (Tanger, 2026-03-10)" in {h["name"] for h in hits}
    arabic = {h["id"]: h["name"] for h in run("search", "BCIJ", "--lang", "ar")}
    assert arabic["agency:bcij-ma"] == "المكتب المركزي للأبحاث القضائية"


@pytest.mark.parametrize("lang", ["ar", "fr", "en"])
def test_analyze_shows_names_in_the_language_and_leaves_the_figures(demo, cli_env, lang):
    default = run("analyze", "--top", "50")
    shown = run("analyze", "--top", "50", "--lang", lang)
    strip = lambda rows: [{k: v for k, v in r.items() if k != "name"} for r in rows]  # noqa: E731
    assert strip(shown) == strip(default) and len(shown) > 10
    names = {(r["metric"], r["id"]): r["name"] for r in shown if r.get("id")}
    assert names[("organisations", "org:islamic-state")] == IS[lang]
    cells = [r["name"] for r in shown if r.get("label") == "Cell"]
    assert TANGIER[lang].split(" ", 1)[1] in cells


def test_analyze_table_in_arabic(demo, cli_env):
    table = invoke("analyze", "--top", "5", "--lang", "ar", "--wide")
    assert "الدولة الإسلامية" in table and "Islamic State" not in table


@pytest.mark.parametrize("lang", ["ar", "fr", "en"])
def test_report_names_in_the_language(demo, cli_env, tmp_path, lang):
    out = tmp_path / "brief.html"
    invoke("report", "-o", str(out), "--lang", lang)
    page = Page()
    page.feed(out.read_text(encoding="utf-8"))
    timeline = {row[2] for row in page.sections["Timeline of incidents"]}
    assert TANGIER[lang] in timeline
    orgs = {row[1]: row[0] for row in page.sections["Top organisations (cells linked)"]}
    assert orgs["org:islamic-state"] == IS[lang]
    places = [p for row in page.sections["Timeline of incidents"] for p in row[3].split(", ")
              if p]
    assert places and all(in_script(p, lang) for p in places), places
    assert page.loads == []


def test_report_without_lang_is_unchanged_by_the_option(demo, cli_env, tmp_path):
    invoke("report", "-o", str(tmp_path / "a.html"))
    page = Page()
    page.feed((tmp_path / "a.html").read_text(encoding="utf-8"))
    assert page.points and all(p.startswith("region:") for p in page.points)


def test_an_unknown_language_is_one_line(demo, cli_env):
    for args in (["search", "x"], ["analyze"], ["report", "-o", "-"]):
        result = CliRunner().invoke(ctkg.cli.cli, [*args, "--lang", "de"])
        assert result.exit_code == 2 and "'de' is not one of 'ar', 'fr', 'en'" in result.output
