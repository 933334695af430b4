"""What the benchmark scripts share: a measurement in a fresh process, the machine's facts, the verdict words,
and rewriting a script's own block of docs/benchmarks.md between its markers."""

from __future__ import annotations

import datetime as dt
import importlib
import json
import os
import platform
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def child(code: str, *args: str, env: dict | None = None, cwd: Path | str = REPO) -> dict:
    """Run ``python -c code args`` in a fresh process; its last line of output, read as JSON."""
    out = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, cwd=cwd, env=env)
    if out.returncode != 0:
        raise RuntimeError((out.stdout + out.stderr)[-3000:])
    return json.loads(out.stdout.strip().splitlines()[-1])


def machine(*modules: str) -> dict:
    """The date, CPU, cores, memory, OS, Python, the versions of ``modules`` and the load average now."""
    cpu = next((ln.split(":", 1)[1].strip() for ln in Path("/proc/cpuinfo").read_text().splitlines()
                if ln.startswith("model name")), platform.processor() or "?")
    mem_kb = next((int(ln.split()[1]) for ln in Path("/proc/meminfo").read_text().splitlines()
                   if ln.startswith("MemTotal")), 0)
    return {"date": dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"), "cpu": cpu,
            "nproc": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count(),
            "ram_gb": mem_kb / 1024 / 1024, "os": f"{platform.system()} {platform.release()}",
            "python": platform.python_version(),
            **{m: importlib.import_module(m).__version__ for m in modules},
            "load_avg_start": os.getloadavg()[0]}


def verdict(ok: bool) -> str:
    return "met" if ok else "**not met**"


def replace_block(text: str, begin: str, end: str, body: str) -> str | None:
    """``text`` with what stands between the markers ``begin`` and ``end`` replaced by ``body``; None without them."""
    if begin not in text or end not in text:
        return None
    return text[: text.index(begin)] + f"{begin}\n{body}\n{end}" + text[text.index(end) + len(end):]


def write_block(path: Path, begin: str, end: str, body: str, heading: str, after: str) -> None:
    """Write ``body`` between the markers in the docs file ``path``; without the markers, as a new section
    ``heading`` placed before the text ``after`` (or at the end when ``after`` is not there)."""
    text = path.read_text("utf-8") if path.exists() else "# Benchmarks\n"
    replaced = replace_block(text, begin, end, body)
    if replaced is None:
        block = f"{heading}\n\n{begin}\n{body}\n{end}\n\n"
        i = text.find(after)
        replaced = text[:i] + block + text[i:] if i >= 0 else text.rstrip("\n") + "\n\n" + block
    path.write_text(replaced, "utf-8")
