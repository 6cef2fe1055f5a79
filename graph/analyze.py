"""Network figures over an entity MultiDiGraph (ctkg.graph.nx), as plain lists of dict rows.

Degree and betweenness are computed on the undirected simple view: two entities linked by
several relationships (a cell DIRECTED_BY and AFFILIATED_WITH the same organisation) are one
tie. Rows are sorted by the figure, largest first, then by id; ``top`` keeps the first rows.
"""
from __future__ import annotations

from collections import defaultdict
from typing import Iterable

import networkx as nx

# Relationship types by which a Cell is tied to an Organisation directly.
CELL_TO_ORG = ("DIRECTED_BY", "AFFILIATED_WITH")


# Region kinds that tie everything in them together (JNIM -> Burkina Faso <- IS Sahel) and can
# be left out of an analysis by name, like any label.
HUB_KINDS = ("country", "supra", "sea")


def leave_out(graph: nx.MultiDiGraph, hubs: Iterable[str]) -> nx.MultiDiGraph:
    """The graph without the nodes of these labels ("Region") or Region kinds ("country",
    "supra"), nor their relationships; the graph itself when nothing is left out."""
    hubs = set(hubs)
    if not hubs:
        return graph
    dropped = [n for n, d in graph.nodes(data=True) if d.get("label") in hubs
               or (d.get("label") == "Region" and d.get("kind") in hubs)]
    kept = graph.copy()
    kept.remove_nodes_from(dropped)
    return kept


def _undirected(graph: nx.MultiDiGraph) -> nx.Graph:
    return nx.Graph(graph.to_undirected(as_view=True))


def _entity(graph: nx.MultiDiGraph, node: str) -> dict:
    data = graph.nodes[node]
    return {"id": node, "label": data.get("label"), "name": data.get("name") or data.get("text")}


def _ranked(rows: list[dict], by: str, top: int | None) -> list[dict]:
    rows = sorted(rows, key=lambda r: (-r[by], r["id"]))
    return rows[:top] if top else rows


def degree(graph: nx.MultiDiGraph, top: int | None = None) -> list[dict]:
    """Distinct neighbours of each node, and that count over (nodes - 1)."""
    simple = _undirected(graph)
    centrality = nx.degree_centrality(simple) if len(simple) > 1 else {}
    rows = [{**_entity(graph, n), "degree": simple.degree(n),
             "centrality": round(centrality.get(n, 0.0), 4)} for n in simple]
    return _ranked(rows, "degree", top)


def betweenness(graph: nx.MultiDiGraph, top: int | None = None) -> list[dict]:
    """Normalised betweenness centrality: how often a node lies on shortest paths."""
    scores = nx.betweenness_centrality(_undirected(graph), normalized=True)
    rows = [{**_entity(graph, n), "betweenness": round(s, 4)} for n, s in scores.items()]
    return _ranked(rows, "betweenness", top)


def components(graph: nx.MultiDiGraph, top: int | None = None) -> list[dict]:
    """Weakly connected components, largest first, with their members' labels."""
    parts = sorted((sorted(c) for c in nx.weakly_connected_components(graph)),
                   key=lambda c: (-len(c), c[0]))
    rows = []
    for rank, members in enumerate(parts[:top] if top else parts, start=1):
        labels: dict[str, int] = defaultdict(int)
        for node in members:
            labels[graph.nodes[node].get("label")] += 1
        rows.append({"component": rank, "size": len(members),
                     "labels": dict(sorted(labels.items())), "nodes": members})
    return rows


def organisations_tying_cells(graph: nx.MultiDiGraph, top: int | None = None) -> list[dict]:
    """For each Organisation, the distinct Cells tied to it: the cell is DIRECTED_BY or
    AFFILIATED_WITH it, or a Person who LEADS the cell is AFFILIATED_WITH it."""
    cells: dict[str, set[str]] = {n: set() for n in _with_label(graph, "Organisation")}
    for cell in _with_label(graph, "Cell"):
        for org in _targets(graph, cell, CELL_TO_ORG) & cells.keys():
            cells[org].add(cell)
    for person in _with_label(graph, "Person"):
        led = [c for c in _targets(graph, person, ("LEADS",)) if _is(graph, c, "Cell")]
        for org in _targets(graph, person, ("AFFILIATED_WITH",)) & cells.keys():
            cells[org].update(led)
    rows = [{**_entity(graph, org), "cells": len(tied), "cell_ids": sorted(tied)}
            for org, tied in cells.items()]
    return _ranked(rows, "cells", top)


def _with_label(graph: nx.MultiDiGraph, label: str) -> list[str]:
    return [n for n, data in graph.nodes(data=True) if data.get("label") == label]


def _is(graph: nx.MultiDiGraph, node: str, label: str) -> bool:
    return graph.nodes[node].get("label") == label


def _targets(graph: nx.MultiDiGraph, node: str, types: tuple[str, ...]) -> set[str]:
    return {v for _, v, key in graph.out_edges(node, keys=True) if key in types}


# name, title, function: the sections of `ctkg analyze`, in order.
SECTIONS = (
    ("degree", "Degree centrality (distinct neighbours)", degree),
    ("betweenness", "Betweenness centrality (undirected, normalised)", betweenness),
    ("components", "Weakly connected components", components),
    ("organisations", "Organisations that tie the most cells together", organisations_tying_cells),
)
