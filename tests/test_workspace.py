"""The workspace store: immutable versions, an atomic current pointer, safe under concurrency and crashes."""

from __future__ import annotations

import hashlib
import io
import json
import multiprocessing
import os
import threading
import zipfile
from pathlib import Path

import pytest

from sovmap.graph.model import graph_signature
from sovmap.ingest.validate import load
from sovmap.graph.model import build_graph
from sovmap.store import Workspace, WorkspaceError, demo_files

MINI = Path(__file__).parent / "fixtures" / "mini"


def mini_files(rename: dict[str, str] | None = None) -> list[tuple[str, bytes]]:
    """The mini inventory as uploaded files, optionally with one system renamed."""
    files = [(p.name, p.read_bytes()) for p in sorted(MINI.glob("*.csv"))]
    if rename:
        out = []
        for name, data in files:
            text = data.decode()
            for a, b in rename.items():
                text = text.replace(a, b)
            out.append((name, text.encode()))
        files = out
    return files


BAD = [("systems.csv", b"id,name,supplier_id\nSYS-1,Mail,S-NOPE\n")]


class TestAdd:
    def test_accepted_upload_is_stored_byte_for_byte_with_a_manifest(self, tmp_path):
        ws = Workspace(tmp_path)
        files = mini_files()
        version, problems = ws.add(files)
        assert version.id == "v0001"
        assert version.files == [n for n, _ in files]
        for name, data in files:
            assert (version.path / "files" / name).read_bytes() == data
            assert version.checksums[name] == hashlib.sha256(data).hexdigest()
        manifest = json.loads((version.path / "manifest.json").read_text())
        assert manifest["counts"]["system"] == 4
        assert manifest["counts"]["supplier"] == 4
        assert manifest["counts"]["edges"] > 0
        assert ws.current().id == "v0001"
        assert ws.files() == files

    def test_upload_with_errors_stores_nothing(self, tmp_path):
        ws = Workspace(tmp_path)
        version, problems = ws.add(BAD)
        assert version is None
        assert any(p.rule == "unknown-reference" and p.value == "S-NOPE" for p in problems)
        assert ws.versions() == []
        assert ws.current() is None
        assert not (tmp_path / "versions").exists()

    def test_upload_with_errors_leaves_the_current_version(self, tmp_path):
        ws = Workspace(tmp_path)
        ws.add(mini_files())
        ws.add(BAD)
        assert [v.id for v in ws.versions()] == ["v0001"]
        assert ws.current().id == "v0001"

    def test_the_stored_graph_equals_the_graph_of_the_files(self, tmp_path):
        ws = Workspace(tmp_path)
        ws.add(mini_files())
        expected = build_graph(load(MINI)[0])
        assert graph_signature(ws.load_graph()) == graph_signature(expected)

    def test_a_zip_and_a_workbook_are_kept_as_uploaded(self, tmp_path):
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w") as zf:
            for name, data in mini_files():
                zf.writestr(f"inventaris/{name}", data)
        ws = Workspace(tmp_path)
        version, _ = ws.add([("inventaris.zip", buf.getvalue())])
        assert version.files == ["inventaris.zip"]
        assert (version.path / "files" / "inventaris.zip").read_bytes() == buf.getvalue()
        assert "SYS-MAIL" in ws.load_graph()

    def test_a_file_name_with_a_path_is_stored_inside_the_version(self, tmp_path):
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w") as zf:
            for name, data in mini_files():
                zf.writestr(name, data)
        ws = Workspace(tmp_path / "ws")
        version, _ = ws.add([("../../evil.zip", buf.getvalue())])
        assert version.files == ["../../evil.zip"]
        assert version.stored["../../evil.zip"] == "evil.zip"
        assert (version.path / "files" / "evil.zip").is_file()
        assert not (tmp_path / "evil.zip").exists()
        assert ws.files()[0] == ("../../evil.zip", buf.getvalue())

    def test_two_files_of_the_same_name_are_refused_before_anything_is_stored(self, tmp_path):
        ws = Workspace(tmp_path)
        ws.add(mini_files())
        renamed = dict(mini_files({"Zaaksysteem": "Zaken"}))
        upload = [*mini_files(), ("Systems.CSV", renamed["systems.csv"])]
        version, problems = ws.add(upload)
        assert version is None and [v.id for v in ws.versions()] == ["v0001"]
        assert [(p.rule, p.file, p.severity) for p in problems] == [("duplicate-file", "Systems.CSV", "error")]
        assert 'Two files in this upload are named "systems.csv"' in problems[0].message
        assert "remove the old one" in problems[0].hint
        assert not (tmp_path / "tmp").exists() or not any((tmp_path / "tmp").iterdir())

    def test_two_zips_of_the_same_name_are_refused_too(self, tmp_path):
        zips = []
        for half in (mini_files()[:4], mini_files()[4:]):
            buf = io.BytesIO()
            with zipfile.ZipFile(buf, "w") as zf:
                for name, data in half:
                    zf.writestr(name, data)
            zips.append(("export.zip", buf.getvalue()))
        version, problems = Workspace(tmp_path).add(zips)
        assert version is None and [p.rule for p in problems] == ["duplicate-file"]
        version, _ = Workspace(tmp_path).add([zips[0], ("export-2.zip", zips[1][1])])
        assert version.files == ["export.zip", "export-2.zip"]

    def test_the_bundled_demo_is_accepted(self, tmp_path):
        version, problems = Workspace(tmp_path).add(demo_files())
        assert version is not None
        assert version.counts["process"] > 10


