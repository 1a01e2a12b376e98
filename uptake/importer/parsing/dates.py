"""Target completion dates as published: "June 2021", "Q3 2021-22", "31 mars 2022", "Ongoing"."""

from __future__ import annotations

import re
from dataclasses import dataclass

_MONTHS_EN = (
    r"january|february|march|april|may|june|july|august|september|october|november|december|"
    r"jan\.?|feb\.?|mar\.?|apr\.?|jun\.?|jul\.?|aug\.?|sept?\.?|oct\.?|nov\.?|dec\.?"
)
_MONTHS_FR = (
    r"janvier|f[ée]vrier|mars|avril|mai|juin|juillet|ao[uû]t|septembre|octobre|novembre|d[ée]cembre"
)
_MONTH = rf"(?:{_MONTHS_EN}|{_MONTHS_FR})"
_YEAR = r"(?:19|20)\d\d"
# A fiscal year: 2021-22, 2021-2022, 2021/22, 2021–22.
_FY = rf"{_YEAR}\s?[-–/]\s?(?:{_YEAR}|\d\d)(?!\d)"
_ORD_EN = r"first|second|third|fourth|1st|2nd|3rd|4th"
_ORD_FR = r"premier|deuxi[èe]me|troisi[èe]me|quatri[èe]me|1er|2e|3e|4e"
_SEASON = r"spring|summer|fall|autumn|winter|printemps|[ée]t[ée]|automne|hiver"
_FY_WORDS = (
    r"(?:(?:the\s+)?(?:fiscal\s+year|fiscal|fy)\s*|(?:de\s+)?l['’]?(?:exercice|ann[ée]e)\s+"
    r"(?:financi[èe]re\s+|fiscale\s+)?|(?:de\s+)?l['’]?exercice\s+)"
)

_PATTERNS = [
    # 30 September 2021, 1er avril 2022
    rf"\d{{1,2}}(?:er|st|nd|rd|th)?\s+{_MONTH}\s*,?\s+{_YEAR}",
    # September 30, 2021
    rf"{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?\s*,?\s+{_YEAR}",
    # Q3 2021-22, Q3 FY 2021-22, T2 2022-2023
    rf"(?:Q|T)[1-4]\s*(?:of\s+)?(?:{_FY_WORDS})?\s*(?:{_FY}|{_YEAR})",
    # First quarter of fiscal year 2012-13, troisième trimestre de 2022-2023
    rf"(?:{_ORD_EN})\s+quarter\s+(?:of\s+)?(?:{_FY_WORDS})?(?:{_FY}|{_YEAR})",
    rf"(?:{_ORD_FR})\s+trimestre\s+(?:de\s+)?(?:{_FY_WORDS})?(?:{_FY}|{_YEAR})",
    # End of fiscal year 2021-22, fin de l'exercice 2022-2023, mid-2023
    rf"(?:(?:the\s+)?end\s+of|early|mid|late|beginning\s+of|fin|d[ée]but|mi)[\s-]+"
    rf"(?:{_FY_WORDS})?(?:{_FY}|{_YEAR}|{_MONTH}\s+{_YEAR})",
    rf"(?:{_SEASON})\s+(?:of\s+)?(?:{_FY}|{_YEAR})",
    # June 2021, juin 2021
    rf"{_MONTH}\s*,?\s+{_YEAR}",
    # Fiscal year 2021-22, FY 2021-22, exercice 2022-2023
    rf"{_FY_WORDS}(?:{_FY}|{_YEAR})",
    # 2021-06-30, 2021/12/31, 30/06/2021, 2010/12, 06/2021
    rf"{_YEAR}[-/.](?:0?[1-9]|1[0-2])(?:[-/.](?:0?[1-9]|[12]\d|3[01]))?(?![\d/])",
    rf"(?:0?[1-9]|[12]\d|3[01])[-/.](?:0?[1-9]|1[0-2])[-/.]{_YEAR}",
    rf"(?:0?[1-9]|1[0-2])/{_YEAR}",
    _FY,
]
_DATE = "(?:" + "|".join(_PATTERNS) + ")"
DATE_RE = re.compile(rf"(?<![\w/])(?:{_DATE})(?![\w/])", re.IGNORECASE)
# Slot fillers that stand where a date goes but name no period.
_WRITTEN_NO_DATE = (
    r"ongoing|on-going|continuous|continual|immediately|immediate|completed?|in\s+progress|"
    r"en\s+cours|continue?|permanent|imm[ée]diatement|termin[ée]e?|compl[ée]t[ée]e?|r[ée]alis[ée]e?"
)
_NO_DATE = (
    r"no\s+(?:due\s+)?date|no\s+deadline(?:\s+established)?|tbd|tbc|to\s+be\s+(?:determined|confirmed)|"
    r"n/?a|not\s+applicable|[àa]\s+d[ée]terminer|[àa]\s+confirmer|sans\s+objet|s\.o\.|aucune\s+date"
)
_WRITTEN_RE = re.compile(rf"(?<![\w/])(?:{_WRITTEN_NO_DATE})(?![\w/])", re.IGNORECASE)
_NO_DATE_RE = re.compile(rf"(?<![\w/])(?:{_NO_DATE})(?![\w/])", re.IGNORECASE)
_ANY_RE = re.compile(
    rf"(?<![\w/])(?P<date>{_DATE})(?![\w/])|(?<![\w/])(?P<none>{_NO_DATE})(?![\w/])",
    re.IGNORECASE,
)
# A date after these words sits inside a sentence ("by June 2021"), not in a date column.
_PREPOSITION = re.compile(
    r"(?:\b(?:by|in|before|until|till|from|since|of|on|at|after|to|between|and|than|during|for|"
    r"through|within|d['’]ici|avant|en|au|le|la|du|de|des|d[èe]s|depuis|apr[èe]s|pour|jusqu['’]au|"
    r"et|entre|pendant))\s*$",
    re.IGNORECASE,
)
_STATUS = re.compile(
    r"^\s*[.,;:]?\s*(?:\(\s*(?:"
    + _WRITTEN_NO_DATE
    + r"|revised|r[ée]vis[ée]e?)[^)]*\)\s*)?[.;,]?\s*$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class DateHit:
    """A date found in a piece of text: its span and whether it names a period."""

    start: int
    end: int
    written: str
    is_date: bool


def is_date_only(text: str) -> bool:
    """True when the text is nothing but a date or a date placeholder (with an optional status)."""
    t = text.strip().rstrip(".;,")
    if not t:
        return False
    for rx in (DATE_RE, _NO_DATE_RE, _WRITTEN_RE):
        m = rx.match(t)
        if m and _STATUS.match(t[m.end() :]):
            return True
    return False


def date_in_cell(text: str) -> DateHit | None:
    """The date a date-only cell holds; placeholders give is_date False."""
    t = text.strip()
    for rx, real in ((DATE_RE, True), (_WRITTEN_RE, True), (_NO_DATE_RE, False)):
        m = rx.match(t)
        if m and _STATUS.match(t[m.end() :]):
            return DateHit(m.start(), m.end(), m.group(0).strip(), real)
    return None


def find_column_dates(text: str) -> list[DateHit]:
    """Dates that look like a table column run into the line, not ones inside a sentence."""
    hits = []
    for m in _ANY_RE.finditer(text):
        before = text[: m.start()]
        if _PREPOSITION.search(before):
            continue
        hits.append(DateHit(m.start(), m.end(), m.group(0).strip(), m.group("date") is not None))
    return hits


def find_dates(text: str) -> list[str]:
    """Every date phrase in a text, as written."""
    return [m.group(0).strip() for m in DATE_RE.finditer(text)]
