"""Reopening a national workspace version from its snapshot, as one `sovmap` command does, for bench_national.

Part of ``bench/bench_national.py`` (issue 14: "reopen from the snapshot ≤ 3 s" in the same run as the other
national figures). The measurement itself is :mod:`bench_snapshot`'s: the inventory is stored as a version of a
temporary workspace, opened once from its CSV files (which writes the snapshot, not timed), then reopened in
fresh processes with ``Workspace.load_graph()`` as the ``sovmap`` command keeps a graph (frozen out of the
collector for the rest of the process), plus the collection that follows and the first ``dependency_index(g)``
(read from the snapshot). A child that validates the CSV files again stops: the snapshot must be used.
"""

from __future__ import annotations

import shutil
import statistics
import tempfile
from pathlib import Path

from bench_snapshot import CHILD_ADD, CHILD_FIRST_OPEN, CHILD_REOPEN, child
from common import verdict

TARGET_REOPEN_S = 3.0


def bench_reopen(data: Path, rounds: int) -> dict:
    """``rounds`` fresh-process reopens of ``data`` stored as a workspace version; the workspace is removed after."""
    root = Path(tempfile.mkdtemp(prefix="sovmap-reopen-"))
    try:
        added = child(CHILD_ADD, str(root), str(data))
        if not added["version"]:
            raise SystemExit(f"The inventory was not stored as a version: {added['problems']}")
        first = child(CHILD_FIRST_OPEN, str(root))
        runs = []
        for i in range(rounds):
            print(f"  reopen {i + 1}/{rounds} ...", flush=True)
            runs.append(child(CHILD_REOPEN, str(root), "command"))
        snapshot_mb = sum(p.stat().st_size for p in root.rglob("graph.snapshot")) / 1e6
    finally:
        shutil.rmtree(root, ignore_errors=True)
    return {"runs": runs, "first_open_s": first["first_open_s"], "snapshot_mb": snapshot_mb}


def reopen_line(r: dict) -> str:
    """The verdict row: the median reopen with its CPU seconds, each run, and the first dependency index."""
    runs = r["runs"]
    total = statistics.median(x["total_s"] for x in runs)
    cpu = statistics.median(x["cpu_s"] for x in runs)
    index = statistics.median(x["index_s"] for x in runs)
    each = ", ".join(f"{x['total_s']:.2f}" for x in runs)
    return (f"| reopen the national version from its workspace snapshot ({r['snapshot_mb']:.0f} MB) as the `sovmap` "
            f"command does, each run a fresh process: `Workspace.load_graph()` and the collection after it (imports "
            f"not counted), median of {len(runs)} (runs {each} s; CPU {cpu:.2f} s; the first `dependency_index` "
            f"after it {index:.2f} s; peak {max(x['peak_mb'] for x in runs) / 1024:.2f} GB; writing the snapshot "
            f"at the first open from CSV {r['first_open_s']:.1f} s, not counted) "
            f"| ≤ {TARGET_REOPEN_S:.0f} s | {total:.2f} s | {verdict(total <= TARGET_REOPEN_S)} |")
