"""The read-only runner on the real server: refusing writes, errors, timeouts, parameters."""
from __future__ import annotations

import pytest

from ctkg.errors import CtkgError
from ctkg.queries import runner
from ctkg.queries.library import get_query
from ctkg.queries.runner import QueryRefused, run_cypher, run_query

WRITES = [
    "CREATE (n:Cell {id: 'cell:x', name: 'x'}) RETURN n",
    "MERGE (n:Organisation {id: 'org:x'}) RETURN n",
    "MATCH (c:Cell) SET c.name = 'renamed'",
    "MATCH (c:Cell) DETACH DELETE c",
    "MATCH (c:Cell) WITH c LIMIT 1 CALL (c) { SET c.flag = true } RETURN c.id",
]


def fingerprint(driver) -> tuple:
    record = driver.execute_query(
        "MATCH (n) OPTIONAL MATCH (n)-[r]->() "
        "RETURN count(DISTINCT n) AS nodes, count(r) AS rels, "
        "collect(DISTINCT n.name) AS names, count(n.flag) AS flags").records[0]
    return tuple(record.values())


@pytest.mark.parametrize("cypher", WRITES)
def test_a_writing_query_is_refused_before_it_runs(graph, cypher):
    before = fingerprint(graph)
    with pytest.raises(QueryRefused, match="^refused: this query writes to the graph; queries "
                                           "run read-only"):
        run_cypher(graph, cypher)
    assert fingerprint(graph) == before


def test_a_schema_change_is_refused(graph):
    with pytest.raises(QueryRefused, match="^refused: this query changes the schema"):
        run_cypher(graph, "CREATE INDEX nope IF NOT EXISTS FOR (n:Cell) ON (n.members)")
    names = [r["name"] for r in graph.execute_query("SHOW INDEXES YIELD name").records]
    assert "nope" not in names


@pytest.mark.parametrize("cypher", WRITES)
def test_the_read_transaction_refuses_what_the_plan_check_misses(graph, monkeypatch, cypher):
    """Second guard, EXPLAIN-free: the transaction itself is read-only."""
    monkeypatch.setattr(runner, "check_read_only", lambda tx, cypher, params: None)
    before = fingerprint(graph)
    with pytest.raises(QueryRefused, match="^refused: the server saw a write"):
        run_cypher(graph, cypher)
    assert fingerprint(graph) == before


def test_syntax_errors_are_one_line_with_positions_in_the_users_text(graph):
    with pytest.raises(CtkgError) as err:
        run_cypher(graph, "MATCH (n:Cell)\nRETURN m")
    assert str(err.value) == "Cypher error: Variable `m` not defined (line 2, column 8 (offset: 22))"
    with pytest.raises(CtkgError, match=r"^Cypher error: Invalid input 'LIMT'.*\(line 1, "
                                        r"column 20 \(offset: 19\)\)$"):
        run_cypher(graph, "MATCH (n) RETURN n LIMT 1")


@pytest.mark.parametrize("cypher, params, message", [
    ("RETURN 1 / 0 AS x", {}, "query failed: / by zero (Neo.ClientError.Statement.ArithmeticError)"),
    ("RETURN $nope AS x", {}, "query failed: Expected parameter(s): nope "
                              "(Neo.ClientError.Statement.ParameterMissing)"),
])
def test_other_client_errors_are_one_line(graph, cypher, params, message):
    with pytest.raises(CtkgError) as err:
        run_cypher(graph, cypher, params)
    assert str(err.value) == message


def test_timeout_is_the_transaction_timeout(graph):
    slow = "UNWIND range(1, 2000000000) AS x WITH x WHERE x % 7 = 3 RETURN count(*) AS n"
    with pytest.raises(CtkgError, match=r"^query stopped after the 0\.5 s timeout \(--timeout\)$"):
        run_cypher(graph, slow, timeout=0.5)


def test_values_are_bound_never_interpolated(graph):
    before = fingerprint(graph)
    hostile = "x' OR true //"
    query = "MATCH (c:Cell) WHERE c.name = $name RETURN c.id AS id"
    assert run_cypher(graph, query, {"name": hostile}).rows == []
    assert run_cypher(graph, query, {"name": "Gao cell"}).rows == [{"id": "cell:gao"}]
    injected = "region:ma'}) DETACH DELETE r //"
    assert run_query(graph, get_query("timeline"), {"region": injected}).rows == []
    assert fingerprint(graph) == before


def test_results_keep_the_column_order_of_the_query(graph):
    result = run_cypher(graph, "MATCH (c:Cell {id: 'cell:gao'}) RETURN c.name AS z, c.id AS a")
    assert result.columns == ["z", "a"]
    assert result.rows == [{"z": "Gao cell", "a": "cell:gao"}]
