"""docker/docker-compose.yml without Docker: its structure, and its password check run by sh
exactly as compose would run it (after compose's `$$` -> `$` unescaping)."""
from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
import yaml

COMPOSE = Path(__file__).resolve().parent.parent / "docker" / "docker-compose.yml"


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load(COMPOSE.read_text(encoding="utf-8"))


def check(compose: dict, password: str) -> subprocess.CompletedProcess:
    entrypoint = compose["services"]["password-check"]["entrypoint"]
    script = entrypoint[2].replace("$$", "$")
    return subprocess.run([entrypoint[0], entrypoint[1], script], capture_output=True,
                          text=True, env={"NEO4J_PASSWORD": password, "PATH": "/usr/bin:/bin"})


@pytest.mark.parametrize("password, ok", [("short", False), ("1234567", False),
                                          ("12345678", True), ("a long pass phrase", True),
                                          ("كلمة سر طويلة", True)])
def test_the_password_check_refuses_what_neo4j_would(compose, password, ok):
    result = check(compose, password)
    assert (result.returncode == 0) is ok, result.stderr
    if not ok:
        assert "at least 8" in result.stderr and password not in result.stderr


def test_neo4j_starts_only_after_the_check_and_only_on_localhost(compose):
    neo4j = compose["services"]["neo4j"]
    assert neo4j["depends_on"]["password-check"]["condition"] == "service_completed_successfully"
    assert all(port.startswith("127.0.0.1:") for port in neo4j["ports"])
    assert neo4j["environment"]["NEO4J_client_allow__telemetry"] == "false"


def test_refresh_is_optional_and_keeps_the_password_out_of_argv(compose):
    refresh = compose["services"]["refresh"]
    assert refresh["profiles"] == ["refresh"]
    assert "NEO4J_PASSWORD" in refresh["environment"]
    assert "PASSWORD" not in " ".join(refresh["entrypoint"])
