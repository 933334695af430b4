"""Text shared by the summary-first commands (assess, impact, spof, rank): options, counts, merged lists."""

from __future__ import annotations

from collections import Counter
from typing import Annotated, Callable, Iterable, TypeVar

import typer

from .common import err

__all__ = ["DetailsOpt", "KindsOpt", "OnlyOpt", "SUMMARY_TOP", "counts_text", "distinct", "parse_kinds",
           "check_only", "details_hint"]

T = TypeVar("T")
SUMMARY_TOP = 10  # items shown per list in the summary when --top is not given
KINDS = ("process", "dataset", "system", "location", "supplier", "organisation")
ONLY = ("non-european",)

DetailsOpt = Annotated[bool, typer.Option("--details", help="Print the full lists, not only the summary.")]
KindsOpt = Annotated[str, typer.Option("--kinds", help="Show only these kinds, comma-separated: "
                                       + ",".join(KINDS[:4]) + ".", show_default=False)]
OnlyOpt = Annotated[str, typer.Option("--only", help="non-european: show only supplier groups with some party in "
                                      "their legal reach outside the EU/EEA (unknown ownership is left out).",
                                      show_default=False)]


def parse_kinds(text: str) -> set[str] | None:
    """The kinds named in ``--kinds`` (None: all); an unknown kind ends the command with a hint.

    >>> sorted(parse_kinds("process, dataset")), parse_kinds("")
    (['dataset', 'process'], None)
    """
    if not text.strip():
        return None
    kinds = {k.strip().lower() for k in text.split(",") if k.strip()}
    bad = sorted(kinds - set(KINDS))
    if bad:
        err(f"--kinds: {', '.join(bad)} is not a kind. Use some of: {', '.join(KINDS[:4])}.")
        raise typer.Exit(2)
    return kinds


def check_only(text: str) -> bool:
    """Whether ``--only non-european`` was given; any other value ends the command with a hint."""
    value = text.strip().lower()
    if value and value not in ONLY:
        err(f"--only: {text} is not understood. Use: {', '.join(ONLY)}.")
        raise typer.Exit(2)
    return bool(value)


def distinct(items: Iterable[T], key: Callable[[T], object] = lambda x: x) -> list[T]:
    """The items in order, each key kept once (the first).

    >>> distinct(["a", "b", "a", "c", "b"])
    ['a', 'b', 'c']
    """
    seen: set = set()
    out = []
    for x in items:
        k = key(x)
        if k not in seen:
            seen.add(k)
            out.append(x)
    return out


def counts_text(values: Iterable[str | None], order: Iterable[str] = ()) -> str:
    """``n value`` pairs, the values in ``order`` first, then the rest; None is counted as "unrated".

    >>> counts_text(["high", None, "vital", "high"], ["vital", "high"])
    '1 vital, 2 high, 1 unrated'
    """
    c = Counter(v or "unrated" for v in values)
    keys = [k for k in order if c[k]] + sorted(k for k in c if k not in set(order))
    return ", ".join(f"{c[k]} {k}" for k in keys)


def details_hint(command: str) -> str:
    return f"(Summary. `sovmap {command} ... --details` prints the full lists; `--json` gives everything.)"
