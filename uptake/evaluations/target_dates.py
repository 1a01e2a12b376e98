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
from typing import Any

from django.utils import dates, translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from uptake.core.search import fold

from .models import TargetKind

MONTHS_BY_LANGUAGE = {
    "en": {
        "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4,
        "apr": 4, "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8,
        "september": 9, "sept": 9, "sep": 9, "october": 10, "oct": 10, "november": 11,
        "nov": 11, "december": 12, "dec": 12,
    },
    # Accents are folded before lookup.
    "fr": {
        "janvier": 1, "janv": 1, "fevrier": 2, "fevr": 2, "fev": 2, "mars": 3, "avril": 4,
        "avr": 4, "mai": 5, "juin": 6, "juillet": 7, "juil": 7, "aout": 8, "septembre": 9,
        "octobre": 10, "novembre": 11, "decembre": 12,
    },
    "es": {
        "enero": 1, "febrero": 2, "marzo": 3, "abril": 4, "mayo": 5, "junio": 6, "julio": 7,
        "agosto": 8, "setiembre": 9, "septiembre": 9, "octubre": 10, "noviembre": 11,
        "diciembre": 12,
    },
}  # fmt: skip
MONTHS = {word: month for words in MONTHS_BY_LANGUAGE.values() for word, month in words.items()}

# Each season's word, by language, and the month in which it ends.
SEASONS_BY_LANGUAGE = {
    "en": {"spring": "spring", "summer": "summer", "fall": "fall", "autumn": "fall",
           "winter": "winter"},
    "fr": {"printemps": "spring", "ete": "summer", "automne": "fall", "hiver": "winter"},
    "es": {"primavera": "spring", "verano": "summer", "otono": "fall", "invierno": "winter"},
}  # fmt: skip
SEASONS = {word: season for words in SEASONS_BY_LANGUAGE.values() for word, season in words.items()}
SEASON_END_MONTH = {
    word: {"spring": 6, "summer": 9, "fall": 12, "winter": 3}[season]
    for word, season in SEASONS.items()
}

# "Ongoing" and "completed" as each language writes them.
STATE_WORDS_BY_LANGUAGE = {
    "en": {"ongoing": TargetKind.ONGOING, "completed": TargetKind.COMPLETED,
           "complete": TargetKind.COMPLETED, "done": TargetKind.COMPLETED,
           "already completed": TargetKind.COMPLETED},
    "fr": {"en cours": TargetKind.ONGOING, "en continu": TargetKind.ONGOING,
           "continu": TargetKind.ONGOING, "continue": TargetKind.ONGOING,
           "termine": TargetKind.COMPLETED, "terminee": TargetKind.COMPLETED,
           "acheve": TargetKind.COMPLETED, "realise": TargetKind.COMPLETED},
    "es": {"en curso": TargetKind.ONGOING, "continuo": TargetKind.ONGOING,
           "completado": TargetKind.COMPLETED, "completada": TargetKind.COMPLETED},
}  # fmt: skip


def _words_for(kind: str) -> tuple[str, ...]:
    return tuple(
        w for words in STATE_WORDS_BY_LANGUAGE.values() for w, k in words.items() if k == kind
    )


# "permanent" is English and French alike: read as ongoing, but in no one language.
ONGOING_WORDS = (*_words_for(TargetKind.ONGOING), "permanent")
COMPLETED_WORDS = _words_for(TargetKind.COMPLETED)

_MONTH_RE = "|".join(sorted(MONTHS, key=len, reverse=True))
_SEASON_RE = "|".join(sorted(SEASON_END_MONTH, key=len, reverse=True))
YEAR = r"(?:19|20)\d\d"
_FISCAL = rf"(?P<fy>{YEAR})\s*[-/–]\s*(?P<fy2>\d\d(?:\d\d)?)"

