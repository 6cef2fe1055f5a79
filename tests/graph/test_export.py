"""Exports re-read by networkx, and the Cypher script loaded back into the real Neo4j."""
from __future__ import annotations

import io
import json
import math

import networkx as nx
import pytest

from ctkg.graph.export import cypher_literal, cypher_name, render, to_cypher, to_gexf, \
    to_graphml, to_json
from ctkg.graph.nx import read_subgraph

from tests.graph.test_nx import TRICKY_NAME, network, triples  # noqa: F401 (fixtures)


def edge_ids(graph: nx.MultiDiGraph) -> set[str]:
    return {d["id"] for _, _, d in graph.edges(data=True) if "id" in d}


def load_script(driver, script: str) -> None:
    for line in script.splitlines():
        if line and not line.startswith("//"):
            driver.execute_query(line.rstrip(";"))


def test_graphml_round_trip(network):
    graph = read_subgraph(network)
    text = to_graphml(graph)
    assert text.startswith("<?xml") and "أبو عمر" in text  # UTF-8 text, not &#...; references
    back = nx.parse_graphml(text, force_multigraph=True, edge_key_type=str)
    assert set(back) == set(graph)
    for node, attrs in graph.nodes(data=True):
        got = back.nodes[node]
        # Gephi and yEd show `label`: the name; the schema label is `type`.
        assert (got["label"], got["type"], got["name"]) == (attrs["name"], attrs["label"],
                                                            attrs["name"])
        if "aliases" in attrs:
            assert json.loads(got["aliases"]) == attrs["aliases"]
    assert back.nodes["person:abu-omar"]["name"] == TRICKY_NAME
    assert back.nodes["region:rabat"]["lat"] == 34.02
    # The GraphML edge id is the relationship id; the type travels as an attribute.
    assert {(u, d["type"], v) for u, v, d in back.edges(data=True)} == triples(graph)
    assert {k for _, _, k in back.edges(keys=True)} == edge_ids(graph)
    directed = next(d for _, _, d in back.edges(data=True) if d["type"] == "DIRECTED_BY")
    assert directed["confidence"] == 0.9 and directed["origin"] == "article"
    assert "evidence" in directed and "first_seen" in directed


def test_graphml_with_provenance_has_unique_edge_ids(network):
    graph = read_subgraph(network, include_provenance=True)
    text = to_graphml(graph)
    back = nx.parse_graphml(text, force_multigraph=True, edge_key_type=str)
    keys = [k for _, _, k in back.edges(keys=True)]
    assert len(keys) == len(set(keys)) == graph.number_of_edges()
    assert {(u, d["type"], v) for u, v, d in back.edges(data=True)} == triples(graph)


def test_gexf_round_trip_renames_reserved_attributes(network):
    graph = read_subgraph(network, include_provenance=True)
    back = nx.read_gexf(io.BytesIO(to_gexf(graph).encode("utf-8")))
    assert set(back) == set(graph)
    # The edge label is the relationship type (networkx drops keys when no edges are parallel).
    assert {(u, d["label"], v) for u, v, d in back.edges(data=True)} == triples(graph)
    person = back.nodes["person:abu-omar"]
    assert (person["label"], person["type"]) == (TRICKY_NAME, "Person")
    assert "label_" not in person
    evidence = next(n for n, d in graph.nodes(data=True) if d["label"] == "Evidence")
    assert back.nodes[evidence]["start_"] == graph.nodes[evidence]["start"]
    assert "start" not in back.nodes[evidence]
    directed = next(d for _, _, d in back.edges(data=True) if d["label"] == "DIRECTED_BY")
    assert directed["id"] == graph.edges["cell:tangier", "org:islamic-state", "DIRECTED_BY"]["id"]
    assert directed["confidence"] == 0.9


def test_json_round_trip_is_exact(network):
    graph = read_subgraph(network, include_provenance=True)
    text = to_json(graph)
    assert "أبو عمر" in text  # ensure_ascii=False
    back = nx.node_link_graph(json.loads(text), directed=True, multigraph=True, edges="edges")
    assert dict(back.nodes(data=True)) == dict(graph.nodes(data=True))
    assert sorted(back.edges(keys=True, data=True), key=repr) == \
           sorted(graph.edges(keys=True, data=True), key=repr)


