"""Server management that cannot hurt a bystander (issue 12, item 4): a PID is trusted only when
its command line is this home's Neo4j, a port mismatch is reported as it is, and the home,
its data and logs are private."""
from __future__ import annotations

import logging
import os
import stat
import subprocess
import sys

import pytest

from ctkg.config import load_settings
from ctkg.server import Instance, ServerError, free_port


def mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def ctkg(*args, env=None, path=None):
    env = {**os.environ, **(env or {})}
    if path is not None:
        env["PATH"] = path
    return subprocess.run([sys.executable, "-m", "ctkg", *map(str, args)], env=env,
                          capture_output=True, text=True, timeout=120)


@pytest.fixture
def bystander():
    """An unrelated process, whose PID a stale PID file may name."""
    proc = subprocess.Popen(["sleep", "300"])
    yield proc
    proc.kill()
    proc.wait()


def stale_home(tmp_path, pid: int):
    home = tmp_path / "home"
    (home / "run").mkdir(parents=True)
    (home / "run" / "neo4j.pid").write_text(str(pid))
    return home


def test_a_stale_pid_of_another_process_is_not_trusted(tmp_path, bystander):
    inst = Instance.at(stale_home(tmp_path, bystander.pid))
    assert inst.recorded_pid() == bystander.pid
    assert inst.pid() is None and inst.status()["running"] is False
    said = []
    assert inst.stop(log=said.append) is False
    assert bystander.poll() is None  # still alive: never signalled
    assert said == [f"removed a stale PID file: process {bystander.pid} is not this home's "
                    "Neo4j (left alone)"]
    assert not inst.pid_file.exists()


def test_stop_on_the_cli_leaves_the_bystander_alone(tmp_path, bystander):
    home = stale_home(tmp_path, bystander.pid)
    proc = ctkg("neo4j", "stop", "--home", home)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "neo4j was not running"
    assert proc.stderr.strip() == (f"removed a stale PID file: process {bystander.pid} is not "
                                   "this home's Neo4j (left alone)")
    assert bystander.poll() is None


def test_start_with_a_stale_pid_does_not_say_already_running(tmp_path, bystander):
    """Without Java the start stops early, after the PID file was judged."""
    home = stale_home(tmp_path, bystander.pid)
    proc = ctkg("neo4j", "start", "--home", home, path=os.path.dirname(sys.executable))
    assert "already running" not in proc.stdout + proc.stderr
    assert proc.stderr.splitlines() == [
        f"removed a stale PID file: process {bystander.pid} is not this home's Neo4j (left alone)",
        "error: Java is not installed (Neo4j 5.26 needs Java 17 or 21 on PATH)"]
    assert bystander.poll() is None


def test_a_pid_file_of_a_finished_process_is_stale(tmp_path):
    done = subprocess.run(["true"])
    assert done.returncode == 0
    gone = subprocess.Popen(["true"])
    gone.wait()
    inst = Instance.at(stale_home(tmp_path, gone.pid))
    said = []
    assert inst.stop(log=said.append) is False
    assert said == [f"removed a stale PID file: process {gone.pid} is gone"]


def test_the_running_server_is_recognised_by_its_command_line(neo4j_instance):
    pid = neo4j_instance.pid()
    assert pid is not None and neo4j_instance.is_server(pid)
    assert not neo4j_instance.is_server(os.getpid())
    other = Instance.at(neo4j_instance.home.parent / "another-home")
    assert not other.is_server(pid)  # the same Neo4j is not another home's


def test_a_port_mismatch_is_reported_as_it_is(neo4j_instance):
    asked = free_port()
    inst = Instance.at(neo4j_instance.home, bolt_port=asked)
    with pytest.raises(ServerError) as err:
        inst.start()
    assert str(err.value) == (
        f"Neo4j already runs from {neo4j_instance.home} on Bolt port {neo4j_instance.bolt_port} "
        f"and HTTP port {neo4j_instance.http_port}, not {asked} and {neo4j_instance.http_port}: "
        "run `ctkg neo4j stop` first to change its ports")
    assert inst.status()["bolt"] == neo4j_instance.bolt_uri  # status tells where it listens


def test_a_port_mismatch_on_the_cli_is_one_error_line(neo4j_instance):
    asked = free_port()
    proc = ctkg("neo4j", "start", "--home", neo4j_instance.home, "--bolt-port", asked)
    assert proc.returncode == 1
    assert proc.stdout == ""
    assert proc.stderr.startswith(f"error: Neo4j already runs from {neo4j_instance.home} on "
                                  f"Bolt port {neo4j_instance.bolt_port}")
    same = ctkg("neo4j", "start", "--home", neo4j_instance.home)
    assert same.returncode == 0
    assert same.stdout.startswith(f"neo4j already running: {neo4j_instance.bolt_uri}")


def test_home_data_and_logs_are_private(neo4j_instance):
    home = neo4j_instance.home
    for folder in (home, home / "data", home / "logs", home / "conf", home / "run"):
        assert mode(folder) == 0o700, folder
    assert mode(neo4j_instance.password_file) == 0o600
    assert mode(home / "logs" / "console.log") == 0o600
    # What Neo4j itself wrote (store files, its logs) is readable by its owner only.
    written = [p for sub in ("data", "logs") for p in (home / sub).rglob("*")
               if p.is_file() and not p.is_symlink()]
    assert written
    assert [p for p in written if mode(p) & 0o077] == []


def test_a_loose_home_is_made_private_with_a_warning(tmp_path):
    home = tmp_path / "loose"
    for sub in ("data", "logs"):
        (home / sub).mkdir(parents=True)
        (home / sub).chmod(0o755)
    home.chmod(0o755)
    (home / "password").write_text("secret\n")
    (home / "password").chmod(0o644)
    said = []
    Instance.at(home).make_private(log=said.append)
    assert said == [f"warning: {home / 'password'} was readable by other users (mode 0644); "
                    "it is now 0600"]
    assert [mode(p) for p in (home, home / "data", home / "logs")] == [0o700] * 3
    assert mode(home / "password") == 0o600


@pytest.mark.parametrize("file_mode, warned", [(0o644, True), (0o640, True), (0o600, False)])
def test_a_config_file_with_a_password_readable_by_others_is_warned_about(
        isolated, caplog, file_mode, warned):
    config = isolated / "config.toml"
    config.write_text('[neo4j]\nuri = "bolt://127.0.0.1:7687"\npassword = "s3cret"\n')
    config.chmod(file_mode)
    with caplog.at_level(logging.WARNING, logger="ctkg.config"):
        assert load_settings().password == "s3cret"
    messages = [r.getMessage() for r in caplog.records]
    if warned:
        assert messages == [f"{config} is readable by other users (mode {file_mode:04o}) and the "
                            f"config file holds the Neo4j password: chmod 600 {config}"]
    else:
        assert messages == []
    assert all("s3cret" not in m for m in messages)


def test_a_loose_password_file_is_warned_about(isolated, caplog):
    secret = isolated / "pw"
    secret.write_text("s3cret\n")
    secret.chmod(0o644)
    with caplog.at_level(logging.WARNING, logger="ctkg.config"):
        load_settings(uri="bolt://127.0.0.1:7687", password_file=secret)
    assert [r.getMessage() for r in caplog.records] == [
        f"{secret} is readable by other users (mode 0644) and it holds the Neo4j password: "
        f"chmod 600 {secret}"]