_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("iso", re.compile(rf"\b(?P<y>{YEAR})-(?P<m>\d\d)-(?P<d>\d\d)\b")),
    ("year_month_day", re.compile(rf"\b(?P<y>{YEAR})[/.](?P<m>\d{{1,2}})[/.](?P<d>\d{{1,2}})\b")),
    # 31/03/2026 or 3/31/2026: the day and the month in either order (see _numeric_date).
    ("numeric_date", re.compile(rf"(?<![\d/.–-])\b(?P<a>\d{{1,2}})(?P<sep>[/.-])(?P<b>\d{{1,2}})(?P=sep)(?P<y>{YEAR})\b")),
    (
        "quarter_fiscal",
        re.compile(rf"\b(?:q|t|quarter|trimestre)\s*(?P<q>\d)\b[\s,]*(?:of\s+|de\s+l.)?(?:fy|fiscal year|ae|exercice|ef)?\s*{_FISCAL}"),
    ),
    ("half_fiscal", re.compile(rf"\b(?:h|s)(?P<h>\d)\s*(?:fy)?\s*{_FISCAL}")),
    ("month_day_year", re.compile(rf"\b(?P<mon>{_MONTH_RE})\.?\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y>{YEAR})\b")),
    # A number right after a hyphen or slash ends a fiscal year ("2020-21"), never starts a day.
    ("day_month_year", re.compile(rf"(?<![-/–])(?<![-/–] )\b(?P<d>\d{{1,2}})(?:er|st|nd|rd|th)?\s+(?:de\s+)?(?P<mon>{_MONTH_RE})\.?,?\s+(?:de\s+)?(?P<y>{YEAR})\b")),
    ("month_year", re.compile(rf"\b(?P<mon>{_MONTH_RE})\.?,?\s+(?:de\s+)?(?P<y>{YEAR})\b")),
    ("season_year", re.compile(rf"\b(?P<season>{_SEASON_RE})\s+(?:de\s+|of\s+)?(?P<y>{YEAR})\b")),
    ("fiscal_year", re.compile(rf"\b(?:fy|fiscal year|ae|exercice|annee financiere)?\s*{_FISCAL}\b")),
    ("quarter_year", re.compile(rf"\b(?:q|t)(?P<q>\d)\s+(?P<y>{YEAR})\b")),
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


class _Unreadable(Exception):
    """A text that looks like a date but names no single day: MESSAGE says why, with the text
    as written put in for %(text)s."""

    def __init__(self, message: str, **values: object) -> None:
        super().__init__(message)
        self.message, self.values = message, values


def _numeric_date(m: re.Match[str]) -> datetime.date:
    """31/03/2026 is 31 March and 3/31/2026 is 31 March too; 03/04/2026 could be 3 April or
    4 March, and a wrong guess moves the due date by months, so it is refused."""
    first, second, year = int(m["a"]), int(m["b"]), int(m["y"])
    if first > 12 >= second:
        return datetime.date(year, second, first)
    if second > 12 >= first or first == second:
        return datetime.date(year, first, second)
    if first > 12 and second > 12:
        raise ValueError(m.group(0))
    raise _Unreadable(
        _(
            "“%(text)s” could be %(one)s or %(other)s: write the month in words, like "
            "%(one)s, or the date as %(iso)s."
        ),
        one=_day_month_words(datetime.date(year, second, first)),
        other=_day_month_words(datetime.date(year, first, second)),
        iso=datetime.date(year, second, first).isoformat(),
    )


def _day_month_words(day: datetime.date) -> str:
    """DAY in words in the active language: "March 31, 2026", "31 mars 2026", "1er avril"."""
    # French writes the first of a month "1er"; the catalogue says so.
    return pgettext("a day of a month of a year", "%(month)s %(day)s, %(year)s") % {
        "month": _month_name(day.month),
        "day": pgettext("the first day of a month", "1") if day.day == 1 else day.day,
        "year": day.year,
    }


def _part_of_year(m: re.Match[str], group: str, parts: int) -> int:
    """The quarter or half named by GROUP, refused when the year has no such part (Q5)."""
    number = int(m[group])
    if not 1 <= number <= parts:
        raise _Unreadable(
            _("“%(text)s” names a quarter that does not exist: a year has Q1 to Q4.")
            if parts == 4
            else _("“%(text)s” names a half that does not exist: a year has H1 and H2.")
        )
    return number


