"""`ctkg --help` and `ctkg query list` start without the Neo4j driver or networkx (lazy
command modules, ctkg/commands/__init__.py); `--help` lists every command as before."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

from ctkg.commands import LAZY

HEAVY = ("neo4j", "networkx", "numpy")
PROBE = """
import json, sys
sys.argv = ["ctkg"] + sys.argv[1:]
from ctkg.cli import main
try:
    main()
except SystemExit:
    pass
print(json.dumps(sorted({m.split(".")[0] for m in sys.modules})), file=sys.stderr)
"""


def _imported(*args: str) -> set[str]:
    done = subprocess.run([sys.executable, "-c", PROBE, *args], capture_output=True, text=True,
                          check=True)
    return set(json.loads(done.stderr.strip().splitlines()[-1]))


@pytest.mark.parametrize("args", [("--help",), ("query", "list"), ("query", "show", "timeline")])
def test_light_commands_do_not_import_the_driver_or_networkx(args):
    assert not _imported(*args) & set(HEAVY)


def test_the_probe_sees_the_driver_when_a_command_imports_it():
    assert "neo4j" in _imported("provenance", "--help")  # graph_cmd imports it


def test_the_help_summaries_are_the_commands_own():
    from ctkg.cli import _register, cli

    _register()
    for name, (module, summary) in LAZY.items():
        command = cli.commands[name]
        assert command in sys.modules[module].COMMANDS, name
        first_paragraph = " ".join(command.help.strip().split("\n\n")[0].split())
        assert summary == first_paragraph, name
    assert set(cli.commands) == set(LAZY)


def test_lazy_help_equals_the_eager_listing():
    def help_text(code: str) -> str:
        return subprocess.run([sys.executable, "-c", code, "--help"], capture_output=True,
                              text=True, check=True).stdout

    lazy = help_text("from ctkg.cli import main; main()")
    eager = help_text("from ctkg.cli import _register, main; _register(); main()")
    assert "Commands:" in lazy and lazy == eager
