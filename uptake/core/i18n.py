"""Content in the reader's language: a record's French field on French pages when it is
written, its English field otherwise, the rule the public site follows
(uptake.publishing.languages.pick). Templates use it as the `localized` filter."""

from __future__ import annotations

import re
from typing import Any

from django.utils.translation import get_language
from django.utils.translation import gettext as _


def localized(obj: Any, field: str) -> str:
    """OBJ's FIELD in the active language: FIELD_fr when it is not empty on a French page,
    else FIELD. FIELD may be the English one by name: "title_en" pairs with "title_fr"."""
    if obj is None:
        return ""
    # Lists call this once per row and cell: English pages skip the French field entirely.
    if (get_language() or "").startswith("fr"):
        french = str(getattr(obj, f"{field.removesuffix('_en')}_fr", "") or "").strip()
        if french:
            return french
    return str(getattr(obj, field, "") or "").strip()


def localized_pair(english: str, french: str) -> str:
    """ENGLISH or FRENCH, by the same rule, for values already read from the database."""
    if (get_language() or "").startswith("fr") and (french or "").strip():
        return french.strip()
    return (english or "").strip()


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
