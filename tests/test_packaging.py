"""The distribution as a user installs it: its licence, its declared dependencies, --version and --help."""

from __future__ import annotations

import ast
import importlib.metadata
import re
import shutil
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest
import typer
import typer.main
from typer.testing import CliRunner

from sovmap.cli import app

ROOT = Path(__file__).parent.parent
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))
# The folders that install as the `sovmap` package and its subpackages (see [tool.setuptools] package-dir).
PACKAGE_DIRS = ["sovmap", "graph", "ingest", "dashboard", "ontology"]
# Declared dependencies that the package never imports by name, and why each is still needed at run time.
INDIRECT = {
    "neo4j-rust-ext": "the neo4j driver loads its Rust extension by itself when it is installed",
}


def _normal(name: str) -> str:
    """A distribution name as PEP 503 compares them (PyYAML == pyyaml, neo4j_rust_ext == neo4j-rust-ext)."""
    return re.sub(r"[-_.]+", "-", name).lower()


def _requirement_name(requirement: str) -> str:
    return _normal(re.match(r"[A-Za-z0-9._-]+", requirement.strip()).group(0))


def imported_modules(folders: list[str]) -> dict[str, set[str]]:
    """Top-level names of absolute imports anywhere in the folders' modules (module and function level),
    each with the files that import it."""
    found: dict[str, set[str]] = {}
    for folder in folders:
        for path in sorted((ROOT / folder).rglob("*.py")):
            tree = ast.parse(path.read_text("utf-8"), filename=str(path))
            for node in ast.walk(tree):
                if isinstance(node, ast.Import):
                    names = [alias.name for alias in node.names]
                elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                    names = [node.module]
                else:
                    continue
                for name in names:
                    found.setdefault(name.split(".")[0], set()).add(str(path.relative_to(ROOT)))
    return found


def third_party_distributions() -> dict[str, set[str]]:
    """The distributions the package imports at run time, each with the files that import it."""
    owners = importlib.metadata.packages_distributions()
    result: dict[str, set[str]] = {}
    for module, files in imported_modules(PACKAGE_DIRS).items():
        if module in sys.stdlib_module_names or module == "sovmap" or module == "__future__":
            continue
        assert module in owners, f"{module} (imported by {sorted(files)}) is not installed in this environment"
        for dist in owners[module]:
            result.setdefault(_normal(dist), set()).update(files)
    return result


def test_every_imported_distribution_is_declared():
    declared = {_requirement_name(r) for r in PYPROJECT["project"]["dependencies"]}
    missing = {d: sorted(f) for d, f in third_party_distributions().items() if d not in declared}
    assert not missing, f"imported at run time but not in [project].dependencies: {missing}"


def test_every_declared_dependency_is_imported_at_run_time():
    declared = {_requirement_name(r) for r in PYPROJECT["project"]["dependencies"]}
    unused = declared - set(third_party_distributions()) - {_normal(d) for d in INDIRECT}
    assert not unused, (f"declared in [project].dependencies but never imported by the package: {sorted(unused)} "
                        "(test-only ones belong in the test extra)")


