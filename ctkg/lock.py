"""One writer at a time per graph: a refresh and an ingest (or two of either) never write to
the same Neo4j database at once. The lock is an flock(2) on a file under the ctkg home, named
after the server and database, so the kernel releases it when its holder dies (no stale lock).
Nested use in one process (a refresh calling ingest) is free."""
from __future__ import annotations

import fcntl
import functools
import json
import logging
import os
import sys
import time
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterator

from ctkg.config import home_dir
from ctkg.errors import CtkgError
from ctkg.graph.ids import digest

log = logging.getLogger(__name__)

POLL = 0.5  # seconds between two attempts while waiting
_held: dict[str, int] = {}  # lock path -> nesting depth in this process


class Busy(CtkgError):
    """Another run holds the lock."""


def lock_path(writer) -> Path:
    """The lock file of the writer's server and database."""
    address = writer.driver.get_server_info().address
    name = digest(f"{address[0]}:{address[1]}", writer.database or "(default)")
    return home_dir() / "locks" / f"graph-{name}.lock"


@contextmanager
def write_lock(writer, wait: float | None = None, what: str = "ctkg") -> Iterator[None]:
    """Hold the graph's write lock. `wait`: seconds to wait for another holder (None: as long
    as it takes); when they pass, Busy names the holder."""
    path = lock_path(writer)
    key = str(path)
    if _held.get(key):
        _held[key] += 1
        try:
            yield
        finally:
            _held[key] -= 1
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        _acquire(fd, path, wait)
        os.ftruncate(fd, 0)
        os.pwrite(fd, json.dumps({"pid": os.getpid(), "what": what,
                                  "since": datetime.now(timezone.utc).isoformat(timespec="seconds"),
                                  "argv0": Path(sys.argv[0]).name}).encode(), 0)
        _held[key] = 1
        try:
            yield
        finally:
            _held.pop(key, None)
            os.ftruncate(fd, 0)
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


def _acquire(fd: int, path: Path, wait: float | None) -> None:
    deadline = None if wait is None else time.monotonic() + wait
    told = False
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            pass
        holder = describe_holder(path)
        if deadline is not None and time.monotonic() >= deadline:
            raise Busy(f"another run ({holder}) is writing to this graph; try again later"
                       + ("" if wait else " or pass --wait SECONDS"))
        if not told:
            log.info("waiting for another run (%s) to finish writing to this graph", holder)
            told = True
        time.sleep(POLL if deadline is None else max(0.0, min(POLL, deadline - time.monotonic())))


def describe_holder(path: Path) -> str:
    try:
        info = json.loads(path.read_text(encoding="utf-8") or "{}")
    except (OSError, ValueError):
        info = {}
    if not info:
        return "a ctkg process"
    return f"{info.get('what', 'ctkg')}, pid {info.get('pid')}, since {info.get('since')}"


def exclusive(what: str):
    """Decorate a function of (sources, writer, ...) to run holding the writer's graph lock,
    waiting for another holder as long as it takes."""
    def decorate(fn):
        @functools.wraps(fn)
        def wrapper(sources, writer, *args, **kwargs):
            with write_lock(writer, wait=None, what=what):
                return fn(sources, writer, *args, **kwargs)
        return wrapper
    return decorate
