"""Levels of control, the three dimensions of the assessment, and their words in English and Dutch.

The words live in ``assessment.yaml`` beside this module. A reason or a step is
a plain dict ``{"code", "text", "params", ...}``: ``text`` is English, and
:func:`reason_text` renders the same reason in another language from its code
and params, so a user interface never has to parse English.

Examples
--------
>>> worst(["in_control", "partial", "unknown"])
'partial'
>>> below("partial", "in_control"), below("in_control", "partial"), below("unknown", "partial")
(True, False, True)
>>> parse_level("Deels"), parse_dimension("juridisch")
('partial', 'legal')
>>> r = reason("op.no_exit_plan", systems=["SYS-MAIL", "SYS-WEB"])
>>> r["text"], r["tone"]
('No exit plan for SYS-MAIL, SYS-WEB.', 'bad')
>>> reason_text(r, "nl")
'Geen exitplan voor SYS-MAIL, SYS-WEB.'
"""

from __future__ import annotations

from contextlib import contextmanager
from contextvars import ContextVar
from functools import cache
from importlib import resources
from string import Formatter

import yaml

from sovmap.ontology.vocab import normalise_token

__all__ = [
    "UNKNOWN",
    "levels",
    "dimensions",
    "rank",
    "worst",
    "below",
    "distance",
    "parse_level",
    "parse_dimension",
    "level_label",
    "dimension_label",
    "dimension_question",
    "reason",
    "step",
    "reason_text",
    "deferred_texts",
    "fill_texts",
]

UNKNOWN = "unknown"
_LIST_SHOWN = 6  # a list param longer than this is written "first six and N more"


@cache
def _words() -> dict:
    text = resources.files("sovmap.graph").joinpath("assessment.yaml").read_text("utf-8")
    return yaml.safe_load(text)


@cache
def levels() -> tuple[str, ...]:
    """The ranked levels, most in control first (``unknown`` is not among them)."""
    ranked = [x for x in _words()["levels"] if "rank" in x]
    return tuple(x["id"] for x in sorted(ranked, key=lambda x: -x["rank"]))


@cache
def dimensions() -> tuple[str, ...]:
    """The dimensions in their reading order: geographic, legal, operational."""
    return tuple(x["id"] for x in _words()["dimensions"])


@cache
def _ranks() -> dict[str, int | None]:
    return {x["id"]: x.get("rank") for x in _words()["levels"]}


def rank(level: str) -> int | None:
    """Higher is more in control; None for ``unknown``."""
    return _ranks()[level]


def worst(found) -> str:
    """The least-in-control known level among ``found``; ``unknown`` when none is known."""
    ranks = _ranks()
    out, low = UNKNOWN, None
    for lv in found:
        if lv != UNKNOWN:
            r = ranks[lv]
            if low is None or r < low:  # strictly lower: the first of equals wins, as min() does
                out, low = lv, r
    return out


def below(actual: str, required: str | None) -> bool:
    """True when ``actual`` falls short of ``required``; an unknown level always does."""
    if required is None:
        return False
    return actual == UNKNOWN or rank(actual) < rank(required)


def distance(actual: str, required: str) -> int:
    """How many levels ``actual`` is below ``required`` (an unknown level counts as one)."""
    if actual == UNKNOWN:
        return 1
    return max(0, rank(required) - rank(actual))


def _find(section: str, text) -> str | None:
    token = normalise_token(text) if text is not None else ""
    for x in _words()[section]:
        names = [x["id"], x["en"], x["nl"], *x.get("aliases", [])]
        if token in {normalise_token(n) for n in names}:
            return x["id"]
    return None


def parse_level(text) -> str | None:
    """The level that ``text`` names, in English or Dutch, else None."""
    return _find("levels", text)


def parse_dimension(text) -> str | None:
    """The dimension that ``text`` names, in English or Dutch, else None."""
    return _find("dimensions", text)


def _entry(section: str, ident: str) -> dict:
    for x in _words()[section]:
        if x["id"] == ident:
            return x
    raise KeyError(ident)


def level_label(level: str, lang: str = "en") -> str:
    """``in control``, ``in controle``..."""
    e = _entry("levels", level)
    return e.get(lang) or e["en"]


def dimension_label(dimension: str, lang: str = "en") -> str:
    e = _entry("dimensions", dimension)
    return e.get(lang) or e["en"]


def dimension_question(dimension: str, lang: str = "en") -> str:
    """The question the dimension answers, as the guidance asks it."""
    e = _entry("dimensions", dimension)
    return e.get(f"question_{lang}") or e["question_en"]


def _value_text(value, lang: str) -> str:
    if type(value) is str:
        return value
    if isinstance(value, (list, tuple)):
        if len(value) > _LIST_SHOWN:
            more = _words()["more"]
            return (more.get(lang) or more["en"]).format(first=", ".join(map(str, value[:_LIST_SHOWN])),
                                                         n=len(value) - _LIST_SHOWN)
        return ", ".join(map(str, value))
    return str(value)


@cache
def _template(section: str, code: str, lang: str) -> tuple[str, tuple[str, ...]]:
    """The text of a reason or step in ``lang`` and the names of the params it shows."""
    template = _words()[section][code]
    text = template.get(lang) or template["en"]
    return text, tuple(dict.fromkeys(name for _, name, _, _ in Formatter().parse(text) if name))


def _render(section: str, code: str, params: dict, lang: str) -> str:
    text, names = _template(section, code, lang)  # only the params the text shows are written out
    return text.format(**{k: _value_text(params[k], lang) for k in names})


def reason(code: str, **params) -> dict:
    """A reason as data: its code, English text, params (lists of ids, codes, names) and tone.

    The tone is ``good`` (counts towards control), ``bad`` (counts against it)
    or ``unknown`` (something to find out). Within :func:`deferred_texts`, ``text`` is None until
    :func:`fill_texts` writes it.
    """
    return {"code": code, "text": None if _DEFERRED.get() else _render("reasons", code, params, "en"),
            "params": params, "tone": _words()["reasons"][code]["tone"]}


def step(code: str, closes: bool, **params) -> dict:
    """A step that would close (``closes``) or only narrow a gap, as data like :func:`reason`."""
    return {"code": code, "text": None if _DEFERRED.get() else _render("steps", code, params, "en"),
            "params": params, "closes": closes}


_DEFERRED: ContextVar[bool] = ContextVar("sovmap_deferred_texts", default=False)


@contextmanager
def deferred_texts(deferred: bool = True):
    """Within it, :func:`reason` and :func:`step` leave ``text`` None (a national assessment writes out
    millions of reasons that no reader shows); :func:`fill_texts` writes those that are shown.

    >>> with deferred_texts():
    ...     r = reason("op.no_exit_plan", systems=["SYS-MAIL"])
    >>> r["text"] is None, fill_texts([r])[0]["text"]
    (True, 'No exit plan for SYS-MAIL.')
    """
    token = _DEFERRED.set(deferred)
    try:
        yield
    finally:
        _DEFERRED.reset(token)


def fill_texts(found: list[dict]) -> list[dict]:
    """Write the English ``text`` of reasons and steps made within :func:`deferred_texts`, in place; returns them."""
    for item in found:
        if item["text"] is None:
            item["text"] = reason_text(item)
    return found


def reason_text(item: dict, lang: str = "en") -> str:
    """The text of a reason or step (as made by :func:`reason`/:func:`step`) in ``lang`` (``en`` or ``nl``)."""
    section = "steps" if "closes" in item else "reasons"
    return _render(section, item["code"], item["params"], lang)
