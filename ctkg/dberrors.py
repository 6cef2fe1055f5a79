"""What a Neo4j error means for ctkg: one line for the user, whether retrying can help, and
whether it stops a whole run (the database, not one article, is the problem).

The driver retries every "transient" error for up to 30 s; some of those cannot succeed on a
retry (a transaction over the server's memory limit needs the same memory again), so the
transaction functions of ctkg run through `execute`, which lets them fail at once.
"""
from __future__ import annotations

import functools
from typing import Callable

from neo4j.exceptions import (AuthError, DatabaseError, DatabaseUnavailable, DriverError,
                              Neo4jError, ServiceUnavailable, SessionExpired)

# Transient in the server's eyes, but the same transaction would fail the same way again.
UNRETRYABLE = frozenset({
    "Neo.TransientError.General.MemoryPoolOutOfMemoryError",
    "Neo.TransientError.General.OutOfMemoryError",
})
NO_DATABASE = "Neo.ClientError.Database.DatabaseNotFound"


class _Unretryable(Exception):
    """Carries an error out of the driver's retry loop (it retries only its own errors)."""

    def __init__(self, error: Neo4jError) -> None:
        super().__init__(error)
        self.error = error


def execute(run: Callable, work: Callable, *args, **kwargs):
    """`session.execute_read`/`execute_write` (`run`) of a transaction function, retried by
    the driver as usual except for the errors no retry can fix, which are raised at once."""
    @functools.wraps(work)  # keeps @unit_of_work's timeout
    def once(tx, *a, **kw):
        try:
            return work(tx, *a, **kw)
        except Neo4jError as exc:
            if exc.code in UNRETRYABLE:
                raise _Unretryable(exc) from None
            raise

    try:
        return run(once, *args, **kwargs)
    except _Unretryable as exc:
        raise exc.error from None


def _first_line(exc: Exception) -> str:
    text = (getattr(exc, "message", None) or str(exc) or type(exc).__name__).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def describe(exc: BaseException) -> str | None:
    """One line for a driver or server error, or None when it is not one."""
    if not isinstance(exc, (Neo4jError, DriverError)):
        return None
    code = getattr(exc, "code", None) or ""
    if isinstance(exc, AuthError):
        return ("Neo4j refused the credentials (check NEO4J_USER/NEO4J_PASSWORD or the "
                "config file)")
    if code == NO_DATABASE:
        return (f"Neo4j has no such database ({_first_line(exc)}); check --database or "
                "NEO4J_DATABASE (Neo4j Community has only `neo4j`)")
    if code in UNRETRYABLE:
        return ("Neo4j stopped the transaction: it needs more memory than the server allows "
                f"({_first_line(exc)})")
    if isinstance(exc, DatabaseUnavailable):
        return "the Neo4j database is not available (see `ctkg neo4j logs`); try again later"
    if isinstance(exc, (ServiceUnavailable, SessionExpired)):
        return "lost the connection to Neo4j; is it running? try `ctkg neo4j status`"
    if isinstance(exc, DatabaseError):
        return (f"Neo4j failed: {_first_line(exc)} ({code}); a full disk is a common cause: "
                "see `ctkg neo4j logs`")
    return f"Neo4j: {_first_line(exc)}" + (f" ({code})" if code else "")


def stops_the_run(exc: BaseException) -> bool:
    """True when the database itself failed (no disk, no database, no connection), so that
    the next article would fail the same way: a run stops rather than trying each one."""
    if isinstance(exc, (AuthError, DatabaseUnavailable, ServiceUnavailable, SessionExpired,
                        DatabaseError)):
        return True
    return getattr(exc, "code", None) == NO_DATABASE
