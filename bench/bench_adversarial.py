"""Adversarial benchmark: inputs built to make a naive algorithm quadratic or worse.

Run from the repository root::

    python bench/bench_adversarial.py                    # cycle, deep chains, typos
    python bench/bench_adversarial.py --national         # also the national Turtle export (minutes)
    python bench/bench_adversarial.py --before /tmp/base # also measure another checkout (e.g. main) side by side

Cases (each in its own subprocess, which reports its wall time and its own
peak resident memory, ``ru_maxrss``):

- ``cycle``: a dependency cycle SYS-1 → SYS-2 → … → SYS-N → SYS-1 plus a
  process using SYS-1, the one supplier cut at SYS-1: ``sovmap impact``.
  Every node's why-chain runs round the cycle.
- ``owner-chain``: suppliers S-0 … S-N, each owned by the next; a vital
  process uses a system of S-0: ``sovmap spof`` and ``sovmap validate``
  (also for N = 100,000).
- ``typos``: 100,000 systems and 200 dependencies naming a misspelt id:
  ``sovmap validate`` (each unknown id gets a "Did you mean" suggestion).
- ``national`` (``--national``): ``sovmap export --format ttl`` and
  ``jsonld`` of the synthetic national inventory (``sovmap generate
  --organisations 1500``), and ``validate`` alone for the share of loading.

``--before DIR`` runs the same cases with the sovmap source of another
checkout (``git worktree add DIR main``), using this checkout's virtual
environment; a case that runs past ``--timeout`` is reported as such. The
table is printed as markdown. This is a script, not a test: speed is never
asserted in the test suite.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

# The child runs one sovmap command in-process and prints its wall time, peak RSS, exit code and output size.
# With SOVMAP_ROOT set, the editable install's mapping is pointed at that checkout before sovmap is imported.
CHILD = r"""
import io, json, os, resource, sys, time
root = os.environ.get("SOVMAP_ROOT")
if root:
    sys.path = [p for p in sys.path if p not in ("", os.getcwd())]  # not this checkout's sovmap/ folder
    for name, mod in list(sys.modules.items()):
        if name.startswith("__editable__") and hasattr(mod, "MAPPING"):
            here = os.path.dirname(mod.MAPPING["sovmap"])
            for k, v in mod.MAPPING.items():
                mod.MAPPING[k] = root + v[len(here):]
from sovmap.cli import app
class Count(io.TextIOBase):
    n = 0
    buffer = None
    def write(self, s):
        Count.n += len(s.encode("utf-8", "replace"))
        return len(s)
class CountBytes(io.RawIOBase):
    def writable(self):
        return True
    def write(self, b):
        Count.n += len(b)
        return len(b)
out = Count()
out.buffer = CountBytes()
real, sys.stdout = sys.stdout, out
t0 = time.perf_counter()
try:
    app(sys.argv[1:])
    code = 0
except SystemExit as exc:
    code = exc.code
except BaseException as exc:
    code = type(exc).__name__
    sys.stderr.write(f"{type(exc).__name__}: {exc}\n"[:2000])
