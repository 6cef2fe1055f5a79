"""`ctkg query list|show|run` over the query library, and `ctkg cypher` for ad-hoc reads."""
from __future__ import annotations

import dataclasses
import logging
from datetime import date

import click

from ctkg.cli import connection_options, writable_file
from ctkg.errors import CtkgError
from ctkg.output import emit, format_option, lang_option
from ctkg.queries.library import (DEFAULT_LIMIT, Query, adhoc_parameters, get_query,
                                  load_library, parse_assignments)

# ctkg.db and ctkg.queries.runner import the Neo4j driver: they are imported inside the
# commands that connect, so that `ctkg query list` and `show` start fast.

LIST_COLUMNS = ["id", "title", "parameters", "returns"]
SHOW_COLUMNS = ["id", "title", "description", "parameters", "returns", "cypher"]

log = logging.getLogger(__name__)


def param_option(help_: str):
    return click.option("-p", "--param", "params", multiple=True, metavar="NAME=VALUE",
                        help=help_)


def timeout_option(fn):
    return click.option("--timeout", type=click.FloatRange(min=0, min_open=True),
                        metavar="SECONDS",
                        help="Stop the query after this many seconds (transaction timeout).")(fn)


def _describe(query: Query) -> dict:
    return {"id": query.id, "title": query.title, "description": query.description,
            "parameters": query.signature(), "returns": ", ".join(query.returns),
            "cypher": query.cypher}


def _show_text(query: Query) -> str:
    lines = [f"{query.id}: {query.title}", "", click.wrap_text(query.description), "",
             "parameters:"]
    lines += [f"  {p.signature()}" + (f"  {p.help}" if p.help else "") for p in query.params]
    if not query.params:
        lines.append("  (none)")
    lines += ["", f"returns: {', '.join(query.returns)}", "",
              f"cypher (for the Browser: ctkg query show {query.id} --browser):", "",
              query.cypher.rstrip()]
    return "\n".join(lines)


def browser_text(query: Query, raw: dict[str, str], warn: bool = True) -> str:
    """The query ready to paste into Neo4j Browser: one `:param` line per parameter (the
    --param value, else the default; null for a required one not given), then the Cypher."""
    missing = [p.name for p in query.params if p.required and p.name not in raw]
    optional = dataclasses.replace(query, params=tuple(
        dataclasses.replace(p, required=False) for p in query.params))
    values = optional.bind(raw)
    if missing and warn:
        log.warning("set %s before running it (`:param NAME => value`, or "
                    "--param NAME=VALUE here)", ", ".join(missing))
    lines = [f":param {name} => {_browser_literal(value)};" for name, value in values.items()]
    return "\n".join([*lines, query.cypher.rstrip()])


def _browser_literal(value) -> str:
    from ctkg.graph.export import cypher_literal

    if isinstance(value, date):
        return f"date({cypher_literal(value.isoformat())})"
    return cypher_literal(value)



@click.group("query")
def query_group() -> None:
    """The library of analyst queries (queries/*.cypher), run read-only.

    `ctkg query list` names them, `ctkg query show ID` explains one and
    `ctkg query run ID --param name=value` answers it.
    """


@query_group.command("list")
@format_option()
def list_cmd(fmt: str) -> None:
    """List the library's queries with their parameters and columns."""
    emit([_describe(q) for q in load_library().values()], LIST_COLUMNS, fmt)


@query_group.command("show")
@click.argument("query_id", metavar="ID")
@click.option("--browser", is_flag=True,
              help="Print only what to paste into Neo4j Browser: `:param` lines with the "
                   "defaults (or the --param values), then the Cypher.")
@param_option("With --browser: a value for a `:param` line (repeatable).")
@format_option()
def show_cmd(query_id: str, browser: bool, params: tuple[str, ...], fmt: str) -> None:
    """Show one query: what it answers, its parameters, its columns and its Cypher."""
    query = get_query(query_id)
    if params and not browser:
        raise click.UsageError("--param goes with --browser")
    if browser:
        click.echo(browser_text(query, parse_assignments(params)))
    elif fmt == "table":
        click.echo(_show_text(query))
    else:
        emit([_describe(query)], SHOW_COLUMNS, fmt)


