"""Finding a name written in the other script (`ctkg search`, library parameters), against the
real Neo4j: an Arabic dev article naming إياد أغ غالي and an English one naming Iyad Ag Ghaly
and Amadou Koufa, extracted and written as `ctkg ingest` does."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

import ctkg.cli
from ctkg.graph.ids import make_id
from ctkg.queries.search import UnknownName, resolve, search
from tests.ingested import ingest_fresh

ctkg.cli._register()
DEVSET = Path(__file__).resolve().parent.parent / "devset"
ARABIC_IYAD = make_id("person", "إياد أغ غالي")


@pytest.fixture(scope="module")
def graph(session_driver):
    outcome = ingest_fresh(session_driver, [str(DEVSET / "ar" / "ar-011.txt"),
                                            str(DEVSET / "en" / "en-006.txt")])
    assert outcome.batches == 2
    session_driver.execute_query("CALL db.awaitIndexes(60)")
    persons = {r["id"] for r in session_driver.execute_query(
        "MATCH (p:Person) RETURN p.id AS id").records}
    assert {ARABIC_IYAD, "person:iyad-ag-ghaly", "person:amadou-koufa"} <= persons
    return session_driver


def hits(driver, text, **kw):
    return {h.id: h for h in search(driver, text, **kw)}


def test_a_latin_name_finds_the_person_known_only_in_arabic(graph):
    found = hits(graph, "Iyad Ag Ghaly", labels=["Person"])
    assert found["person:iyad-ag-ghaly"].match == "exact"
    assert found[ARABIC_IYAD].match == "translit"
    assert found[ARABIC_IYAD].score >= 0.9
    # another Latin spelling finds both
    other = hits(graph, "Iyad ag Ghali", labels=["Person"])
    assert ARABIC_IYAD in other and other[ARABIC_IYAD].match == "translit"


def test_an_arabic_name_finds_the_person_known_only_in_latin_letters(graph):
    found = hits(graph, "أمادو كوفا")
    assert found["person:amadou-koufa"].match == "translit"
    assert ARABIC_IYAD not in found and "person:iyad-ag-ghaly" not in found


def test_a_different_name_is_no_transliteration(graph):
    found = hits(graph, "Iyad Ag Ghaly", labels=["Person"])
    assert "person:amadou-koufa" not in found
    assert [h for h in search(graph, "Mohamed Amine", labels=["Person"])
            if h.match == "translit"] == []


def test_exact_matches_come_before_transliterations(graph):
    order = [h.match for h in search(graph, "إياد أغ غالي", labels=["Person"])]
    assert order[:2] == ["exact", "translit"]


def test_a_parameter_resolves_through_the_other_script_when_only_one_reads_alike(graph):
    assert resolve(graph, "أمادو كوفا", ("Person",)) == "person:amadou-koufa"
    with pytest.raises(UnknownName):
        resolve(graph, "Moussa Ag Assarid", ("Person",))


def test_ctkg_search_prints_the_transliterated_hit(graph, settings, monkeypatch, tmp_path):
    for key, value in {"NEO4J_URI": settings.uri, "NEO4J_USER": settings.user,
                       "NEO4J_PASSWORD": settings.password,
                       "CTKG_CONFIG": str(tmp_path / "none.toml")}.items():
        monkeypatch.setenv(key, value)
    result = CliRunner().invoke(ctkg.cli.cli, ["search", "Iyad Ag Ghaly", "--format", "json"])
    assert result.exit_code == 0, result.output
    rows = {r["id"]: r for r in json.loads(result.output)}
    assert rows[ARABIC_IYAD]["match"] == "translit"
    assert rows[ARABIC_IYAD]["name"] == "إياد أغ غالي"
