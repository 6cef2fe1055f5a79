"""The IngestRun of a run (issue 12, item 7): written when the run starts, finished when it ends,
so that a killed run stays visible as unfinished; a run that changed nothing leaves none."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

from tests.conftest import ROOT

DEVSET = ROOT / "devset"


def runs(driver) -> list[dict]:
    return [r.data() for r in driver.execute_query(
        "MATCH (r:IngestRun) RETURN r.status AS status, r.finished_at AS finished_at, "
        "r.articles AS articles, r.source AS source ORDER BY r.started_at").records]


def ctkg(*args, env):
    full = {k: v for k, v in {**os.environ, **env}.items() if v is not None}
    return subprocess.Popen([sys.executable, "-m", "ctkg", *map(str, args)], env=full,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def test_a_finished_run_says_so_and_a_repeat_leaves_no_run(env, driver):
    article = DEVSET / "en" / "en-001.txt"
    assert ctkg("-q", "ingest", article, env=env).wait(timeout=300) == 0
    [first] = runs(driver)
    assert first["status"] == "finished" and first["finished_at"] and first["articles"] == 1
    assert ctkg("-q", "ingest", article, env=env).wait(timeout=300) == 0
    assert runs(driver) == [first]  # nothing changed: no second run


def test_a_killed_run_is_visible_as_unfinished(env, driver):
    proc = ctkg("-q", "ingest", DEVSET / "ar", DEVSET / "fr", DEVSET / "en", env=env)
    try:
        deadline = time.monotonic() + 240
        while not runs(driver) and time.monotonic() < deadline and proc.poll() is None:
            time.sleep(0.1)
        assert proc.poll() is None, "the ingest ended before it could be killed"
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.wait(timeout=60)
    [run] = runs(driver)
    assert run["status"] == "running" and run["finished_at"] is None
    assert run["articles"] is None
