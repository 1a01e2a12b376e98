"""Which language a reader gets for each piece of content, and whether it fell back.

Content (titles, statements, commitments, actions, unit names) exists in English and French.
A reader asks for a language; a field missing in that language falls back to English, and the
result says so, so that pages can mark the gap instead of hiding it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

# The languages content is written in; English is always there.
CONTENT_LANGUAGES = ("en", "fr")
FALLBACK = "en"


@dataclass(frozen=True)
class Localized:
    """One piece of content as a reader gets it."""

    text: str
    lang: str  # the language TEXT is in
    fell_back: bool  # the reader's language was wanted but the field is empty in it

    def __str__(self) -> str:
        return self.text

    def __bool__(self) -> bool:
        return bool(self.text)


def content_language(language: str) -> str:
    """The content language a reader of LANGUAGE gets: theirs if content exists in it."""
    base = (language or FALLBACK).split("-")[0].lower()
    return base if base in CONTENT_LANGUAGES else FALLBACK


def pick(values: Mapping[str, str] | None, language: str) -> Localized:
    """VALUES' text in LANGUAGE, else in English, saying whether it fell back.

    A reader whose language content is never written in (Spanish) gets English with
    fell_back=True; an empty field in both languages is empty, and not a fallback.
    """
    values = values or {}
    base = (language or FALLBACK).split("-")[0].lower()
    wanted = (values.get(base) or "").strip()
    if wanted:
        return Localized(wanted, base, False)
    english = (values.get(FALLBACK) or "").strip()
    return Localized(english, FALLBACK, bool(english) and base != FALLBACK)


def pair(english: str, french: str) -> dict[str, str]:
    """A field in both content languages, as snapshots store it."""
    return {"en": english or "", "fr": french or ""}


def as_pair(value: Mapping[str, str] | str | None) -> dict[str, str]:
    """A snapshot field in both content languages, whichever way the snapshot stored it:
    older snapshots (schema 1) hold some fields, such as the program, as English text only."""
    if isinstance(value, Mapping):
        return pair(value.get("en", ""), value.get("fr", ""))
    return pair(value or "", "")
