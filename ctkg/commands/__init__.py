"""Sub-commands of `ctkg`, one module per group."""
from __future__ import annotations

import importlib

import click

_MODULES = ("ctkg.commands.neo4j_cmd",)


def register(cli: click.Group) -> None:
    for name in _MODULES:
        module = importlib.import_module(name)
        for command in module.COMMANDS:
            cli.add_command(command)
