"""Finding entities by name (`ctkg search`, and names given to library query parameters),
against the real Neo4j: the shipped examples ingested as `ctkg demo` does, and the query
tests' small world (two places called Gao)."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

import ctkg.cli
from ctkg.queries.search import AmbiguousName, UnknownName, escape, resolve, search
from tests.ingested import ingest_fresh
from tests.queries import world

ctkg.cli._register()
EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
_loaded: dict[str, str] = {}


def _load(driver, name: str) -> None:
    """Fill the database with one of the two worlds, unless this module already did."""
    if _loaded.get("world") == name:
        return
    if name == "demo":
        ingest_fresh(driver, [str(EXAMPLES)])
    else:
        with driver.session() as session:
            session.run("MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS").consume()
        world.build(driver)
    driver.execute_query("CALL db.awaitIndexes(60)")
    _loaded["world"] = name


@pytest.fixture(scope="module", autouse=True)
def _forget(session_driver):
    yield
    _loaded.clear()  # other modules empty the database


@pytest.fixture
def demo(session_driver):
    _load(session_driver, "demo")
    return session_driver


@pytest.fixture
def small_world(session_driver):
    _load(session_driver, "world")
    return session_driver


@pytest.fixture
def cli_env(settings, monkeypatch, tmp_path):
    values = {"NEO4J_URI": settings.uri, "NEO4J_USER": settings.user,
              "NEO4J_PASSWORD": settings.password, "CTKG_CONFIG": str(tmp_path / "none.toml")}
    for key, value in values.items():
        monkeypatch.setenv(key, value)
    monkeypatch.delenv("NEO4J_DATABASE", raising=False)
    return {**os.environ, **values}


def invoke(*args: str):
    return CliRunner().invoke(ctkg.cli.cli, list(args))


def ctkg_process(env, *args: str) -> subprocess.CompletedProcess:
    """The real command line: exit code and the `error:` line as a user sees them."""
    return subprocess.run([sys.executable, "-m", "ctkg", *args], capture_output=True,
                          text=True, env=env, timeout=120)


@pytest.mark.parametrize("text", ["داعش", "الدولة الإسلامية", "Daech", "État islamique",
                                  "etat islamique", "ISIS", "Islamic State"])
def test_search_finds_the_islamic_state_in_each_script(demo, text):
    hits = search(demo, text)
    assert hits[0].id == "org:islamic-state", [h.row() for h in hits]
    assert hits[0].label == "Organisation" and hits[0].name == "Islamic State"
    assert hits[0].match in ("exact", "word")


def test_search_command_prints_label_id_name_and_score(demo, cli_env):
    result = invoke("search", "داعش", "--format", "json")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert rows[0]["label"] == "Organisation" and rows[0]["id"] == "org:islamic-state"
    assert rows[0]["name"] == "Islamic State" and rows[0]["score"] > 0
    assert set(rows[0]) == {"label", "id", "name", "score", "match"}
    table = invoke("search", "Daech").stdout
    assert "org:islamic-state" in table and "score" in table.splitlines()[0]


def test_search_by_id_and_only_some_labels(demo, cli_env):
    rows = json.loads(invoke("search", "org:islamic-state", "--format", "json").stdout)
    assert rows[0]["id"] == "org:islamic-state" and rows[0]["match"] == "id"
    rows = json.loads(invoke("search", "ISIS", "-l", "Agency", "--format", "json").stdout
                      or "[]")
    assert all(r["label"] == "Agency" for r in rows)
    bad = invoke("search", "ISIS", "-l", "Nope")
    assert bad.exit_code == 1 and "unknown label Nope" in str(bad.exception)


def test_lucene_syntax_in_the_text_is_searched_for_not_obeyed(demo, cli_env):
    assert escape('a+b:(c)~"d"') == 'a\\+b\\:\\(c\\)\\~\\"d\\"'
    hits = search(demo, 'ISIS) OR (*:*')
    assert hits and hits[0].id == "org:islamic-state"
    nothing = invoke("search", '"*?~')
    assert nothing.exit_code == 1 and "nothing to search for" in str(nothing.exception)


def test_a_misspelt_search_suggests_the_close_name(demo, cli_env):
    rows = json.loads(invoke("search", "Islamc Stat", "--format", "json").stdout)
    assert rows[0]["id"] == "org:islamic-state"


@pytest.mark.parametrize("name", ["داعش", "Daech", "ISIS", "islamic state"])
def test_a_name_parameter_is_resolved_to_the_entity(demo, cli_env, name):
    result = invoke("query", "run", "cells-by-organisation", "-p", f"organisation={name}",
                    "--format", "json")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert rows and {r["organisation_id"] for r in rows} == {"org:islamic-state"}


def test_an_id_parameter_still_works(small_world, cli_env):
    for value in ("person:abu-talha", "Abu Talha al-Sahrawi", "abu talha al sahrawi"):
        result = invoke("query", "run", "person-profile", "-p", f"person={value}",
                        "--format", "json")
        assert result.exit_code == 0, result.output
        assert {r["person_id"] for r in json.loads(result.stdout)} == {"person:abu-talha"}


def test_an_ambiguous_name_lists_the_candidates(small_world, cli_env):
    with pytest.raises(AmbiguousName) as err:
        resolve(small_world, "Gao", ("Region",), what="region")
    assert "region:gao" in str(err.value) and "region:gao-city" in str(err.value)
    done = ctkg_process(cli_env, "query", "run", "timeline", "-p", "region=Gao")
    assert done.returncode == 1 and done.stdout == ""
    assert done.stderr.startswith("error: region 'Gao' could be any of 2: ")
    assert "Gao (region:gao)" in done.stderr and "Gao (region:gao-city)" in done.stderr


def test_an_unknown_name_is_an_error_naming_the_closest(small_world, cli_env):
    with pytest.raises(UnknownName) as err:
        resolve(small_world, "Islamc Stat", ("Organisation",), what="organisation")
    assert "closest: Islamic State (org:islamic-state)" in str(err.value)
    done = ctkg_process(cli_env, "query", "run", "cells-by-organisation", "-p",
                        "organisation=org:islamic-stat")
    assert done.returncode == 1 and done.stdout == ""
    assert done.stderr.strip().splitlines()[-1] == (
        done.stderr.strip().splitlines()[0])  # one line
    assert done.stderr.startswith("error: no organisation named 'org:islamic-stat' (closest: "
                                  "Islamic State (org:islamic-state)")
    nothing = ctkg_process(cli_env, "query", "run", "cells-by-organisation", "-p",
                           "organisation=org:nope")
    assert nothing.returncode == 1 and nothing.stdout == ""
    assert nothing.stderr.startswith("error: no organisation named 'org:nope'")


def test_a_name_of_another_kind_is_not_taken(small_world, cli_env):
    """An agency's name given for an organisation is unknown there, not silently empty."""
    with pytest.raises(UnknownName):
        resolve(small_world, "BCIJ", ("Organisation",), what="organisation")
    assert resolve(small_world, "BCIJ", None) == "agency:bcij"
