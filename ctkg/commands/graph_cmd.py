"""`ctkg export`, `ctkg analyze`, `ctkg provenance`: the graph read back from Neo4j."""
from __future__ import annotations

import logging

import click

from ctkg.cli import connection_options, writable_file
from ctkg.config import Settings
from ctkg.db import open_driver
from ctkg.errors import CtkgError
from ctkg.graph.analyze import HUB_KINDS, SECTIONS, leave_out
from ctkg.graph.export import FORMATS, render
from ctkg.graph.nx import MAX_HOPS, SubgraphError, fact_kind, read_subgraph
from ctkg.graph.provenance import provenance
from ctkg.graph.writer import ENTITY_LABELS
from ctkg.output import emit, format_option, lang_option

log = logging.getLogger(__name__)

PROVENANCE_COLUMNS = ("article", "locator", "title", "url", "published", "sentence", "start",
                      "end", "extractor", "extractor_version", "confidence", "first_seen",
                      "last_seen")
PROVENANCE_TABLE = ("locator", "start", "end", "confidence", "extractor", "extractor_version",
                    "last_seen", "sentence")
# In a table, list cells (a component's members) show this many items.
TABLE_ITEMS = 5


def _subgraph(settings: Settings, driver=None, **kwargs):
    if driver is None:
        with open_driver(settings) as driver:
            return _subgraph(settings, driver, **kwargs)
    try:
        return read_subgraph(driver, settings.database, **kwargs)
    except SubgraphError as exc:
        raise CtkgError(str(exc)) from None


@click.command("export")
@connection_options
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="graphml", show_default=True,
              help="graphml/gexf for Gephi, yEd, Cytoscape; json is networkx node-link JSON; "
                   "cypher is a MERGE script that recreates the graph.")
@click.option("-o", "--output", type=click.File("w", encoding="utf-8", lazy=True), default="-",
              show_default=True, callback=writable_file, help="File to write; - for stdout.")
@click.option("--label", "labels", multiple=True, type=click.Choice(ENTITY_LABELS),
              help="Keep only nodes with this label (repeatable).")
@click.option("--center", metavar="ID", help="Keep only the neighbourhood of this node id.")
@click.option("--hops", type=click.IntRange(0, MAX_HOPS),
              help="With --center: how many relationships away, either direction (default 1).")
@click.option("--since", metavar="DATE",
              help="Keep only nodes and relationships last seen on or after this ISO date.")
@click.option("--include-provenance", is_flag=True,
              help="Also export the Articles and Evidence nodes behind the facts.")
def export_cmd(settings, fmt, output, labels, center, hops, since, include_provenance) -> None:
    """Export entities and their relationships from Neo4j as a graph file."""
    graph = _subgraph(settings, labels=labels, since=since, center_id=center, hops=hops,
                      include_provenance=include_provenance)
    output.write(render(graph, fmt))
    log.info("exported %d nodes, %d relationships (%s)", graph.number_of_nodes(),
             graph.number_of_edges(), fmt)


@click.command("analyze")
@connection_options
@click.option("--top", default=10, show_default=True, type=click.IntRange(min=1),
              help="Rows per section.")
@click.option("--leave-out", "hubs", multiple=True, metavar="LABEL|KIND",
              type=click.Choice(ENTITY_LABELS + HUB_KINDS),
              help="Leave out the nodes of this label, or the Regions of this kind (country, "
                   "supra, sea), which otherwise tie everything together (repeatable).")
@format_option()
@lang_option
def analyze_cmd(settings, top, hubs, fmt, lang) -> None:
    """Degree and betweenness centrality, connected components, and the organisations that
    tie the most cells together.

    json/jsonl/csv give one row stream with a `metric` column (degree, betweenness,
    components, organisations). With --lang, entity names are shown in that language where
    the graph has them.
    """
    with open_driver(settings) as driver:
        graph = leave_out(_subgraph(settings, driver), hubs)
        sections = [(name, title, fn(graph, top)) for name, title, fn in SECTIONS]
        if lang:
            from ctkg.display import localise

            sections = [(name, title, localise(driver, rows, _columns(rows), lang,
                                               database=settings.database))
                        for name, title, rows in sections]
    if fmt != "table":
        rows = [{"metric": name, **row} for name, _, section in sections for row in section]
        emit(rows, _columns(rows), fmt)
        return
    for index, (_, title, rows) in enumerate(sections):
        click.echo(("\n" if index else "") + title)
        emit([_shorten(row) for row in rows], _columns(rows), fmt, strict=False)


def _columns(rows: list[dict]) -> list[str]:
    """Every key of the rows, in first-seen order."""
    return list(dict.fromkeys(key for row in rows for key in row))


def _shorten(row: dict) -> dict:
    out = dict(row)
    for key, value in row.items():
        if isinstance(value, list) and len(value) > TABLE_ITEMS:
            out[key] = value[:TABLE_ITEMS] + [f"... +{len(value) - TABLE_ITEMS}"]
    return out


@click.command("provenance")
@connection_options
@click.argument("fact_id", metavar="ID")
@format_option()
def provenance_cmd(settings, fact_id, fmt) -> None:
    """Where a fact comes from: the articles, sentences and offsets behind a node id
    (org:islamic-state) or relationship id (rel:...)."""
    with open_driver(settings) as driver:
        rows = provenance(driver, fact_id, settings.database)
        if not rows:
            fact = fact_kind(driver, fact_id, settings.database)
            if fact is None:
                raise CtkgError(f"unknown id {fact_id!r}: no node or relationship has it")
            log.info("%s (%s, origin %s) has no article evidence", fact_id, fact["kind"],
                     fact["origin"] or "article")
    emit(rows, PROVENANCE_TABLE if fmt == "table" else PROVENANCE_COLUMNS, fmt)


@click.command("report")
@connection_options
@click.option("-o", "--output", type=click.File("w", encoding="utf-8", lazy=True),
              default="brief.html", show_default=True, callback=writable_file,
              help="HTML file to write; - for stdout.")
@click.option("--since", type=click.DateTime(["%Y-%m-%d"]), metavar="DATE",
              help="The 'new since' section starts on this day (default: the last ingest run).")
@click.option("--top", default=10, show_default=True, type=click.IntRange(min=1),
              help="Rows in the top organisations and agencies.")
@lang_option
def report_cmd(settings, output, since, top, lang) -> None:
    """Write a one-page HTML briefing: timeline, map, top organisations and agencies, cells
    directed from abroad, what is new.

    The file is self-contained (styles and charts embedded) and loads nothing from the network;
    Arabic names read right to left. With --lang, entity names are shown in that language
    where the graph has them.
    """
    from ctkg.report import collect, render_html

    with open_driver(settings) as driver:
        data = collect(driver, settings.database, since.date() if since else None, top, lang)
    output.write(render_html(data))
    log.info("wrote a briefing of %d incidents and %d located places", len(data["timeline"]),
             len(data["points"]))


COMMANDS = [export_cmd, analyze_cmd, provenance_cmd, report_cmd]
