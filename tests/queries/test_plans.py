"""The plans of the library queries, read with EXPLAIN on the real server (issue 13, item 5):
no query scans every node, or every article or piece of evidence (the graph's largest
labels: one of each per article and per fact); rows are paged."""
from __future__ import annotations

import pytest

from ctkg.queries.library import get_query, load_library
from ctkg.queries.runner import run_cypher, run_query

# Labels with one node per article or per fact: a query reaches them through an index or a
# relationship from a node it already has, never by scanning them.
LARGE = ("Article", "Evidence")
SCANS = {"AllNodesScan", "NodeByLabelScan", "UnionNodeByLabelsScan", "IntersectionNodeByLabelsScan"}


def operators(plan) -> list[tuple[str, str]]:
    """(operator type, details) of every operator of a plan, depth first."""
    out = [(plan["operatorType"].split("@")[0], str(plan.get("args", plan.get("arguments", {}))
                                                 .get("Details", "")))]
    for child in plan.get("children", []):
        out += operators(child)
    return out


def scans(plan) -> list[str]:
    """The operators that read every node, or every node of a large label."""
    found = []
    for op, details in operators(plan):
        if op == "AllNodesScan" or (op in SCANS and any(f":{label}" in details
                                                         for label in LARGE)):
            found.append(f"{op} {details}")
    return found


def explain(driver, cypher: str, params: dict):
    with driver.session() as session:
        return session.run("EXPLAIN " + cypher, params).consume().plan


@pytest.mark.parametrize("query_id", sorted(load_library()))
def test_no_plan_scans_all_nodes_or_a_large_label(graph, query_id):
    query = get_query(query_id)
    for params in ({p.name: p.default for p in query.params},
                   {p.name: p.default if p.default is not None else "x" for p in query.params
                    if p.type == "str"} | {p.name: p.default for p in query.params
                                           if p.type != "str"}):
        plan = explain(graph, query.paged_cypher, params | {"skip": 0, "limit": 101})
        assert scans(plan) == [], f"{query_id} {params}"


def test_the_check_sees_a_scan(graph):
    plan = explain(graph, "MATCH (i:Incident) RETURN i, COUNT { MATCH (a:Article) "
                          "WHERE (a)-[:REPORTS]->(i) } AS n", {})
    assert any("Article" in s for s in scans(plan))
    assert scans(explain(graph, "MATCH (n {id: $id}) RETURN n", {"id": "x"}))


def test_rows_are_paged_and_say_when_more_exist(graph):
    query = get_query("new-since")
    everything = run_query(graph, query, {"since": "2024-01-01"}, limit=None)
    assert len(everything.rows) > 3 and not everything.more
    first = run_query(graph, query, {"since": "2024-01-01"}, limit=2)
    assert first.rows == everything.rows[:2] and first.more
    second = run_query(graph, query, {"since": "2024-01-01"}, limit=2, skip=2)
    assert second.rows == everything.rows[2:4]
    last = run_query(graph, query, {"since": "2024-01-01"}, limit=len(everything.rows) - 1,
                     skip=1)
    assert last.rows == everything.rows[1:] and not last.more


def test_library_parameters_cannot_take_the_paging_names():
    from ctkg.queries.library import Query, QueryFileError

    with pytest.raises(QueryFileError, match="reserved"):
        Query.from_text("x", "// title: t\n// description: d\n// param: limit: int = 1\n"
                             "// returns: n\nRETURN $limit AS n\n")


def test_adhoc_explain_and_profile_return_the_plan(graph):
    explained = run_cypher(graph, "EXPLAIN MATCH (c:Cell {id: $id}) RETURN c.name",
                           {"id": "cell:gao"})
    assert explained.plan and "NodeUniqueIndexSeek" in explained.plan
    assert explained.rows == []
    profiled = run_cypher(graph, "PROFILE MATCH (c:Cell {id: $id}) RETURN c.name AS name",
                          {"id": "cell:gao"})
    assert profiled.rows == [{"name": "Gao cell"}]
    assert "NodeUniqueIndexSeek" in profiled.plan and "rows" in profiled.plan


# The first page of these is read in order from an index (named here), so that it stops
# after the rows it shows: the page's LIMIT sits on no Sort or Top of every row.
ORDERED = {
    "cells-by-organisation": "o:Organisation(id)",
    "cells-directed-from-abroad": "c:Cell(id)",
    "cross-border-cells": "c:Cell(country_rank, id)",
    "incident-comments": "subject:Incident(id)",
    "incident-reports": "i:Incident(report_rank, id)",
    "timeline": "i:Incident(day_start)",
    "unattributed-cells": "c:Cell(id)",
    "weapons-caches": "w:WeaponsCache(id)",
    # few nodes have a dispute: they are sorted, then only a page's evidence is read
    "disputed-values": "n:Cell(disputed)",
}
# These read only the rows that qualify, from this index (then sort that handful).
SEEKS = {
    "new-since": "n:Statement(first_seen)",
    "multi-source-incidents": "i:Incident(corroboration)",
}


def page_operator(plan) -> str:
    """The operator under the runner's `SKIP $skip`: what the page's LIMIT sits on."""
    ops = operators(plan)
    n = next(k for k, (op, details) in enumerate(ops) if op.startswith("Skip"))
    return ops[n + 1][0]


def default_plan(graph, query_id: str):
    query = get_query(query_id)
    return explain(graph, query.paged_cypher, {p.name: p.default for p in query.params}
                   | {"skip": 0, "limit": 101})


@pytest.mark.parametrize("query_id", sorted(ORDERED))
def test_the_first_page_is_read_in_index_order(graph, query_id):
    plan = default_plan(graph, query_id)
    assert page_operator(plan).split("(")[0] not in ("Top", "Sort"), query_id
    assert any(op.startswith("Node") and ORDERED[query_id] in details
               for op, details in operators(plan)), query_id


@pytest.mark.parametrize("query_id", sorted(SEEKS))
def test_only_the_qualifying_rows_are_read(graph, query_id):
    found = [(op, details) for op, details in operators(default_plan(graph, query_id))
             if "INDEX " + SEEKS[query_id] in details]
    assert found and all("Seek" in op for op, _ in found), query_id


def test_the_last_run_is_found_from_its_index(graph):
    assert any("INDEX run:IngestRun(started_at)" in details
               for _, details in operators(default_plan(graph, "new-since")))


def test_a_person_given_by_id_is_found_without_reading_the_names(graph):
    with graph.session() as session:
        result = session.run("PROFILE " + get_query("person-profile").paged_cypher,
                             {"person": "person:abu-talha", "skip": 0, "limit": 101})
        assert len(list(result)) == 2
        profile = result.consume().profile

    def rows(op):
        yield op["operatorType"].split("@")[0], op.get("rows", 0)
        for child in op.get("children", []):
            yield from rows(child)

    assert [n for op, n in rows(profile) if op == "NodeByLabelScan"] == [0]


def test_person_profile_follows_every_relationship_type_a_person_can_have():
    from ctkg.graph.schema import load_schema

    schema = load_schema()
    types = {r.type for r in schema.relationships.values()
             if "Person" in r.sources + r.targets}
    cypher = get_query("person-profile").cypher
    listed = set(cypher.split("MATCH (p)-[r:")[1].split("]")[0].split("|"))
    assert listed == types
