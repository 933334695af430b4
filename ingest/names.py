"""Company and item names folded for comparison: case, accents, punctuation and legal forms.

Two spellings of one company should fold to the same key, so that an
importer lists the company once and the supplier catalogue finds it.

Examples
--------
>>> fold_name("Centric Netherlands B.V.")
'centric netherlands'
>>> fold_name("MICROSOFT Corp.") == fold_name("Microsoft Corporation") == fold_name("microsoft")
True
>>> fold_name("Coöperatie Gemeentelijke Realisatie U.A.")
'cooperatie gemeentelijke realisatie'
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["LEGAL_FORMS", "GENERIC_WORDS", "core_name", "fold_name", "fold_text", "legal_form"]

#: Legal forms as folded words (an abbreviation's dots become spaces: ``B.V.`` → ``b v``).
LEGAL_FORMS = frozenset(tuple(f.split()) for f in (
    "bv", "b v", "nv", "n v", "vof", "v o f", "cv", "c v", "ua", "u a", "wa", "w a", "bvba", "sprl",
    "gmbh", "gmbh and co kg", "ag", "kg", "ohg", "se", "ug", "ev", "e v",
    "ltd", "limited", "plc", "llp", "lp", "llc", "l l c", "inc", "incorporated", "corp", "corporation", "co", "company",
    "sa", "s a", "sas", "s a s", "sarl", "s a r l", "s a rl", "srl", "s r l", "spa", "s p a", "sl", "s l",
    "ab", "as", "a s", "asa", "aps", "oy", "oyj", "sp z o o", "sp zoo", "kft", "sro", "s r o",
))
_MAX_WORDS = max(len(f) for f in LEGAL_FORMS)


def fold_text(text: str) -> str:
    """Lower case ASCII words: accents folded, ``&`` as ``and``, other punctuation as spaces.

    >>> fold_text("  Dijkstra & Veen  ICT, B.V. ")
    'dijkstra and veen ict b v'
    """
    ascii_ = unicodedata.normalize("NFKD", "" if text is None else str(text)).encode("ascii", "ignore").decode()
    ascii_ = ascii_.lower().replace("&", " and ").replace("'", "")
    return " ".join(re.sub(r"[^a-z0-9]+", " ", ascii_).split())


def _split(name: str) -> tuple[list[str], list[str]]:
    """Words of the folded name, and the trailing legal-form words taken off it."""
    words = fold_text(name).split()
    dropped: list[str] = []
    changed = True
    while changed and len(words) > 1:
        changed = False
        for n in range(min(_MAX_WORDS, len(words) - 1), 0, -1):
            if tuple(words[-n:]) in LEGAL_FORMS:
                dropped = words[-n:] + dropped
                words = words[:-n]
                changed = True
                break
    return words, dropped


#: Country words in company names, in English ("Centric Nederland" = "Centric Netherlands").
_COUNTRY_WORDS = {"nederland": "netherlands", "ierland": "ireland", "duitsland": "germany", "deutschland": "germany",
                  "belgie": "belgium", "frankrijk": "france", "luxemburg": "luxembourg", "zweden": "sweden",
                  "noorwegen": "norway", "denemarken": "denmark", "verenigd koninkrijk": "united kingdom"}

_FORM_SYNONYMS = {"corp": "corporation", "inc": "incorporated", "ltd": "limited", "co": "company"}


def legal_form(name: str) -> str:
    """The legal form at the end of a company name, in one spelling ('' when there is none).

    >>> legal_form("Centric Netherlands B.V."), legal_form("Centric BV"), legal_form("Microsoft Corp.")
    ('bv', 'bv', 'corporation')
    >>> legal_form("Microsoft Corporation"), legal_form("Huaxing Co., Ltd."), legal_form("Centric")
    ('corporation', 'companylimited', '')
    """
    _, dropped = _split(name)
    return "".join(_FORM_SYNONYMS.get(w, w) for w in dropped)  # "b v" (from B.V.) -> "bv"


def fold_name(name: str) -> str:
    """A company name folded for comparison: :func:`fold_text`, then trailing legal forms dropped.

    ``B.V.``, ``BV`` and ``b.v`` all go, as do chains such as ``Co., Ltd.``;
    a name that is nothing but a legal form keeps it. Dutch and German country
    names are written in English ("Nederland" → "netherlands").

    >>> fold_name("Brabodoc NV"), fold_name("Huaxing Vision Technology Co., Ltd."), fold_name("AG")
    ('brabodoc', 'huaxing vision technology', 'ag')
    >>> fold_name("Aurelon Web Services EMEA S.à r.l."), fold_name("Vistula Software Sp. z o.o.")
    ('aurelon web services emea', 'vistula software')
    >>> fold_name("Centric Nederland B.V.") == fold_name("Centric Netherlands BV")
    True
    """
    return " ".join(_COUNTRY_WORDS.get(w, w) for w in _split(name)[0])


#: Words that many company names share and that say little about which company it is.
GENERIC_WORDS = frozenset("""
    netherlands nederland holland germany ireland belgium france luxembourg europe european emea benelux international
    global group groep holding holdings the and of company software systems solutions services technology technologies
    digital data cloud it ict online networks network communications
""".split())


def core_name(name: str) -> str:
    """The distinctive words of a company name: :func:`fold_name` without generic words (or all of it when none are left).

    >>> core_name("Esri Nederland B.V."), core_name("Cisco Systems, Inc."), core_name("Digital Data Group")
    ('esri', 'cisco', 'digital data group')
    """
    words = fold_name(name).split()
    kept = [w for w in words if w not in GENERIC_WORDS]
    return " ".join(kept or words)
