"""Searching text the way people type it: whatever the case and with or without accents
("sante" finds "SANTÉ"), identically on SQLite and on PostgreSQL in any locale.

The databases cannot do this themselves: SQLite's LIKE folds ASCII letters only, and
PostgreSQL's UPPER folds only what the database's locale knows (nothing beyond ASCII in the
"C" locale). So text is folded here, in Python, once: large tables keep a folded copy of
their searched fields in a `search_text` column (`core.models.SearchableModel`), which the
indexes of migration evaluations 0006 serve; small tables are folded as they are read
(`matching_ids`).

A search is a list of words, each of which must appear somewhere in the searched fields,
in any order: "health maternal" finds "Maternal Health Program".
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from typing import Any


def fold(text: str) -> str:
    """TEXT with case and accents removed, and compatibility forms (ligatures, full-width
    letters) spelled out: what a search compares."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def name_key(text: str) -> str:
    """The folded words of TEXT, one space apart: punctuation ignored, so two spellings of one
    name ("Direction générale (DGA)", "direction generale DGA") compare equal."""
    return " ".join(re.findall(r"\w+", fold(text)))


def search_words(search: str) -> list[str]:
    """The folded words of what someone typed in a search box, each once, in order."""
    return list(dict.fromkeys(fold(search).split()))


def folded_fields(values: Iterable[Any]) -> str:
    """The folded text of several fields, one per line, so that no word spans two fields."""
    return "\n".join(fold(str(value)) for value in values if value)


def matching_ids(rows: Iterable[Sequence[Any]], search: str) -> list[Any]:
    """The first value (the id) of each row of ROWS whose other values together contain
    every word of SEARCH.

    For tables of a few hundred rows (units, strategies), where reading them all costs less
    than keeping a folded copy."""
    words = search_words(search)
    found = []
    for pk, *values in rows:
        text = folded_fields(values)
        if all(word in text for word in words):
            found.append(pk)
    return found
