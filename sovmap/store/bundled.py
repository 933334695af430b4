"""The inventories that ship with sovmap (the fictional demo municipality), as uploadable files.

Examples
--------
>>> names = [n for n, _ in demo_files()]
>>> "systems.csv" in names and "dependencies.csv" in names
True
"""

from __future__ import annotations

from importlib import resources

__all__ = ["DEMO", "demo_files"]

DEMO = "municipality"


def demo_files(name: str = DEMO) -> list[tuple[str, bytes]]:
    """The CSV files of a bundled inventory as (file name, bytes), sorted by name."""
    folder = resources.files("sovmap").joinpath("demo", name)
    return sorted((p.name, p.read_bytes()) for p in folder.iterdir() if p.name.endswith(".csv"))
