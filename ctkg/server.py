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
import stat
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
SUBFOLDERS = ("conf", "data", "logs", "run", "plugins", "import")


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


def _command_line(pid: int) -> list[str] | None:
    """A process's arguments (from /proc, else ps), or None when they cannot be read."""
    try:
        raw = Path(f"/proc/{pid}/cmdline").read_bytes()
        return raw.decode("utf-8", "replace").split("\0")[:-1] if raw else []
    except FileNotFoundError:
        if Path("/proc/self").exists():
            return None  # /proc works: the process is gone
    except OSError:
        return None
    # No /proc (macOS, BSD): ask ps.
    proc = subprocess.run(["ps", "-o", "args=", "-p", str(pid)], capture_output=True, text=True)
    return proc.stdout.split() if proc.returncode == 0 else None


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

    def __post_init__(self) -> None:
        self.home = Path(self.home).expanduser().absolute()  # Java runs in another folder

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

    def recorded_pid(self) -> int | None:
        """The PID in the home's PID file, whatever runs under it now."""
        try:
            return int(self.pid_file.read_text().strip())
        except (OSError, ValueError):
            return None

    def is_server(self, pid: int) -> bool:
        """True when `pid` is this home's Neo4j: alive, and started with its entry point and
        this home. A PID file can outlive its server, and the PID be reused by anything."""
        if not _pid_alive(pid):
            return False
        args = _command_line(pid) or []
        homes = [a.removeprefix("--home-dir=") for a in args if a.startswith("--home-dir=")]
        return ENTRY_POINT in args and any(Path(h).resolve() == self.home.resolve()
                                           for h in homes)

    def pid(self) -> int | None:
        """The running server's PID; None when the PID file names no server of this home."""
        pid = self.recorded_pid()
        return pid if pid is not None and self.is_server(pid) else None

    def _forget_stale_pid(self, log) -> None:
        """Remove a PID file that names no server of this home, saying so; its process, if
        any, is someone else's and is left alone."""
        pid = self.recorded_pid()
        if pid is None or self.is_server(pid):
            return
        self.pid_file.unlink(missing_ok=True)
        whose = "is not this home's Neo4j (left alone)" if _pid_alive(pid) else "is gone"
        log(f"removed a stale PID file: process {pid} {whose}")

    def running_ports(self) -> tuple[int, int]:
        """(Bolt, HTTP) ports of the conf the running server was started with."""
        conf = Instance.at(self.home)
        return conf.bolt_port, conf.http_port

    def make_private(self, log=print) -> None:
        """The home and its folders 0700, the password file 0600: a server's data, logs and
        secret are its owner's alone. A looser password file is tightened, with a warning."""
        self.home.mkdir(parents=True, exist_ok=True)
        for folder in (self.home, *(self.home / sub for sub in SUBFOLDERS)):
            folder.mkdir(exist_ok=True)
            folder.chmod(0o700)
        if self.password_file.exists():
            mode = stat.S_IMODE(self.password_file.stat().st_mode)
            if mode & 0o077:
                log(f"warning: {self.password_file} was readable by other users "
                    f"(mode {mode:04o}); it is now 0600")
                self.password_file.chmod(0o600)

    def password(self) -> str:
        try:
            return self.password_file.read_text(encoding="utf-8").strip()
        except FileNotFoundError:
            raise ServerError(f"no password yet: run `ctkg neo4j start` first ({self.home})") from None

    def _write_conf(self) -> None:
        for sub in SUBFOLDERS:
            (self.home / sub).mkdir(parents=True, exist_ok=True)
        conf = f"""# Written by ctkg; edits are overwritten at the next `ctkg neo4j start`.
# Your own settings go in neo4j-user.conf beside this file: they are added at every start,
# replacing ctkg's value of the same key (except addresses, directories and auth).
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
client.allow_telemetry=false
browser.remote_content_hostname_whitelist=localhost,127.0.0.1
"""
        user_conf = self.home / "conf" / "neo4j-user.conf"
        user = user_conf.read_text(encoding="utf-8") if user_conf.is_file() else ""
        pinned = ("server.default_", "server.bolt.", "server.http.", "server.https.",
                  "server.directories.", "dbms.security.auth_enabled")
        mine = {line.partition("=")[0].strip(): line for line in user.splitlines()
                if "=" in line and not line.lstrip().startswith("#")}
        ignored = [key for key in mine if key.startswith(pinned)]
        kept = [line for line in conf.splitlines() if line.partition("=")[0] not in mine
                or line.startswith(pinned)]
        added = [line for key, line in mine.items() if key not in ignored]
        if added or ignored:
            kept += [f"# from {user_conf.name}" + (f" (ignored: {', '.join(ignored)})"
                                                   if ignored else "")] + added
        (self.home / "conf" / "neo4j.conf").write_text("\n".join(kept) + "\n")

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
        """Start the server unless it runs; return True when this call started it. A server
        already running on other ports than these is an error, not a success."""
        if self.pid() is not None:
            ports = self.running_ports()
            if ports != (self.bolt_port, self.http_port):
                raise ServerError(
                    f"Neo4j already runs from {self.home} on Bolt port {ports[0]} and HTTP port "
                    f"{ports[1]}, not {self.bolt_port} and {self.http_port}: run `ctkg neo4j "
                    "stop` first to change its ports")
            return False
        self._forget_stale_pid(log)
        java = shutil.which("java")
        if java is None:
            raise ServerError("Java is not installed (Neo4j 5.26 needs Java 17 or 21 on PATH)")
        for name, port in (("Bolt", self.bolt_port), ("HTTP", self.http_port)):
            if port_in_use(port):
                raise ServerError(f"{name} port {port} on 127.0.0.1 is taken by another program")
        lib = install(self.version, log=log)
        self.make_private(log)
        self._write_conf()
        password, new_password = self._ensure_password()
        fresh_store = not (self.home / "data" / "dbms").exists()
        console = os.fdopen(os.open(self.home / "logs" / "console.log",
                                    os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600), "ab")
        log_offset = console.tell()
        proc = subprocess.Popen(
            [java, *JVM_FLAGS, f"-Xms{self.heap}", f"-Xmx{self.heap}",
             "-cp", f"{self.home / 'plugins'}/*:{lib}/*", ENTRY_POINT,
             f"--home-dir={self.home}", f"--config-dir={self.home / 'conf'}", "--console-mode"],
            stdout=console, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
            start_new_session=True, cwd=self.home, env={**os.environ, "NEO4J_HOME": str(self.home)},
            umask=0o077)  # the files Neo4j writes (store, logs) are its owner's alone
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
                    self._wait_for_database(driver, deadline)  # its first query logs in
                return
            except neo4j.exceptions.AuthError:
                raise ServerError(
                    f"the password in {self.password_file} is not the server's: "
                    "restore it, or stop the server and remove its data folder") from None
            except neo4j.exceptions.ServiceUnavailable:
                if time.monotonic() > deadline:
                    raise ServerError("Neo4j does not accept Bolt connections: see `ctkg neo4j logs`")
                time.sleep(0.3)

    def _wait_for_database(self, driver, deadline: float) -> None:
        """Until the default database is online; a database that failed to start (a store
        broken by a full disk, say) is one line, not a hang or a traceback."""
        while True:
            row = driver.execute_query(
                "SHOW DEFAULT DATABASE YIELD name, currentStatus, statusMessage",
                database_="system").records[0]
            if row["currentStatus"] == "online":
                return
            failed = row["statusMessage"] and row["currentStatus"] != "starting"
            if failed or time.monotonic() > deadline:
                reason = (row["statusMessage"] or "").strip().splitlines()
                raise ServerError(f"Neo4j runs, but its database {row['name']!r} is "
                                  f"{row['currentStatus']}" + (f": {reason[0]}" if reason else "")
                                  + "; see `ctkg neo4j logs`")
            time.sleep(0.3)

    def stop(self, timeout: float = 60.0, log=lambda message: None) -> bool:
        """Stop the server; return True when it was running. Only a process whose command
        line is this home's Neo4j is ever signalled."""
        pid = self.pid()
        if pid is None:
            self._forget_stale_pid(log)
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
        bolt, http = self.running_ports() if pid is not None else (self.bolt_port, self.http_port)
        info = {"running": pid is not None, "pid": pid, "home": str(self.home),
                "bolt": f"bolt://127.0.0.1:{bolt}", "http": f"http://127.0.0.1:{http}",
                "store_bytes": _dir_size(self.home / "data"), "version": None}
        if pid is not None:
            import neo4j

            try:
                with neo4j.GraphDatabase.driver(info["bolt"], auth=("neo4j", self.password())) as d:
                    rec = d.execute_query("CALL dbms.components() YIELD name, versions, edition "
                                          "RETURN versions[0] AS v, edition",
                                          database_="system").records[0]
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
