"""Connection settings: CLI options > environment > config file > the managed server; URIs
for a single server, a cluster and Aura; the password never from argv."""
from __future__ import annotations

import neo4j
import pytest

from ctkg.config import ConfigError, load_settings
from ctkg.db import open_driver


def write_config(path, **values):
    body = "\n".join(f'{k} = "{v}"' for k, v in values.items())
    (path / "config.toml").write_text(f"[neo4j]\n{body}\n")


def test_layers_in_order(isolated, monkeypatch):
    write_config(isolated, uri="bolt://file:1", user="file-user", password="file-pw",
                 database="filedb")
    s = load_settings()
    assert (s.uri, s.user, s.password, s.database) == ("bolt://file:1", "file-user", "file-pw",
                                                       "filedb")
    monkeypatch.setenv("NEO4J_URI", "neo4j://env:2")
    monkeypatch.setenv("NEO4J_PASSWORD", "env-pw")
    s = load_settings()
    assert (s.uri, s.user, s.password) == ("neo4j://env:2", "file-user", "env-pw")
    s = load_settings(uri="neo4j+s://abc.databases.neo4j.io", user="cli-user", database="clidb")
    assert (s.uri, s.user, s.password, s.database) == (
        "neo4j+s://abc.databases.neo4j.io", "cli-user", "env-pw", "clidb")


def test_password_file_option_wins_and_never_shows(isolated, monkeypatch):
    monkeypatch.setenv("NEO4J_PASSWORD", "env-pw")
    (isolated / "pw").write_text("file-secret\n")
    s = load_settings(password_file=isolated / "pw")
    assert s.password == "file-secret"
    assert "file-secret" not in repr(s)


def test_managed_server_password_is_the_fallback(isolated):
    home = isolated / "home" / "neo4j"
    home.mkdir(parents=True)
    (home / "password").write_text("generated\n")
    assert load_settings().resolved_password() == "generated"


def test_missing_password_is_a_clear_error(isolated):
    with pytest.raises(ConfigError, match="no Neo4j password configured"):
        load_settings().resolved_password()


def test_bad_uri_and_bad_file_are_clear_errors(isolated):
    with pytest.raises(ConfigError, match="unsupported Neo4j URI"):
        load_settings(uri="http://localhost:7474")
    (isolated / "config.toml").write_text("[neo4j]\nuri = \n")
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_settings()
    write_config(isolated, url="bolt://x")
    with pytest.raises(ConfigError, match="unknown keys"):
        load_settings()


@pytest.mark.parametrize("scheme", ["bolt", "neo4j"])
def test_direct_and_routing_schemes_reach_the_server(settings, scheme):
    port = settings.uri.rsplit(":", 1)[1]
    s = load_settings(uri=f"{scheme}://127.0.0.1:{port}")
    s = type(s)(uri=s.uri, user=settings.user, password=settings.password)
    with open_driver(s) as driver:
        assert driver.execute_query("RETURN 1 AS one").records[0]["one"] == 1


def test_wrong_password_is_refused_without_echoing_it(settings):
    bad = type(settings)(uri=settings.uri, user=settings.user, password="not-the-password")
    with pytest.raises(neo4j.exceptions.AuthError) as info:
        with open_driver(bad):
            pass
    assert "not-the-password" not in str(info.value)


def test_unreachable_server_is_one_line_on_the_cli(tmp_path):
    import os
    import subprocess
    import sys

    from ctkg.server import free_port

    uri = f"bolt://127.0.0.1:{free_port()}"
    env = {**os.environ, "NEO4J_URI": uri, "NEO4J_PASSWORD": "secret-never-shown",
           "CTKG_CONFIG": str(tmp_path / "none.toml")}
    proc = subprocess.run([sys.executable, "-m", "ctkg", "query", "run", "weapons-caches"],
                          env=env, capture_output=True, text=True)
    assert proc.returncode == 1
    assert proc.stderr.strip().splitlines() == [
        f"error: cannot reach Neo4j at {uri}: is it running? try `ctkg neo4j status`"]
    assert "secret-never-shown" not in proc.stderr + proc.stdout
