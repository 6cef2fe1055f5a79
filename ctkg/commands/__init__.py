"""Sub-commands of `ctkg`, one module per group."""
from __future__ import annotations

import importlib

import click

_MODULES = (
    "ctkg.commands.neo4j_cmd",     # neo4j start|stop|status|logs|password|install
    "ctkg.commands.articles_cmd",  # extract, ingest, eval, demo
    "ctkg.commands.graph_cmd",     # export, analyze, provenance
    "ctkg.commands.query_cmd",     # query list|show|run, cypher
)


def register(cli: click.Group) -> None:
    for name in _MODULES:
        module = importlib.import_module(name)
        for command in module.COMMANDS:
            cli.add_command(command)
