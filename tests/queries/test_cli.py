"""`ctkg query list|show|run` and `ctkg cypher` through click, against the fixture world."""
from __future__ import annotations

import csv
import io
import json
import sys

import click
import pytest
from click.testing import CliRunner

import ctkg.cli
from ctkg.commands import query_cmd
from ctkg.queries.library import get_query, load_library

ctkg.cli._register()

CROSS_BORDER = [
    {"cell": "Tangier-Ceuta cell", "cell_id": "cell:tanger-ceuta", "countries": ["Morocco", "Spain"],
     "country_count": 2, "organisations": ["Islamic State"]},
    {"cell": "Gao cell", "cell_id": "cell:gao", "countries": ["Mali"], "country_count": 1,
     "organisations": ["Jama'at Nusrat al-Islam wal-Muslimin"]},
]


@pytest.fixture
def env(graph, settings, monkeypatch, tmp_path):
    """Connection from the environment only, as a user would set it."""
    monkeypatch.setenv("NEO4J_URI", settings.uri)
    monkeypatch.setenv("NEO4J_USER", settings.user)
    monkeypatch.setenv("NEO4J_PASSWORD", settings.password)
    monkeypatch.delenv("NEO4J_DATABASE", raising=False)
    monkeypatch.setenv("CTKG_CONFIG", str(tmp_path / "none.toml"))


def invoke(*args: str) -> str:
    result = CliRunner().invoke(ctkg.cli.cli, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.stdout


def main(monkeypatch, capsys, *args: str) -> tuple[int, str, str]:
    """The real entry point, for what users see on errors."""
    monkeypatch.setattr(sys, "argv", ["ctkg", *args])
    with pytest.raises(SystemExit) as exit_:
        ctkg.cli.main()
    out, err = capsys.readouterr()
    return exit_.value.code, out, err


def test_list_in_each_format():
    ids = list(load_library())
    table = invoke("query", "list").splitlines()
    assert table[0].split() == ["id", "title", "parameters", "returns"]
    assert [line.split()[0] for line in table[2:]] == ids
    rows = json.loads(invoke("query", "list", "--format", "json"))
    assert [r["id"] for r in rows] == ids
    net = next(r for r in rows if r["id"] == "organisation-network")
    assert net == {"id": "organisation-network", "title": "Organisation network",
                   "parameters": "organisation: str, hops: int = 2 (1..4), leave_out: str = null",
                   "returns": "entity, entity_id, kind, hops, via"}
    lines = invoke("query", "list", "--format", "jsonl").splitlines()
    assert [json.loads(line) for line in lines] == rows
    parsed = list(csv.DictReader(io.StringIO(invoke("query", "list", "--format", "csv"))))
    assert parsed == rows


def test_show_explains_a_query():
    query = get_query("organisation-network")
    text = invoke("query", "show", "organisation-network")
    assert text.startswith("organisation-network: Organisation network\n")
    assert "  hops: int = 2 (1..4)  how far to follow links\n" in text
    assert "returns: entity, entity_id, kind, hops, via\n" in text
    assert text.endswith(query.cypher)
    [shown] = json.loads(invoke("query", "show", "organisation-network", "--format", "json"))
    assert shown["cypher"] == query.cypher and shown["description"] == query.description


def test_run_in_each_format(env):
    args = ("query", "run", "cross-border-cells", "--param", "min_countries=1")
    expected = CROSS_BORDER + [
        {"cell": "Had Soualem cell", "cell_id": "cell:had-soualem", "countries": ["Morocco"],
         "country_count": 1, "organisations": ["Islamic State", "Islamic State Sahel Province"]},
        {"cell": "Nador cell", "cell_id": "cell:nador", "countries": ["Morocco"],
         "country_count": 1, "organisations": ["Islamic State"]}]
    assert json.loads(invoke(*args, "--format", "json")) == expected
    assert [json.loads(x) for x in invoke(*args, "--format", "jsonl").splitlines()] == expected
    assert invoke(*args, "--format", "csv").splitlines()[:2] == [
        "cell,cell_id,countries,country_count,organisations",
        'Tangier-Ceuta cell,cell:tanger-ceuta,"[""Morocco"", ""Spain""]",2,"[""Islamic State""]"']
    table = invoke(*args).splitlines()
    assert table[0].split() == ["cell", "cell_id", "countries", "country_count", "organisations"]
    assert table[2].split() == ["Tangier-Ceuta", "cell", "cell:tanger-ceuta", '["Morocco",',
                                '"Spain"]', "2", '["Islamic', 'State"]']
    assert len(table) == 2 + len(expected)


def test_run_with_defaults_timeout_and_short_param_option(env):
    out = invoke("query", "run", "organisation-network", "-p", "organisation=org:jnim",
                 "-p", "hops=3", "--timeout", "30", "--format", "jsonl")
    assert out.splitlines() == [json.dumps(
        {"entity": "Gao cell", "entity_id": "cell:gao", "kind": "Cell", "hops": 1, "via": []})]
    assert invoke("query", "run", "weapons-caches", "-p", "country=ES") == "(no rows)\n"


def test_adhoc_cypher_with_parameters(env):
    out = invoke("cypher", "MATCH (c:Cell {country: $c}) RETURN c.id AS id ORDER BY id",
                 "--param", "c=ML", "--format", "jsonl")
    assert out == '{"id": "cell:gao"}\n'
    out = invoke("cypher", "RETURN $d AS d, $n + 1 AS n", "-p", "d:date=2024-02-29", "-p", "n=41",
                 "--format", "csv")
    assert out == "d,n\n2024-02-29,42\n"


@pytest.mark.parametrize("args, message", [
    (("query", "run", "organisation-network"),
     "error: query organisation-network: missing required parameter 'organisation' "
     "(it takes: organisation: str, hops: int = 2 (1..4), leave_out: str = null)"),
    (("query", "run", "timeline", "-p", "since=yesterday", "-p", "colour=red"),
     "error: query timeline: unknown parameter 'colour'; since expects a date YYYY-MM-DD, "
     "got 'yesterday' (it takes: region: str = null, organisation: str = null, "
     "since: date = null, until: date = null)"),
    (("query", "run", "new-since", "-p", "since"), "error: --param expects NAME=VALUE, got 'since'"),
    (("query", "show", "nope"), "error: no query 'nope'; the library has: "
                                + ", ".join(load_library())),
    (("cypher", "MATCH (c:Cell) DETACH DELETE c"),
     "error: refused: this query writes to the graph; queries run read-only; use `ctkg ingest` "
     "to change the graph"),
    (("cypher", "MATCH (c:Cell) RETURN c LIMT 1"), None),
    (("cypher", "UNWIND range(1, 2000000000) AS x WITH x WHERE x % 7 = 3 RETURN count(*)",
      "--timeout", "0.5"), "error: query stopped after the 0.5 s timeout (--timeout)"),
])
def test_user_mistakes_are_one_line_errors(env, monkeypatch, capsys, args, message):
    code, out, err = main(monkeypatch, capsys, *args)
    assert code == 1 and out == ""
    assert err.count("\n") == 1 and err.startswith("error: ")
    if message:
        assert err == message + "\n"


def test_every_command_and_option_has_help():
    commands = [query_cmd.query_group, *query_cmd.query_group.commands.values(),
                query_cmd.cypher_cmd]
    for command in commands:
        assert command.help, command.name
        for param in command.params:
            if isinstance(param, click.Option):
                assert param.help, f"{command.name} {param.opts}"
    assert {c.name for c in query_cmd.COMMANDS} == {"query", "cypher"}
