"""The `ctkg` command line."""
from __future__ import annotations

import functools
import logging
import sys

import click

from ctkg import __version__
from ctkg.config import load_settings
from ctkg.errors import CtkgError



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


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
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
    logging.getLogger("neo4j").setLevel(logging.WARNING)
    ctx.ensure_object(dict)["quiet"] = quiet


def _register() -> None:
    from ctkg.commands import register

    register(cli)


def main() -> None:
    _register()
    import neo4j.exceptions as nx

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
    except nx.AuthError:
        click.echo("error: Neo4j refused the credentials (check NEO4J_USER/NEO4J_PASSWORD "
                   "or the config file)", err=True)
        sys.exit(1)
    except nx.ServiceUnavailable:
        click.echo("error: lost the connection to Neo4j; is it running? try `ctkg neo4j status`",
                   err=True)
        sys.exit(1)
    except BrokenPipeError:
        sys.exit(0)
    except KeyboardInterrupt:
        click.echo("interrupted", err=True)
        sys.exit(130)
