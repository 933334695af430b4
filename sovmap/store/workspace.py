"""A workspace on disk: every accepted upload kept as an immutable version, one of them current.

Layout of a workspace folder::

    CURRENT                 the id of the current version (replaced atomically)
    .lock                   taken (flock) around every write
    versions/v0001/         one folder per accepted upload
        manifest.json       time, file names, sha256 checksums, counts
        files/...           the uploaded files, byte for byte as uploaded
        label.txt           the name the user gave the version (optional; the one part that can change)
        graph.snapshot      the graph built from them, compiled (written on first open; rebuilt when
                            missing, stale or corrupted, see sovmap.store.snapshot)
    tmp/                    staging folders; a crash leaves at most a stray one here

A version is written into ``tmp/`` and renamed into ``versions/`` in one step,
then ``CURRENT`` is written to a temporary name and ``os.replace``-d over the old
pointer. A crash at any point leaves every earlier version and the current
pointer as they were. Writers take an exclusive lock on ``.lock``, so two
browser sessions (or a session and the CLI) never number two versions alike.

Examples
--------
>>> import tempfile
>>> ws = Workspace(tempfile.mkdtemp())
>>> ws.current() is None
True
>>> version, problems = ws.add([("suppliers.csv", b"id,name,country\\nS-1,Kynthos,US\\n")])
>>> version.id, version.files, version.counts["supplier"]
('v0001', ['suppliers.csv'], 1)
>>> ws.current().id
'v0001'
>>> sorted(ws.load_graph().nodes)
['S-1', 'country:US']
>>> version, problems = ws.add([("suppliers.csv", b"id,name\\n,Nameless\\n")])
>>> version is None, [v.id for v in ws.versions()]
(True, ['v0001'])
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import os
import re
import shutil
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

import networkx as nx

from sovmap.graph.errors import SovmapError
from sovmap.graph.model import build_graph
from sovmap.ingest.problems import Problem, has_errors
from sovmap.ingest.validate import Inventory, load_files

from .snapshot import SnapshotUnsupported, SnapshotUnusable, read_snapshot, write_snapshot

__all__ = ["Version", "Workspace", "WorkspaceError", "MANIFEST_FORMAT", "LABEL_MAX", "SNAPSHOT_FILE", "snapshot_source", "upload_key"]

MANIFEST_FORMAT = 1
_BLOCK = 8 << 20  # bytes read at a time when a version's files are checked, not kept
SNAPSHOT_FILE = "graph.snapshot"  # in a version's folder: its graph compiled (sovmap.store.snapshot), rebuilt at will
_VERSION_ID = re.compile(r"^v(\d{4,})$")
_UNSAFE = re.compile(r"[^A-Za-z0-9._()\- ]+")
_STORED = re.compile(r"[A-Za-z0-9_()\- ][A-Za-z0-9._()\- ]{0,130}")  # what _safe_name writes: a plain name


class WorkspaceError(SovmapError):
    """A workspace request that cannot be done: an unknown version, an empty workspace, a damaged version."""


@dataclass(frozen=True)
class Version:
    """One accepted upload, as its manifest describes it."""

    id: str
    created: dt.datetime
    files: list[str]  # the names as uploaded, in upload order
    checksums: dict[str, str]  # name as uploaded → sha256 hex digest
    path: Path  # the version's folder
    counts: dict[str, int] = field(default_factory=dict)  # nodes per kind, plus "edges"
    stored: dict[str, str] = field(default_factory=dict)  # name as uploaded → file name under files/
    label: str = ""  # the name the user gave the version ("after the workplace tender"); empty when none

    @property
    def number(self) -> int:
        """The version's sequence number (v0007 → 7)."""
        return int(_VERSION_ID.match(self.id).group(1))


def _safe_name(name: str, taken: set[str]) -> str:
    """A file name that stays inside ``files/``: the base name, odd characters replaced, unique."""
    base = PurePosixPath(name.replace("\\", "/")).name.strip().lstrip(".")
    base = _UNSAFE.sub("_", base)[:120] or "file"
    stem, dot, ext = base.rpartition(".")
    if not dot:
        stem, ext = base, ""
    out, n = base, 2
    while out.lower() in taken:
        out = f"{stem}-{n}.{ext}" if ext else f"{stem}-{n}"
        n += 1
    taken.add(out.lower())
    return out


