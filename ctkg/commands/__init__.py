"""Sub-commands of `ctkg`, one module per group, imported only when a command needs them.

`ctkg --help` lists every command without importing any command module (they pull in the
Neo4j driver and networkx, a few hundred milliseconds); `ctkg query list` imports only
`query_cmd`. The one-line summaries below are what `--help` prints; a test checks that each is
the first paragraph of the command's own help.
"""
from __future__ import annotations

import importlib

import click

# command name -> (module that defines it, first paragraph of its help)
LAZY: dict[str, tuple[str, str]] = {
    "neo4j": ("ctkg.commands.neo4j_cmd",
              "Run a local Neo4j Community server (from Maven Central) on 127.0.0.1."),
    "extract": ("ctkg.commands.articles_cmd",
                "Print what the extractor finds, as JSON Lines (one object per article)."),
    "ingest": ("ctkg.commands.articles_cmd",
               "Extract articles and write them to Neo4j (idempotent: re-ingesting changes "
               "nothing)."),
    "eval": ("ctkg.commands.articles_cmd",
             "Score the extractor on a folder of articles with gold annotations."),
    "demo": ("ctkg.commands.articles_cmd",
             "Ingest the example articles and print the headline queries' answers."),
    "export": ("ctkg.commands.graph_cmd",
               "Export entities and their relationships from Neo4j as a graph file."),
    "analyze": ("ctkg.commands.graph_cmd",
                "Degree and betweenness centrality, connected components, and the organisations "
                "that tie the most cells together."),
    "provenance": ("ctkg.commands.graph_cmd",
                   "Where a fact comes from: the articles, sentences and offsets behind a node "
                   "id (org:islamic-state) or relationship id (rel:...)."),
    "report": ("ctkg.commands.graph_cmd",
               "Write a one-page HTML briefing: timeline, map, top organisations and agencies, "
               "cells directed from abroad, what is new."),
    "retract": ("ctkg.commands.articles_cmd",
                "Remove an article and everything only it supported from the graph."),
    "refresh": ("ctkg.commands.refresh_cmd",
                "Fetch what is new in the configured sources and write it to Neo4j."),
    "search": ("ctkg.commands.search_cmd",
               "Find entities by name or alias in Arabic, French or English, with the label, "
               "id and score of each hit."),
    "resolve": ("ctkg.commands.resolve_cmd",
                "Merge candidates, and merge decisions that are recorded and can be undone."),
    "query": ("ctkg.commands.query_cmd",
              "The library of analyst queries (queries/*.cypher), run read-only."),
    "cypher": ("ctkg.commands.query_cmd",
               "Run ad-hoc Cypher read-only; a statement that would write is refused."),
}


def _load(group: click.Group, module_name: str) -> None:
    for command in importlib.import_module(module_name).COMMANDS:
        group.add_command(command)


class LazyGroup(click.Group):
    """A group that imports a command's module the first time the command is looked up."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(set(self.commands) | set(LAZY))

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands and cmd_name in LAZY:
            _load(self, LAZY[cmd_name][0])
        return self.commands.get(cmd_name)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """As click's, with the summaries of commands not imported yet taken from LAZY."""
        names = self.list_commands(ctx)
        if not names:
            return
        limit = formatter.width - 6 - max(len(name) for name in names)
        rows = []
        for name in names:
            command = self.commands.get(name)
            if command is None:
                command = click.Command(name, help=LAZY[name][1])
            if not command.hidden:
                rows.append((name, command.get_short_help_str(limit)))
        with formatter.section("Commands"):
            formatter.write_dl(rows)


def register(cli: click.Group) -> None:
    """Import every command module now (the docs and their tests walk `cli.commands`)."""
    for module_name in dict.fromkeys(module for module, _ in LAZY.values()):
        _load(cli, module_name)
