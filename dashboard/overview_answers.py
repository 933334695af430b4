"""What the overview page shows of one version, stored beside the version's snapshot and read back in milliseconds.

The overview's figures (items per kind, the single points of failure counted, the
supplier groups that break most, the coverage, the assessment's levels and
jurisdictions) are counted once from a version's analysis (:func:`overview_of`)
and written to ``overview.json.gz`` in the version's folder (:func:`write_overview`).
Any later open of the version, in any dashboard process, reads them back
(:func:`read_overview`) without reopening the graph or running an analysis: a
national version's first page no longer waits for either.

The file is stamped like the snapshot (:mod:`sovmap.store.snapshot`): the version's
id and file checksums, the sovmap version, and a checksum of the code and reference
data the figures are computed with (:func:`overview_fingerprint`). A file with
another stamp, or one that cannot be read, is never used: the figures are computed
again from the analysis and the file written again.

Examples
--------
>>> import tempfile, pathlib
>>> o = Overview(figures=KeyFigures({"process": 1}, 1, 0, 1, 0), groups=[], coverage={"processes": 1},
...              assessment=None)
>>> path = pathlib.Path(tempfile.mkdtemp()) / OVERVIEW_FILE
>>> write_overview(path, {"version": "v0001"}, o)
>>> read_overview(path, {"version": "v0001"}) == o, read_overview(path, {"version": "v0002"})
(True, None)
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import gzip
import hashlib
import json
import os
import uuid
from dataclasses import dataclass
from pathlib import Path

from sovmap import __version__

from .analysis import Answers
from .figures import KeyFigures, key_figures, top_groups

__all__ = ["OVERVIEW_FILE", "OVERVIEW_FORMAT", "Overview", "overview_fingerprint", "overview_of", "read_overview",
           "write_overview"]

OVERVIEW_FILE = "overview.json.gz"  # in a version's folder, next to its snapshot; rebuilt at will
OVERVIEW_FORMAT = 1


@dataclass(frozen=True)
class Overview:
    """The overview page's figures of one version. Treat every field as read-only: it is shared between sessions."""

    figures: KeyFigures  # key_figures(counts, spof, ranking)
    groups: list[dict]  # the supplier groups that break most (top_groups), most failed processes first
    coverage: dict  # sovmap.graph.coverage.coverage: what the answers rest on
    assessment: dict | None  # the assessment's "matrix", "reach" and "laws"; None without an assessment
    origin: str = ""  # on Neo4j: "stored" or "computed" (Answers.origin)


def overview_of(a: Answers) -> Overview:
    """The overview's figures from the pages' answers (computed, or stored in Neo4j at push)."""
    assessment = None if a.assessment is None else {k: a.assessment[k] for k in ("matrix", "reach", "laws")}
    return Overview(figures=key_figures(a.counts, a.spof, a.ranking),
                    groups=sorted(top_groups(a.ranking), key=lambda r: -r["failed_processes"]),
                    coverage=a.coverage, assessment=assessment, origin=a.origin)


@functools.cache
def overview_fingerprint() -> str:
    """A checksum of the code and reference data the figures are computed with: sovmap's graph, ingest and ontology
    packages (every file but compiled ones), the dashboard's analysis and figures, and this module."""
    import sovmap.graph as graph
    import sovmap.ingest as ingest
    import sovmap.ontology as ontology
    from sovmap.store import answers, snapshot

    here = Path(__file__).parent
    files = [here / "analysis.py", here / "figures.py", Path(__file__), Path(answers.__file__)]
    for package in (graph, ingest, ontology):
        files += [f for f in Path(package.__file__).parent.rglob("*")
                  if f.is_file() and "__pycache__" not in f.parts and f.suffix not in {".pyc", ".pyo"}]
    digest = hashlib.sha256(snapshot.builder_fingerprint().encode())
    for f in sorted(files, key=lambda f: f.as_posix()):
        digest.update(f.name.encode() + b"\0" + f.read_bytes() + b"\0")
    return digest.hexdigest()


def _stamp(source: dict) -> dict:
    return {"format": OVERVIEW_FORMAT, "sovmap": __version__, "code": overview_fingerprint(), "source": source}


def _plain(o: Overview) -> dict:
    return {**dataclasses.asdict(o), "figures": dataclasses.asdict(o.figures)}


def write_overview(path: str | os.PathLike, source: dict, o: Overview) -> None:
    """Write ``o`` at ``path``, stamped as computed from ``source`` (a JSON-able dict, e.g. a version's id and files).

    Written under a temporary name and renamed in one step; a folder that cannot be written is left as it is,
    and so are figures JSON cannot keep (the next open computes them again).
    """
    path = Path(path)
    try:
        text = json.dumps({"stamp": _stamp(source), "overview": _plain(o)}, ensure_ascii=False, allow_nan=False,
                          separators=(",", ":"))
    except (TypeError, ValueError):  # a figure JSON cannot keep exactly: computed at every open instead
        return
    data = gzip.compress(text.encode("utf-8"), compresslevel=5)
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")
    try:
        with open(tmp, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except OSError:
        pass
    finally:
        with contextlib.suppress(OSError):
            tmp.unlink(missing_ok=True)


def read_overview(path: str | os.PathLike, source: dict) -> Overview | None:
    """The figures stored at ``path`` when they were computed from ``source`` by this code; None otherwise
    (no file, another stamp, or a file that cannot be read)."""
    try:
        stored = json.loads(gzip.decompress(Path(path).read_bytes()))
        if stored["stamp"] != _stamp(source):
            return None
        o = stored["overview"]
        return Overview(figures=KeyFigures(**o["figures"]), groups=o["groups"], coverage=o["coverage"],
                        assessment=o["assessment"], origin=o["origin"])
    except (OSError, EOFError, ValueError, KeyError, TypeError, gzip.BadGzipFile):
        return None
