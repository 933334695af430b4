"""Random bytes and random rows never make the loader raise: it returns problems."""

from __future__ import annotations

import csv
import io

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sovmap.ingest.problems import Problem
from sovmap.ingest.validate import load_files
from sovmap.ontology.vocab import vocabulary

V = vocabulary()
FILE_NAMES = [k.files[i] + ".csv" for k in V.file_kinds for i in (0, 1)] + ["dependencies.csv", "afhankelijkheden.csv"]
HEADERS = sorted({a for k in V.file_kinds for c in k.columns for a in c.aliases}
                 | {a for c in V.dependency_columns for a in c.aliases} | {"extra", ""})
CELLS = st.one_of(
    st.text(max_size=12),
    st.sampled_from(["S-1", "SYS-1", "P-1", "L-1", "D-1", "NL", "US", "Nederland", "vitaal", "2", "0", "-1",
                     "x", "ja", "=1+1", "'=1", "", " ", "\x00", '"', ";", "uses", "owned_by"]),
)


def check(result):
    inv, problems = result
    assert isinstance(problems, list) and all(isinstance(p, Problem) for p in problems)
    if inv is None:
        assert any(p.severity == "error" for p in problems)
    else:
        assert not any(p.severity == "error" for p in problems)
    for p in problems:
        str(p)  # every problem renders as a message


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(FILE_NAMES + ["x.zip", "x.xlsx", "notes.txt"]), st.binary(max_size=2000))
def test_random_bytes_give_problems_not_exceptions(name, data):
    check(load_files([(name, data)]))


@st.composite
def random_inventories(draw):
    files = []
    for name in draw(st.lists(st.sampled_from(FILE_NAMES), min_size=1, max_size=4, unique=True)):
        header = draw(st.lists(st.sampled_from(HEADERS), min_size=1, max_size=7))
        rows = draw(st.lists(st.lists(CELLS, max_size=9), max_size=8))
        buf = io.StringIO()
        delim = draw(st.sampled_from([",", ";"]))
        w = csv.writer(buf, delimiter=delim)
        w.writerow(header)
        w.writerows(rows)
        encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "cp1252"]))
        files.append((name, buf.getvalue().encode(encoding, errors="replace")))
    return files


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(random_inventories())
def test_random_rows_give_problems_not_exceptions(files):
    check(load_files(files))
