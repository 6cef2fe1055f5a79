"""A real Neo4j Community server, obtained from Maven Central and run by ctkg itself.

Jars go to a shared cache (``ctkg.config.cache_dir()``); each instance (the user's, the
test suite's) has its own home with conf/, data/, logs/, run/ and a 0600 password file.
"""
from __future__ import annotations

import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from ctkg.errors import CtkgError
from ctkg.config import (BROWSER_VERSION, DEFAULT_BOLT_PORT, DEFAULT_HTTP_PORT, NEO4J_VERSION,
                         cache_dir, home_dir)

JVM_FLAGS = [
    "-XX:+UseG1GC", "-XX:-OmitStackTraceInFastThrow", "-Dfile.encoding=UTF-8",
    "--add-opens=java.base/java.nio=ALL-UNNAMED", "--add-opens=java.base/java.io=ALL-UNNAMED",
    "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED", "--enable-native-access=ALL-UNNAMED",
    "-Dio.netty.tryReflectionSetAccessible=true",
]
ENTRY_POINT = "org.neo4j.server.CommunityEntryPoint"


class ServerError(CtkgError):
    """A server problem the user can act on (shown as one line)."""


def lib_dir(version: str = NEO4J_VERSION) -> Path:
    return cache_dir() / f"neo4j-{version}" / "lib"


def install(version: str = NEO4J_VERSION, browser_version: str = BROWSER_VERSION,
            log=print) -> Path:
    """Fetch the server and Browser jars with Maven into the cache; a no-op when present."""
    target = lib_dir(version)
    if (target / f"neo4j-{version}.jar").exists():
        return target
    mvn = shutil.which("mvn")
    if mvn is None:
        raise ServerError("Maven (mvn) is not installed: it is needed once to fetch Neo4j's jars")
    target.parent.mkdir(parents=True, exist_ok=True)
    log(f"fetching Neo4j {version} and Browser {browser_version} jars into {target.parent} ...")
    with tempfile.TemporaryDirectory(prefix="ctkg-mvn-") as tmp:
        pom = resources.files("ctkg").joinpath("resources/neo4j-pom.xml").read_text()
        Path(tmp, "pom.xml").write_text(pom)
        staging = Path(tmp) / "lib"
        proc = subprocess.run(
            [mvn, "-q", "-B", "package", f"-Dneo4j.version={version}",
             f"-Dbrowser.version={browser_version}", f"-Dhome.lib={staging}"],
            cwd=tmp, capture_output=True, text=True)
        if proc.returncode != 0:
            lines = [ln for ln in (proc.stdout + proc.stderr).splitlines() if "ERROR" in ln]
            reason = lines[0].strip() if lines else "see `mvn package` output"
            raise ServerError(f"download of Neo4j {version} failed: {reason}")
        shutil.rmtree(target, ignore_errors=True)
        shutil.move(str(staging), target)
    return target


def port_in_use(port: int, host: str = "127.0.0.1") -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError:
            return True
    return False


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # A zombie child (ours, not yet reaped) is not a running server.
    try:
        return Path(f"/proc/{pid}/stat").read_text().split()[2] != "Z"
    except OSError:
        return True


def _dir_size(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) if path.exists() else 0


