"""Batches and Neo4j subgraphs as networkx MultiDiGraphs, against the real Neo4j."""
from __future__ import annotations

import networkx as nx
import pytest

from ctkg.graph.model import Edge, Node
from ctkg.graph.nx import SubgraphError, batch_to_nx, fact_kind, read_subgraph

from tests.graph.batches import article_batch

TEXT_AR = "خلية بتوجيه من داعش فككها المكتب المركزي للأبحاث القضائية في طنجة."
TEXT_FR = "Abu \"Omar\" dirige la cellule de Fès, liée à l'État islamique."
# A name that exercises every escape an exporter needs: quotes, backslash, newline, Arabic.
TRICKY_NAME = "Abu 'Omar' \\ \"al-Maghribi\"\nأبو عمر"
EARLY, LATE = "2024-01-01T00:00:00+00:00", "2025-06-01T00:00:00+00:00"


def batch_ar():
    batch = article_batch(TEXT_AR, "in/ar.txt", [
        ("Cell", "cell:tangier", "خلية طنجة", "خلية"),
        ("Organisation", "org:islamic-state", "Islamic State", "داعش"),
        ("Agency", "agency:bcij", "Central Bureau of Judicial Investigation",
         "المكتب المركزي للأبحاث القضائية"),
        ("Region", "region:tanger", "Tanger", "طنجة"),
        ("DIRECTED_BY", "cell:tangier", "org:islamic-state", TEXT_AR),
        ("DISMANTLED_BY", "cell:tangier", "agency:bcij", TEXT_AR),
        ("OPERATED_IN", "cell:tangier", "region:tanger", TEXT_AR),
    ])
    # A fact from the vocabulary: no mention, no evidence, floats and Arabic properties.
    batch.nodes.append(Node("region:rabat", "Region",
                            {"name": "Rabat", "name_ar": "الرباط", "lat": 34.02, "lon": -6.84}))
    batch.edges.append(Edge("BASED_IN", "agency:bcij", "region:rabat", origin="reference"))
    return batch


def batch_fr():
    batch = article_batch(TEXT_FR, "in/fr.txt", [
        ("Person", "person:abu-omar", TRICKY_NAME, "Abu \"Omar\""),
        ("Cell", "cell:fes", "cellule de Fès", "la cellule de Fès"),
        ("Organisation", "org:islamic-state", "Islamic State", "l'État islamique"),
        ("LEADS", "person:abu-omar", "cell:fes", TEXT_FR),
        ("AFFILIATED_WITH", "cell:fes", "org:islamic-state", TEXT_FR),
        ("AFFILIATED_WITH", "person:abu-omar", "org:islamic-state", TEXT_FR),
    ], lang="fr")
    return batch



@pytest.fixture
def network(writer):
    """Both articles written: the first in 2024, the second in 2025."""
    writer.write(batch_ar(), now=EARLY)
    writer.write(batch_fr(), now=LATE)
    return writer.driver


def triples(graph: nx.MultiDiGraph) -> set[tuple[str, str, str]]:
    return {(u, key, v) for u, v, key in graph.edges(keys=True)}


def test_batch_to_nx_carries_labels_props_and_edge_evidence():
    batch = batch_ar()
    graph = batch_to_nx(batch)
    assert set(graph) == {"cell:tangier", "org:islamic-state", "agency:bcij", "region:tanger",
                          "region:rabat"}
    assert graph.nodes["org:islamic-state"] == {"label": "Organisation", "name": "Islamic State",
                                                "aliases": ["داعش"]}
    [(key, attrs)] = graph["cell:tangier"]["org:islamic-state"].items()
    edge = batch.edges[0]
    assert key == "DIRECTED_BY"
    assert attrs == {"id": edge.id, "origin": "article", "confidence": 0.9,
                     "article": batch.article.id, "evidence": TEXT_AR, "evidence_start": 0,
                     "evidence_end": len(TEXT_AR)}
    reference = graph["agency:bcij"]["region:rabat"]["BASED_IN"]
    assert reference == {"id": batch.edges[-1].id, "origin": "reference"}


def test_read_subgraph_matches_batch_to_nx(network):
    graph = read_subgraph(network)
    expected = nx.compose(batch_to_nx(batch_ar()), batch_to_nx(batch_fr()))
    assert set(graph) == set(expected)
    assert {n: d["label"] for n, d in graph.nodes(data=True)} == \
           {n: d["label"] for n, d in expected.nodes(data=True)}
    assert triples(graph) == triples(expected)
    for u, v, key, attrs in expected.edges(keys=True, data=True):
        stored = graph.edges[u, v, key]
        for name in ("id", "origin", "confidence", "evidence", "evidence_start", "evidence_end",
                     "article"):
            assert stored.get(name) == attrs.get(name), (u, key, v, name)
    person = graph.nodes["person:abu-omar"]
    assert person["name"] == TRICKY_NAME
    assert person["first_seen"] == person["last_seen"] == LATE
    assert sorted(graph.nodes["org:islamic-state"]["aliases"]) == ["l'État islamique", "داعش"]
    assert graph.nodes["region:rabat"]["origin"] == "reference"


