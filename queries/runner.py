"""Read-only execution of library queries and ad-hoc Cypher.

Three guards, each of which refuses what is not a plain read of the graph:
1. before running, the statement is EXPLAINed in the same transaction (nothing runs) and the
   server's plan is checked: its query type must be a read, and every operator in it must be
   on an allow-list of read operators (READ_OPERATORS); a procedure call must name a
   procedure on READ_PROCEDURES. So TERMINATE TRANSACTIONS, SHOW TRANSACTIONS, LOAD CSV,
   administration commands and procedures that write or administer are refused by what the
   server plans, not by matching words in the text;
2. the transaction itself is a READ transaction (READ_ACCESS session, execute_read), so the
   server refuses any write the plan check did not see;
3. an error no retry can fix (the server's memory limit) is not retried (ctkg.dberrors).
Values always travel as parameters; no value is ever formatted into the Cypher text.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import neo4j
from neo4j.exceptions import ClientError, CypherSyntaxError, Neo4jError

from ctkg.dberrors import NO_DATABASE, UNRETRYABLE, describe, execute
from ctkg.errors import CtkgError
from ctkg.queries.library import DEFAULT_LIMIT, Query
from ctkg.queries.plan import plan_mode, render_plan

# summary.query_type values: r (read), rw (read-write), w (write), s (schema write)
WRITING_QUERY_TYPES = frozenset({"w", "rw"})
# The plan operators of a read (Neo4j 5 Cypher manual, "Operators"); anything else is refused.
READ_OPERATORS = frozenset({
    # leaves: scans, seeks, counts
    "AllNodesScan", "NodeByLabelScan", "NodeByIdSeek", "NodeByElementIdSeek",
    "NodeIndexSeek", "NodeUniqueIndexSeek", "MultiNodeIndexSeek", "AssertingMultiNodeIndexSeek",
    "NodeIndexSeekByRange", "NodeUniqueIndexSeekByRange", "NodeIndexContainsScan",
    "NodeIndexEndsWithScan", "NodeIndexScan", "IntersectionNodeByLabelsScan",
    "UnionNodeByLabelsScan", "SubtractionNodeByLabelsScan",
    "DirectedAllRelationshipsScan", "UndirectedAllRelationshipsScan",
    "DirectedRelationshipTypeScan", "UndirectedRelationshipTypeScan",
    "DirectedUnionRelationshipTypesScan", "UndirectedUnionRelationshipTypesScan",
    "DirectedRelationshipByIdSeek", "UndirectedRelationshipByIdSeek",
    "DirectedRelationshipByElementIdSeek", "UndirectedRelationshipByElementIdSeek",
    "DirectedRelationshipIndexSeek", "UndirectedRelationshipIndexSeek",
    "DirectedRelationshipUniqueIndexSeek", "UndirectedRelationshipUniqueIndexSeek",
    "DirectedRelationshipIndexSeekByRange", "UndirectedRelationshipIndexSeekByRange",
    "DirectedRelationshipUniqueIndexSeekByRange", "UndirectedRelationshipUniqueIndexSeekByRange",
    "DirectedRelationshipIndexScan", "UndirectedRelationshipIndexScan",
    "DirectedRelationshipIndexContainsScan", "UndirectedRelationshipIndexContainsScan",
    "DirectedRelationshipIndexEndsWithScan", "UndirectedRelationshipIndexEndsWithScan",
    "NodeCountFromCountStore", "RelationshipCountFromCountStore", "Argument", "ArgumentTracker",
    # traversal
    "Expand", "OptionalExpand", "VarLengthExpand", "BFSPruningVarLengthExpand",
    "ProjectEndpoints", "ShortestPath", "StatefulShortestPath", "Repeat", "NullifyMetadata",
    "TriadicSelection", "TriadicBuild", "TriadicFilter",
    # combining rows
    "Apply", "SemiApply", "AntiSemiApply", "LetSemiApply", "LetAntiSemiApply",
    "SelectOrSemiApply", "SelectOrAntiSemiApply", "LetSelectOrSemiApply",
    "LetSelectOrAntiSemiApply", "ConditionalApply", "AntiConditionalApply", "RollUpApply",
    "Optional", "Anti", "CartesianProduct", "NodeHashJoin", "ValueHashJoin",
    "NodeLeftOuterHashJoin", "NodeRightOuterHashJoin", "AssertSameNode",
    "AssertSameRelationship", "Union", "OrderedUnion",
    # rows
    "Filter", "Projection", "ProduceResults", "Limit", "ExhaustiveLimit", "Skip", "Sort",
    "PartialSort", "Top", "PartialTop", "Top1WithTies", "Distinct", "OrderedDistinct",
    "EagerAggregation", "OrderedAggregation", "Unwind", "Eager", "EmptyResult", "CacheProperties",
    # schema introspection
    "ShowIndexes", "ShowConstraints", "ShowProcedures", "ShowFunctions",
    # only with a procedure of READ_PROCEDURES
    "ProcedureCall",
})
# Procedures that read the graph or its schema, and nothing else.
READ_PROCEDURES = frozenset({
    "db.labels", "db.relationshipTypes", "db.propertyKeys", "db.schema.visualization",
    "db.schema.nodeTypeProperties", "db.schema.relTypeProperties",
    "db.index.fulltext.queryNodes", "db.index.fulltext.queryRelationships",
    "db.index.fulltext.listAvailableAnalyzers",
})
_PROCEDURE = re.compile(r"\s*((?:`[^`]+`|[\w$]+)(?:\.(?:`[^`]+`|[\w$]+))*)\s*\(")
_READ_ONLY = "queries run read-only; use `ctkg ingest` to change the graph"
_EXPLAIN = "EXPLAIN\n"  # on its own line: positions in errors shift by exactly one line
_POSITION = re.compile(r"\(line (\d+), column (\d+) \(offset: (\d+)\)\)")


class QueryRefused(CtkgError):
    """A statement that is not a plain read of the graph."""


@dataclass
class Result:
    columns: list[str]
    rows: list[dict[str, Any]]
    more: bool = False        # a paged query left rows out (next page: skip + limit)
    plan: str | None = None   # the plan of an EXPLAIN or PROFILE statement, as text


def check_read_only(tx: neo4j.ManagedTransaction, cypher: str, params: dict) -> None:
    """EXPLAIN the statement (nothing runs) and refuse it unless the server's plan is a read
    made only of READ_OPERATORS and READ_PROCEDURES."""
    summary = tx.run(_EXPLAIN + cypher, params).consume()
    if summary.query_type in WRITING_QUERY_TYPES:
        raise QueryRefused(f"refused: this query writes to the graph; {_READ_ONLY}")
    if summary.plan is None:
        raise QueryRefused(f"refused: the server gave no plan to check; {_READ_ONLY}")
    operators = plan_operators(summary.plan)
    schema = summary.query_type == "s"
    if schema and any(name.startswith(("Create", "Drop")) for name, _ in operators):
        raise QueryRefused(f"refused: this query changes the schema; {_READ_ONLY}")
    for name, details in operators:
        if name == "ProcedureCall":
            procedure = procedure_name(details)
            if procedure not in READ_PROCEDURES:
                raise QueryRefused(f"refused: {procedure or 'this procedure'} is not one of the "
                                   f"read-only procedures ({', '.join(sorted(READ_PROCEDURES))})")
        elif name not in READ_OPERATORS:
            raise QueryRefused(f"refused: {_clause(name)} is not a read of the graph; "
                               "queries only read the graph")
    if schema:
        raise QueryRefused(f"refused: this query changes the schema; {_READ_ONLY}")


def plan_operators(plan) -> list[tuple[str, str]]:
    """(operator, details) of every operator of an EXPLAIN plan, depth first; the operator
    without its variant and planner ("Expand(All)@neo4j" is Expand)."""
    out: list[tuple[str, str]] = []
    stack = [plan]
    while stack:
        op = stack.pop()
        name = re.split(r"[(@]", str(op.get("operatorType", "")), maxsplit=1)[0]
        out.append((name, str((op.get("args") or {}).get("Details") or "")))
        stack.extend(reversed(op.get("children") or []))
    return out


def procedure_name(details: str) -> str | None:
    """The procedure a ProcedureCall operator calls ("db.labels() :: (label :: STRING)")."""
    m = _PROCEDURE.match(details)
    return m[1].replace("`", "") if m else None


def _clause(operator: str) -> str:
    """"TerminateTransactions" as the user wrote it: TERMINATE TRANSACTIONS."""
    return " ".join(re.findall(r"[A-Z]+(?![a-z])|[A-Z][a-z]+", operator)).upper() or operator


def _work(cypher: str, params: dict, timeout: float | None, state: dict):
    """The transaction function; state["planned"] tells an error of the EXPLAIN check (whose
    positions count the EXPLAIN line) from an error of the query itself."""
    mode, statement = plan_mode(cypher)

    @neo4j.unit_of_work(timeout=timeout)
    def work(tx: neo4j.ManagedTransaction) -> Result:
        state["planned"] = False
        check_read_only(tx, statement, params)
        state["planned"] = True
        result = tx.run(cypher, params)
        columns = list(result.keys())
        rows = [record.data() for record in result]
        if mode is None:
            return Result(columns, rows)
        summary = result.consume()
        return Result(columns, rows, plan=render_plan(
            summary.profile if mode == "PROFILE" else summary.plan))
    return work


def run_cypher(driver: neo4j.Driver, cypher: str, params: dict | None = None, *,
               database: str | None = None, timeout: float | None = None) -> Result:
    """Run one read-only statement; user mistakes come back as one-line CtkgErrors."""
    state: dict = {}
    # Server notifications (unknown label, cartesian product...) would otherwise be logged as
    # multi-line warnings on every run; a query's answer is its rows.
    with driver.session(database=database, default_access_mode=neo4j.READ_ACCESS,
                        notifications_min_severity=neo4j.NotificationMinimumSeverity.OFF) as session:
        try:
            return execute(session.execute_read, _work(cypher, params or {}, timeout, state))
        except Neo4jError as exc:
            raise _user_error(exc, timeout, shifted=not state.get("planned")) from None


def run_query(driver: neo4j.Driver, query: Query, raw_params: dict[str, str], *,
              database: str | None = None, timeout: float | None = None,
              limit: int | None = DEFAULT_LIMIT, skip: int = 0) -> Result:
    """Run a library query with its CLI parameters coerced to the declared types: rows
    skip..skip+limit (all of them when limit is None), and whether more follow."""
    params = query.bind(raw_params)
    if limit is None:
        return run_cypher(driver, query.cypher, params, database=database, timeout=timeout)
    result = run_cypher(driver, query.paged_cypher, {**params, "skip": skip, "limit": limit + 1},
                        database=database, timeout=timeout)
    return Result(result.columns, result.rows[:limit], more=len(result.rows) > limit)


def _first_line(exc: Neo4jError, shifted: bool) -> str:
    """The message's first line; positions made relative to the user's text when the error
    came from the EXPLAIN check."""
    message = (exc.message or str(exc)).strip()
    line = message.splitlines()[0] if message else exc.code or "unknown error"
    if not shifted:
        return line
    return _POSITION.sub(lambda m: f"(line {int(m[1]) - 1}, column {m[2]} "
                                   f"(offset: {int(m[3]) - len(_EXPLAIN)}))", line)


def _user_error(exc: Neo4jError, timeout: float | None,
                shifted: bool) -> CtkgError | Neo4jError:
    """A one-line CtkgError for what the user can fix; anything else is raised as it is."""
    code = exc.code or ""
    if isinstance(exc, CypherSyntaxError):
        return CtkgError(f"Cypher error: {_first_line(exc, shifted)}")
    if code == "Neo.ClientError.Statement.AccessMode":
        return QueryRefused(f"refused: the server saw a write; {_READ_ONLY}")
    if code == NO_DATABASE:
        return CtkgError(describe(exc))
    if code in UNRETRYABLE:
        return CtkgError(f"{describe(exc)}: make the query lighter (a LIMIT, fewer rows "
                         "collected) or raise db.memory.transaction.max")
    if code.startswith("Neo.ClientError.Transaction.TransactionTimedOut"):
        return CtkgError(f"query stopped after the {timeout:g} s timeout (--timeout)"
                         if timeout else "query stopped by the server's transaction timeout")
    if isinstance(exc, ClientError):
        return CtkgError(f"query failed: {_first_line(exc, shifted)} ({code})")
    return exc
