"""A real Neo4j for the tests: its own home, its own free ports, never the user's server."""
from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import neo4j
import pytest

from ctkg.config import Settings
from ctkg.server import Instance, free_port

ROOT = Path(__file__).resolve().parent.parent
TEST_ROOT = ROOT / ".ctkg-test"


@pytest.fixture(scope="session")
def neo4j_instance():
    """A fresh server home per test session (parallel sessions never share one)."""
    TEST_ROOT.mkdir(exist_ok=True)
    home = Path(tempfile.mkdtemp(prefix="neo4j-", dir=TEST_ROOT))
    inst = Instance(home, bolt_port=free_port(), http_port=free_port(), heap="512m",
                    pagecache="256m")
    inst.start(log=lambda m: None)
    yield inst
    inst.stop()
    shutil.rmtree(home, ignore_errors=True)


@pytest.fixture(scope="session")
def settings(neo4j_instance) -> Settings:
    return Settings(uri=neo4j_instance.bolt_uri, user="neo4j",
                    password=neo4j_instance.password(), instance_dir=neo4j_instance.home)


@pytest.fixture(scope="session")
def session_driver(settings):
    with neo4j.GraphDatabase.driver(settings.uri, auth=(settings.user, settings.password)) as drv:
        yield drv


@pytest.fixture
def driver(session_driver):
    """The test server's driver, on an empty database (schema kept)."""
    with session_driver.session() as session:
        session.run("MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS").consume()
    return session_driver


@pytest.fixture
def writer(driver):
    """A graph writer on the test server's empty database, schema in place."""
    from ctkg.graph.writer import GraphWriter

    w = GraphWriter(driver)
    w.ensure_schema()
    return w


@pytest.fixture
def env(settings, tmp_path):
    """Environment for CLI tests: the test server, and no user config file."""
    return {"NEO4J_URI": settings.uri, "NEO4J_USER": settings.user,
            "NEO4J_PASSWORD": settings.password, "NEO4J_DATABASE": None,
            "CTKG_CONFIG": str(tmp_path / "absent.toml")}


@pytest.fixture
def cli_env(env, monkeypatch):
    """The CLI test environment set in this process (for click's CliRunner)."""
    for key, value in env.items():
        if value is None:
            monkeypatch.delenv(key, raising=False)
        else:
            monkeypatch.setenv(key, value)


@pytest.fixture
def isolated(tmp_path, monkeypatch):
    """No NEO4J_* variables, and a config file and ctkg home of the test's own."""
    for var in ("NEO4J_URI", "NEO4J_USER", "NEO4J_PASSWORD", "NEO4J_DATABASE"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("CTKG_CONFIG", str(tmp_path / "config.toml"))
    monkeypatch.setenv("CTKG_HOME", str(tmp_path / "home"))
    return tmp_path
