"""Stores that keep inventories between runs: the versioned workspace on disk."""

from .bundled import demo_files
from .workspace import Version, Workspace, WorkspaceError

__all__ = ["Version", "Workspace", "WorkspaceError", "demo_files"]