def test_test_only_dependencies_are_in_the_test_extra():
    test_extra = {_requirement_name(r) for r in PYPROJECT["project"]["optional-dependencies"]["test"]}
    local = {"sovmap", "tests"} | {p.stem for p in (ROOT / "tests").glob("*.py")}
    tests = {m for m in imported_modules(["tests"]) if m not in sys.stdlib_module_names and m not in local}
    owners = importlib.metadata.packages_distributions()
    runtime = {_requirement_name(r) for r in PYPROJECT["project"]["dependencies"]}
    needed = {_normal(d) for m in tests if m in owners for d in owners[m]} - runtime
    assert needed <= test_extra, f"imported by the tests only, not in the test extra: {sorted(needed - test_extra)}"


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> tuple[Path, str]:
    """The wheel built from a copy of the source tree (offline: the test extra brings setuptools)."""
    src = tmp_path_factory.mktemp("src")
    for name in ["pyproject.toml", "README.md", "LICENSE"]:
        shutil.copy2(ROOT / name, src / name)
    for folder in PACKAGE_DIRS:
        shutil.copytree(ROOT / folder, src / folder, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    out = tmp_path_factory.mktemp("dist")
    done = subprocess.run([sys.executable, "-m", "build", "--wheel", "--no-isolation", "-o", str(out), str(src)],
                          capture_output=True, text=True, timeout=240)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    (built,) = out.glob("sovmap-*.whl")
    return built, done.stdout + done.stderr


def test_the_wheel_carries_the_licence_text(wheel):
    built, _ = wheel
    with zipfile.ZipFile(built) as z:
        names = z.namelist()
        licence = [n for n in names if re.fullmatch(r"sovmap-[^/]+\.dist-info/licenses/LICENSE", n)]
        assert licence, "the wheel has no dist-info/licenses/LICENSE"
        assert z.read(licence[0]).decode("utf-8") == (ROOT / "LICENSE").read_text("utf-8")
        metadata = z.read(next(n for n in names if n.endswith(".dist-info/METADATA"))).decode("utf-8")
    assert "License-Expression: EUPL-1.2" in metadata and "License-File: LICENSE" in metadata
    text = (ROOT / "LICENSE").read_text("utf-8")
    assert "EUROPEAN UNION PUBLIC LICENCE v. 1.2" in text and "Appendix" in text and "15. Applicable Law" in text


def test_the_wheel_ships_every_data_file_without_setuptools_warnings(wheel):
    built, log = wheel
    assert "would be ignored" not in log, "a data folder is missing from [tool.setuptools] packages"
    with zipfile.ZipFile(built) as z:
        names = set(z.namelist())
    target = {"sovmap": "sovmap", "graph": "sovmap/graph", "ingest": "sovmap/ingest",
              "dashboard": "sovmap/dashboard", "ontology": "sovmap/ontology"}
    expected = {f"{target[folder]}/{p.relative_to(ROOT / folder).as_posix()}"
                for folder in PACKAGE_DIRS for p in (ROOT / folder).rglob("*")
                if p.is_file() and "__pycache__" not in p.parts and p.suffix != ".pyc"}
    assert expected - names == set(), f"files in the source tree that the wheel lacks: {sorted(expected - names)}"


def test_the_wheel_declares_the_runtime_dependencies_only(wheel):
    built, _ = wheel
    with zipfile.ZipFile(built) as z:
        metadata = z.read(next(n for n in z.namelist() if n.endswith(".dist-info/METADATA"))).decode("utf-8")
    plain = {_requirement_name(line.split(":", 1)[1]) for line in metadata.splitlines()
             if line.startswith("Requires-Dist:") and "extra ==" not in line}
    assert plain == {_requirement_name(r) for r in PYPROJECT["project"]["dependencies"]}
    assert "pyshacl" not in plain and "numpy" in plain


runner = CliRunner()


def test_version_prints_the_installed_version():
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.output.strip() == f"sovmap {importlib.metadata.version('sovmap')}"


def _every_command_path() -> list[list[str]]:
    paths = [[]]
    group = typer.main.get_command(app)
    for name, command in sorted(group.commands.items()):
        paths.append([name])
        for sub in sorted(getattr(command, "commands", {}) or {}):
            paths.append([name, sub])
    return paths


@pytest.mark.parametrize("path", _every_command_path(), ids=lambda p: " ".join(p) or "sovmap")
def test_help_shows_no_value_placeholder_for_flags(path):
    result = runner.invoke(app, [*path, "--help"], terminal_width=200)
    assert result.exit_code == 0, result.output
    assert "<bool>" not in result.output
    assert re.search(r"--help\s+Show this message", result.output), result.output


def test_a_usage_error_raised_inside_a_command_is_a_usage_error_not_an_internal_error():
    import sovmap.cli as cli

    probe = typer.Typer()

    @probe.command()
    def odd(n: int = 2) -> None:
        raise typer.BadParameter("must be odd", param_hint="'--n'")

    @probe.command()
    def other() -> None:
        pass

    cli._guard(probe)
    result = runner.invoke(probe, ["odd"])
    assert result.exit_code == 2 and "must be odd" in result.output and "internal error" not in result.output
