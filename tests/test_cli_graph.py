"""`ctkg export`, `ctkg analyze`, `ctkg provenance` through click, against the real Neo4j."""
from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys

import networkx as nx
import pytest
from click.testing import CliRunner

from ctkg.cli import _register, cli
from ctkg.commands.graph_cmd import COMMANDS
from ctkg.errors import CtkgError

from tests.conftest import ROOT
from tests.graph.test_nx import network  # noqa: F401 (fixtures)

_register()


@pytest.fixture
def run(env):
    runner = CliRunner()

    def invoke(*args):
        return runner.invoke(cli, ["--quiet", *args], env=env)
    return invoke


def test_export_json_to_stdout_is_the_stored_graph(network, run):
    result = run("export", "--format", "json")
    assert result.exit_code == 0, result.output
    graph = nx.node_link_graph(json.loads(result.stdout), directed=True, multigraph=True,
                               edges="edges")
    assert set(graph) == {"cell:tangier", "cell:fes", "org:islamic-state", "agency:bcij",
                          "region:tanger", "region:rabat", "person:abu-omar"}
    assert graph.has_edge("person:abu-omar", "cell:fes", "LEADS")


def test_export_graphml_neighbourhood_to_a_file(network, run, tmp_path):
    out = tmp_path / "tangier.graphml"
    result = run("export", "--center", "cell:tangier", "--hops", "1", "-o", str(out))
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    graph = nx.read_graphml(out, force_multigraph=True, edge_key_type=str)
    assert set(graph) == {"cell:tangier", "org:islamic-state", "agency:bcij", "region:tanger"}
    assert {d["type"] for _, _, d in graph.edges(data=True)} == {
        "DIRECTED_BY", "DISMANTLED_BY", "OPERATED_IN"}


def test_export_labels_and_since(network, run):
    result = run("export", "--format", "json", "--label", "Cell", "--label", "Organisation",
                 "--since", "2025-01-01")
    assert result.exit_code == 0, result.output
    nodes = {n["id"] for n in json.loads(result.stdout)["nodes"]}
    assert nodes == {"cell:fes", "org:islamic-state"}


def test_export_cypher_with_provenance(network, run):
    result = run("export", "--format", "cypher", "--include-provenance")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].startswith("// ctkg export:")
    assert sum(line.startswith("MERGE (n:`Article`") for line in lines) == 2
    assert any("-[r:`STATES`]->" in line for line in lines)


def test_gexf_export_is_xml(network, run):
    result = run("export", "--format", "gexf")
    assert result.exit_code == 0, result.output
    graph = nx.read_gexf(io.BytesIO(result.stdout.encode("utf-8")))
    assert graph.number_of_nodes() == 7


@pytest.mark.parametrize("args, message", [
    (("--center", "cell:nowhere"), "no entity node has id 'cell:nowhere'"),
    (("--hops", "2"), "hops given without a center node id"),
    (("--since", "yesterday"), "not an ISO date"),
])
def test_export_mistakes_are_ctkg_errors(network, run, args, message):
    result = run("export", *args)
    assert result.exit_code == 1
    assert isinstance(result.exception, CtkgError)
    assert message in str(result.exception) and "\n" not in str(result.exception)


def test_export_refuses_a_label_outside_the_schema(network, run):
    result = run("export", "--label", "Article")
    assert result.exit_code == 2
    assert "Invalid value for '--label'" in result.output


def test_analyze_json_rows_carry_the_metric(network, run):
    result = run("analyze", "--format", "json", "--top", "3")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    metrics = [r["metric"] for r in rows]
    assert metrics == ["degree"] * 3 + ["betweenness"] * 3 + ["components"] + ["organisations"]
    # Three neighbours each; ties are ordered by id.
    assert [(r["id"], r["degree"]) for r in rows[:2]] == [("cell:tangier", 3),
                                                          ("org:islamic-state", 3)]
    [org] = [r for r in rows if r["metric"] == "organisations"]
    assert (org["id"], org["cells"], org["cell_ids"]) == (
        "org:islamic-state", 2, ["cell:fes", "cell:tangier"])
    [component] = [r for r in rows if r["metric"] == "components"]
    assert component["size"] == 7


def test_analyze_jsonl_and_csv_pipe(network, run):
    jsonl = run("analyze", "--format", "jsonl")
    assert jsonl.exit_code == 0, jsonl.output
    rows = [json.loads(line) for line in jsonl.stdout.splitlines()]
    assert {r["metric"] for r in rows} == {"degree", "betweenness", "components", "organisations"}
    table = list(csv.DictReader(io.StringIO(run("analyze", "--format", "csv").stdout)))
    assert list(table[0])[0] == "metric"
    assert len(table) == len(rows)


def test_analyze_table_prints_every_section(network, run):
    result = run("analyze")
    assert result.exit_code == 0, result.output
    for title in ("Degree centrality", "Betweenness centrality", "Weakly connected components",
                  "Organisations that tie the most cells together"):
        assert title in result.stdout
    assert "... +2" in result.stdout  # the 7-node component, shortened to 5 members


def test_analyze_an_empty_database(driver, run):
    result = run("analyze")
    assert result.exit_code == 0, result.output
    assert result.stdout.count("(no rows)") == 4


def test_provenance_of_a_node(network, run):
    result = run("provenance", "org:islamic-state", "--format", "json")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert sorted(r["locator"] for r in rows) == ["in/ar.txt", "in/fr.txt"]
    table = run("provenance", "org:islamic-state")
    assert "in/fr.txt" in table.stdout and "sentence" in table.stdout


def test_provenance_of_a_relationship_and_of_a_reference_fact(network, run):
    rel_id = network.execute_query(
        "MATCH (:Person)-[r:LEADS]->() RETURN r.id").records[0][0]
    rows = json.loads(run("provenance", rel_id, "--format", "json").stdout)
    assert [(r["locator"], r["start"]) for r in rows] == [("in/fr.txt", 0)]
    reference = run("provenance", "region:rabat", "--format", "json")
    assert reference.exit_code == 0 and json.loads(reference.stdout) == []


def test_unknown_id_is_an_error(network, run):
    result = run("provenance", "org:nowhere")
    assert result.exit_code == 1
    assert isinstance(result.exception, CtkgError)
    assert str(result.exception) == "unknown id 'org:nowhere': no node or relationship has it"


def test_unknown_id_is_one_line_on_stderr_from_the_real_command(network, env):
    environ = {**os.environ, **{k: v for k, v in env.items() if v is not None}}
    environ.pop("NEO4J_DATABASE", None)
    proc = subprocess.run([sys.executable, "-m", "ctkg", "provenance", "rel:0000"], cwd=ROOT,
                          env=environ, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 1
    assert proc.stdout == ""
    assert proc.stderr.splitlines() == [
        "error: unknown id 'rel:0000': no node or relationship has it"]


def test_every_command_and_option_has_help(run):
    for command in COMMANDS:
        assert command.help, command.name
        for param in command.params:
            if param.param_type_name == "option":
                assert param.help, f"{command.name} {param.opts}"
        result = run(command.name, "--help")
        assert result.exit_code == 0 and "Usage:" in result.output
