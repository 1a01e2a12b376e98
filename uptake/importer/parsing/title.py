"""The evaluation's own title and period, read from the title of its management response.

A published response is titled after itself: "Management Response to the Recommendations of
the Evaluation of X (2013-14 - 2018-19)", "Réponse de la direction à l'évaluation de X",
"Evaluation of X - Management Response and Action Plan (MRAP)". The evaluation is "Evaluation
of X", and the fiscal years at the end are the period it covers ("2013-14 to 2018-19").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_SEP = r"\s*(?:[:|–—-]\s*)?"
# What a study is called: "Evaluation of", "Formative evaluation of", "Audit of".
_STUDY = r"(?:[^\W\d_]+\s+){0,2}?(?:evaluation|audit|review|[ée]valuation|v[ée]rification|examen)\b"
_MR_EN = (
    r"management\s+(?:response(?:\s*(?:and|&)?\s*action\s+plan)?|action\s+plan)"
    r"(?:\s*\((?:MRAP|MAP|MR)\))?"
)
_MR_FR = (
    r"(?:r[ée]ponse\s+(?:et\s+plan\s+d['’]action\s+)?de\s+la\s+direction"
    r"(?:\s+et\s+plan\s+d['’]action)?|plan\s+d['’]action\s+de\s+la\s+direction)"
    r"(?:\s*\((?:RPAD|RDPA|PAD|RD)\))?"
)
# "… to the Recommendations of the …", "… aux recommandations de l'…", "… à l'…".
_LINK_EN = (
    r"(?:(?:to|for|on|of|regarding|concerning|in\s+response\s+to)\s+)?(?:the\s+)?"
    r"(?:(?:recommendations?|findings)\s+(?:of|from|in|made\s+in)\s+)?(?:the\s+)?"
)
_LINK_FR = (
    r"(?:(?:aux|au|à\s+la|à|sur\s+la|sur|concernant)\s+)?"
    r"(?:recommandations\s+(?:de|issues\s+de|formulées\s+dans)\s+)?(?:la\s+|l['’]\s*)?"
)
_PREFIX = re.compile(
    rf"^(?:{_MR_EN}{_SEP}{_LINK_EN}|{_MR_FR}{_SEP}{_LINK_FR})(?P<rest>{_STUDY}.*)$",
    re.IGNORECASE,
)
_SUFFIX = re.compile(rf"^(?P<rest>{_STUDY}.*?)\s*[:|–—-]\s*(?:{_MR_EN}|{_MR_FR})$", re.IGNORECASE)

# A fiscal year (2013-14, 2013-2014, 2013/14) or, as the end of a range, a calendar year.
_YEAR = r"(?:19|20)\d\d"
_TOKEN = rf"{_YEAR}(?:\s*[-–/]\s*\d\d(?:\d\d)?)?"
_RANGE = rf"(?P<a>{_TOKEN})(?:\s*(?:[-–—]|\bto\b|\bthrough\b|\bà\b|\bau\b)\s*(?P<b>{_TOKEN}))?"
_IN_PARENS = re.compile(rf"\s*\(\s*{_RANGE}\s*\)\s*$", re.IGNORECASE)
_AFTER_DASH = re.compile(rf"\s+[-–—]\s+{_RANGE}\s*$", re.IGNORECASE)


@dataclass(frozen=True)
class TitleParts:
    title: str  # the evaluation's title
    period: str  # the fiscal years it covers, or ""


def _first_year(token: str) -> tuple[int, bool] | None:
    """The year TOKEN starts in and whether it is a fiscal year; None when it is not a year
    reading ("2013-17" is neither a fiscal year nor a calendar year)."""
    parts = re.split(r"\s*[-–/]\s*", token.strip())
    start = int(parts[0])
    if len(parts) == 1:
        return start, False
    end = int(parts[1])
    if (len(parts[1]) == 2 and end == (start + 1) % 100) or end == start + 1:
        return start, True
    return None


def _period(match: re.Match[str], language: str) -> str:
    a, b = match.group("a"), match.group("b")
    first = _first_year(a)
    if first is None:
        return ""
    if b is None:
        # A year alone is more often the publication's than a period: only a fiscal year.
        return " ".join(a.split()) if first[1] else ""
    last = _first_year(b)
    if last is None or last[0] < first[0]:
        return ""
    between = " à " if language == "fr" else " to "
    return "".join(a.split()) + between + "".join(b.split())


def split_title(title: str | None, language: str = "en") -> TitleParts:
    """The evaluation's title and period from the title of its management response."""
    text = " ".join((title or "").split())
    match = _PREFIX.match(text) or _SUFFIX.match(text)
    if match:
        rest = match.group("rest").strip(" -–—:|")
        text = rest[:1].upper() + rest[1:]
    period = ""
    found = _IN_PARENS.search(text) or _AFTER_DASH.search(text)
    if found:
        period = _period(found, language)
        if period:
            text = text[: found.start()].rstrip(" -–—:,")
    return TitleParts(title=text, period=period)
