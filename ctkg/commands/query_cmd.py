"""`ctkg query list|show|run` over the query library, and `ctkg cypher` for ad-hoc reads."""
from __future__ import annotations

import click

from ctkg.cli import connection_options
from ctkg.db import open_driver
from ctkg.output import emit, format_option
from ctkg.queries.library import (Query, adhoc_parameters, get_query, load_library,
                                  parse_assignments)
from ctkg.queries.runner import run_cypher, run_query

LIST_COLUMNS = ["id", "title", "parameters", "returns"]
SHOW_COLUMNS = ["id", "title", "description", "parameters", "returns", "cypher"]


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
    lines += ["", f"returns: {', '.join(query.returns)}", "", query.cypher.rstrip()]
    return "\n".join(lines)



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
@format_option()
def show_cmd(query_id: str, fmt: str) -> None:
    """Show one query: what it answers, its parameters, its columns and its Cypher."""
    query = get_query(query_id)
    if fmt == "table":
        click.echo(_show_text(query))
    else:
        emit([_describe(query)], SHOW_COLUMNS, fmt)


@query_group.command("run")
@click.argument("query_id", metavar="ID")
@param_option("A query parameter (repeatable); `ctkg query show ID` lists them and their types.")
@format_option()
@timeout_option
@connection_options
def run_cmd(query_id: str, params: tuple[str, ...], fmt: str, timeout: float | None,
            settings) -> None:
    """Run a library query read-only and print its rows."""
    query = get_query(query_id)
    raw = parse_assignments(params)
    query.bind(raw)  # a parameter mistake is reported before connecting
    with open_driver(settings) as driver:
        result = run_query(driver, query, raw, database=settings.database, timeout=timeout)
    emit(result.rows, result.columns, fmt)


@click.command("cypher")
@click.argument("statement", metavar="CYPHER")
@param_option("A parameter used as $NAME (repeatable). The value is read as JSON when it "
              "parses (42, true, null, [1,2]) and as text otherwise; NAME:TYPE=VALUE with a "
              "type of str, int, float, bool or date forces the type.")
@format_option()
@timeout_option
@connection_options
def cypher_cmd(statement: str, params: tuple[str, ...], fmt: str, timeout: float | None,
               settings) -> None:
    """Run ad-hoc Cypher read-only; a statement that would write is refused.

    Values go in as parameters: ctkg cypher "MATCH (c:Cell {country: $c}) RETURN c.name"
    --param c=MA
    """
    values = adhoc_parameters(params)
    with open_driver(settings) as driver:
        result = run_cypher(driver, statement, values, database=settings.database,
                            timeout=timeout)
    emit(result.rows, result.columns, fmt)


COMMANDS = [query_group, cypher_cmd]
