"""The `sovmap` command freezes what it loaded out of the garbage collector; in-process callers never do."""

from __future__ import annotations

import gc
import subprocess
import sys

from typer.testing import CliRunner

from sovmap.cli import app

PROBE = """
import atexit, gc, sys
atexit.register(lambda: print("frozen", gc.get_freeze_count(), file=sys.stderr))
sys.argv = ["sovmap", "spof", "--demo"]
from sovmap.cli import main
main()
"""


def test_the_command_freezes_the_loaded_graph_for_the_rest_of_its_one_process():
    out = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    frozen = int(out.stderr.split("frozen ")[-1].split()[0])
    assert frozen > 1000  # the demo graph's dicts at least


def test_calling_the_cli_in_process_freezes_nothing():
    before = gc.get_freeze_count()
    result = CliRunner().invoke(app, ["spof", "--demo"])
    assert result.exit_code == 0, result.output
    assert gc.get_freeze_count() == before == 0
