"""The dashboard's colours, shared by the charts, the graph view and the board report.

Levels use the traffic-light colours a board expects; kinds get calm, distinct
colours; non-European control is always the same red, unknown ownership the same grey.
"""

from __future__ import annotations

__all__ = ["LEVEL", "KIND", "NON_EU", "EU", "OWNERSHIP_UNKNOWN", "EUROPEAN", "STATE", "INK", "MUTED"]

LEVEL = {"in_control": "#2e7d32", "partial": "#f0a500", "not_in_control": "#c62828", "unknown": "#9e9e9e"}
KIND = {"process": "#1f5fa8", "dataset": "#178a8a", "system": "#6a4c93", "location": "#8d6e63",
        "supplier": "#e07b00", "organisation": "#607d8b", "country": "#b0bec5", "contract": "#a1887f"}
NON_EU = "#d00000"
EU = "#1f5fa8"
OWNERSHIP_UNKNOWN = "#7a7a7a"  # never the European blue: unknown is an answer of its own
EUROPEAN = {True: EU, False: NON_EU, None: OWNERSHIP_UNKNOWN}  # by European verdict
STATE = {"cut": "#111111", "failed": "#d00000", "degraded": "#f0a500"}  # what-breaks-if highlighting
INK = "#1a1a2e"
MUTED = "#6b7280"
