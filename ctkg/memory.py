"""The cyclic garbage collector paused around steps that build many objects which all live on."""
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