@dataclass
class Instance:
    """One server home. Ports are read from and written to its conf, so they persist."""

    home: Path
    bolt_port: int = DEFAULT_BOLT_PORT
    http_port: int = DEFAULT_HTTP_PORT
    version: str = NEO4J_VERSION
    heap: str = "1g"
    pagecache: str = "512m"

    @classmethod
    def at(cls, home: Path, bolt_port: int | None = None, http_port: int | None = None) -> "Instance":
        """The instance in ``home``: ports from the arguments, else its conf, else the defaults."""
        conf = home / "conf" / "neo4j.conf"
        text = conf.read_text() if conf.exists() else ""
        found = dict(re.findall(r"^server\.(bolt|http)\.listen_address=[^:]*:(\d+)$", text, re.M))
        return cls(home, bolt_port or int(found.get("bolt", DEFAULT_BOLT_PORT)),
                   http_port or int(found.get("http", DEFAULT_HTTP_PORT)))

    @classmethod
    def default(cls) -> "Instance":
        return cls.at(home_dir() / "neo4j")

    @property
    def pid_file(self) -> Path:
        return self.home / "run" / "neo4j.pid"

    @property
    def password_file(self) -> Path:
        return self.home / "password"

    @property
    def bolt_uri(self) -> str:
        return f"bolt://127.0.0.1:{self.bolt_port}"

    def pid(self) -> int | None:
        try:
            pid = int(self.pid_file.read_text().strip())
        except (OSError, ValueError):
            return None
        return pid if _pid_alive(pid) else None

    def password(self) -> str:
        try:
            return self.password_file.read_text(encoding="utf-8").strip()
        except FileNotFoundError:
            raise ServerError(f"no password yet: run `ctkg neo4j start` first ({self.home})") from None

    def _write_conf(self) -> None:
        for sub in ("conf", "data", "logs", "run", "plugins", "import"):
            (self.home / sub).mkdir(parents=True, exist_ok=True)
        conf = f"""# Written by ctkg; edits are overwritten at the next `ctkg neo4j start`.
server.default_listen_address=127.0.0.1
server.default_advertised_address=127.0.0.1
server.bolt.listen_address=127.0.0.1:{self.bolt_port}
server.bolt.advertised_address=127.0.0.1:{self.bolt_port}
server.http.listen_address=127.0.0.1:{self.http_port}
server.http.advertised_address=127.0.0.1:{self.http_port}
server.https.enabled=false
server.directories.data={self.home / 'data'}
server.directories.logs={self.home / 'logs'}
server.directories.run={self.home / 'run'}
server.directories.plugins={self.home / 'plugins'}
server.directories.import={self.home / 'import'}
server.memory.pagecache.size={self.pagecache}
dbms.security.auth_enabled=true
dbms.usage_report.enabled=false
db.tx_log.rotation.retention_policy=1 files
db.tx_log.preallocate=false
"""
        (self.home / "conf" / "neo4j.conf").write_text(conf)

    def _ensure_password(self) -> tuple[str, bool]:
        """Return (password, new): a fresh one is generated before the first start."""
        if self.password_file.exists():
            return self.password(), False
        self.home.mkdir(parents=True, exist_ok=True)
        password = secrets.token_urlsafe(18)
        fd = os.open(self.password_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(password + "\n")
        return password, True

    def start(self, timeout: float = 120.0, log=print) -> bool:
        """Start the server unless it runs; return True when this call started it."""
        if self.pid() is not None:
            return False
        java = shutil.which("java")
        if java is None:
            raise ServerError("Java is not installed (Neo4j 5.26 needs Java 17 or 21 on PATH)")
        for name, port in (("Bolt", self.bolt_port), ("HTTP", self.http_port)):
            if port_in_use(port):
                raise ServerError(f"{name} port {port} on 127.0.0.1 is taken by another program")
        lib = install(self.version, log=log)
        self._write_conf()
        password, new_password = self._ensure_password()
        fresh_store = not (self.home / "data" / "dbms").exists()
        console = open(self.home / "logs" / "console.log", "ab")
        log_offset = console.tell()
        proc = subprocess.Popen(
            [java, *JVM_FLAGS, f"-Xms{self.heap}", f"-Xmx{self.heap}",
             "-cp", f"{self.home / 'plugins'}/*:{lib}/*", ENTRY_POINT,
             f"--home-dir={self.home}", f"--config-dir={self.home / 'conf'}", "--console-mode"],
            stdout=console, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
            start_new_session=True, cwd=self.home, env={**os.environ, "NEO4J_HOME": str(self.home)})
        console.close()
        self.pid_file.write_text(str(proc.pid))
        try:
            self._wait_for_bolt(proc, log_offset, timeout)
            if fresh_store or new_password:
                self._set_password(password)
            self._wait_for_auth(password, timeout)
        except Exception:
            self.stop()
            raise
        return True

    def _wait_for_bolt(self, proc: subprocess.Popen, log_offset: int, timeout: float) -> None:
        console = self.home / "logs" / "console.log"
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                raise ServerError(f"Neo4j exited with code {proc.returncode}: see `ctkg neo4j logs`")
            with console.open("rb") as fh:
                fh.seek(log_offset)
                if b"INFO  Started." in fh.read():
                    return
            time.sleep(0.3)
        raise ServerError(f"Neo4j did not answer within {timeout:.0f}s: see `ctkg neo4j logs`")

    def _set_password(self, password: str) -> None:
        """Replace the initial neo4j/neo4j credentials; the password travels as a parameter."""
        import neo4j

        with neo4j.GraphDatabase.driver(self.bolt_uri, auth=("neo4j", "neo4j")) as driver:
            try:
                driver.execute_query("ALTER CURRENT USER SET PASSWORD FROM $old TO $new",
                                     old="neo4j", new=password, database_="system")
            except neo4j.exceptions.AuthError:
                # Already changed (e.g. the password file was restored): nothing to do.
                pass

    def _wait_for_auth(self, password: str, timeout: float) -> None:
        import neo4j

        deadline = time.monotonic() + timeout
        while True:
            try:
                with neo4j.GraphDatabase.driver(self.bolt_uri, auth=("neo4j", password)) as driver:
                    driver.execute_query("RETURN 1")
                return
            except neo4j.exceptions.AuthError:
                raise ServerError(
                    f"the password in {self.password_file} is not the server's: "
                    "restore it, or stop the server and remove its data folder") from None
            except neo4j.exceptions.ServiceUnavailable:
                if time.monotonic() > deadline:
                    raise ServerError("Neo4j does not accept Bolt connections: see `ctkg neo4j logs`")
                time.sleep(0.3)

    def stop(self, timeout: float = 60.0) -> bool:
        """Stop the server; return True when it was running."""
        pid = self.pid()
        if pid is None:
            self.pid_file.unlink(missing_ok=True)
            return False
        os.kill(pid, signal.SIGTERM)
        deadline = time.monotonic() + timeout
        while _pid_alive(pid) and time.monotonic() < deadline:
            _reap(pid)
            time.sleep(0.2)
        if _pid_alive(pid):
            os.kill(pid, signal.SIGKILL)
            time.sleep(0.5)
        _reap(pid)
        self.pid_file.unlink(missing_ok=True)
        return True

    def status(self) -> dict:
        pid = self.pid()
        info = {"running": pid is not None, "pid": pid, "home": str(self.home),
                "bolt": self.bolt_uri, "http": f"http://127.0.0.1:{self.http_port}",
                "store_bytes": _dir_size(self.home / "data"), "version": None}
        if pid is not None:
            import neo4j

            try:
                with neo4j.GraphDatabase.driver(self.bolt_uri, auth=("neo4j", self.password())) as d:
                    rec = d.execute_query("CALL dbms.components() YIELD name, versions, edition "
                                          "RETURN versions[0] AS v, edition").records[0]
                    info["version"] = f"{rec['v']} {rec['edition']}"
            except (neo4j.exceptions.Neo4jError, neo4j.exceptions.DriverError, ServerError):
                info["version"] = "not answering"
        return info

    def _log_tail(self, lines: int) -> str:
        path = self.home / "logs" / "console.log"
        if not path.exists():
            return ""
        with path.open("rb") as fh:
            fh.seek(0, os.SEEK_END)
            fh.seek(max(0, fh.tell() - 200 * lines))
            return "\n".join(fh.read().decode("utf-8", "replace").splitlines()[-lines:])

    def logs(self, lines: int = 50) -> str:
        return self._log_tail(lines)


def _reap(pid: int) -> None:
    try:
        os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:
        pass
