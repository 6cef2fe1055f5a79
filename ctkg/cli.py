"""The `ctkg` command line."""
from __future__ import annotations

import functools
import logging
import os
import sys
from pathlib import Path

import click

from ctkg import __version__
from ctkg.commands import LazyGroup
from ctkg.config import load_settings
from ctkg.errors import CtkgError


def output_problem(path: Path) -> str | None:
    """Why ctkg could not write a file at `path`, or None: checked before any work starts,
    so that a run does not end, after its writes, in a path that cannot be written."""
    if path.is_dir():
        return "is a folder"
    if path.exists():
        return None if os.access(path, os.W_OK) else "cannot be written (no permission)"
    folder = path.parent
    if not folder.exists():
        return f"its folder {folder} does not exist"
    if not folder.is_dir():
        return f"{folder} is not a folder"
    if not os.access(folder, os.W_OK | os.X_OK):
        return f"its folder {folder} cannot be written (no permission, or read-only)"
    return None


def writable_file(ctx: click.Context, param: click.Parameter, value):
    """A click callback for an option naming a file to write (a path, or a click.File):
    one `error:` line at once when it cannot be written."""
    name = getattr(value, "name", value)
    if value is None or name in ("-", "<stdout>"):
        return value
    problem = output_problem(Path(name))
    if problem:
        raise CtkgError(f"{param.opts[-1]} {name}: {problem}")
    return value


def connection_options(fn):
    """--uri/--user/--database/--password-file; they override NEO4J_* and the config file."""
    @click.option("--uri", help="Neo4j URI (bolt://, neo4j://, neo4j+s://). Env: NEO4J_URI.")
    @click.option("--user", help="Neo4j user. Env: NEO4J_USER.")
    @click.option("--database", help="Neo4j database. Env: NEO4J_DATABASE.")
    @click.option("--password-file", type=click.Path(dir_okay=False),
                  help="Read the password from this file (never pass it in argv). Env: NEO4J_PASSWORD.")
    @functools.wraps(fn)
    def wrapper(*args, uri, user, database, password_file, **kwargs):
        settings = load_settings(uri=uri, user=user, database=database, password_file=password_file)
        return fn(*args, settings=settings, **kwargs)
    return wrapper


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="ctkg")
@click.option("-q", "--quiet", is_flag=True, help="No progress or log lines on stderr.")
@click.option("-v", "--verbose", is_flag=True, help="Debug logging on stderr.")
@click.pass_context
def cli(ctx: click.Context, quiet: bool, verbose: bool) -> None:
    """ctkg: turn terrorism reporting (Arabic, French, English) into a Neo4j graph.

    Start with `ctkg neo4j start`, then `ctkg ingest ARTICLES...` and
    `ctkg query list`. Connection settings come from --uri/--user/--database/--password-file,
    then NEO4J_URI/NEO4J_USER/NEO4J_PASSWORD/NEO4J_DATABASE, then ~/.config/ctkg/config.toml,
    then the local server that `ctkg neo4j start` runs.
    """
    level = logging.WARNING if quiet else (logging.DEBUG if verbose else logging.INFO)
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s", stream=sys.stderr)
    # The driver's retry warnings ("Transaction failed and will be retried") are progress
    # noise for -q: only its errors stay.
    logging.getLogger("neo4j").setLevel(logging.ERROR if quiet else logging.WARNING)
    ctx.ensure_object(dict)["quiet"] = quiet


def _register() -> None:
    """Import every command now; `main` leaves that to LazyGroup, command by command."""
    from ctkg.commands import register

    register(cli)


def _driver_error(exc: Exception) -> str | None:
    """The one-line message for a driver error; the driver is consulted only when a command
    has imported it (`ctkg --help` never does)."""
    if "neo4j.exceptions" not in sys.modules:
        return None
    from ctkg.dberrors import describe

    return describe(exc)


def main() -> None:
    try:
        rv = cli.main(standalone_mode=False)
        sys.exit(rv if isinstance(rv, int) else 0)
    except click.exceptions.Abort:
        click.echo("aborted", err=True)
        sys.exit(1)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except CtkgError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(1)
    except BrokenPipeError:
        sys.exit(0)
    except KeyboardInterrupt:
        click.echo("interrupted", err=True)
        sys.exit(130)
    except Exception as exc:
        message = _driver_error(exc)
        if message is None:
            raise
        click.echo(f"error: {message}", err=True)
        sys.exit(1)
