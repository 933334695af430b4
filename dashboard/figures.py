"""The figures the overview and the board report show, counted from the results of graph/ functions.

Only counting happens here: which processes have a single point of failure,
the levels and the jurisdictions come from :mod:`sovmap.graph`.

Examples
--------
>>> spof = [{"id": "P1", "single_points_of_failure": [{"european": False}]},
...         {"id": "P2", "single_points_of_failure": [{"european": True}]},
...         {"id": "P3", "single_points_of_failure": []}]
>>> non_european_spof(spof)
['P1']
>>> items = [{"kind": "system", "legal": {"level": "not_in_control"}},
...          {"kind": "system", "legal": {"level": "in_control"}}]
>>> [(r["kind"], r["level"], r["count"]) for r in level_matrix(items, "legal")]
[('system', 'in_control', 1), ('system', 'not_in_control', 1)]
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from sovmap.graph.levels import levels
from sovmap.ontology.countries import country

__all__ = ["ASSESSED_KINDS", "LEVELS", "KeyFigures", "key_figures", "non_european_spof", "level_matrix",
           "level_rows", "jurisdiction_rows", "jurisdiction_table", "top_groups"]

ASSESSED_KINDS = ("process", "dataset", "system")
LEVELS = (*levels(), "unknown")
COUNTED_KINDS = ("process", "dataset", "system", "supplier", "location", "organisation")


def non_european_spof(spof: Sequence[dict]) -> list[str]:
    """Ids of the processes (rows of ``single_points_of_failure``) that a non-European supplier group alone can break."""
    return [p["id"] for p in spof if any(s["european"] is False for s in p["single_points_of_failure"])]


@dataclass(frozen=True)
class KeyFigures:
    """The headline numbers of an inventory."""

    counts: dict[str, int]  # kind → number of items
    vital_high: int  # vital and high processes
    non_eu_spof: int  # of which a single non-European supplier group can break
    groups: int  # supplier groups
    non_eu_groups: int  # of which non-European
    unknown_groups: int = 0  # of which ownership unknown (never counted as European)

    @property
    def share(self) -> float:
        """The part (0..1) of vital/high processes with a non-European single point of failure."""
        return self.non_eu_spof / self.vital_high if self.vital_high else 0.0


def key_figures(counts: dict[str, int], spof: Sequence[dict], ranking: Sequence[dict]) -> KeyFigures:
    """The headline numbers: items per kind, and how many vital/high processes one non-European group can break."""
    return KeyFigures(
        counts={k: counts.get(k, 0) for k in COUNTED_KINDS},
        vital_high=len(spof),
        non_eu_spof=len(non_european_spof(spof)),
        groups=len(ranking),
        non_eu_groups=sum(r["european"] is False for r in ranking),
        unknown_groups=sum(r["european"] is None for r in ranking),
    )


def level_matrix(items: Sequence[dict], dimension: str) -> list[dict]:
    """Number of assessed items per kind and level in one dimension (rows: kind, level, count), zeros left out."""
    counted = Counter((i["kind"], i[dimension]["level"]) for i in items if i["kind"] in ASSESSED_KINDS)
    order = {lv: n for n, lv in enumerate(LEVELS)}
    return [{"kind": k, "level": lv, "count": n}
            for (k, lv), n in sorted(counted.items(), key=lambda x: (ASSESSED_KINDS.index(x[0][0]), order[x[0][1]]))]


def level_rows(matrix: dict[str, dict], dimension: str) -> list[dict]:
    """:func:`level_matrix` from an assessment summary's ``matrix`` (:func:`sovmap.store.answers.assess_summary`).

    >>> level_rows({"system": {"n": 2, "legal": {"not_in_control": 1, "in_control": 1}}}, "legal")
    [{'kind': 'system', 'level': 'in_control', 'count': 1}, {'kind': 'system', 'level': 'not_in_control', 'count': 1}]
    """
    order = {lv: n for n, lv in enumerate(LEVELS)}
    return [{"kind": k, "level": lv, "count": n} for k in ASSESSED_KINDS if k in matrix
            for lv, n in sorted(matrix[k][dimension].items(), key=lambda x: order[x[0]]) if n]


def jurisdiction_table(reach: dict[str, dict[str, int]], laws: dict[str, Sequence[str]]) -> list[dict]:
    """:func:`jurisdiction_rows` from the counts of :func:`sovmap.store.answers.jurisdictions`.

    >>> jurisdiction_table({"US": {"system": 2}, "DE": {"system": 1}}, {"US": ["CLOUD"]})
    [{'country': 'US', 'kind': 'system', 'count': 2, 'laws': ['CLOUD']}]
    """
    counted = {c: Counter({k: n for k, n in kinds.items() if k in ASSESSED_KINDS})
               for c, kinds in reach.items() if not country(c).eea}
    ordered = sorted(counted, key=lambda c: (-sum(counted[c].values()), c))
    return [{"country": c, "kind": k, "count": counted[c][k], "laws": sorted(laws.get(c, []))}
            for c in ordered for k in ASSESSED_KINDS if counted[c][k]]


def jurisdiction_rows(items: Sequence[dict]) -> list[dict]:
    """Per jurisdiction outside the EU/EEA: how many processes, data sets and systems are within its legal reach.

    Rows (country, kind, count, laws), the jurisdiction reaching most items first.
    """
    counted: dict[str, Counter] = defaultdict(Counter)
    laws: dict[str, set[str]] = defaultdict(set)
    for i in items:
        for code in i["legal"].get("jurisdictions", []):
            if not country(code).eea:
                counted[code][i["kind"]] += 1
        for law in i["legal"].get("laws", []):
            laws[law["country"]].add(law["id"])
    ordered = sorted(counted, key=lambda c: (-sum(counted[c].values()), c))
    return [{"country": c, "kind": k, "count": counted[c][k], "laws": sorted(laws[c])}
            for c in ordered for k in ASSESSED_KINDS if counted[c][k]]


def top_groups(ranking: Sequence[dict], n: int = 10) -> list[dict]:
    """The ``n`` supplier groups whose loss breaks most (by weighted score), with something to break."""
    return [r for r in ranking if r["score"] or r["failed_systems"]][:n]

