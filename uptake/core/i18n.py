"""Content in the reader's language: a record's French field on French pages when it is
written, its English field otherwise, the rule the public site follows
(uptake.publishing.languages.pick). Templates use it as the `localized` filter."""

from __future__ import annotations

from typing import Any

from django.utils.translation import get_language


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