def _due_date(name: str, m: re.Match[str]) -> datetime.date | None:
    if name in ("iso", "year_month_day"):
        return datetime.date(int(m["y"]), int(m["m"]), int(m["d"]))
    if name == "numeric_date":
        return _numeric_date(m)
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
        quarter = _part_of_year(m, "q", 4)
        # Q1 ends June 30, Q2 September 30, Q3 December 31 of the first year; Q4 March 31.
        month = {1: 6, 2: 9, 3: 12, 4: 3}[quarter]
        return _month_end(end_year if quarter == 4 else end_year - 1, month)
    if name == "half_fiscal":
        end_year = fiscal_end_year(m)
        if end_year is None:
            return None
        half = _part_of_year(m, "h", 2)
        return _month_end(end_year - 1, 9) if half == 1 else _month_end(end_year, 3)
    if name == "fiscal_year":
        end_year = fiscal_end_year(m)
        return None if end_year is None else _month_end(end_year, 3)
    if name == "quarter_year":
        return _month_end(int(m["y"]), _part_of_year(m, "q", 4) * 3)
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
            except _Unreadable as unreadable:
                problem = unreadable.message % {"text": text, **unreadable.values}
                return TargetDate(TargetKind.UNPARSED, None, problem)
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


_PATTERN = dict(_PATTERNS)


def _language_of(word: str, by_language: dict[str, dict[str, Any]]) -> str | None:
    return next((lang for lang, words in by_language.items() if word in words), None)


def _month_name(month: int) -> str:
    return str(dates.MONTHS[month])


def _season_text(season: str, year: str) -> str:
    texts = {
        "spring": _("Spring %(year)s"),
        "summer": _("Summer %(year)s"),
        "fall": _("Fall %(year)s"),
        "winter": _("Winter %(year)s"),
    }
    return texts[season] % {"year": year}


def written_in(text: str, language: str) -> str:
    """TEXT, a target date as written, in LANGUAGE when it is a single date named with words
    of another language: "June 2021" reads "juin 2021" in French and "junio de 2021" in
    Spanish, "Fall 2023" "automne 2023", "Ongoing" "En cours".

    Anything else is shown as written: a date already in LANGUAGE, numbers only ("2022-03-31",
    "Q3 2021-22"), several dates, or words around the date ("June 2021 (interim)")."""
    folded = " ".join(fold(text or "").split()).rstrip(".")
    if not folded:
        return text
    reader = (language or "en").split("-")[0]
    with translation.override(reader):
        state_language = _language_of(folded, STATE_WORDS_BY_LANGUAGE)
        if state_language is not None:
            if state_language == reader:
                return text
            return str(STATE_WORDS_BY_LANGUAGE[state_language][folded].label)
        if match := _PATTERN["season_year"].fullmatch(folded):
            if _language_of(match["season"], SEASONS_BY_LANGUAGE) == reader:
                return text
            return _season_text(SEASONS[match["season"]], match["y"])
        if match := _PATTERN["month_year"].fullmatch(folded):
            if _language_of(match["mon"], MONTHS_BY_LANGUAGE) == reader:
                return text
            return pgettext("a month of a year", "%(month)s %(year)s") % {
                "month": _month_name(MONTHS[match["mon"]]),
                "year": match["y"],
            }
        if match := _PATTERN["quarter_fiscal"].fullmatch(folded):
            # English writes Q (quarter), French and Spanish T (trimestre).
            written_language = "en" if folded.startswith("q") else "fr"
            if (written_language == "en") == (reader == "en") or not 1 <= int(match["q"]) <= 4:
                return text
            return pgettext("a quarter of a fiscal year", "Q%(quarter)s %(year)s") % {
                "quarter": match["q"],
                "year": folded[folded.index(match["fy"]) :],
            }
        for name in ("month_day_year", "day_month_year"):
            if match := _PATTERN[name].fullmatch(folded):
                if _language_of(match["mon"], MONTHS_BY_LANGUAGE) == reader:
                    return text
                try:
                    day = datetime.date(int(match["y"]), MONTHS[match["mon"]], int(match["d"]))
                except ValueError:  # 31 June: shown as written, as the record has it
                    return text
                return _day_month_words(day)
    return text