def duplicate_names(files: list[tuple[str, bytes]]) -> list[Problem]:
    """One error for each file name given more than once (letter case aside): one of them would be lost.

    >>> [p.value for p in duplicate_names([("systems.csv", b""), ("a.csv", b""), ("Systems.csv", b"")])]
    ['Systems.csv']
    """
    seen: dict[str, str] = {}
    problems = []
    for name, _ in files:
        key = PurePosixPath(name.replace("\\", "/")).name.strip().lower()
        if key in seen:
            problems.append(Problem(
                "duplicate-file", name, None, None, name,
                f'Two files in this upload are named "{seen[key]}"; one of them would be lost, so nothing was stored.',
                "Choose each file once. To replace a file, remove the old one from the list before adding the new."))
        else:
            seen[key] = name
    return problems


_LABEL_FILE = "label.txt"
LABEL_MAX = 120  # characters of a version's name


def _clean_label(label: str) -> str:
    """A version's name on one line, without control characters, at most ``LABEL_MAX`` characters.

    >>> _clean_label("  na\\taanbesteding\\n werkplek ")
    'na aanbesteding werkplek'
    """
    return " ".join("".join(c if c.isprintable() else " " for c in label).split())[:LABEL_MAX]


def upload_key(files: list[tuple[str, bytes]]) -> list[tuple[str, str]]:
    """What makes two uploads the same: each file's name (letter case aside) and sha256, in name order.

    >>> upload_key([("b.csv", b"x"), ("A.csv", b"")])[0][0], len(upload_key([("a.csv", b"")]))
    ('a.csv', 1)
    """
    return sorted((PurePosixPath(name.replace("\\", "/")).name.strip().lower(), hashlib.sha256(data).hexdigest())
                  for name, data in files)


def inventory_counts(inv: Inventory) -> dict[str, int]:
    """Nodes per kind (sorted by kind) and ``"edges"``: what ``kind_counts`` and ``number_of_edges`` of
    ``build_graph(inv)`` give, counted from the records without building the graph.

    As in the graph, each country an edge points to is one ``country`` node, and the rows of one
    dependency (source, relation, target) with several meanings are one edge.

    >>> from sovmap.ingest.validate import load_files
    >>> inv, _ = load_files([("suppliers.csv", b"id,name,country\\nS-1,A,US\\nS-2,B,US\\n")])
    >>> inventory_counts(inv)
    {'country': 1, 'supplier': 2, 'edges': 2}
    """
    kinds: dict[str | None, int] = {}
    for n in inv.nodes.values():
        kinds[n.kind] = kinds.get(n.kind, 0) + 1
    extra: set[str] = set()  # ends of edges that are no record: countries (any other would have no kind)
    edges: set[tuple[str, str, str]] = set()
    for e in inv.edges:
        edges.add((e.source, e.target, e.relation))
        for end in (e.source, e.target):
            if end not in inv.nodes and end not in extra:
                extra.add(end)
                kind = "country" if end.startswith("country:") and end == e.target else None
                kinds[kind] = kinds.get(kind, 0) + 1
    counts = dict(sorted(kinds.items(), key=lambda kv: str(kv[0])))
    counts["edges"] = len(edges)
    return counts


def snapshot_source(v: Version) -> dict:
    """What a version's snapshot must have been built from: its id and its files with their checksums."""
    return {"version": v.id, "files": [[name, v.checksums.get(name)] for name in v.files]}


def _file_sha256(path: Path, block: bytearray) -> str:
    """The sha256 of a file, read into ``block`` a block at a time (a few large blocks: few hand-overs
    of the interpreter lock, which reading and hashing each let go)."""
    digest = hashlib.sha256()
    view = memoryview(block)
    with open(path, "rb", buffering=0) as fh:
        while n := fh.readinto(block):
            digest.update(view[:n])
    return digest.hexdigest()