def test_provenance_nodes_only_when_asked(network):
    plain = read_subgraph(network)
    assert {d["label"] for _, d in plain.nodes(data=True)} <= {
        "Cell", "Organisation", "Agency", "Region", "Person"}
    assert {k for _, _, k in plain.edges(keys=True)} & {"MENTIONS", "STATES"} == set()

    full = read_subgraph(network, include_provenance=True)
    labels = [d["label"] for _, d in full.nodes(data=True)]
    stored_evidence = network.execute_query("MATCH (e:Evidence) RETURN count(e)").records[0][0]
    assert labels.count("Article") == 2
    assert labels.count("Evidence") == stored_evidence
    article = batch_fr().article.id
    assert full.has_edge(article, "person:abu-omar", "MENTIONS")
    states = [v for _, v, k in full.out_edges(article, keys=True) if k == "STATES"]
    # Evidence for 3 entities and 3 relationships of the French article.
    assert len(states) == 6
    assert {full.nodes[e]["fact"] for e in states} >= {"person:abu-omar", "cell:fes"}
    assert set(plain) < set(full)


def test_labels_keep_only_those_nodes_and_the_edges_between_them(network):
    graph = read_subgraph(network, labels=["Cell", "Organisation"])
    assert set(graph) == {"cell:tangier", "cell:fes", "org:islamic-state"}
    assert triples(graph) == {("cell:tangier", "DIRECTED_BY", "org:islamic-state"),
                              ("cell:fes", "AFFILIATED_WITH", "org:islamic-state")}


def test_center_and_hops_give_the_neighbourhood_in_both_directions(network):
    assert set(read_subgraph(network, center_id="cell:tangier", hops=0)) == {"cell:tangier"}
    one = read_subgraph(network, center_id="cell:tangier")
    assert set(one) == {"cell:tangier", "org:islamic-state", "agency:bcij", "region:tanger"}
    two = read_subgraph(network, center_id="cell:tangier", hops=2)
    assert set(two) == set(one) | {"cell:fes", "person:abu-omar", "region:rabat"}
    # Walking backwards along DIRECTED_BY/AFFILIATED_WITH from the organisation.
    around_org = read_subgraph(network, center_id="org:islamic-state", hops=1)
    assert set(around_org) == {"org:islamic-state", "cell:tangier", "cell:fes",
                               "person:abu-omar"}


def test_since_keeps_what_was_seen_after_the_date(network):
    graph = read_subgraph(network, since="2025-01-01")
    # The organisation's last_seen moved on when the 2025 article mentioned it.
    assert set(graph) == {"person:abu-omar", "cell:fes", "org:islamic-state"}
    assert len(triples(graph)) == 3
    assert set(read_subgraph(network, since="2025-06-01T02:00:00+02:00")) == set(graph)
    assert len(read_subgraph(network, since="2024-01-01")) == 7


@pytest.mark.parametrize("kwargs, message", [
    ({"labels": ["Article"]}, "unknown entity label 'Article'"),
    ({"labels": ["Cell`) DETACH DELETE n //"]}, "unknown entity label"),
    ({"center_id": "cell:nowhere"}, "no entity node has id 'cell:nowhere'"),
    ({"hops": 2}, "hops given without a center"),
    ({"center_id": "cell:tangier", "hops": 99}, "hops must be"),
    ({"since": "last tuesday"}, "not an ISO date"),
])
def test_bad_requests_raise_subgraph_error(network, kwargs, message):
    with pytest.raises(SubgraphError, match=message):
        read_subgraph(network, **kwargs)


def test_fact_kind_names_nodes_and_relationships(network):
    edge = batch_ar().edges[0]
    assert fact_kind(network, "org:islamic-state") == {"kind": "Organisation", "origin": None}
    assert fact_kind(network, "region:rabat") == {"kind": "Region", "origin": "reference"}
    assert fact_kind(network, edge.id) == {"kind": "DIRECTED_BY", "origin": "article"}
    assert fact_kind(network, "org:nowhere") is None
    assert fact_kind(network, "rel:0000") is None
    assert fact_kind(network, "no-prefix") is None
