"""Read-only execution of library queries and ad-hoc Cypher.

Two guards, either of which refuses a write:
1. before running, the query is EXPLAINed in the same transaction and refused when the plan's
   query type is write, read-write or schema (nothing has run yet);
2. the transaction itself is a READ transaction (READ_ACCESS session, execute_read), so the
   server refuses any write the plan check did not see.
Values always travel as parameters; no value is ever formatted into the Cypher text.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import neo4j
from neo4j.exceptions import ClientError, CypherSyntaxError, Neo4jError

from ctkg.errors import CtkgError
from ctkg.queries.library import Query

# summary.query_type values: r (read), rw (read-write), w (write), s (schema write)
WRITING_QUERY_TYPES = frozenset({"w", "rw", "s"})
_READ_ONLY = "queries run read-only; use `ctkg ingest` to change the graph"
_EXPLAIN = "EXPLAIN\n"  # on its own line: positions in errors shift by exactly one line
_POSITION = re.compile(r"\(line (\d+), column (\d+) \(offset: (\d+)\)\)")


class QueryRefused(CtkgError):
    """A query that would write."""


@dataclass
class Result:
    columns: list[str]
    rows: list[dict[str, Any]]


def check_read_only(tx: neo4j.ManagedTransaction, cypher: str, params: dict) -> None:
    """EXPLAIN the query (nothing runs) and refuse it when its plan writes."""
    query_type = tx.run(_EXPLAIN + cypher, params).consume().query_type
    if query_type in WRITING_QUERY_TYPES:
        kind = "changes the schema" if query_type == "s" else "writes to the graph"
        raise QueryRefused(f"refused: this query {kind}; {_READ_ONLY}")


def _work(cypher: str, params: dict, timeout: float | None, state: dict):
    """The transaction function; state["planned"] tells an error of the EXPLAIN check (whose
    positions count the EXPLAIN line) from an error of the query itself."""
    @neo4j.unit_of_work(timeout=timeout)
    def work(tx: neo4j.ManagedTransaction) -> Result:
        state["planned"] = False
        check_read_only(tx, cypher, params)
        state["planned"] = True
        result = tx.run(cypher, params)
        columns = list(result.keys())
        return Result(columns, [record.data() for record in result])
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
            return session.execute_read(_work(cypher, params or {}, timeout, state))
        except Neo4jError as exc:
            raise _user_error(exc, timeout, shifted=not state.get("planned")) from None


def run_query(driver: neo4j.Driver, query: Query, raw_params: dict[str, str], *,
              database: str | None = None, timeout: float | None = None) -> Result:
    """Run a library query with its CLI parameters coerced to the declared types."""
    return run_cypher(driver, query.cypher, query.bind(raw_params), database=database,
                      timeout=timeout)


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
    if code.startswith("Neo.ClientError.Transaction.TransactionTimedOut"):
        return CtkgError(f"query stopped after the {timeout:g} s timeout (--timeout)"
                         if timeout else "query stopped by the server's transaction timeout")
    if isinstance(exc, ClientError):
        return CtkgError(f"query failed: {_first_line(exc, shifted)} ({code})")
    return exc