def _fsync_write(path: Path, data: bytes) -> None:
    with open(path, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())


@contextlib.contextmanager
def _exclusive(lock_path: Path) -> Iterator[None]:
    """Hold an exclusive lock on ``lock_path`` (flock on POSIX, msvcrt on Windows)."""
    with open(lock_path, "a+b") as fh:
        try:
            import fcntl
        except ImportError:  # pragma: no cover - Windows
            import msvcrt

            fh.seek(0)
            while True:
                try:
                    msvcrt.locking(fh.fileno(), msvcrt.LK_LOCK, 1)
                    break
                except OSError:
                    continue
            try:
                yield
            finally:
                fh.seek(0)
                msvcrt.locking(fh.fileno(), msvcrt.LK_UNLCK, 1)
            return
        fcntl.flock(fh.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh.fileno(), fcntl.LOCK_UN)


class Workspace:
    """The versions of one inventory kept in a folder (created when missing)."""

    def __init__(self, root: str | os.PathLike) -> None:
        self.root = Path(root).expanduser()
        self.root.mkdir(parents=True, exist_ok=True)
        self._versions_dir = self.root / "versions"
        self._tmp_dir = self.root / "tmp"
        self._pointer = self.root / "CURRENT"
        self._lock = self.root / ".lock"

    def __repr__(self) -> str:
        return f"Workspace({str(self.root)!r})"

    # --- reading ----------------------------------------------------------------

    def versions(self) -> list[Version]:
        """Every stored version, oldest first. Folders without a readable manifest are skipped."""
        if not self._versions_dir.is_dir():
            return []
        out = []
        for p in self._versions_dir.iterdir():
            if _VERSION_ID.match(p.name):
                v = self._read_manifest(p)
                if v is not None:
                    out.append(v)
        return sorted(out, key=lambda v: v.number)

    def version(self, version_id: str) -> Version:
        """The version with this id; :class:`WorkspaceError` when there is none."""
        p = self._versions_dir / version_id
        v = self._read_manifest(p) if _VERSION_ID.match(version_id or "") else None
        if v is None:
            known = ", ".join(x.id for x in self.versions()) or "none"
            raise WorkspaceError(f'There is no version "{version_id}" in {self.root}. Known versions: {known}.')
        return v

    def current(self) -> Version | None:
        """The current version, or None when nothing has been stored yet."""
        try:
            vid = self._pointer.read_text("utf-8").strip()
        except FileNotFoundError:
            return None
        try:
            return self.version(vid)
        except WorkspaceError:
            return None

    def files(self, version_id: str | None = None) -> list[tuple[str, bytes]]:
        """The files of a version (default: the current one) as (name as uploaded, bytes), checked.

        Every file is read from the version's ``files/`` folder only and must match the sha256
        checksum recorded when it was stored; otherwise :class:`WorkspaceError` says the version is
        damaged (the other versions stay usable).
        """
        return self._checked(self._resolve(version_id), keep=True)

    def _checked(self, v: Version, keep: bool) -> list[tuple[str, bytes]]:
        """Check every file of ``v`` against its checksum (:meth:`files`); with ``keep``, their bytes as well.

        Without ``keep`` each file is hashed as it is read, a block at a time, and nothing is kept:
        reopening from a snapshot needs the files checked, not their bytes (about 70 MB nationally).
        Reading and hashing let other threads run (:meth:`load_graph` reads the snapshot meanwhile).
        """
        out = []
        block = None if keep else bytearray(_BLOCK)
        for name in v.files:
            stored = v.stored.get(name)
            if not isinstance(stored, str) or not _STORED.fullmatch(stored):
                raise self._damaged(v, f'its manifest stores "{name}" as "{stored}", which is not a file in the '
                                       "version's files folder")
            try:
                if keep:
                    data = (v.path / "files" / stored).read_bytes()
                    digest = hashlib.sha256(data).hexdigest()
                else:
                    digest = _file_sha256(v.path / "files" / stored, block)
            except OSError as exc:
                raise self._damaged(v, f'"{name}" cannot be read ({exc.strerror or exc})') from exc
            if digest != v.checksums.get(name):
                raise self._damaged(v, f'"{name}" no longer matches the checksum recorded when it was stored: it '
                                       "was changed or corrupted on disk")
            if keep:
                out.append((name, data))
        return out

    def same_as(self, files: list[tuple[str, bytes]]) -> Version | None:
        """The newest version whose files are exactly ``files`` (names and bytes), or None.

        Read from the manifests' checksums: an upload that changes nothing need not become a new version.
        """
        key = upload_key(files)
        for v in reversed(self.versions()):
            if sorted((PurePosixPath(n.replace("\\", "/")).name.strip().lower(), c)
                      for n, c in v.checksums.items()) == key:
                return v
        return None

    def check(self, version_id: str) -> str | None:
        """Why a version is damaged (a file missing, changed or stored outside its folder); None when it is whole.

        Reads and checks every file, as :meth:`files` does.
        """
        try:
            self.files(version_id)
        except WorkspaceError as exc:
            return str(exc)
        return None

    def load_graph(self, version_id: str | None = None) -> nx.MultiDiGraph:
        """The graph of a version (default: the current one), from its snapshot when that is usable.

        The version's files are checked, while the snapshot is read (a damaged version raises
        :class:`WorkspaceError`, as :meth:`files` does). A snapshot built from exactly these files
        by this sovmap gives the graph in seconds; a missing, stale or corrupted one is never
        used: the graph is built from the files and the snapshot written again (when the folder
        can be written; otherwise the next open builds it again).
        """
        v = self._resolve(version_id)
        source = snapshot_source(v)
        with ThreadPoolExecutor(max_workers=1) as pool:  # the files checked while the snapshot is read
            checked = pool.submit(self._checked, v, keep=False)
            try:
                g = read_snapshot(v.path / SNAPSHOT_FILE, source)
            except SnapshotUnusable:
                g = None
            checked.result()  # a damaged version is refused, however good its snapshot
        if g is None:
            files = self._checked(v, keep=True)  # read (and checked) again: only now are their bytes needed
            inv, problems = load_files(files)
            del files
            if inv is None:
                first = next((str(p) for p in problems if p.severity == "error"), "")
                raise WorkspaceError(f"Version {v.id} no longer passes validation: {first}") from None
            g = build_graph(inv)
            del inv
            with contextlib.suppress(OSError, SnapshotUnsupported):
                write_snapshot(g, v.path / SNAPSHOT_FILE, source)
        g.graph["version"] = v.id
        return g

    # --- writing ----------------------------------------------------------------

    def add(self, files: list[tuple[str, bytes]], label: str = "") -> tuple[Version | None, list[Problem]]:
        """Validate the files and, when they have no errors, store them as the new current version.

        ``label``: a name for the version (see :meth:`rename`).

        Returns the new version (None when nothing was stored) and every problem found
        (warnings too). Nothing is written while errors remain; two files with one name are refused
        before they are read.
        """
        duplicates = duplicate_names(files)
        if duplicates:
            return None, duplicates
        inv, problems = load_files(files)
        if inv is None or has_errors(problems):
            return None, problems
        counts = inventory_counts(inv)
        with _exclusive(self._lock):
            self._clear_tmp()
            staging = self._tmp_dir / uuid.uuid4().hex
            (staging / "files").mkdir(parents=True)
            taken: set[str] = set()
            entries = []
            for name, data in files:
                stored = _safe_name(name, taken)
                _fsync_write(staging / "files" / stored, data)
                entries.append({"name": name, "stored": stored, "sha256": hashlib.sha256(data).hexdigest(),
                                "bytes": len(data)})
            number = self._last_number() + 1
            vid = f"v{number:04d}"
            manifest = {"format": MANIFEST_FORMAT, "id": vid,
                        "created": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
                        "files": entries, "counts": counts,
                        "warnings": sum(p.severity == "warning" for p in problems)}
            _fsync_write(staging / "manifest.json",
                         json.dumps(manifest, ensure_ascii=False, indent=2).encode("utf-8"))
            if _clean_label(label):
                _fsync_write(staging / _LABEL_FILE, _clean_label(label).encode("utf-8"))
            self._versions_dir.mkdir(exist_ok=True)
            target = self._versions_dir / vid
            os.rename(staging, target)
            try:
                self._write_pointer(vid)
            except BaseException:
                # The pointer still names the previous version; take the new one back out
                # so that what the user sees as a failed upload leaves no trace.
                shutil.rmtree(target, ignore_errors=True)
                raise
        return self.version(vid), problems

    def set_current(self, version_id: str) -> Version:
        """Make an existing, undamaged version the current one again."""
        with _exclusive(self._lock):
            v = self.version(version_id)
            self.files(v.id)  # a damaged version is refused
            self._write_pointer(v.id)
        return v

    def rename(self, version_id: str, label: str) -> Version:
        """Give a version a name (an empty one removes it); its files and manifest do not change.

        >>> import tempfile
        >>> ws = Workspace(tempfile.mkdtemp())
        >>> v, _ = ws.add([("suppliers.csv", b"id,name,country\\nS-1,Kynthos,US\\n")], label="first")
        >>> v.label, ws.rename("v0001", "after the tender").label
        ('first', 'after the tender')
        """
        with _exclusive(self._lock):
            v = self.version(version_id)
            text = _clean_label(label)
            target = v.path / _LABEL_FILE
            if not text:
                target.unlink(missing_ok=True)
            else:
                tmp = v.path / f".{_LABEL_FILE}.{uuid.uuid4().hex}.tmp"
                _fsync_write(tmp, text.encode("utf-8"))
                os.replace(tmp, target)
        return self.version(version_id)

    # --- internals ----------------------------------------------------------------

    def _resolve(self, version_id: str | None) -> Version:
        if version_id is not None:
            return self.version(version_id)
        v = self.current()
        if v is None:
            raise WorkspaceError(f"The workspace {self.root} holds no inventory yet. Upload one first.")
        return v

    def _damaged(self, v: Version, why: str) -> WorkspaceError:
        return WorkspaceError(f"Version {v.id} in {self.root} is damaged and is not used: {why}. The other "
                              "versions are not affected; make one of them current, or upload the inventory again.")

    def _write_pointer(self, version_id: str) -> None:
        tmp = self.root / f".CURRENT.{uuid.uuid4().hex}.tmp"
        _fsync_write(tmp, (version_id + "\n").encode("utf-8"))
        try:
            os.replace(tmp, self._pointer)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise

    def _last_number(self) -> int:
        """The highest version number in use, counting folders without a readable manifest."""
        if not self._versions_dir.is_dir():
            return 0
        found = (_VERSION_ID.match(p.name) for p in self._versions_dir.iterdir())
        return max((int(m.group(1)) for m in found if m), default=0)

    def _clear_tmp(self) -> None:
        """Remove staging folders a crashed writer left behind (called with the lock held)."""
        if self._tmp_dir.is_dir():
            for p in self._tmp_dir.iterdir():
                shutil.rmtree(p, ignore_errors=True)
        for p in self.root.glob(".CURRENT.*.tmp"):
            p.unlink(missing_ok=True)
        for p in self._versions_dir.glob(f"*/.{SNAPSHOT_FILE}.*.tmp"):  # a snapshot writer that crashed
            p.unlink(missing_ok=True)

    @staticmethod
    def _read_label(folder: Path) -> str:
        try:
            return _clean_label((folder / _LABEL_FILE).read_text("utf-8", errors="replace"))
        except OSError:
            return ""

    @staticmethod
    def _read_manifest(folder: Path) -> Version | None:
        try:
            m = json.loads((folder / "manifest.json").read_text("utf-8"))
            if m["id"] != folder.name:  # a manifest copied from another version
                return None
            return Version(
                id=m["id"],
                created=dt.datetime.fromisoformat(m["created"]),
                files=[f["name"] for f in m["files"]],
                checksums={f["name"]: f["sha256"] for f in m["files"]},
                path=folder,
                counts=dict(m.get("counts", {})),
                stored={f["name"]: f["stored"] for f in m["files"]},
                label=Workspace._read_label(folder),
            )
        except (OSError, ValueError, KeyError, TypeError):
            return None
