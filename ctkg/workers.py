"""Extraction spread over worker processes: results come back in input order, writing stays
with the caller. Each worker loads the gazetteer once, when it starts."""
from __future__ import annotations

import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from itertools import islice
from typing import Callable, Iterable, Iterator, TypeVar

T = TypeVar("T")
R = TypeVar("R")

CHUNKSIZE = 4  # articles sent to a worker at a time
WINDOW = 64  # articles in flight per worker: input is read as it goes, not all at once


def worker_count(requested: int) -> int:
    """`--workers N`: N processes; 0 means one per core."""
    if requested < 0:
        raise ValueError("the number of workers cannot be negative")
    return requested or os.cpu_count() or 1


def _start_worker() -> None:
    """Once per worker: the gazetteer, dateparser's patterns (compiled at first use) and the
    trained spaCy pipelines in use, if any."""
    from ctkg.loaders import models
    from ctkg.loaders.dates import parse_date
    from ctkg.loaders.gazetteer import load_gazetteer

    load_gazetteer()
    parse_date("1 January 2000", "en")
    for lang, name in models.check().items():
        if name:
            models.model(lang)


class WorkerPool:
    """A pool of `workers` processes (spawned, not forked: the parent may hold a Neo4j
    driver's threads) that maps a function over items in order."""

    def __init__(self, workers: int) -> None:
        self.workers = worker_count(workers)
        self._executor: ProcessPoolExecutor | None = None

    def __enter__(self) -> "WorkerPool":
        from ctkg.loaders import models

        models.check()  # a missing model is said here, once, not by every worker
        self._executor = ProcessPoolExecutor(
            self.workers, mp_context=multiprocessing.get_context("spawn"),
            initializer=_start_worker)
        # Start every worker now, so that start-up is not counted against the first items.
        list(self._executor.map(_ready, range(self.workers)))
        return self

    def __exit__(self, *exc) -> None:
        assert self._executor is not None
        self._executor.shutdown(cancel_futures=True)

    def map(self, fn: Callable[[T], R], items: Iterable[T]) -> Iterator[R]:
        assert self._executor is not None, "use the pool in a with block"
        items = iter(items)
        while window := list(islice(items, WINDOW * self.workers)):
            yield from self._executor.map(fn, window, chunksize=CHUNKSIZE)


def _ready(_: int) -> int:
    return os.getpid()
