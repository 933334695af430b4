"""Adversarial input benchmark: time and peak memory of reading zip bombs and oversized workbooks.

Run from the repository root (about a minute)::

    python bench/bench_adversarial_input.py

Each case is generated on the fly in a temporary folder (the 10 GB zip bomb
is written as its 10 MB of compressed bytes: one member is compressed once
and its bytes repeated, so nothing large is ever held or written) and read by
``read_files`` in a fresh Python process, which reports its wall time and its
peak resident set (``ru_maxrss``). The baseline row is a process that only
imports sovmap and openpyxl. This is a script, not a test: speed is never
asserted in the test suite. It prints a table and writes nothing else.
"""

from __future__ import annotations

import json
import os
import struct
import subprocess
import sys
import tempfile
import time
import zipfile
import zlib
from pathlib import Path

MB = 1024 * 1024

CHILD = r"""
import json, resource, sys, time
from pathlib import Path
from sovmap.ingest.read import Limits, read_files
import openpyxl  # imported by the baseline too, so both pay for it
path, max_cells = sys.argv[1], int(sys.argv[2])
lim = Limits.from_env()
if max_cells:
    lim = Limits(max_bytes=lim.max_bytes, max_cells=max_cells)
t0 = time.perf_counter()
if path != "-":
    tables, problems = read_files([(Path(path).name, Path(path).read_bytes())], limits=lim)
else:
    tables, problems = [], []
t1 = time.perf_counter()
print(json.dumps({"s": t1 - t0, "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "cells": sum(len(c) for t in tables for _, c in t.rows),
                  "problems": sorted({p.rule for p in problems}),
                  "first": str(problems[0]) if problems else ""}))
"""


def zip_bomb(path: Path, members: int = 20, member_mb: int = 500, lie_mb: int | None = None) -> None:
    """A zip of ``members`` members of ``member_mb`` MB of one byte each, written from one compressed member.

    With ``lie_mb`` the headers (local and central) claim that size instead of the real one.
    """
    comp = zlib.compressobj(9, zlib.DEFLATED, -15)
    block, crc, parts = b"a" * MB, 0, []
    for _ in range(member_mb):
        crc = zlib.crc32(block, crc)
        parts.append(comp.compress(block))
    parts.append(comp.flush())
    data = b"".join(parts)
    size = (lie_mb if lie_mb is not None else member_mb) * MB
    central, offset = [], 0
    with path.open("wb") as f:
        for i in range(members):
            name = f"inventory{i}/systems.csv".encode()
            local = struct.pack("<4s5H3L2H", b"PK\x03\x04", 20, 0, 8, 0, 0, crc, len(data), size, len(name), 0)
            f.write(local + name + data)
            central.append(struct.pack("<4s6H3L5H2L", b"PK\x01\x02", 20, 20, 0, 8, 0, 0, crc, len(data), size,
                                       len(name), 0, 0, 0, 0, 0, offset) + name)
            offset += len(local) + len(name) + len(data)
        cd = b"".join(central)
        f.write(cd + struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, members, members, len(cd), offset, 0))


def workbook(path: Path, rows: int, cols: int = 5) -> None:
    """An .xlsx with one sheet "systems" of ``rows`` × ``cols`` numeric cells, its XML written directly."""
    letters = "ABCDEFGHIJ"[:cols]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml",
                    '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                    '<Default Extension="xml" ContentType="application/xml"/>'
                    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
                    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
                    '</Types>')
        zf.writestr("_rels/.rels", '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>')
        zf.writestr("xl/workbook.xml", '<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
                    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
                    '<sheet name="systems" sheetId="1" r:id="rId1"/></sheets></workbook>')
        zf.writestr("xl/_rels/workbook.xml.rels", '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>')
        with zf.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as f:
            f.write(b'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                    b'<dimension ref="A1:XFD1048576"/><sheetData>')
            for r in range(1, rows + 1):
                f.write(f'<row r="{r}">'.encode() + "".join(f'<c r="{c}{r}"><v>{r}</v></c>' for c in letters).encode() + b"</row>")
            f.write(b"</sheetData></worksheet>")


def measure(path: str, env: dict | None = None, max_cells: int = 0) -> dict:
    e = dict(os.environ, **(env or {}))
    out = subprocess.run([sys.executable, "-c", CHILD, path, str(max_cells)], capture_output=True, text=True, env=e, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        t = time.perf_counter()
        zip_bomb(tmp / "bomb.zip")
        zip_bomb(tmp / "liar.zip", lie_mb=1)
        workbook(tmp / "cells.xlsx", rows=200_000)
        generated = time.perf_counter() - t
        sizes = {p.name: p.stat().st_size for p in tmp.iterdir()}
        cases = [
            ("baseline: python + sovmap + openpyxl imported, nothing read", "-", {}, 0),
            (f"zip bomb: {sizes['bomb.zip'] / MB:.1f} MB zip, 20 × 500 MB members (10 GB), default limits", str(tmp / "bomb.zip"), {}, 0),
            ("zip bomb with lying headers (each member claims 1 MB), default limits", str(tmp / "liar.zip"), {}, 0),
            ("zip bomb, limit raised to 100 GB (SOVMAP_MAX_INPUT_MB=100000)", str(tmp / "bomb.zip"), {"SOVMAP_MAX_INPUT_MB": "100000"}, 0),
            (f"xlsx {sizes['cells.xlsx'] / MB:.1f} MB, 1,000,000 cells, dimension claims A1:XFD1048576, read in full", str(tmp / "cells.xlsx"), {}, 0),
            ("same xlsx, cell limit 100,000", str(tmp / "cells.xlsx"), {}, 100_000),
            ("same xlsx, SOVMAP_MAX_INPUT_MB=16 (refused from the headers)", str(tmp / "cells.xlsx"), {"SOVMAP_MAX_INPUT_MB": "16"}, 0),
        ]
        for label, path, env, cells in cases:
            r = measure(path, env, cells)
            rows.append((label, r))
    print(f"Generated the inputs in {generated:.1f} s. Python {sys.version.split()[0]}, {os.cpu_count()} CPUs.\n")
    print("| case | time | peak memory (RSS) | cells read | result |")
    print("|---|---|---|---|---|")
    for label, r in rows:
        result = ", ".join(r["problems"]) or "read"
        print(f"| {label} | {r['s']:.2f} s | {r['rss_mb']:.0f} MB | {r['cells']:,} | {result} |")
    print()
    for label, r in rows:
        if r["first"]:
            print(f"- {label}:\n  {r['first']}")


if __name__ == "__main__":
    main()
