"""Read a target completion date as people write it and find the day it falls due.

A plan says "June 2021", "Q3 2021-22", "2021-22", "March 31, 2022", "Fall 2023", "juin 2021"
or "Ongoing". The text is kept as written; the due date is the last day of the period it
names. Canadian fiscal years run from 1 April to 31 March, so "2021-22" ends on 2022-03-31
and its third quarter ("Q3 2021-22") on 2021-12-31. Seasons end with the month in which
they end astronomically, rounded up: spring June 30, summer September 30, fall December 31,
winter March 31.
"""

from __future__ import annotations

import calendar
import datetime
import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

from uptake.core.search import fold

from .models import TargetKind

MONTHS = {
    # English
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4,
    "apr": 4, "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8,
    "september": 9, "sept": 9, "sep": 9, "october": 10, "oct": 10, "november": 11, "nov": 11,
    "december": 12, "dec": 12,
    # French (accents are folded before lookup)
    "janvier": 1, "janv": 1, "fevrier": 2, "fevr": 2, "fev": 2, "mars": 3, "avril": 4,
    "avr": 4, "mai": 5, "juin": 6, "juillet": 7, "juil": 7, "aout": 8, "septembre": 9,
    "octobre": 10, "novembre": 11, "decembre": 12,
    # Spanish
    "enero": 1, "febrero": 2, "marzo": 3, "abril": 4, "mayo": 5, "junio": 6, "julio": 7,
    "agosto": 8, "setiembre": 9, "septiembre": 9, "octubre": 10, "noviembre": 11,
    "diciembre": 12,
}  # fmt: skip

SEASON_END_MONTH = {
    "spring": 6, "printemps": 6, "primavera": 6,
    "summer": 9, "ete": 9, "verano": 9,
    "fall": 12, "autumn": 12, "automne": 12, "otono": 12,
    "winter": 3, "hiver": 3, "invierno": 3,
}  # fmt: skip

ONGOING_WORDS = (
    "ongoing",
    "en cours",
    "continu",
    "continue",
    "permanent",
    "en continu",
    "en curso",
    "continuo",
)
COMPLETED_WORDS = ("completed", "complete", "done", "termine", "terminee", "complete", "acheve",
                   "completado", "realise", "already completed")  # fmt: skip

_MONTH_RE = "|".join(sorted(MONTHS, key=len, reverse=True))
_SEASON_RE = "|".join(sorted(SEASON_END_MONTH, key=len, reverse=True))
YEAR = r"(?:19|20)\d\d"
_FISCAL = rf"(?P<fy>{YEAR})\s*[-/–]\s*(?P<fy2>\d\d(?:\d\d)?)"

_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("iso", re.compile(rf"\b(?P<y>{YEAR})-(?P<m>\d\d)-(?P<d>\d\d)\b")),
    (
        "quarter_fiscal",
        re.compile(rf"\b(?:q|t|quarter|trimestre)\s*(?P<q>[1-4])\b[\s,]*(?:of\s+|de\s+l.)?(?:fy|fiscal year|ae|exercice|ef)?\s*{_FISCAL}"),
    ),
    ("half_fiscal", re.compile(rf"\b(?:h|s)(?P<h>[12])\s*(?:fy)?\s*{_FISCAL}")),
    ("month_day_year", re.compile(rf"\b(?P<mon>{_MONTH_RE})\.?\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y>{YEAR})\b")),
    # A number right after a hyphen or slash ends a fiscal year ("2020-21"), never starts a day.
    ("day_month_year", re.compile(rf"(?<![-/–])(?<![-/–] )\b(?P<d>\d{{1,2}})(?:er|st|nd|rd|th)?\s+(?:de\s+)?(?P<mon>{_MONTH_RE})\.?,?\s+(?:de\s+)?(?P<y>{YEAR})\b")),
    ("month_year", re.compile(rf"\b(?P<mon>{_MONTH_RE})\.?,?\s+(?:de\s+)?(?P<y>{YEAR})\b")),
    ("season_year", re.compile(rf"\b(?P<season>{_SEASON_RE})\s+(?:de\s+|of\s+)?(?P<y>{YEAR})\b")),
    ("fiscal_year", re.compile(rf"\b(?:fy|fiscal year|ae|exercice|annee financiere)?\s*{_FISCAL}\b")),
    ("quarter_year", re.compile(rf"\b(?:q|t)(?P<q>[1-4])\s+(?P<y>{YEAR})\b")),
    ("early_mid_late", re.compile(rf"\b(?P<when>early|mid|late|end of|end|beginning of|debut|fin|mi)[\s-]*(?P<y>{YEAR})\b")),
    ("year", re.compile(rf"\b(?P<y>{YEAR})\b")),
]  # fmt: skip