def test_cypher_script_recreates_the_graph_in_an_empty_database(network):
    graph = read_subgraph(network, include_provenance=True)
    script = render(graph, "cypher")
    network.execute_query("MATCH (n) DETACH DELETE n")
    load_script(network, script)
    counts = network.execute_query(
        "MATCH (n) WITH count(n) AS nodes MATCH ()-[r]->() RETURN nodes, count(r) AS rels"
    ).records[0]
    assert (counts["nodes"], counts["rels"]) == (graph.number_of_nodes(), graph.number_of_edges())
    again = read_subgraph(network, include_provenance=True)
    assert set(again) == set(graph)
    assert triples(again) == triples(graph)
    assert edge_ids(again) == edge_ids(graph)
    assert dict(again.nodes(data=True)) == dict(graph.nodes(data=True))
    # Loading the script twice changes nothing: it is all MERGE.
    load_script(network, script)
    assert network.execute_query("MATCH (n) RETURN count(n)").records[0][0] == counts["nodes"]


def test_cypher_script_keeps_derived_evidence_off_relationships(network):
    graph = read_subgraph(network)
    script = to_cypher(graph)
    assert "`evidence`" not in script and "`article`" not in script
    assert "MERGE (n:`Person` {id: 'person:abu-omar'})" in script
    assert all(line.endswith(";") for line in script.splitlines()[1:])


@pytest.mark.parametrize("value", [
    "plain",
    "l'État islamique",
    'say "hi"',
    "back\\slash \\n not a newline",
    "two\nlines\r\n\ttabbed",
    "أبو عمر 'البغدادي'\n«داعش»",
    "'}) DETACH DELETE n //",
    "\x00\x07\x1b\x7f\u2028 controls",
    "emoji 🚩 and \U0001F600",
    "",
    0, -7, 2 ** 63 - 1, -(2 ** 63),
    0.5, -6.84, 1e-05, 1.5e+20,
    True, False, None,
    ["a", "ب", "c'd"],
    [1, 2.5, None],
    {"name": "x'y", "nested": [1, {"k`ey": "v"}]},
])
def test_cypher_literal_evaluates_to_the_same_value(driver, value):
    literal = cypher_literal(value)
    assert "\n" not in literal
    got = driver.execute_query(f"RETURN {literal} AS v").records[0]["v"]
    assert got == value


def test_cypher_literal_exact_forms():
    assert cypher_literal("it's \\ \"q\"\n") == "'it\\'s \\\\ \"q\"\\n'"
    assert cypher_literal("داعش") == "'داعش'"
    assert cypher_literal("\x01") == "'\\u0001'"
    assert cypher_literal(True) == "true" and cypher_literal(1) == "1"
    assert cypher_literal(1.5e20) == "1.5e20"
    assert cypher_literal([1, "a"]) == "[1, 'a']"
    assert cypher_literal({"a": 1}) == "{`a`: 1}"
    assert cypher_name("we`ird") == "`we``ird`"


@pytest.mark.parametrize("value, error", [
    (math.nan, ValueError), (math.inf, ValueError), (2 ** 63, ValueError), (object(), TypeError),
])
def test_cypher_literal_refuses_what_has_no_literal(value, error):
    with pytest.raises(error):
        cypher_literal(value)


@pytest.mark.parametrize("label, key", [
    ("Bogus", "DIRECTED_BY"),
    ("Cell`) DETACH DELETE n //", "DIRECTED_BY"),
    ("Cell", "HATES"),
])
def test_cypher_export_refuses_labels_and_types_outside_the_schema(label, key):
    graph = nx.MultiDiGraph()
    graph.add_node("cell:a", label=label, name="a")
    graph.add_node("org:b", label="Organisation", name="b")
    graph.add_edge("cell:a", "org:b", key=key)
    with pytest.raises(ValueError, match="not in the schema"):
        to_cypher(graph)


def test_unknown_format_is_refused():
    with pytest.raises(ValueError, match="unknown export format"):
        render(nx.MultiDiGraph(), "dot")
