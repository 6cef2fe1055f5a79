"""The vocabulary files and the dev-set gold files pass their own checkers."""
from __future__ import annotations

import subprocess
import sys

from tests.conftest import ROOT


def test_vocabulary_files_are_consistent():
    proc = subprocess.run([sys.executable, str(ROOT / "loaders" / "vocab" / "check_vocab.py")],
                          capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
    assert "0 errors" in proc.stdout


def test_gold_annotations_are_consistent():
    proc = subprocess.run([sys.executable, str(ROOT / "devset" / "check_gold.py"),
                           str(ROOT / "devset")], capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
