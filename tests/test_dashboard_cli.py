"""`sovmap dashboard`: the workspace, --demo, and Streamlit's offline settings (Streamlit itself is not started)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from sovmap.cli import app
from sovmap.cli.dashboard import UPLOAD_LIMIT_MB, streamlit_args
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


def flag_values(argv: list[str], name: str) -> list[str]:
    return [argv[i + 1] for i, a in enumerate(argv) if a == name]


class TestSafeServing:
    def test_cross_site_protection_stays_on_and_the_table_export_is_off(self):
        args = streamlit_args(Path("app.py"), 8501, "127.0.0.1")
        assert flag_values(args, "--server.enableCORS") == ["true"]
        assert flag_values(args, "--server.enableXsrfProtection") == ["true"]
        assert flag_values(args, "--client.disableDataExport") == ["true"]
        assert flag_values(args, "--server.maxUploadSize") == [str(UPLOAD_LIMIT_MB)] == ["512"]

    def test_the_upload_limit_follows_the_ingest_limit(self, monkeypatch):
        monkeypatch.setenv("SOVMAP_MAX_INPUT_MB", "64")
        assert flag_values(streamlit_args(Path("app.py"), 8501, "127.0.0.1"), "--server.maxUploadSize") == ["64"]

    def test_locally_the_websocket_answers_only_to_this_computers_names(self):
        args = streamlit_args(Path("app.py"), 8501, "127.0.0.1")
        assert flag_values(args, "--server.allowedHosts") == ["127.0.0.1", "localhost", "::1"]

    def test_another_address_is_refused_without_allow_remote(self, started, tmp_path):
        result = CliRunner().invoke(app, ["dashboard", "--workspace", str(tmp_path), "--host", "10.0.0.5"])
        assert result.exit_code == 2
        assert "has no sign-in" in result.output and "--allow-remote" in result.output
        assert "docs/dashboard.md" in result.output
        assert started == []

    def test_allow_remote_serves_and_says_what_that_means(self, started, tmp_path):
        result = CliRunner().invoke(app, ["dashboard", "--workspace", str(tmp_path), "--host", "10.0.0.5",
                                          "--allow-remote"])
        assert result.exit_code == 0, result.output
        assert "no sign-in" in result.output and "reverse proxy that authenticates" in result.output
        argv = started[0]["argv"]
        assert flag_values(argv, "--server.address") == ["10.0.0.5"]
        assert flag_values(argv, "--server.allowedHosts") == ["127.0.0.1", "localhost", "::1", "10.0.0.5"]

    def test_every_address_needs_the_names_users_type(self, started, tmp_path):
        result = CliRunner().invoke(app, ["dashboard", "--workspace", str(tmp_path), "--host", "0.0.0.0",
                                          "--allow-remote"])
        assert result.exit_code == 2 and "--allowed-host" in result.output
        result = CliRunner().invoke(app, ["dashboard", "--workspace", str(tmp_path), "--host", "0.0.0.0",
                                          "--allow-remote", "--allowed-host", "sovmap.example.nl"])
        assert result.exit_code == 0, result.output
        argv = started[0]["argv"]
        assert flag_values(argv, "--server.allowedHosts")[-1] == "sovmap.example.nl"
        assert flag_values(argv, "--browser.serverAddress") == ["sovmap.example.nl"]

    def test_a_local_dashboard_behind_a_proxy_answers_to_the_proxys_name(self, started, tmp_path):
        result = CliRunner().invoke(app, ["dashboard", "--workspace", str(tmp_path),
                                          "--allowed-host", "sovmap.example.nl"])
        assert result.exit_code == 0, result.output
        assert "no sign-in" not in result.output
        assert "sovmap.example.nl" in flag_values(started[0]["argv"], "--server.allowedHosts")

    def test_streamlit_never_asks_the_internet_for_this_computers_address(self, started, tmp_path, monkeypatch):
        from streamlit import net_util

        monkeypatch.setattr(net_util, "_external_ip", None)
        monkeypatch.setattr(net_util, "_make_blocking_http_get", lambda *a, **k: pytest.fail("network request"))
        CliRunner().invoke(app, ["dashboard", "--workspace", str(tmp_path)])
        assert net_util.get_external_ip() == "127.0.0.1"

    @pytest.mark.parametrize("debug, expected", [(["--debug"], "1"), ([], None)])
    def test_debug_shows_error_details_on_the_page(self, started, tmp_path, monkeypatch, debug, expected):
        monkeypatch.setenv("SOVMAP_DEBUG", "stale")
        CliRunner().invoke(app, ["dashboard", "--workspace", str(tmp_path), *debug])
        assert os.environ.get("SOVMAP_DEBUG") == expected