@dataclass(frozen=True)
class TargetDate:
    """A target date as read: its kind, the day it falls due (if any), and any problem."""

    kind: str
    due_date: datetime.date | None
    problem: str = ""


def _month_end(year: int, month: int) -> datetime.date:
    return datetime.date(year, month, calendar.monthrange(year, month)[1])


def fiscal_end_year(match: re.Match[str]) -> int | None:
    """The calendar year in which a fiscal year written like 2021-22 or 2021/2022 ends."""
    start = int(match.group("fy"))
    second = match.group("fy2")
    end = int(second) if len(second) == 4 else (start // 100) * 100 + int(second)
    if end < start:  # 1999-00
        end += 100
    return end if end == start + 1 else None


def _due_date(name: str, m: re.Match[str]) -> datetime.date | None:
    if name == "iso":
        return datetime.date(int(m["y"]), int(m["m"]), int(m["d"]))
    if name in ("month_day_year", "day_month_year"):
        return datetime.date(int(m["y"]), MONTHS[m["mon"]], int(m["d"]))
    if name == "month_year":
        return _month_end(int(m["y"]), MONTHS[m["mon"]])
    if name == "season_year":
        return _month_end(int(m["y"]), SEASON_END_MONTH[m["season"]])
    if name == "quarter_fiscal":
        end_year = fiscal_end_year(m)
        if end_year is None:
            return None
        quarter = int(m["q"])
        # Q1 ends June 30, Q2 September 30, Q3 December 31 of the first year; Q4 March 31.
        month = {1: 6, 2: 9, 3: 12, 4: 3}[quarter]
        return _month_end(end_year if quarter == 4 else end_year - 1, month)
    if name == "half_fiscal":
        end_year = fiscal_end_year(m)
        if end_year is None:
            return None
        return _month_end(end_year - 1, 9) if m["h"] == "1" else _month_end(end_year, 3)
    if name == "fiscal_year":
        end_year = fiscal_end_year(m)
        return None if end_year is None else _month_end(end_year, 3)
    if name == "quarter_year":
        return _month_end(int(m["y"]), int(m["q"]) * 3)
    if name == "early_mid_late":
        month = {"early": 3, "beginning of": 3, "debut": 3, "mid": 6, "mi": 6}.get(m["when"], 12)
        return _month_end(int(m["y"]), month)
    if name == "year":
        return datetime.date(int(m["y"]), 12, 31)
    raise AssertionError(name)


def parse_target_date(text: str, *, dates_only: bool = False) -> TargetDate:
    """Read TEXT ("June 2021", "Q3 2021-22", "Ongoing", …) into a kind and a due date.

    When a text names several dates ("June 2021 (interim); March 2022"), the action is due
    when the last of them is. DATES_ONLY: the text must be a date (a revised date), so the
    advice given when it cannot be read does not suggest "Ongoing".
    """
    folded = " ".join(fold(text or "").split())
    if not folded:
        return TargetDate(TargetKind.UNPARSED, None, _("No target completion date was given."))
    found: list[datetime.date] = []
    rest = folded
    for name, pattern in _PATTERNS:
        for match in pattern.finditer(rest):
            try:
                due = _due_date(name, match)
            except ValueError:
                return TargetDate(
                    TargetKind.UNPARSED,
                    None,
                    _("“%(text)s” is not a real calendar date.") % {"text": text},
                )
            if due is None:
                return TargetDate(
                    TargetKind.UNPARSED,
                    None,
                    _("“%(text)s” is not a fiscal year: write two consecutive years, like 2021-22.")
                    % {"text": text},
                )
            found.append(due)
        # Blank out what matched so that "2021" inside "June 2021" is not read again.
        rest = pattern.sub(lambda mm: " " * len(mm.group(0)), rest)
    if found:
        return TargetDate(TargetKind.DATE, max(found))
    words = re.sub(r"[^\w ]", " ", folded)
    if any(re.search(rf"\b{w}\b", words) for w in ONGOING_WORDS):
        return TargetDate(TargetKind.ONGOING, None)
    if any(re.search(rf"\b{w}\b", words) for w in COMPLETED_WORDS):
        return TargetDate(TargetKind.COMPLETED, None)
    return TargetDate(
        TargetKind.UNPARSED,
        None,
        (
            _(
                "“%(text)s” is not a date Uptake understands. Write it like June 2021, "
                "March 31, 2022, Q3 2021-22, 2021-22 or Fall 2023."
            )
            if dates_only
            else _(
                "“%(text)s” is not a date Uptake understands. Write it like June 2021, "
                "March 31, 2022, Q3 2021-22, 2021-22, Fall 2023 or Ongoing."
            )
        )
        % {"text": text},
    )
