"""Extraction over worker processes: input order kept, failures in their place."""
from __future__ import annotations

import os

import pytest

from ctkg.ingest import Failure, extract_all
from ctkg.workers import WorkerPool, worker_count

from tests.conftest import ROOT


def test_worker_count():
    assert worker_count(1) == 1
    assert worker_count(3) == 3
    assert worker_count(0) == (os.cpu_count() or 1)
    with pytest.raises(ValueError):
        worker_count(-2)


def test_worker_count_leaves_spare_cores_but_keeps_one_process(monkeypatch):
    monkeypatch.setattr(os, "cpu_count", lambda: 8)
    assert worker_count(0, spare=1) == 7
    assert worker_count(3, spare=1) == 3  # a number asked for is kept
    monkeypatch.setattr(os, "cpu_count", lambda: 1)
    assert worker_count(0, spare=1) == 1


def test_extraction_with_every_core_spared_still_runs_in_a_worker_process(monkeypatch):
    # `ctkg ingest --workers 0` on 2 cores: one process, not the writer's own process
    monkeypatch.setattr(os, "cpu_count", lambda: 1)
    pids = []
    real = WorkerPool.__enter__

    def enter(pool):
        pids.append(pool.workers)
        return real(pool)

    monkeypatch.setattr(WorkerPool, "__enter__", enter)
    sources = [ROOT / "devset" / "en"]
    assert [b.to_contract() for b in extract_all(sources, workers=0, spare=1)] == \
        [b.to_contract() for b in extract_all(sources)]
    assert pids == [1]


def test_a_pool_keeps_the_input_order_across_windows():
    with WorkerPool(2) as pool:
        assert list(pool.map(abs, range(-300, 0))) == list(range(300, 0, -1))


def test_two_workers_extract_what_one_extracts(tmp_path):
    missing = tmp_path / "missing.txt"
    sources = [ROOT / "examples", missing, ROOT / "devset" / "en"]
    one = list(extract_all(sources))
    two = list(extract_all(sources, workers=2))
    assert [type(x).__name__ for x in two] == [type(x).__name__ for x in one]
    assert any(isinstance(x, Failure) for x in two)
    assert [x.to_contract() if not isinstance(x, Failure) else x for x in two] == \
        [x.to_contract() if not isinstance(x, Failure) else x for x in one]