class TestVersions:
    def test_each_upload_is_a_new_version_and_the_newest_is_current(self, tmp_path):
        ws = Workspace(tmp_path)
        ws.add(mini_files())
        ws.add(mini_files({"Website": "Gemeentesite"}))
        assert [v.id for v in ws.versions()] == ["v0001", "v0002"]
        assert ws.current().id == "v0002"
        assert ws.load_graph().nodes["SYS-WEB"]["name"] == "Gemeentesite"

    def test_an_earlier_version_can_be_made_current_again(self, tmp_path):
        ws = Workspace(tmp_path)
        ws.add(mini_files())
        ws.add(mini_files({"Website": "Gemeentesite"}))
        ws.set_current("v0001")
        assert ws.current().id == "v0001"
        assert ws.load_graph().nodes["SYS-WEB"]["name"] == "Website"
        assert ws.load_graph("v0002").nodes["SYS-WEB"]["name"] == "Gemeentesite"
        assert Workspace(tmp_path).current().id == "v0001"

    def test_an_unknown_version_is_refused_with_the_known_ones(self, tmp_path):
        ws = Workspace(tmp_path)
        ws.add(mini_files())
        with pytest.raises(WorkspaceError, match=r'no version "v0009".*Known versions: v0001'):
            ws.set_current("v0009")
        assert ws.current().id == "v0001"

    def test_an_empty_workspace_says_to_upload_first(self, tmp_path):
        with pytest.raises(WorkspaceError, match="holds no inventory yet"):
            Workspace(tmp_path).load_graph()

    def test_a_version_folder_without_manifest_is_ignored(self, tmp_path):
        ws = Workspace(tmp_path)
        ws.add(mini_files())
        (tmp_path / "versions" / "v0002" / "files").mkdir(parents=True)
        assert [v.id for v in ws.versions()] == ["v0001"]
        version, _ = ws.add(mini_files())
        assert version.id == "v0003"
        assert ws.current().id == version.id


