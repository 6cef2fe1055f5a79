"""Network figures on a small hand-built graph whose values are worked out by hand below.

    cell:c1 -DIRECTED_BY-> org:isis      cell:c1 -AFFILIATED_WITH-> org:isis (same tie)
    cell:c2 -AFFILIATED_WITH-> org:isis
    person:p -LEADS-> cell:c3            person:p -AFFILIATED_WITH-> org:isis
    cell:c3 -AFFILIATED_WITH-> org:aqim
    agency:a -PART_OF-> agency:b         (a second component)

Undirected ties: c1-isis, c2-isis, p-isis, p-c3, c3-aqim, a-b; 8 nodes, so degree
centrality is degree / 7. The big component is a tree: a node's betweenness is the number of
pairs it separates over C(7, 2) = 21 pairs: isis splits {c1}|{c2}|{p, c3, aqim}: 1 + 3 + 3 = 7;
p splits {c1, c2, isis}|{c3, aqim}: 6; c3 splits {.. 4 ..}|{aqim}: 4.
Organisations: isis ties c1 (directed), c2 (affiliated), c3 (through p): 3; aqim ties c3: 1.
"""
from __future__ import annotations

import pytest

from ctkg.graph.analyze import SECTIONS, betweenness, components, degree, \
    organisations_tying_cells
from ctkg.graph.nx import batch_to_nx, read_subgraph
from ctkg.graph.writer import GraphWriter

from tests.graph.batches import article_batch

TEXT = ("Cell one, cell two and cell three answer to Islamic State or AQIM; Abu Omar leads "
        "cell three. Agency A is part of Agency B.")


def hand_built():
    return article_batch(TEXT, "in/hand.txt", [
        ("Cell", "cell:c1", "cell one", "Cell one"),
        ("Cell", "cell:c2", "cell two", "cell two"),
        ("Cell", "cell:c3", "cell three", "cell three"),
        ("Organisation", "org:isis", "Islamic State", "Islamic State"),
        ("Organisation", "org:aqim", "AQIM", "AQIM"),
        ("Person", "person:p", "Abu Omar", "Abu Omar"),
        ("Agency", "agency:a", "Agency A", "Agency A"),
        ("Agency", "agency:b", "Agency B", "Agency B"),
        ("DIRECTED_BY", "cell:c1", "org:isis", TEXT),
        ("AFFILIATED_WITH", "cell:c1", "org:isis", TEXT),
        ("AFFILIATED_WITH", "cell:c2", "org:isis", TEXT),
        ("LEADS", "person:p", "cell:c3", TEXT),
        ("AFFILIATED_WITH", "person:p", "org:isis", TEXT),
        ("AFFILIATED_WITH", "cell:c3", "org:aqim", TEXT),
        ("PART_OF", "agency:a", "agency:b", TEXT),
    ], lang="en")


@pytest.fixture(params=["neo4j", "batch"])
def graph(request):
    """The same graph read back from Neo4j, and straight from the batch."""
    if request.param == "batch":
        return batch_to_nx(hand_built())
    driver = request.getfixturevalue("driver")
    GraphWriter(driver).write(hand_built())
    return read_subgraph(driver)


def test_degree_counts_distinct_neighbours(graph):
    rows = degree(graph)
    assert [(r["id"], r["degree"], r["centrality"]) for r in rows] == [
        ("org:isis", 3, round(3 / 7, 4)),
        ("cell:c3", 2, round(2 / 7, 4)),
        ("person:p", 2, round(2 / 7, 4)),
        ("agency:a", 1, round(1 / 7, 4)),
        ("agency:b", 1, round(1 / 7, 4)),
        ("cell:c1", 1, round(1 / 7, 4)),
        ("cell:c2", 1, round(1 / 7, 4)),
        ("org:aqim", 1, round(1 / 7, 4)),
    ]
    assert rows[0] == {"id": "org:isis", "label": "Organisation", "name": "Islamic State",
                       "degree": 3, "centrality": 0.4286}


def test_betweenness_on_the_undirected_view(graph):
    rows = betweenness(graph, top=4)
    assert [(r["id"], r["betweenness"]) for r in rows] == [
        ("org:isis", round(7 / 21, 4)),
        ("person:p", round(6 / 21, 4)),
        ("cell:c3", round(4 / 21, 4)),
        ("agency:a", 0.0),
    ]


def test_weakly_connected_components_largest_first(graph):
    assert components(graph) == [
        {"component": 1, "size": 6,
         "labels": {"Cell": 3, "Organisation": 2, "Person": 1},
         "nodes": ["cell:c1", "cell:c2", "cell:c3", "org:aqim", "org:isis", "person:p"]},
        {"component": 2, "size": 2, "labels": {"Agency": 2}, "nodes": ["agency:a", "agency:b"]},
    ]
    assert len(components(graph, top=1)) == 1


def test_organisations_tying_cells_count_direct_and_led_cells_once(graph):
    assert organisations_tying_cells(graph) == [
        {"id": "org:isis", "label": "Organisation", "name": "Islamic State", "cells": 3,
         "cell_ids": ["cell:c1", "cell:c2", "cell:c3"]},
        {"id": "org:aqim", "label": "Organisation", "name": "AQIM", "cells": 1,
         "cell_ids": ["cell:c3"]},
    ]


def test_a_leader_without_the_affiliation_ties_nothing():
    batch = hand_built()
    batch.edges = [e for e in batch.edges
                   if not (e.type == "AFFILIATED_WITH" and e.source == "person:p")]
    rows = organisations_tying_cells(batch_to_nx(batch))
    assert {r["id"]: r["cell_ids"] for r in rows} == {"org:isis": ["cell:c1", "cell:c2"],
                                                      "org:aqim": ["cell:c3"]}


def test_every_section_copes_with_an_empty_graph():
    empty = batch_to_nx(article_batch("", "in/empty.txt", []))
    for name, title, figure in SECTIONS:
        assert figure(empty) == [], name
        assert title
