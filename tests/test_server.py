"""The managed server: start/stop/status, persistence, password file, clear errors."""
from __future__ import annotations

import os
import stat
import subprocess
import sys

import neo4j
import pytest

from ctkg.server import Instance, ServerError, port_in_use


def test_status_reports_running_server(neo4j_instance):
    info = neo4j_instance.status()
    assert info["running"] is True
    assert info["version"].startswith("5.26")
    assert info["bolt"] == f"bolt://127.0.0.1:{neo4j_instance.bolt_port}"
    assert info["store_bytes"] > 0


def test_password_file_is_private(neo4j_instance):
    mode = stat.S_IMODE(os.stat(neo4j_instance.password_file).st_mode)
    assert mode == 0o600


def test_start_is_idempotent(neo4j_instance):
    assert neo4j_instance.start() is False
    assert neo4j_instance.pid() is not None


def test_listens_on_loopback_only(neo4j_instance):
    conf = (neo4j_instance.home / "conf" / "neo4j.conf").read_text()
    assert "server.default_listen_address=127.0.0.1" in conf
    assert port_in_use(neo4j_instance.bolt_port, "127.0.0.1")


def test_taken_port_is_one_clear_error(neo4j_instance, tmp_path):
    other = Instance(tmp_path / "other", bolt_port=neo4j_instance.bolt_port, http_port=1)
    with pytest.raises(ServerError, match="port .* is taken"):
        other.start()


def test_missing_java_is_one_line_on_the_cli(neo4j_instance, tmp_path):
    env = {**os.environ, "PATH": os.path.dirname(sys.executable), "CTKG_NEO4J_HOME": str(tmp_path)}
    proc = subprocess.run([sys.executable, "-m", "ctkg", "neo4j", "start"], env=env,
                          capture_output=True, text=True)
    assert proc.returncode == 1
    assert proc.stderr.strip() == "error: Java is not installed (Neo4j 5.26 needs Java 17 or 21 on PATH)"


def test_data_survives_stop_and_start(neo4j_instance, driver, settings):
    driver.execute_query("CREATE (:Probe {id: 'kept'})")
    neo4j_instance.stop()
    assert neo4j_instance.pid() is None
    neo4j_instance.start()
    with neo4j.GraphDatabase.driver(settings.uri, auth=(settings.user, settings.password)) as drv:
        rows = drv.execute_query("MATCH (p:Probe) RETURN p.id AS id").records
    assert [r["id"] for r in rows] == ["kept"]


def test_failed_download_is_one_clear_error(tmp_path, monkeypatch):
    """No jars in the cache and no Maven: one line saying what is missing, no traceback."""
    monkeypatch.setenv("CTKG_CACHE", str(tmp_path / "cache"))
    monkeypatch.setenv("PATH", str(tmp_path / "empty-bin"))
    from ctkg.server import install

    with pytest.raises(ServerError, match=r"^Maven \(mvn\) is not installed"):
        install(version="5.26.30")


def test_maven_failure_is_reported_as_a_download_failure(tmp_path, monkeypatch):
    """A Maven that fails (unknown version, no network) gives "download of Neo4j ... failed"."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    fake = bin_dir / "mvn"
    fake.write_text("#!/bin/sh\necho '[ERROR] Could not resolve dependencies for project'\nexit 1\n")
    fake.chmod(0o755)
    monkeypatch.setenv("CTKG_CACHE", str(tmp_path / "cache"))
    monkeypatch.setenv("PATH", f"{bin_dir}:/usr/bin:/bin")
    from ctkg.server import install

    with pytest.raises(ServerError, match=r"download of Neo4j 0\.0\.0 failed: \[ERROR\] Could not"):
        install(version="0.0.0")
