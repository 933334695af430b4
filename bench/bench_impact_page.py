"""How long the dashboard's "what breaks if…" page takes for a large cut, under Streamlit's AppTest.

Opens the impact page with ``?supplier=S`` (by default the supplier group whose
cut fails the most) on a workspace, in one process: a warm-up run loads the
version and computes the cut, then each repeat opens the page in a new session (the
cut's result is cached per process, as the dashboard's server caches it) and
times that run, then times a rerun of the same session.
The page's own work is what is left: the tables, the chain drawing, the
counts. Run it with PYTHONPATH pointing at another copy of the package to
compare two versions side by side (the app is taken from the imported package).

    python bench/bench_impact_page.py --data INVENTORY_DIR --workspace ROOT [--supplier S] [--repeat 3]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

from streamlit.testing.v1 import AppTest

import sovmap.dashboard
from sovmap.graph.concentration import rank_supplier_groups
from sovmap.store import Workspace

APP = str(Path(sovmap.dashboard.__file__).parent / "app.py")


def _run(at: AppTest) -> float:
    start = time.perf_counter()
    at.run()
    if at.exception:
        raise RuntimeError(at.exception[0].message)
    return time.perf_counter() - start


def _open(supplier: str) -> AppTest:
    """A new session on the impact page (not run yet): the overview's analyses are never computed."""
    at = AppTest.from_file(APP, default_timeout=1800)
    at.query_params["lang"] = "nl"
    at.query_params["supplier"] = [supplier]
    at.switch_page("views/impact.py")
    return at


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--workspace", type=Path, required=True, help="workspace folder (made from --data when empty)")
    ap.add_argument("--data", type=Path, help="inventory folder of CSV files to add when the workspace is empty")
    ap.add_argument("--supplier", help="supplier group to cut (default: the one whose cut fails the most)")
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    ws = Workspace(args.workspace)
    if ws.current() is None:
        if not args.data:
            sys.exit("the workspace is empty: give --data")
        ws.add([(p.name, p.read_bytes()) for p in sorted(args.data.glob("*.csv"))])
    os.environ["SOVMAP_WORKSPACE"] = str(args.workspace)
    supplier = args.supplier
    if supplier is None:
        g = ws.load_graph()
        supplier = max(rank_supplier_groups(g), key=lambda r: r["failed_processes"] + r["failed_systems"]
                       + r["failed_datasets"])["supplier_group"]
        del g
    print(f"package {Path(sovmap.__file__).parent}; load average {os.getloadavg()[0]:.1f}", flush=True)
    warm = _open(supplier)
    print(f"first run (version loaded, the cut computed): {_run(warm):.2f} s", flush=True)
    opened, reruns = [], []
    for _ in range(args.repeat):
        at = _open(supplier)
        opened.append(_run(at))
        reruns.append(_run(at))
    failed = next((m.value for m in warm.metric), "?")
    print(f"supplier {supplier}: {len(warm.metric)} counts, first count {failed}")
    print(f"open the page: median {statistics.median(opened):.2f} s (all {', '.join(f'{x:.2f}' for x in opened)})")
    print(f"rerun:         median {statistics.median(reruns):.2f} s (all {', '.join(f'{x:.2f}' for x in reruns)})")
    print(f"load average at the end {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