@query_group.command("favourites")
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True),
              default="ctkg-favourites.zip", show_default=True, callback=writable_file,
              help="The zip file to write.")
def favourites_cmd(output: str) -> None:
    """Write every library query, ready to run, as a zip to drop onto Neo4j Browser: it
    becomes a `ctkg` folder of favourites (required parameters start as null)."""
    import zipfile

    try:
        with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as archive:
            for query in load_library().values():
                archive.writestr(f"ctkg/{query.id}.cypher",
                                 f"// {query.title}\n{browser_text(query, {}, warn=False)}\n")
    except OSError as exc:
        raise CtkgError(f"cannot write {output}: {exc.strerror}") from None
    log.info("wrote %d queries to %s", len(load_library()), output)


@query_group.command("run")
@click.argument("query_id", metavar="ID")
@param_option("A query parameter (repeatable); `ctkg query show ID` lists them and their types.")
@click.option("--limit", type=click.IntRange(min=0), default=DEFAULT_LIMIT, show_default=True,
              help="At most this many rows; 0 for all of them.")
@click.option("--skip", type=click.IntRange(min=0), default=0,
              help="Leave out this many rows first (the next page: --skip LIMIT).")
@format_option()
@lang_option
@timeout_option
@connection_options
def run_cmd(query_id: str, params: tuple[str, ...], limit: int, skip: int,
            fmt: str, lang: str | None, timeout: float | None, settings) -> None:
    """Run a library query read-only and print its rows, a page at a time.

    When more rows follow, a line on stderr says how to get the next page. With --lang,
    entity names are shown in that language where the graph has them.
    """
    query = get_query(query_id)
    raw = parse_assignments(params)
    query.bind(raw)  # a parameter mistake is reported before connecting
    from ctkg.db import open_driver
    from ctkg.queries.runner import run_query
    from ctkg.queries.search import resolve_params

    with open_driver(settings) as driver:
        # an entity given by name or alias becomes its id (ambiguous or unknown: an error)
        raw = resolve_params(driver, raw, [p.name for p in query.params],
                             database=settings.database)
        result = run_query(driver, query, raw, database=settings.database, timeout=timeout,
                           limit=limit or None, skip=skip)
        rows = result.rows
        if lang:
            from ctkg.display import localise

            rows = localise(driver, rows, result.columns, lang, database=settings.database)
    emit(rows, result.columns, fmt)
    if result.more:
        log.info("more rows: next page with --skip %d (or --limit 0 for all)", skip + limit)


@click.command("cypher")
@click.argument("statement", metavar="CYPHER")
@param_option("A parameter used as $NAME (repeatable). The value is read as JSON when it "
              "parses (42, true, null, [1,2]) and as text otherwise; NAME:TYPE=VALUE with a "
              "type of str, int, float, bool or date forces the type.")
@format_option()
@lang_option
@timeout_option
@connection_options
def cypher_cmd(statement: str, params: tuple[str, ...], fmt: str, lang: str | None,
               timeout: float | None, settings) -> None:
    """Run ad-hoc Cypher read-only; a statement that would write is refused.

    Values go in as parameters: ctkg cypher "MATCH (c:Cell {country: $c}) RETURN c.name"
    --param c=MA. A statement starting with EXPLAIN prints its plan; PROFILE prints its rows,
    then the plan with the rows and database hits of each operator. With --lang, a column X
    beside X_id (or name beside id) shows the entity's name in that language.
    """
    values = adhoc_parameters(params)
    from ctkg.db import open_driver
    from ctkg.queries.runner import run_cypher

    with open_driver(settings) as driver:
        result = run_cypher(driver, statement, values, database=settings.database,
                            timeout=timeout)
        rows = result.rows
        if lang and rows:
            from ctkg.display import localise

            rows = localise(driver, rows, result.columns, lang, database=settings.database)
    if result.columns and (result.rows or result.plan is None):
        emit(rows, result.columns, fmt)
    if result.plan is not None:
        click.echo(result.plan)


COMMANDS = [query_group, cypher_cmd]
