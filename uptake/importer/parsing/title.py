"""The evaluation's own title and period, read from the title of its management response.

A published response is titled after itself: "Management Response to the Recommendations of
the Evaluation of X (2013-14 - 2018-19)", "Réponse de la direction à l'évaluation de X",
"Evaluation of X - Management Response and Action Plan (MRAP)". The evaluation is "Evaluation
of X", and the fiscal years at the end are the period it covers ("2013-14 to 2018-19").
"""

from __future__ import annotations

import gettext
import re
from dataclasses import dataclass
from functools import lru_cache

from uptake.core.search import fold

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


# The program or country an evaluation is about, when its title clearly names one ------------

# Where a department works, "in Canada" scopes a domestic program; it names no country program.
_HOME = {"canada"}
# Regions that country programs are grouped in, in English and French (as folded by _fold).
_REGIONS = {
    "africa", "sub-saharan africa", "west africa", "east africa", "southern africa",
    "north africa", "middle east", "middle east and north africa", "americas",
    "latin america", "latin america and the caribbean", "central america", "south america",
    "caribbean", "asia", "south asia", "southeast asia", "central asia", "asia-pacific",
    "asia pacific", "europe", "eastern europe", "sahel",
    "afrique", "afrique subsaharienne", "afrique de l'ouest", "afrique de l'est",
    "afrique australe", "afrique du nord", "moyen-orient", "ameriques", "amerique latine",
    "amerique latine et caraibes", "amerique centrale", "amerique du sud", "caraibes", "asie",
    "asie du sud", "asie du sud-est", "asie centrale", "europe de l'est",
}  # fmt: skip
# A program named as such: "Evaluation of the X Program", "Évaluation sommative du Programme X".
_SUBJECT = re.compile(
    rf"^{_STUDY}(?:\s+(?!of\b|du\b|des?\b)[^\W\d_]+)?\s+(?:of\s+(?:the\s+)?|(?:du|des|de\s+la|de\s+l['’]|de)\s*)(?P<subject>.+)$",
    re.IGNORECASE,
)
_CONNECTORS = {"of", "for", "and", "the", "on", "in", "to", "&"}
_FRENCH_LINKS = {"de", "du", "des", "la", "le", "les", "et", "pour", "en", "au", "aux", "à"}
# Trailing years, dates and acronyms: "2004-2009", "- September 2016", "(CPNP)".
_TAIL_YEAR = r"(?:19|20)\d\d(?:\s*[-–/]\s*\d\d(?:\d\d)?)?"
_TAIL = re.compile(
    rf"(?:\s*\([^()]*\)|\s*[-–—,:]\s*(?:[^\W\d_]+\s+)?{_TAIL_YEAR}|\s+{_TAIL_YEAR})$"
)
# The last place named after "in" (French: en, au, aux, à, dans).
_PLACE = re.compile(
    r"\s(?:in|en|au|aux|à|dans)\s+(?:the\s+|l['’]|les\s+|la\s+|le\s+)?(?P<place>\S.*)$"
)


def _fold(text: str) -> str:
    """Lower case without accents, straight apostrophes, single spaces: for comparing names."""
    return " ".join(fold(text.replace("’", "'")).split())


@lru_cache(maxsize=1)
def _country_names() -> frozenset[str]:
    """Every country's short, common and official names, in English and French, folded."""
    import pycountry

    french = gettext.translation(
        "iso3166-1", pycountry.LOCALES_DIR, languages=["fr"], fallback=True
    )
    names: set[str] = set()
    for country in pycountry.countries:
        for attribute in ("name", "common_name", "official_name"):
            name = getattr(country, attribute, None)
            if not name:
                continue
            if ", " in name:  # "Korea, Republic of" is written "Republic of Korea"
                head, _sep, tail = name.partition(", ")
                names.add(f"{tail} {head}")
            names.update((name, french.gettext(name)))
    return frozenset(_fold(n).removeprefix("the ") for n in names) - _HOME


def _without_tail(text: str) -> str:
    previous = None
    while previous != text:
        previous, text = text, _TAIL.sub("", text).rstrip(" -–—,:;.")
    return text


def _is_name(words: list[str]) -> bool:
    """Whether WORDS read as a proper name: capitalised, apart from short linking words."""
    return all(w[:1].isupper() or w[:1].isdigit() or w.lower() in _CONNECTORS for w in words)


def propose_program(title: str | None) -> str:
    """The program or country the evaluation titled TITLE is about, or "" when the title does
    not clearly name one: a country or region after "in" at its end ("… Programming in Peru",
    "… in the Americas"), or a program named as such ("Evaluation of the X Program" → "X
    Program", "Évaluation du Programme X" → "Programme X"). A wrong guess is worse than none.
    """
    text = _without_tail(" ".join((title or "").split()))
    place = _PLACE.search(text)
    if place:
        name = place.group("place")
        folded = _fold(name)
        if folded in _REGIONS or folded in _country_names():
            return name
    subject = _SUBJECT.match(text)
    if not subject:
        return ""
    name = subject.group("subject")
    words = name.split()
    if re.search(r"[,;:()\"“”]", name) or not 1 < len(words) <= 12:
        return ""
    if words[-1].lower() in ("program", "programme") and _is_name(words):
        return name[:1].upper() + name[1:]
    # French names the program first, in lower case: "Programme canadien de nutrition".
    if (
        words[0].lower() == "programme"
        and words[-1].lower() not in _FRENCH_LINKS
        and re.fullmatch(r"[^\W\d_]+(?:['’ -][^\W\d_]+)*", name)
    ):
        return name[:1].upper() + name[1:]
    return ""
