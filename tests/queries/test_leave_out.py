"""Hubs left out: `leave_out` of shortest-path and organisation-network on the fixture world,
and ctkg.graph.analyze.leave_out on the hand-built analysis graph."""
from __future__ import annotations

from ctkg.graph.analyze import leave_out, organisations_tying_cells
from ctkg.graph.nx import batch_to_nx
from ctkg.queries.library import get_query
from ctkg.queries.runner import run_query

from tests.graph.test_analyze import hand_built
from tests.queries import world


def rows(graph, query_id: str, **params) -> list[dict]:
    return run_query(graph, get_query(query_id), params).rows


def kind(node_id: str) -> tuple[str, str | None]:
    label, props = world.KNOWN[node_id]
    return label, props.get("kind")


def test_shortest_path_can_avoid_a_label(graph):
    through = rows(graph, "shortest-path", source="cell:nador", target="region:sy")
    assert [r["node_ids"] for r in through] == [["cell:nador", "org:islamic-state", "region:sy"]]
    around = rows(graph, "shortest-path", source="cell:nador", target="region:sy",
                  leave_out="Organisation")
    for row in around:
        assert all(kind(n)[0] != "Organisation" for n in row["node_ids"][1:-1]), row
    assert all(r["hops"] > 2 for r in around)


def test_shortest_path_can_avoid_country_and_supra_hubs(graph):
    everything = rows(graph, "shortest-path", source="cell:gao", target="cell:nador")
    hubs = rows(graph, "shortest-path", source="cell:gao", target="cell:nador",
                leave_out="country, supra")
    middles = [kind(n) for r in hubs for n in r["node_ids"][1:-1]]
    assert ("Region", "country") not in middles and ("Region", "supra") not in middles
    hub = {("Region", "country"), ("Region", "supra")}
    assert any(kind(n) in hub for r in everything for n in r["node_ids"][1:-1]), everything


def test_organisation_network_leaves_out_people_and_the_routes_through_them(graph):
    everyone = rows(graph, "organisation-network", organisation="org:islamic-state", hops=3)
    assert any(r["kind"] == "Person" for r in everyone)
    kept = rows(graph, "organisation-network", organisation="org:islamic-state", hops=3,
                leave_out="Person")
    assert kept and all(r["kind"] != "Person" for r in kept)
    people = {n for n in world.KNOWN if world.KNOWN[n][0] == "Person"}
    names = {world.KNOWN[n][1].get("name") for n in people}
    assert not any(set(r["via"]) & names for r in kept)


def test_analysis_without_a_label():
    graph = batch_to_nx(hand_built())
    assert leave_out(graph, []) is graph
    without = leave_out(graph, ["Person"])
    assert "person:p" in graph and "person:p" not in without
    tied = {r["id"]: r["cells"] for r in organisations_tying_cells(without)}
    assert tied == {"org:isis": 2, "org:aqim": 1}  # c3 no longer reached through its leader
