"""BIV and BBN ratings (the BIO's availability, integrity, confidentiality and base security level) as classification and criticality.

The BIO rates information by Beschikbaarheid, Integriteit and
Vertrouwelijkheid (availability, integrity, confidentiality) and sets a
Basisbeveiligingsniveau (BBN 1-3). :func:`parse_biv` reads ``BBN2``,
``BBN 3``, ``BIV 3-2-2``, ``3/2/2``, ``322``, ``B3 I2 V2``,
``B: hoog, I: midden, V: laag``, ``H-M-L`` and a single level (read as V);
levels are 0 (geen/none), 1 (laag/low/L), 2 (midden/gemiddeld/medium/M),
3 (hoog/high/H). The classification follows confidentiality:

=========================  =================
source                     classification
=========================  =================
V 0                        public
V 1, BBN1                  internal
V 2, BBN2                  confidential
V 3, BBN3                  secret
=========================  =================

V 3 (hoog) is read as secret because the BIO reserves its highest level for
the most sensitive information (jeugd- en zorgdossiers, ondermijning), which
sovmap's value list ranks highest; a BIV rating alone never makes data public
unless V is 0.

Availability may give a criticality (:data:`CRITICALITY_BY_B`), which
importers use only when a row has no criticality of its own: B 3 → high,
B 2 → medium, B 0 or 1 → low (never vital: that needs saying; marked as derived
by :mod:`sovmap.ingest.criticality`). Importers keep
the original text next to what they read from it; a text that is none of the
forms above gives None, and the importer reports it.

Examples
--------
>>> parse_biv("BBN2").classification, parse_biv("B3 I2 V3").classification, parse_biv("B3 I2 V3").availability
('confidential', 'secret', 3)
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .names import fold_text

__all__ = ["Biv", "parse_biv", "level", "CLASS_BY_V", "CLASS_BY_BBN", "CRITICALITY_BY_B"]

_LEVEL_WORDS = {
    "0": 0, "geen": 0, "none": 0, "nvt": 0, "n v t": 0,
    "1": 1, "laag": 1, "low": 1, "l": 1,
    "2": 2, "midden": 2, "middel": 2, "gemiddeld": 2, "medium": 2, "m": 2, "normaal": 2,
    "3": 3, "hoog": 3, "high": 3, "h": 3,
}
#: Classification by confidentiality level (V).
CLASS_BY_V = {0: "public", 1: "internal", 2: "confidential", 3: "secret"}
#: Classification by Basisbeveiligingsniveau.
CLASS_BY_BBN = {1: "internal", 2: "confidential", 3: "secret"}
#: Criticality by availability level (B), used only when no criticality is given (never vital).
CRITICALITY_BY_B = {0: "low", 1: "low", 2: "medium", 3: "high"}


@dataclass(frozen=True)
class Biv:
    """A BIV/BBN rating as read: the classification it gives and the B, I, V levels (0-3) found."""

    classification: str | None
    availability: int | None = None
    integrity: int | None = None
    confidentiality: int | None = None
    bbn: int | None = None


def level(text: str) -> int | None:
    """A BIV level 0-3 from a digit or a word (laag, midden, hoog ...), else None.

    >>> level("Hoog"), level("2"), level("M"), level("zeer hoog")
    (3, 2, 2, None)
    """
    return _LEVEL_WORDS.get(fold_text(text))


def parse_biv(text: str) -> Biv | None:
    """Read a BIV or BBN rating; None when the text is not one.

    >>> parse_biv("BIV 3-2-2")
    Biv(classification='confidential', availability=3, integrity=2, confidentiality=2, bbn=None)
    >>> parse_biv("BBN3").classification, parse_biv("B: hoog, I: midden, V: laag").classification
    ('secret', 'internal')
    >>> parse_biv("321").availability, parse_biv("laag").classification, parse_biv("heel belangrijk")
    (3, 'internal', None)
    """
    words = fold_text(text).split()
    if words and words[0] in ("biv", "cia", "bia"):
        words = words[1:]
    joined = " ".join(words)
    m = re.fullmatch(r"bbn ?([1-3])", joined)
    if m:
        n = int(m.group(1))
        return Biv(CLASS_BY_BBN[n], bbn=n)
    m = re.fullmatch(r"[bac] ?(\w+) [i] ?(\w+) [vc] ?(\w+)", joined)
    if m:
        levels = [level(g) for g in m.groups()]
    elif len(words) == 3:
        levels = [level(w) for w in words]
    elif len(words) == 1 and re.fullmatch(r"[0-3]{3}", words[0]):
        levels = [int(c) for c in words[0]]
    elif len(words) == 1 and re.fullmatch(r"[lmh]{3}", words[0]):
        levels = [level(c) for c in words[0]]
    elif len(words) == 1 and level(words[0]) is not None:
        return Biv(CLASS_BY_V[level(words[0])], confidentiality=level(words[0]))
    else:
        return None
    if any(x is None for x in levels):
        return None
    b, i, c = levels
    return Biv(CLASS_BY_V[c], b, i, c)
