"""Content in the page's language: `{{ action|localized:"text" }}` shows `text_fr` on French
pages when it is written, and the English `text` otherwise, the rule the public site follows
(uptake.publishing.languages.pick). For display only: forms edit both fields."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import get_language

register = template.Library()


@register.filter
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
