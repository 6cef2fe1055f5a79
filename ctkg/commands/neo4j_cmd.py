"""`ctkg neo4j start|stop|status|logs|password|install`: the local server ctkg runs itself."""
from __future__ import annotations

from pathlib import Path

import click

from ctkg.config import instance_home
from ctkg.output import emit, format_option
from ctkg.server import Instance, install

DEFAULT_PROXY_PORT = 7475  # one origin, so the Browser keeps its settings between runs


def _instance(home: str | None, bolt_port: int | None, http_port: int | None) -> Instance:
    return Instance.at(Path(home) if home else instance_home(), bolt_port, http_port)


def instance_options(fn):
    fn = click.option("--http-port", type=int, help="HTTP/Browser port (default 7474, or the home's).")(fn)
    fn = click.option("--bolt-port", type=int, help="Bolt port (default 7687, or the home's).")(fn)
    fn = click.option("--home", type=click.Path(file_okay=False), envvar="CTKG_NEO4J_HOME",
                      help="Server home (default ~/.local/share/ctkg/neo4j). Env: CTKG_NEO4J_HOME.")(fn)
    return fn


def _human(n: int) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024
    return str(n)


@click.group("neo4j")
def neo4j_group() -> None:
    """Run a local Neo4j Community server (from Maven Central) on 127.0.0.1."""


@neo4j_group.command("install")
def install_cmd() -> None:
    """Fetch Neo4j's jars into the cache (done by `start` when needed)."""
    click.echo(install(log=lambda m: click.echo(m, err=True)))


@neo4j_group.command("start")
@instance_options
@click.option("--heap", default="1g", show_default=True, help="JVM heap size.")
@click.option("--pagecache", default="512m", show_default=True, help="Page cache size.")
@click.option("--timeout", default=120.0, show_default=True, help="Seconds to wait for the server.")
def start_cmd(home, bolt_port, http_port, heap, pagecache, timeout) -> None:
    """Start the server if it is not running (idempotent); waits until it answers.

    A server of this home already running on other ports than --bolt-port/--http-port is an
    error naming the ports it runs on. The home, its data and logs are made private (0700)."""
    inst = _instance(home, bolt_port, http_port)
    inst.heap, inst.pagecache = heap, pagecache
    started = inst.start(timeout=timeout, log=lambda m: click.echo(m, err=True))
    state = "started" if started else "already running"
    click.echo(f"neo4j {state}: {inst.bolt_uri} (the Browser, with nothing calling out: "
               "`ctkg neo4j browser`)")


@neo4j_group.command("stop")
@instance_options
def stop_cmd(home, bolt_port, http_port) -> None:
    """Stop the server cleanly (SIGTERM, then SIGKILL after 60 s).

    Only a process whose command line is this home's Neo4j is signalled: a stale PID file
    naming another process is removed and that process left alone."""
    stopped = _instance(home, bolt_port, http_port).stop(log=lambda m: click.echo(m, err=True))
    click.echo("neo4j stopped" if stopped else "neo4j was not running")


@neo4j_group.command("status")
@instance_options
@format_option()
def status_cmd(home, bolt_port, http_port, fmt) -> None:
    """Running or not, pid, version, ports and store size. Exit code 3 when stopped."""
    info = _instance(home, bolt_port, http_port).status()
    info["store"] = _human(info.pop("store_bytes"))
    columns = ["running", "pid", "version", "bolt", "http", "store", "home"]
    if fmt == "table":
        for col in columns:
            click.echo(f"{col:8} {'' if info[col] is None else info[col]}")
    else:
        emit([info], columns, fmt)
    return 0 if info["running"] else 3


@neo4j_group.command("logs")
@instance_options
@click.option("-n", "--lines", default=50, show_default=True, help="How many lines.")
def logs_cmd(home, bolt_port, http_port, lines) -> None:
    """Print the end of the server's console log."""
    click.echo(_instance(home, bolt_port, http_port).logs(lines))


@neo4j_group.command("password")
@instance_options
def password_cmd(home, bolt_port, http_port) -> None:
    """Print the generated password (stored in a 0600 file in the server home)."""
    click.echo(_instance(home, bolt_port, http_port).password())


@neo4j_group.command("browser")
@instance_options
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on: a loopback address only (127.0.0.1, ::1).")
@click.option("--port", type=click.IntRange(0, 65535), default=DEFAULT_PROXY_PORT,
              show_default=True, help="Port to listen on (0: any free port).")
def browser_cmd(home, bolt_port, http_port, host, port) -> None:
    """Serve the running server's Neo4j Browser on 127.0.0.1 with nothing calling out.

    A small proxy in front of the server's HTTP port adds a Content-Security-Policy to every
    response: the page loads and connects only to this machine (the proxy, the server's HTTP
    and Bolt ports), so the browser refuses the Google Fonts, Segment, Canny and Sentry
    requests Browser 5.24 makes even with telemetry off. Prints the address; Ctrl-C stops it.
    """
    import signal

    from ctkg.browser import BrowserProxy, check_loopback
    from ctkg.errors import CtkgError

    check_loopback(host)
    inst = _instance(home, bolt_port, http_port)
    if inst.pid() is None:
        raise CtkgError(f"Neo4j is not running from {inst.home}: run `ctkg neo4j start` first")
    bolt, http = inst.running_ports()
    proxy = BrowserProxy(http, bolt, host=host, port=port)
    click.echo(f"Neo4j Browser: {proxy.browser_url()}")
    click.echo("(user neo4j, password from `ctkg neo4j password`; Ctrl-C stops)", err=True)
    # Ctrl-C and a TERM both stop it, even when started from a shell that set SIGINT aside
    # for background jobs
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    try:
        proxy.serve_forever(poll_interval=0.25)
    except KeyboardInterrupt:
        pass
    finally:
        proxy.server_close()
    click.echo(f"stopped; the page's policy refused {len(proxy.blocked)} outside address(es)",
               err=True)


COMMANDS = [neo4j_group]
