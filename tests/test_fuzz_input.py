"""Hostile input at the ingest boundary, fuzzed through the CLI: `validate` and `convert` only ever answer with a
message and exit code 0, 1 or 2 — never a traceback — and stay within a memory bound.

The bound: with ``SOVMAP_MAX_INPUT_MB=4`` every run (read, validate, convert, write) allocates at most
``PEAK_BYTES`` (48 MB) of Python memory at its peak (tracemalloc), whatever the archive claims or holds:
zip members that decompress to 64 MB, nested archives, lying sizes. Each example's input is at most a few
hundred KB; the whole file takes about 25 s of CPU.
"""

from __future__ import annotations

import io
import json
import tracemalloc
import zipfile

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from sovmap.cli import app
from sovmap.ingest import matching
from sovmap.ingest.gemma import COLLECTIONS, _SCHEMA
from sovmap.ontology.vocab import vocabulary

PEAK_BYTES = 48 * 1024 * 1024
LIMIT_MB = "4"
SETTINGS = dict(deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
runner = CliRunner()

V = vocabulary()
INVENTORY_NAMES = [k.files[i] + ".csv" for k in V.file_kinds for i in (0, 1)] + ["dependencies.csv", "systems.tsv",
                                                                                  "notes.txt"]
HEADERS = sorted({a for k in V.file_kinds for c in k.columns for a in c.aliases}) + ["kind", "__registered_in", "-", "", "country"]
CELLS = st.one_of(st.text(max_size=8), st.sampled_from(
    ["S-1", "SYS-1", "country:US", "NL", "US", "=1+1", "'=x", "-5", "\t", '"', ";", "\n", "vitaal", "\x00"]))


_CATALOGUE = []


def run(args: list[str], monkeypatch) -> None:
    """Run the CLI in-process; assert exit code 0/1/2, no traceback, and the memory bound."""
    monkeypatch.setenv("SOVMAP_MAX_INPUT_MB", LIMIT_MB)
    if not _CATALOGUE:  # the packaged catalogue is parsed once here, not in every example (3 s each)
        _CATALOGUE.append(matching.load_catalogue())
    monkeypatch.setattr(matching, "load_catalogue", lambda path=None: _CATALOGUE[0])
    tracemalloc.start()
    try:
        result = runner.invoke(app, args)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    output = result.output + (result.stderr if result.stderr_bytes is not None else "")
    assert result.exception is None or isinstance(result.exception, SystemExit), (args, repr(result.exception))
    assert result.exit_code in (0, 1, 2), (args, result.exit_code, output[-2000:])
    assert "Traceback" not in output
    assert peak < PEAK_BYTES, (args, peak)


# --- zips -------------------------------------------------------------------------------------------------------

def csv_text(draw) -> bytes:
    header = draw(st.lists(st.sampled_from(HEADERS), min_size=1, max_size=5))
    rows = draw(st.lists(st.lists(CELLS, max_size=6), max_size=5))
    delim = draw(st.sampled_from([",", ";", "\t"]))
    text = "\n".join(delim.join(r) for r in [header, *rows])
    return text.encode(draw(st.sampled_from(["utf-8", "cp1252", "utf-16"])), errors="replace")


@st.composite
def zip_tree(draw, depth: int = 0) -> bytes:
    buf = io.BytesIO()
    method = draw(st.sampled_from([zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED]))
    with zipfile.ZipFile(buf, "w", method) as zf:
        for _ in range(draw(st.integers(0, 4))):
            name = draw(st.sampled_from(INVENTORY_NAMES + ["inner.zip", "book.xlsx", "__MACOSX/._x.csv", "dir/",
                                                           "../../etc/passwd.csv", "deep/a/b/systems.csv"]))
            what = draw(st.sampled_from(["csv", "bytes", "zip", "bomb", "empty"] if depth < 4 else ["csv", "bytes", "empty"]))
            if name.endswith("/"):
                zf.writestr(name, b"")
            elif what == "csv":
                zf.writestr(name, csv_text(draw))
            elif what == "bytes":
                zf.writestr(name, draw(st.binary(max_size=300)))
            elif what == "zip":
                zf.writestr(name, draw(zip_tree(depth + 1)))
            elif what == "bomb":  # 64 MB of one byte: far over the fuzz limit, about 64 KB compressed
                with zf.open(name, "w", force_zip64=True) as f:
                    block = b"a" * (1024 * 1024)
                    for _ in range(64):
                        f.write(block)
            else:
                zf.writestr(name, b"")
    data = buf.getvalue()
    if draw(st.booleans()) and len(data) > 40:  # damage it: flip bytes anywhere (headers, data, central directory)
        data = bytearray(data)
        for pos in draw(st.lists(st.integers(0, len(data) - 1), min_size=1, max_size=4)):
            data[pos] ^= draw(st.integers(1, 255))
        data = bytes(data)
    return data


@pytest.mark.filterwarnings("ignore:Duplicate name")
@settings(max_examples=25, **SETTINGS)
@given(zip_tree())
def test_zips(tmp_path_factory, monkeypatch, data):
    folder = tmp_path_factory.mktemp("zip")
    path = folder / "inventory.zip"
    path.write_bytes(data)
    run(["validate", str(path)], monkeypatch)
    run(["convert", str(path), "-o", str(folder / "out.xlsx")], monkeypatch)


def test_400_deep_nested_zip(tmp_path, monkeypatch):
    data = b"id,name\nSYS-1,Mail\n"
    name = "systems.csv"
    for i in range(400):
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w") as zf:
            zf.writestr(name, data)
        data, name = buf.getvalue(), f"level{i}.zip"
    (tmp_path / "deep.zip").write_bytes(data)
    run(["validate", str(tmp_path / "deep.zip")], monkeypatch)


# --- CSV bytes ----------------------------------------------------------------------------------------------------

@settings(max_examples=30, **SETTINGS)
@given(st.sampled_from(INVENTORY_NAMES + ["apps.csv"]),
       st.one_of(st.binary(max_size=400), st.builds(lambda b: b, st.just(b"")),
                 st.lists(st.sampled_from([b"id", b"name", b",", b";", b'"', b"\n", b"\r\n", b"SYS-1", b"\xe9", b"\xff",
                                           b"\xc3\xa9", b"\x81", b"'=", b"kind", b"-", b"country:NL", b"\t"]),
                          max_size=40).map(b"".join)))
def test_csv_bytes(tmp_path_factory, monkeypatch, name, data):
    folder = tmp_path_factory.mktemp("csv")
    path = folder / name
    path.write_bytes(data)
    run(["validate", str(folder)], monkeypatch)
    run(["convert", str(path), "-o", str(folder / "out")], monkeypatch)


# --- xlsx cells ---------------------------------------------------------------------------------------------------

@settings(max_examples=20, **SETTINGS)
@given(st.lists(st.tuples(st.sampled_from(["systems", "suppliers", "leveranciers", "Blad1", "dependencies"]),
                          st.lists(st.lists(st.one_of(CELLS, st.integers(-5, 5), st.just("=SUM(1,2)"), st.just(None)),
                                            max_size=5), max_size=6),
                          st.lists(st.tuples(st.integers(1, 5), st.integers(1, 4), st.integers(0, 2), st.integers(0, 2)),
                                   max_size=2)),
                min_size=1, max_size=3, unique_by=lambda s: s[0]))
def test_xlsx_cells(tmp_path_factory, monkeypatch, sheets):
    folder = tmp_path_factory.mktemp("xlsx")
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for title, rows, merges in sheets:
        ws = wb.create_sheet(title)
        for row in rows:
            ws.append([c if not isinstance(c, str) else openpyxl.cell.cell.ILLEGAL_CHARACTERS_RE.sub("", c) for c in row])
        for r, c, dr, dc in merges:
            if dr or dc:
                ws.merge_cells(start_row=r, start_column=c, end_row=r + dr, end_column=c + dc)
    path = folder / "book.xlsx"
    wb.save(path)
    run(["validate", str(path)], monkeypatch)
    run(["convert", str(path), "-o", str(folder / "out.xlsx")], monkeypatch)


# --- ArchiMate XML shapes -----------------------------------------------------------------------------------------

NS = 'xmlns="http://www.opengroup.org/xsd/archimate/3.0/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"'
ETYPES = ["ApplicationComponent", "BusinessActor", "BusinessProcess", "DataObject", "Location", "Node", "Junction",
          "BusinessRole", "", "Grouping"]
RTYPES = ["Serving", "Realization", "Assignment", "Access", "Aggregation", "Association", "Flow", "", "UsedBy"]
IDS = ["a", "b", "c", "j", "r1", ""]


@st.composite
def archimate(draw) -> bytes:
    els = []
    for _ in range(draw(st.integers(0, 6))):
        t = draw(st.sampled_from(ETYPES))
        props = "".join(f'<property propertyDefinitionRef="{draw(st.sampled_from(["p1", "p2", "x"]))}"><value>'
                        f'{draw(st.sampled_from(["US", "leverancier", "vitaal", "", "&amp;"]))}</value></property>'
                        for _ in range(draw(st.integers(0, 2))))
        type_attr = f' xsi:type="{t}"' if t else ""
        els.append(f'<element identifier="{draw(st.sampled_from(IDS))}"{type_attr}>'
                   f'<name>{draw(st.sampled_from(["A", "kind", "", "country:US"]))}</name>'
                   f'{"<properties>" + props + "</properties>" if props else ""}</element>')
    rels = []
    for _ in range(draw(st.integers(0, 6))):
        t = draw(st.sampled_from(RTYPES))
        type_attr = f' xsi:type="{t}"' if t else ""
        rels.append(f'<relationship identifier="{draw(st.sampled_from(IDS))}" source="{draw(st.sampled_from(IDS))}" '
                    f'target="{draw(st.sampled_from(IDS))}"{type_attr}/>')
    pdefs = ('<propertyDefinitions><propertyDefinition identifier="p1" type="string"><name>Land</name>'
             '</propertyDefinition><propertyDefinition identifier="p2" type="string"><name>kind</name>'
             '</propertyDefinition></propertyDefinitions>')
    body = (f'<model {NS} identifier="m"><name>M</name><elements>{"".join(els)}</elements>'
            f'<relationships>{"".join(rels)}</relationships>{pdefs}</model>')
    decl = draw(st.sampled_from(["", '<?xml version="1.0" encoding="UTF-8"?>', '<?xml version="1.0" encoding="klingon"?>',
                                 '<?xml version="1.0" encoding="utf-16"?>', '<!DOCTYPE m [<!ENTITY a "b">]>']))
    data = (decl + body).encode()
    if draw(st.booleans()):
        data = data[:draw(st.integers(0, len(data)))]
    return data


@settings(max_examples=40, **SETTINGS)
@given(archimate())
def test_archimate_shapes(tmp_path_factory, monkeypatch, data):
    folder = tmp_path_factory.mktemp("xml")
    (folder / "model.xml").write_bytes(data)
    run(["convert", str(folder / "model.xml"), "-o", str(folder / "out")], monkeypatch)


# --- GEMMA JSON shapes --------------------------------------------------------------------------------------------

FIELDS = sorted({f for fields in _SCHEMA.values() for f in fields} | {"land", "gebruik", "bedrijfsKritisch", "bbnScore",
                                                                       "privacyGevoelig", "results"})
JSON = st.recursive(st.one_of(st.none(), st.booleans(), st.integers(-2, 3), st.sampled_from(["o1", "v1", "a1", "Actief",
                                                                                             "Hoog", "Hosting", "NL"])),
                    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(st.sampled_from(FIELDS), inner, max_size=4)),
                    max_leaves=12)
ITEM = st.dictionaries(st.sampled_from(FIELDS), JSON, max_size=6)


@settings(max_examples=40, **SETTINGS)
@given(st.one_of(st.dictionaries(st.sampled_from(list(COLLECTIONS)), st.one_of(st.lists(ITEM, max_size=4), JSON), max_size=6),
                 st.lists(ITEM, max_size=4), JSON),
       st.integers(0, 3000))
def test_gemma_shapes(tmp_path_factory, monkeypatch, doc, depth):
    folder = tmp_path_factory.mktemp("json")
    text = json.dumps(doc)
    if depth > 2500:  # nesting deeper than the JSON parser's recursion
        text = '{"voorzieningen": ' + "[" * depth + "]" * depth + "}"
    (folder / "catalogus.json").write_text(text)
    run(["convert", str(folder / "catalogus.json"), "--from", "gemma", "-o", str(folder / "out")], monkeypatch)
