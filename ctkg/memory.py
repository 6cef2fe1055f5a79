"""The cyclic garbage collector, tuned for code that streams articles through: paused around
steps that build many objects which all live on, and run less often in a process that holds
chunks of articles for a few seconds each."""
from __future__ import annotations

import gc
from contextlib import contextmanager
from typing import Iterator


@contextmanager
def collector_paused() -> Iterator[None]:
    """The collector off while the block runs, and back on after (if it was on). A step that
    builds a large acyclic result (a chunk's rows, an article's graph) makes the collector scan
    the same young objects again and again as they age: that was about a third of the time of
    GraphWriter.prepare. Reference counting still frees what dies in the block; cycles it
    leaves are collected after it."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


# Python's default thresholds (700 allocations per young collection, 10 young collections per
# middle one) suit objects that die young. ctkg ingest holds each chunk's articles and rows for
# a few seconds: with the defaults they were scanned again and again, and promoted to the old
# generation, whose full scans followed; together a quarter of the ingest process's CPU time
# (0.53 ms per article; 0.21 with these, from the same run of 3,000 articles into 5,000).
STREAMING_THRESHOLDS = (20_000, 20)


@contextmanager
def streaming_collector() -> Iterator[None]:
    """The collector's young and middle thresholds at STREAMING_THRESHOLDS while the block runs,
    and back as they were after."""
    before = gc.get_threshold()
    gc.set_threshold(*STREAMING_THRESHOLDS, *before[2:])
    try:
        yield
    finally:
        gc.set_threshold(*before)