wall = time.perf_counter() - t0
sys.stdout = real
rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"s": wall, "rss_mb": rss, "exit": code, "stdout_bytes": Count.n}))
"""


def write_csv(folder: Path, name: str, header: str, rows) -> None:
    with open(folder / f"{name}.csv", "w", encoding="utf-8") as f:
        f.write(header + "\n")
        for r in rows:
            f.write(",".join(r) + "\n")


def make_cycle(folder: Path, n: int = 20_000) -> Path:
    """SYS-1 → … → SYS-n → SYS-1, P-1 uses SYS-1, SYS-1 provided by S-CUT; every system at one location."""
    folder.mkdir(parents=True, exist_ok=True)
    write_csv(folder, "suppliers", "id,name,country", [("S-CUT", "Cut Inc", "US")])
    write_csv(folder, "locations", "id,name,country", [("L-1", "Datacentre", "NL")])
    write_csv(folder, "processes", "id,name,criticality", [("P-1", "Process", "vital")])
    write_csv(folder, "systems", "id,name,supplier_id,location_id",
              ((f"SYS-{i}", f"System {i}", "S-CUT" if i == 1 else "", "L-1") for i in range(1, n + 1)))
    write_csv(folder, "dependencies", "from_id,to_id,type",
              [("P-1", "SYS-1", "uses")] + [(f"SYS-{i}", f"SYS-{i % n + 1}", "depends_on") for i in range(1, n + 1)])
    return folder


def make_owner_chain(folder: Path, n: int = 5_000) -> Path:
    """Suppliers S-0 … S-n, S-i owned by S-(i+1), S-n in the US; SYS-1 by S-0, used by the vital P-1."""
    folder.mkdir(parents=True, exist_ok=True)
    write_csv(folder, "suppliers", "id,name,country,parent_id",
              ((f"S-{i}", f"Supplier {i}", "US" if i == n else "NL", f"S-{i + 1}" if i < n else "")
               for i in range(n + 1)))
    write_csv(folder, "processes", "id,name,criticality", [("P-1", "Process", "vital")])
    write_csv(folder, "systems", "id,name,supplier_id", [("SYS-1", "System", "S-0")])
    write_csv(folder, "dependencies", "from_id,to_id,type", [("P-1", "SYS-1", "uses")])
    return folder


def typo_ids(n: int = 100_000, typos: int = 200) -> tuple[list[str], list[tuple[str, str]]]:
    """``n`` distinct system ids and ``typos`` (misspelt, meant) pairs: two neighbouring characters swapped.

    >>> ids, pairs = typo_ids(10, 2)
    >>> len(ids), [len(a) == len(b) and a != b and sorted(a) == sorted(b) for a, b in pairs]
    (10, [True, True])
    """
    ids = [f"SYS-{hashlib.sha1(str(i).encode()).hexdigest()[:10].upper()}" for i in range(n)]
    pairs = []
    step = max(1, n // typos)
    for k in range(typos):
        meant = ids[k * step]
        j = 4 + k % 9  # swap two of the ten hex digits
        while meant[j] == meant[j + 1]:
            j = 4 + (j - 3) % 9
        pairs.append((meant[:j] + meant[j + 1] + meant[j] + meant[j + 2:], meant))
    return ids, pairs


def make_typos(folder: Path, n: int = 100_000, typos: int = 200) -> Path:
    """``n`` systems of one supplier, and ``typos`` dependencies of P-1 on a misspelt system id."""
    folder.mkdir(parents=True, exist_ok=True)
    ids, pairs = typo_ids(n, typos)
    write_csv(folder, "suppliers", "id,name,country", [("S-1", "Supplier", "NL")])
    write_csv(folder, "processes", "id,name,criticality", [("P-1", "Process", "vital")])
    write_csv(folder, "systems", "id,name,supplier_id", ((i, f"System {i}", "S-1") for i in ids))
    write_csv(folder, "dependencies", "from_id,to_id,type", ((("P-1", bad, "uses") for bad, _ in pairs)))
    return folder


def run_case(argv: list[str], root: Path | None, timeout: float) -> dict:
    env = dict(os.environ)
    if root is not None:
        env["SOVMAP_ROOT"] = str(root)
    try:
        p = subprocess.run([sys.executable, "-c", CHILD, *argv], capture_output=True, text=True, env=env,
                           timeout=timeout)
    except subprocess.TimeoutExpired:
        return {"timeout": timeout}
    lines = p.stdout.strip().splitlines()
    if p.returncode or not lines:
        return {"error": (p.stderr or p.stdout)[-500:]}
    return json.loads(lines[-1])


def cell(r: dict | None) -> str:
    if r is None:
        return "–"
    if "timeout" in r:
        return f"> {r['timeout']:.0f} s (stopped)"
    if "error" in r:
        return "error: " + r["error"].strip().splitlines()[-1][:60]
    size = r["stdout_bytes"]
    out = f"{size / 1e6:.1f} MB" if size >= 1e6 else f"{size / 1e3:.0f} kB" if size >= 1e3 else f"{size} B"
    return f"{r['s']:.1f} s, {r['rss_mb']:.0f} MB RSS, exit {r['exit']}, stdout {out}"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--before", type=Path, help="another checkout (e.g. of main) to measure side by side")
    ap.add_argument("--national", action="store_true", help="also export the national inventory as Turtle")
    ap.add_argument("--national-data", type=Path, help="a generated national inventory to reuse")
    ap.add_argument("--cycle", type=int, default=20_000)
    ap.add_argument("--chain", type=int, default=5_000)
    ap.add_argument("--timeout", type=float, default=600, help="seconds before a case is stopped")
    ap.add_argument("--only", help="comma-separated case names to run")
    args = ap.parse_args()

    work = Path(tempfile.mkdtemp(prefix="sovmap-adversarial-"))
    cycle = make_cycle(work / "cycle", args.cycle)
    chain = make_owner_chain(work / "chain", args.chain)
    long_chain = make_owner_chain(work / "long-chain", 100_000)
    typos = make_typos(work / "typos")
    cases = [
        (f"cycle of {args.cycle:,} systems: impact", ["impact", str(cycle), "--supplier", "S-CUT"]),
        (f"cycle of {args.cycle:,} systems: impact --json", ["impact", str(cycle), "--supplier", "S-CUT", "--json"]),
        (f"{args.chain:,}-deep owner chain: validate", ["validate", str(chain)]),
        (f"{args.chain:,}-deep owner chain: spof", ["spof", str(chain)]),
        ("100,000-deep owner chain: validate", ["validate", str(long_chain)]),
        ("200 typos among 100,000 ids: validate", ["validate", str(typos)]),
    ]
    if args.national:
        nat = args.national_data or work / "national"
        if not (nat / "systems.csv").exists():
            subprocess.run([sys.executable, "-c", "from sovmap.cli import main; main()", "generate", "-o", str(nat), "--organisations", "1500"],
                           check=True, capture_output=True)
        for fmt in ("ttl", "jsonld"):
            cases.append((f"national inventory: export --format {fmt}",
                          ["export", str(nat), "--format", fmt, "-o", str(work / f"national.{fmt}")]))
        cases.append(("national inventory: load only (validate)", ["validate", str(nat)]))
    if args.only:
        wanted = args.only.split(",")
        cases = [c for c in cases if any(w in c[0] for w in wanted)]
    print("| case | before | after |\n|---|---|---|")
    try:
        for title, argv in cases:
            before = run_case(argv, args.before, args.timeout) if args.before else None
            after = run_case(argv, None, args.timeout)
            print(f"| {title} | {cell(before)} | {cell(after)} |", flush=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
