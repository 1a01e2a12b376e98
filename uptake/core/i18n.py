"""Content in the reader's language: a record's French field on French pages when it is
written, its English field otherwise, the rule the public site follows
(uptake.publishing.languages.pick). Templates use it as the `localized` filter."""

from __future__ import annotations

import functools
import re
from typing import Any

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext as _


def _french_page() -> bool:
    return (get_language() or "").startswith("fr")


def localized_pair(english: str, french: str) -> str:
    """FRENCH on a French page when it is written, ENGLISH otherwise."""
    if _french_page() and (french or "").strip():
        return french.strip()
    return (english or "").strip()


def localized(obj: Any, field: str) -> str:
    """OBJ's FIELD in the active language, by `localized_pair`'s rule: FIELD_fr on a French
    page when it is written. FIELD may be the English one by name: "title_en" pairs with
    "title_fr"."""
    if obj is None:
        return ""
    # Lists call this once per row and cell: English pages do not read the French field.
    french = getattr(obj, f"{field.removesuffix('_en')}_fr", "") if _french_page() else ""
    return localized_pair(str(getattr(obj, field, "") or ""), str(french or ""))


def period_span(start: str, end: str) -> str:
    """START to END (2025-26 to 2029-30), the joining word in the active language."""
    return _("%(start)s to %(end)s") % {"start": start, "end": end}


# "2017-18 to 2022-23": two fiscal years (or calendar years) joined by a word to translate.
_PERIOD = re.compile(
    r"^\s*(\d{4}(?:-\d{2,4})?)\s+(?:to|à|au|a)\s+(\d{4}(?:-\d{2,4})?)\s*$", re.IGNORECASE
)


def period_text(period: str) -> str:
    """PERIOD as written, with its joining word in the reader's language when it is two years
    joined by one ("2017-18 to 2022-23" reads "2017-18 à 2022-23" in French)."""
    match = _PERIOD.match(period or "")
    if not match:
        return period
    return period_span(match[1], match[2])


@functools.cache
def _choice_labels(model: type[models.Model], field: str, language: str) -> dict[Any, str]:
    # LANGUAGE is the active one: it is part of the key so that each language is read once.
    choices = model._meta.get_field(field).flatchoices  # type: ignore[union-attr]
    return {value: str(label) for value, label in choices}


def choice_label(obj: models.Model, field: str) -> str:
    """OBJ's FIELD shown as its choice's label in the active language, as
    `get_FIELD_display()` shows it. Django's method translates every label of the field on
    each call (about 0.14 ms); lists call this once per row and cell."""
    value = getattr(obj, field)
    return str(_choice_labels(obj._meta.model, field, get_language() or "").get(value, value))
