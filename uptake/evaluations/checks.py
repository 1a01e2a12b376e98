"""What an evaluation's fields must say, whoever records it (pages, API, console).

The period covered reads as fiscal years or calendar years, as reports write it:
"2013-14 to 2018-19", "2013-14 – 2018-19", "2019-20", "2015 to 2020",
"2013-2014 to 2018-2019", "2013-2014 à 2018-2019". It is stored as typed (trimmed): these
functions only say what is wrong, they rewrite nothing. Fiscal years are read by the same
rule as target dates (uptake.evaluations.target_dates): two consecutive years.
"""

from __future__ import annotations

import datetime
import re

from django.utils import timezone
from django.utils.translation import gettext as _

from uptake.core.search import fold

from .models import Agreement
from .target_dates import YEAR, fiscal_end_year

# A fiscal year (2013-14, 2013-2014, 2013/14) or a calendar year (2015); NAME prefixes groups.
_FISCAL_END = r"(?P<{n}fy>{y})\s*[-/–]\s*(?P<{n}fy2>\d\d(?:\d\d)?)"
_CALENDAR_END = r"(?P<{n}year>{y})"
_FISCAL_YEAR = re.compile(rf"(?P<fy>{YEAR})-(?P<fy2>\d\d(?:\d\d)?)")
# What stands between the two ends: a dash, or "to" in English, French or Spanish.
_BETWEEN = r"\s*(?:[-–—]|\bto\b|\bthrough\b|\ba\b|\bau\b|\bal\b|\bhasta\b)\s*"
# Words that may come before an end: "FY 2013-14", "from 2015", "de l'exercice 2013-2014".
_LEAD = r"(?:(?:from|de|du|desde|fy|fiscal years?|exercices?|ejercicios?)\s*)*"


def _end(kind: str, name: str) -> str:
    return _LEAD + (_FISCAL_END if kind == "fiscal" else _CALENDAR_END).format(n=name, y=YEAR)


# Tried in order; the first reading without a problem wins. A text like "2015-2020" is not a
# fiscal year, but it does read as the years 2015 to 2020.
_SHAPES = [
    re.compile(rf"{_end(first, 'a')}(?:{_BETWEEN}{_end(last, 'b')})?")
    for first, last in (
        ("fiscal", "fiscal"),
        ("fiscal", "calendar"),
        ("calendar", "fiscal"),
        ("calendar", "calendar"),
    )
]


def _start_year(groups: dict[str, str | None], name: str) -> tuple[int | None, str]:
    """The year an end starts in, and the problem if it is a fiscal year that is not one."""
    if groups.get(f"{name}year"):
        return int(str(groups[f"{name}year"])), ""
    written = f"{groups[f'{name}fy']}-{groups[f'{name}fy2']}"
    fiscal = _FISCAL_YEAR.fullmatch(written)
    if fiscal is None or fiscal_end_year(fiscal) is None:
        return None, _(
            "%(year)s is not a fiscal year: write two consecutive years, like 2021-22."
        ) % {"year": written}
    return int(str(groups[f"{name}fy"])), ""


def _reading_problem(match: re.Match[str]) -> str:
    groups = match.groupdict()
    start, problem = _start_year(groups, "a")
    if problem or not (groups.get("byear") or groups.get("bfy")):
        return problem
    end, problem = _start_year(groups, "b")
    if problem:
        return problem
    if start is not None and end is not None and end < start:
        return _("The period ends before it starts: give the earlier year first.")
    return ""


def period_problem(text: str) -> str:
    """Why TEXT cannot be the period an evaluation covers, or "" when it reads as one."""
    folded = " ".join(fold(text or "").split())
    if not folded:
        return ""  # the period is optional
    problems = []
    for shape in _SHAPES:
        match = shape.fullmatch(folded)
        if match is None:
            continue
        problem = _reading_problem(match)
        if not problem:
            return ""
        problems.append(problem)
    if problems:
        return problems[0]
    return _(
        "“%(text)s” is not a period Uptake understands. Write fiscal years or years, like "
        "2013-14 to 2018-19, 2019-20 or 2015 to 2020."
    ) % {"text": text.strip()}


def approval_date_problem(day: datetime.date | None, today: datetime.date | None = None) -> str:
    """Why DAY cannot be an evaluation's approval date, or "" when it can."""
    today = today or timezone.localdate()
    if day is not None and day > today:
        return _(
            "The approval date %(date)s is in the future: give the day the evaluation was approved."
        ) % {"date": day.isoformat()}
    return ""


def rationale_problem(agreement: str, rationale: str) -> str:
    """Why a response cannot be saved without a reason, or "" when it can: a unit that agrees
    only in part or disagrees must say why."""
    if agreement in (Agreement.AGREES_IN_PART, Agreement.DISAGREES) and not rationale.strip():
        return _("A unit that agrees only in part or disagrees must give its reasons.")
    return ""