class TestCrashes:
    def test_a_crash_while_switching_the_pointer_keeps_earlier_versions_and_current(self, tmp_path, monkeypatch):
        ws = Workspace(tmp_path)
        first, _ = ws.add(mini_files())
        before = {p: p.read_bytes() for p in first.path.rglob("*") if p.is_file()}

        def crash(*args, **kwargs):
            raise OSError("disk full")

        monkeypatch.setattr(os, "replace", crash)
        with pytest.raises(OSError, match="disk full"):
            ws.add(mini_files({"Website": "Gemeentesite"}))
        monkeypatch.undo()
        assert ws.current().id == "v0001"
        assert [v.id for v in ws.versions()] == ["v0001"]
        assert {p: p.read_bytes() for p in first.path.rglob("*") if p.is_file()} == before
        assert ws.load_graph().nodes["SYS-WEB"]["name"] == "Website"
        assert not list(tmp_path.glob(".CURRENT.*"))

    def test_a_crash_before_the_rename_leaves_only_a_staging_folder_that_the_next_add_clears(self, tmp_path, monkeypatch):
        ws = Workspace(tmp_path)
        ws.add(mini_files())

        def crash(*args, **kwargs):
            raise OSError("killed")

        monkeypatch.setattr(os, "rename", crash)
        with pytest.raises(OSError, match="killed"):
            ws.add(mini_files({"Website": "Gemeentesite"}))
        monkeypatch.undo()
        assert len(list((tmp_path / "tmp").iterdir())) == 1
        assert [v.id for v in ws.versions()] == ["v0001"]
        assert ws.current().id == "v0001"
        version, _ = ws.add(mini_files({"Website": "Gemeentesite"}))
        assert version.id == "v0002"
        assert list((tmp_path / "tmp").iterdir()) == []

    def test_a_crash_while_switching_current_back_keeps_the_pointer(self, tmp_path, monkeypatch):
        ws = Workspace(tmp_path)
        ws.add(mini_files())
        ws.add(mini_files({"Website": "Gemeentesite"}))
        monkeypatch.setattr(os, "replace", lambda *a, **k: (_ for _ in ()).throw(OSError("power cut")))
        with pytest.raises(OSError, match="power cut"):
            ws.set_current("v0001")
        monkeypatch.undo()
        assert ws.current().id == "v0002"


def _add_many(root: str, tag: str, n: int) -> None:
    ws = Workspace(root)
    for i in range(n):
        version, problems = ws.add(mini_files({"Website": f"Site {tag}{i}"}))
        assert version is not None, problems


class TestConcurrency:
    def test_two_processes_adding_at_once_get_distinct_complete_versions(self, tmp_path):
        ctx = multiprocessing.get_context("spawn")
        procs = [ctx.Process(target=_add_many, args=(str(tmp_path), tag, 4)) for tag in "ab"]
        for p in procs:
            p.start()
        for p in procs:
            p.join(120)
        assert [p.exitcode for p in procs] == [0, 0]
        ws = Workspace(tmp_path)
        versions = ws.versions()
        assert [v.id for v in versions] == [f"v{i:04d}" for i in range(1, 9)]
        names = sorted(ws.load_graph(v.id).nodes["SYS-WEB"]["name"] for v in versions)
        assert names == sorted(f"Site {t}{i}" for t in "ab" for i in range(4))
        assert ws.current().id in {v.id for v in versions}
        assert list((tmp_path / "tmp").iterdir()) == []

    def test_threads_adding_and_switching_at_once_never_corrupt_the_workspace(self, tmp_path):
        ws = Workspace(tmp_path)
        ws.add(mini_files())
        errors: list[BaseException] = []

        def work(tag: str) -> None:
            try:
                _add_many(str(tmp_path), tag, 3)
                Workspace(tmp_path).set_current("v0001")
            except BaseException as exc:  # collected and asserted below
                errors.append(exc)

        threads = [threading.Thread(target=work, args=(t,)) for t in "xyz"]
        for t in threads:
            t.start()
        for t in threads:
            t.join(120)
        assert errors == []
        assert len(ws.versions()) == 10
        assert len({v.id for v in ws.versions()}) == 10
        assert ws.current() is not None
        for v in ws.versions():
            assert ws.load_graph(v.id).number_of_nodes() > 0


