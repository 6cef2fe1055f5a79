"""Extraction spread over worker processes: results come back in input order, writing stays
with the caller. Each worker loads the gazetteer once, when it starts."""
from __future__ import annotations

import multiprocessing
import os
from collections import deque
from concurrent.futures import Future, ProcessPoolExecutor
from itertools import islice
from typing import Callable, Iterable, Iterator, TypeVar

from ctkg.memory import collector_paused

T = TypeVar("T")
R = TypeVar("R")

CHUNKSIZE = 4  # articles sent to a worker at a time
WINDOW = 64  # articles in flight per worker: input is read as it goes, not all at once


def worker_count(requested: int, spare: int = 0) -> int:
    """`--workers N`: N processes; 0 means one per core, less `spare` cores left to other
    work (at least one)."""
    if requested < 0:
        raise ValueError("the number of workers cannot be negative")
    return requested or max(1, (os.cpu_count() or 1) - spare)


# One short sentence per language, read once by each worker when it starts.
WARM_UP = {"ar": "فككت الشرطة خلية في طنجة.", "fr": "La police a démantelé une cellule à Tanger.",
           "en": "Police dismantled a cell in Tangier."}


def _start_worker() -> None:
    """Once per worker: the gazetteer, dateparser's patterns (compiled at first use), the
    trained spaCy pipelines in use, if any, and each language's pipeline and matchers (built
    at first use), so that no worker pays for them in the middle of a run."""
    from ctkg.loaders import models
    from ctkg.loaders.articles import RawArticle
    from ctkg.loaders.dates import parse_date
    from ctkg.loaders.extractor import extract
    from ctkg.loaders.gazetteer import load_gazetteer

    load_gazetteer()
    parse_date("1 January 2000", "en")
    for lang, name in models.check().items():
        if name:
            models.model(lang)
    for lang, text in WARM_UP.items():
        extract(RawArticle(text=text, lang=lang, url=f"warm-up:{lang}"))


class WorkerPool:
    """A pool of `workers` processes (spawned, not forked: the parent may hold a Neo4j
    driver's threads) that maps a function over items in order."""

    def __init__(self, workers: int, spare: int = 0) -> None:
        self.workers = worker_count(workers, spare)
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
        """fn over the items, in order. A sliding window: each chunk taken from the front is
        replaced by a new one at the back, so the workers never wait for the caller to drain
        a whole window (the caller writes while they extract)."""
        assert self._executor is not None, "use the pool in a with block"
        items = iter(items)
        pending: deque[Future] = deque()

        def submit() -> bool:
            chunk = list(islice(items, CHUNKSIZE))
            if chunk:
                pending.append(self._executor.submit(_map_chunk, fn, chunk))
            return bool(chunk)

        for _ in range(WINDOW * self.workers // CHUNKSIZE):
            if not submit():
                break
        while pending:
            results = pending.popleft().result()
            submit()
            yield from results


def _map_chunk(fn: Callable[[T], R], chunk: list[T]) -> list[R]:
    # an article's extraction builds its whole graph before it is sent back (see memory)
    with collector_paused():
        return [fn(item) for item in chunk]


def _ready(_: int) -> int:
    return os.getpid()
