"""Responsibility centres as written: splitting a cell into units and telling aliases apart."""

from __future__ import annotations

import difflib
import re

from uptake.core.search import name_key

ACRONYM_RE = re.compile(r"\b[A-Z][A-Z0-9]*(?:[-/][A-Z0-9]+)*\b")
_UNIT_WORDS = re.compile(
    r"\b(?:director|directorate|directeur|directrice|direction|manager|gestionnaire|branch|"
    r"division|bureau|office|program|programme|unit|unité|centre|center|committee|comité|"
    r"secretariat|secrétariat|team|équipe|agency|agence|department|ministère|service|section|"
    r"group|groupe|officer|agent|chief|chef|head|responsable|president|président|"
    r"vice[- ]president|sous-ministre|deputy|minister|commissioner|dg|adm|sma|vp|"
    r"mission|embassy|ambassade|agencies|partners|coordinator|coordonnateur|lead|board)\b",
    re.IGNORECASE,
)
# Words that mark a clause rather than a name.
_VERBS = re.compile(
    r"\b(?:will|shall|should|would|has|have|had|is|are|was|were|agrees?|recommends?|"
    r"va|vont|sera|seront|doit|devrait|est|sont|a été|ont)\b",
    re.IGNORECASE,
)
_SPLIT = re.compile(r"(?<=\))\s+(?=[A-ZÀ-Ý])|\s*[;\n]\s*|\s+/\s+")
_PAREN = re.compile(r"\s*\([^)]*\)")


def acronyms(text: str) -> set[str]:
    return {a for a in ACRONYM_RE.findall(text) if len(a) >= 2}


def unit_like(text: str) -> bool:
    """A short noun phrase naming a unit, an office or a role."""
    t = text.strip().rstrip(".")
    words = t.split()
    if not words or len(words) > 25 or len(t) > 220:
        return False
    if _VERBS.search(t) and not _UNIT_WORDS.search(t.split(",")[0]):
        return False
    if re.search(r"[.!?]\s", t):
        # a sentence break inside: prose, unless the dots belong to initials ("E.D.")
        if re.search(r"[a-z]{3,}[.!?]\s", t):
            return False
    return bool(acronyms(t) or _UNIT_WORDS.search(t) or (len(words) <= 6 and t[:1].isupper()))


def split_units(text: str) -> list[str]:
    """Split a responsibility cell naming several units: "A (X), Branch (Y) B, Branch (Z)"."""
    parts = [p.strip(" ,.;:-–") for p in _SPLIT.split(text or "")]
    return [p for p in parts if p and re.search(r"\w", p)]


def same_unit(a: str, b: str) -> bool:
    """Two spellings of one unit: equal, one without its (ACRONYM), or acronyms only."""
    ka, kb = name_key(a), name_key(b)
    if not ka or not kb:
        return False
    if ka == kb:
        return True
    if (
        name_key(_PAREN.sub("", a)) in (kb, name_key(_PAREN.sub("", b)))
        or name_key(_PAREN.sub("", b)) == ka
    ):
        return True
    for short, long in ((a, b), (b, a)):
        words = re.findall(r"[\w-]+", short)
        if words and all(ACRONYM_RE.fullmatch(w) for w in words):
            if acronyms(short) == acronyms(long):
                return True
    return False


def loosely_same(a: str, b: str) -> bool:
    """Looser match for labels that point at a unit ("Peru Program" under a date)."""
    if same_unit(a, b):
        return True
    ka, kb = name_key(_PAREN.sub("", a)), name_key(_PAREN.sub("", b))
    if ka and kb and (ka in kb or kb in ka):
        return True
    if acronyms(a) & acronyms(b):
        return True
    return bool(ka and kb and difflib.SequenceMatcher(None, ka, kb).ratio() >= 0.8)