class TestChecksums:
    @pytest.fixture
    def two(self, tmp_path) -> Workspace:
        ws = Workspace(tmp_path)
        ws.add(mini_files())
        ws.add(mini_files({"Zaaksysteem": "Zaken"}))
        return ws

    def test_a_changed_file_is_reported_and_its_version_refused(self, two):
        v1 = two.version("v0001")
        stored = v1.path / "files" / v1.stored["systems.csv"]
        stored.write_bytes(stored.read_bytes().replace(b"E-mail", b"E-mall"))
        for read in (lambda: two.files("v0001"), lambda: two.load_graph("v0001"), lambda: two.set_current("v0001")):
            with pytest.raises(WorkspaceError, match=r'Version v0001 .* damaged .*"systems.csv" no longer matches '
                                                     r"the checksum"):
                read()
        assert two.check("v0001").startswith("Version v0001")
        assert two.current().id == "v0002" and two.check("v0002") is None
        assert "SYS-ZAAK" in two.load_graph()  # the other version is still usable

    def test_a_missing_file_is_reported(self, two):
        v = two.current()
        (v.path / "files" / v.stored["suppliers.csv"]).unlink()
        with pytest.raises(WorkspaceError, match='damaged .*"suppliers.csv" cannot be read'):
            two.load_graph()
        assert two.check("v0001") is None

    @pytest.mark.parametrize("stored", ["../../outside.csv", "/etc/passwd", "..", "sub/systems.csv",
                                        "..\\outside.csv", ".hidden", ""])
    def test_a_stored_path_outside_the_version_is_refused(self, two, tmp_path, stored):
        outside = tmp_path / "outside.csv"
        outside.write_bytes(mini_files()[-1][1])
        v = two.current()
        manifest = json.loads((v.path / "manifest.json").read_text())
        entry = next(f for f in manifest["files"] if f["name"] == "systems.csv")
        entry["stored"], entry["sha256"] = stored, hashlib.sha256(outside.read_bytes()).hexdigest()
        (v.path / "manifest.json").write_text(json.dumps(manifest))
        with pytest.raises(WorkspaceError, match="not a file in the version's files folder"):
            two.files()
        assert two.check("v0001") is None

    def test_a_manifest_copied_into_another_versions_folder_is_not_that_version(self, two):
        v1, v2 = two.version("v0001"), two.version("v0002")
        (v2.path / "manifest.json").write_bytes((v1.path / "manifest.json").read_bytes())
        assert [v.id for v in two.versions()] == ["v0001"]


class TestNamesAndSameUploads:
    def test_a_version_is_named_at_upload_renamed_later_and_its_files_stay(self, tmp_path):
        ws = Workspace(tmp_path)
        v, _ = ws.add(mini_files(), label="  na de\naanbesteding ")
        assert v.label == "na de aanbesteding"
        before = ws.files("v0001")
        assert ws.rename("v0001", "begin").label == "begin"
        assert ws.version("v0001").label == "begin" and ws.files("v0001") == before
        assert ws.check("v0001") is None
        assert ws.rename("v0001", "").label == ""
        assert not (ws.version("v0001").path / "label.txt").exists()

    def test_a_name_is_one_line_and_not_too_long(self, tmp_path):
        ws = Workspace(tmp_path)
        v, _ = ws.add(mini_files(), label="a\x00b" + "x" * 500)
        assert v.label.startswith("a b") and len(v.label) == 120

    def test_renaming_an_unknown_version_is_refused(self, tmp_path):
        with pytest.raises(WorkspaceError, match='There is no version "v0009"'):
            Workspace(tmp_path).rename("v0009", "x")

    def test_same_as_finds_the_version_with_exactly_these_files(self, tmp_path):
        ws = Workspace(tmp_path)
        ws.add(mini_files())
        ws.add(mini_files({"SYS-": "SYS-X"}))
        assert ws.same_as(list(reversed(mini_files()))).id == "v0001"  # order does not matter
        assert ws.same_as(mini_files({"SYS-": "SYS-X"})).id == "v0002"
        assert ws.same_as(mini_files({"SYS-": "SYS-Y"})) is None
        assert ws.same_as(mini_files()[:-1]) is None  # one file fewer is another upload
