"""Rendered HTML kept in the cache while what it shows stays the same.

For parts of pages that cost far more to render than to check: the dashboard's figures, a
published response. The caller names everything the HTML depends on (filters, the day, a
stamp that moves with the data); the active language and the code's version are added here,
so an upgrade never serves markup from the previous templates, even from a cache shared by
several servers."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from importlib import metadata
from typing import Any

from django.core.cache import caches
from django.utils import translation
from django.utils.safestring import SafeString, mark_safe

try:
    CODE_VERSION = metadata.version("uptake")
except metadata.PackageNotFoundError:  # run from a source tree that was never installed
    CODE_VERSION = "source"


def cached_html(
    name: str, *, depends_on: Any, render: Callable[[], str], seconds: int
) -> SafeString:
    """RENDER's HTML, from the cache while DEPENDS_ON (and the language) are unchanged.

    DEPENDS_ON must hold everything the HTML is made from; its repr() is the key."""
    parts = (CODE_VERSION, translation.get_language(), depends_on)
    key = f"html:{name}:" + hashlib.sha256(repr(parts).encode()).hexdigest()
    pages = caches["pages"]
    html = pages.get(key)
    if html is None:
        html = render()
        pages.set(key, html, seconds)
    # Only ever our own templates' output is stored, so it is as safe as when rendered.
    return mark_safe(html)  # noqa: S308
