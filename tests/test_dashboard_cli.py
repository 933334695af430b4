"""`sovmap dashboard`: the workspace, --demo, and Streamlit's offline settings (Streamlit itself is not started)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from sovmap.cli import app
from sovmap.cli.dashboard import streamlit_args
from sovmap.store import Workspace


@pytest.fixture
def started(monkeypatch):
    """Record the command line `sovmap dashboard` hands to Streamlit instead of starting it."""
    calls: list[dict] = []
    monkeypatch.setattr(sys, "argv", list(sys.argv))  # the command rewrites sys.argv for Streamlit
    monkeypatch.setenv("SOVMAP_WORKSPACE", "unused")
    monkeypatch.setenv("STREAMLIT_BROWSER_GATHER_USAGE_STATS", "true")
    import streamlit.web.cli as streamlit_cli

    monkeypatch.setattr(streamlit_cli, "main", lambda: calls.append(
        {"argv": list(sys.argv), "workspace": os.environ["SOVMAP_WORKSPACE"],
         "stats": os.environ["STREAMLIT_BROWSER_GATHER_USAGE_STATS"]}))
    return calls


class TestStreamlitArgs:
    def test_local_only_without_usage_statistics_or_developer_tools(self):
        args = streamlit_args(Path("app.py"), 8501, "127.0.0.1")
        flags = dict(zip(args[3::2], args[4::2]))
        assert args[:3] == ["streamlit", "run", "app.py"]
        assert flags["--browser.gatherUsageStats"] == "false"
        assert flags["--server.address"] == "127.0.0.1"
        assert flags["--global.developmentMode"] == "false"
        assert flags["--server.fileWatcherType"] == "none"
        assert flags["--server.port"] == "8501"


class TestDashboardCommand:
    def test_demo_fills_an_empty_workspace_and_starts_the_packaged_app(self, started, tmp_path):
        result = CliRunner().invoke(app, ["dashboard", "--workspace", str(tmp_path / "ws"), "--demo", "--port", "8765"])
        assert result.exit_code == 0, result.output
        assert "Loaded the demo inventory" in result.output
        assert [v.id for v in Workspace(tmp_path / "ws").versions()] == ["v0001"]
        (call,) = started
        assert call["workspace"] == str((tmp_path / "ws").resolve())
        assert call["stats"] == "false"
        app_path = Path(call["argv"][2])
        assert app_path.name == "app.py" and app_path.parent.name == "dashboard" and app_path.is_file()
        assert (app_path.parent / "views" / "overview.py").is_file()
        assert call["argv"][call["argv"].index("--server.port") + 1] == "8765"

    def test_demo_leaves_a_workspace_that_holds_versions_alone(self, started, tmp_path):
        CliRunner().invoke(app, ["dashboard", "--workspace", str(tmp_path), "--demo"])
        CliRunner().invoke(app, ["dashboard", "--workspace", str(tmp_path), "--demo"])
        assert [v.id for v in Workspace(tmp_path).versions()] == ["v0001"]

    def test_without_demo_the_workspace_stays_empty(self, started, tmp_path):
        result = CliRunner().invoke(app, ["dashboard", "--workspace", str(tmp_path)])
        assert result.exit_code == 0, result.output
        assert Workspace(tmp_path).versions() == []
        assert f"Workspace: {tmp_path.resolve()}" in result.output

    def test_the_workspace_defaults_to_the_environment(self, started, tmp_path, monkeypatch):
        monkeypatch.setenv("SOVMAP_WORKSPACE", str(tmp_path / "from-env"))
        CliRunner().invoke(app, ["dashboard"])
        assert started[0]["workspace"] == str((tmp_path / "from-env").resolve())
