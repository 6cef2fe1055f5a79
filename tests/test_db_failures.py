"""A database that fails is one line and a clean stop (issue 12, item 6): a query over the
server's memory limit is not retried, and an ingest into a store whose disk fills stops at
once, still writing its rejects and saying what became of its run record.

The server here is a second one of its own: a small memory limit per transaction and, where
this machine lets root mount one, its data on a small tmpfs that the test fills."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import neo4j
import pytest

from ctkg.errors import CtkgError
from ctkg.queries.runner import run_cypher
from ctkg.server import Instance, ServerError, free_port

from tests.conftest import ROOT, TEST_ROOT

DEVSET = ROOT / "devset" / "en"
HEAVY = "UNWIND range(1, 3000000) AS x WITH collect(x) AS xs RETURN size(xs) AS n"


def _mount_tmpfs(folder: Path, size: str) -> bool:
    if os.geteuid() != 0 or shutil.which("mount") is None:
        return False
    proc = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size},mode=0700", "tmpfs",
                           str(folder)], capture_output=True)
    return proc.returncode == 0


@pytest.fixture(scope="module")
def small():
    """A server with a 16 MiB memory limit per transaction, its data on a 256 MiB tmpfs
    when one can be mounted (`small.tmpfs`)."""
    TEST_ROOT.mkdir(exist_ok=True)
    home = Path(tempfile.mkdtemp(prefix="neo4j-small-", dir=TEST_ROOT))
    (home / "data").mkdir()
    (home / "conf").mkdir()
    (home / "conf" / "neo4j-user.conf").write_text("db.memory.transaction.max=16m\n")
    tmpfs = _mount_tmpfs(home / "data", "256m")
    inst = Instance(home, bolt_port=free_port(), http_port=free_port(), heap="512m",
                    pagecache="32m")
    inst.tmpfs = tmpfs
    inst.start(log=lambda m: None)
    yield inst
    inst.stop()
    if tmpfs:
        subprocess.run(["umount", "-l", str(home / "data")], capture_output=True)
    shutil.rmtree(home, ignore_errors=True)


def env_for(inst: Instance, tmp_path: Path) -> dict:
    return {**os.environ, "NEO4J_URI": inst.bolt_uri, "NEO4J_USER": "neo4j",
            "NEO4J_PASSWORD": inst.password(), "CTKG_CONFIG": str(tmp_path / "absent.toml")}


def ctkg(*args, env):
    return subprocess.run([sys.executable, "-m", "ctkg", *map(str, args)], env=env,
                          capture_output=True, text=True, timeout=600)


def test_a_query_over_the_memory_limit_is_not_retried(small):
    with neo4j.GraphDatabase.driver(small.bolt_uri, auth=("neo4j", small.password())) as driver:
        started = time.monotonic()
        with pytest.raises(CtkgError) as err:
            run_cypher(driver, HEAVY)
        took = time.monotonic() - started
    message = str(err.value)
    assert message.startswith("Neo4j stopped the transaction: it needs more memory than the "
                              "server allows (")
    assert "db.memory.transaction.max" in message and "\n" not in message
    assert took < 15, f"{took:.0f} s: retried (the driver retries for 30 s)"


def test_the_memory_limit_on_the_cli_is_one_line_without_retry_warnings(small, tmp_path):
    started = time.monotonic()
    proc = ctkg("cypher", HEAVY, env=env_for(small, tmp_path))
    assert time.monotonic() - started < 20
    assert proc.returncode == 1
    assert proc.stdout == ""
    [line] = proc.stderr.splitlines()
    assert line.startswith("error: Neo4j stopped the transaction: it needs more memory")


def fill_disk(folder: Path, leave: int) -> Path:
    free = shutil.disk_usage(folder).free
    filler = folder / "filler"
    subprocess.run(["fallocate", "-l", str(max(free - leave, 0)), str(filler)], check=True)
    return filler


def test_a_full_disk_stops_the_ingest_with_one_line(small, tmp_path):
    """The last test of the module: it leaves the store broken or not, as Neo4j will."""
    if not small.tmpfs:
        pytest.skip("no tmpfs could be mounted here (needs root and mount)")
    env = env_for(small, tmp_path)
    first = ctkg("-q", "ingest", DEVSET / "en-001.txt", env=env)
    assert first.returncode == 0, first.stderr  # the schema and one article, while there is room
    bad = tmp_path / "latin1.txt"
    bad.write_bytes("Démantèlement d'une cellule à Tanger".encode("latin-1"))
    rejects = tmp_path / "rejects.jsonl"
    filler = fill_disk(small.home / "data", leave=256 * 1024)
    try:
        started = time.monotonic()
        proc = ctkg("-q", "ingest", "--rejects", rejects, bad, DEVSET, env=env)
        took = time.monotonic() - started
    finally:
        filler.unlink()
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr
    lines = proc.stderr.splitlines()
    assert lines[0] == f"error: {bad}: not UTF-8 text"
    assert len(lines) == 2, proc.stderr  # the bad file, then one line for the stop
    assert lines[1].startswith("error: ingest stopped: Neo4j failed: "), lines[1]
    assert "ingested " in lines[1]  # what was done before the stop
    # the rejects are written, and the run record is either finished or said to be lost
    assert [json.loads(x)["item"] for x in rejects.read_text().splitlines()] == [str(bad)]
    assert took < 120
    report_store_state(small, lines[1])


def report_store_state(inst: Instance, stop_line: str) -> None:
    """After a full disk, a restart either works or says in one line why the database is
    not online: never a traceback, never a hang."""
    inst.stop()
    try:
        inst.start(timeout=120, log=lambda m: None)
    except ServerError as exc:
        assert "\n" not in str(exc)
        assert str(exc).startswith("Neo4j runs, but its database 'neo4j' is ")
        return
    with neo4j.GraphDatabase.driver(inst.bolt_uri, auth=("neo4j", inst.password())) as driver:
        runs = driver.execute_query("MATCH (r:IngestRun) RETURN r.status AS s").records
    statuses = [r["s"] for r in runs]
    assert "finished" in statuses  # the first ingest
    if "the run record could not be finished" not in stop_line:
        assert any(s.startswith("stopped: ") for s in statuses), statuses
