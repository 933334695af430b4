"""Benchmark: the assessment of a whole inventory, as `assess --json` and the dashboard run it, and as a push stores it.

Two phases, each in a fresh process (its peak memory is its own):

* ``full``: :func:`assessment_facts`, :func:`assess` with every reason text, :func:`actions`;
* ``answers``: :func:`sovmap.store.answers.compute_answers` of ``assess`` and ``overview`` (what `sovmap neo4j push`
  stores; reason texts only for the gaps it keeps).

With ``--baseline DIR`` (an older checkout, e.g. ``git archive main | tar -x -C DIR``) each phase runs on the old
code and on this one alternately, so load on the machine hits both alike; the ratio is old time / new time. Run:

    python bench/bench_assess.py --data /tmp/inv300 --baseline /tmp/base --repeat 2
    flock /tmp/national.lock python bench/bench_assess.py --data /tmp/nat --phases answers
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import child  # noqa: E402

_CODE = r'''
import importlib.abc, importlib.util, json, resource, sys, time
from pathlib import Path
base, data, phase, dump = sys.argv[1:5]
if base:  # import sovmap from the old checkout, laid out as pyproject's package-dir maps it
    root = Path(base)
    where = {"sovmap": root / "sovmap", **{f"sovmap.{d}": root / d for d in ("graph", "ingest", "dashboard", "ontology")}}
    class Old(importlib.abc.MetaPathFinder):
        def find_spec(self, name, path, target=None):
            if name in where:
                return importlib.util.spec_from_file_location(name, where[name] / "__init__.py",
                                                              submodule_search_locations=[str(where[name])])
    sys.meta_path[:] = [Old()] + [f for f in sys.meta_path if "editable" not in repr(f).lower()]
import sovmap.graph.assessment as A
from sovmap.graph.model import build_graph
from sovmap.ingest.validate import load
from sovmap.store.answers import compute_answers
assert A.__file__.startswith(base or str(Path.cwd())), A.__file__
g = build_graph(load(data)[0])
out = {"nodes": g.number_of_nodes()}
t, cpu = time.perf_counter(), time.process_time()
if phase == "full":
    facts = A.assessment_facts(g)
    out["facts_s"] = time.perf_counter() - t
    result = A.assess(g, facts=facts)
    out["assess_s"] = time.perf_counter() - t - out["facts_s"]
    out["actions"] = len(A.actions(result))
    out["items"], out["gaps"] = len(result["items"]), len(result["gaps"])
else:
    answers = compute_answers(g, ("assess", "overview"))
    out["items"], out["gaps"] = answers["assess"]["items"], answers["assess"]["gaps_total"]
    if dump:
        Path(dump).write_text(json.dumps(answers, ensure_ascii=False), "utf-8")
out["seconds"], out["cpu_s"] = time.perf_counter() - t, time.process_time() - cpu
out["peak_gb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 ** 2
print(json.dumps(out))
'''


def measure(base: str, data: str, phase: str, dump: str = "") -> dict:
    return child(_CODE, base, data, phase, dump)


def _dump(folder: str, phase: str, code: str) -> str:
    return str(Path(folder) / f"{code}.json") if folder and phase == "answers" else ""


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", required=True, help="an inventory folder (e.g. from `sovmap generate`)")
    ap.add_argument("--baseline", default="", help="an older source tree to compare with, side by side")
    ap.add_argument("--phases", default="full,answers", help="full, answers or both (comma-separated)")
    ap.add_argument("--repeat", type=int, default=1, help="runs per phase and code (the median is reported)")
    ap.add_argument("--dump", default="", help="a folder: write each code's stored answers there as JSON "
                    "(old.json, new.json), to compare them byte for byte")
    args = ap.parse_args()
    if args.dump:
        Path(args.dump).mkdir(parents=True, exist_ok=True)
    print(f"load average at start {os.getloadavg()[0]:.1f}; {args.data}")
    print("| phase | code | items | gaps | seconds (median) | CPU seconds | peak GB | old / new (CPU) |")
    print("|---|---|---|---|---|---|---|---|")
    for phase in args.phases.split(","):
        runs: dict[str, list[dict]] = {"old": [], "new": []}
        for _ in range(args.repeat):
            if args.baseline:
                runs["old"].append(measure(str(Path(args.baseline).resolve()), args.data, phase,
                                           _dump(args.dump, phase, "old")))
            runs["new"].append(measure("", args.data, phase, _dump(args.dump, phase, "new")))
        med = {k: statistics.median(r["seconds"] for r in v) for k, v in runs.items() if v}
        cpu = {k: statistics.median(r["cpu_s"] for r in v) for k, v in runs.items() if v}
        for k, v in runs.items():
            if not v:
                continue
            ratio = f"{med['old'] / med['new']:.1f}x ({cpu['old'] / cpu['new']:.1f}x)" if k == "new" and "old" in med else ""
            print(f"| {phase} | {k} | {v[0]['items']} | {v[0]['gaps']} | {med[k]:.1f} | {cpu[k]:.1f} | "
                  f"{max(r['peak_gb'] for r in v):.2f} | {ratio} |", flush=True)
    print(f"load average at end {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
