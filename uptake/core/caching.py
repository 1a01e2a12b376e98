"""Results and rendered HTML kept in the cache while what they are made from stays the same.

For what costs far more to compute than to check: the dashboard's figures, a rendered
dashboard, a published response. The caller names everything the result depends on (filters,
the day, a stamp that moves with the data). The code's version is added here, so an upgrade
never serves a result or markup of the previous code, even from a cache shared by several
servers."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from importlib import metadata
from typing import Any, TypeVar

from django.core.cache import caches
from django.utils import translation
from django.utils.safestring import SafeString, mark_safe

try:
    CODE_VERSION = metadata.version("uptake")
except metadata.PackageNotFoundError:  # run from a source tree that was never installed
    CODE_VERSION = "source"

_T = TypeVar("_T")


def cached(
    name: str,
    *,
    depends_on: Any,
    compute: Callable[[], _T],
    seconds: int,
    alias: str = "default",
) -> _T:
    """COMPUTE's result, from cache ALIAS while DEPENDS_ON is unchanged.

    DEPENDS_ON must hold everything the result is made from; its repr() is the key."""
    key = f"{name}:" + hashlib.sha256(repr((CODE_VERSION, depends_on)).encode()).hexdigest()
    store = caches[alias]
    result = store.get(key)
    if result is None:
        result = compute()
        store.set(key, result, seconds)
    return result  # type: ignore[no-any-return]


def cached_html(
    name: str, *, depends_on: Any, render: Callable[[], str], seconds: int
) -> SafeString:
    """RENDER's HTML, from the "pages" cache while DEPENDS_ON and the language are unchanged."""
    html = cached(
        f"html:{name}",
        depends_on=(translation.get_language(), depends_on),
        compute=render,
        seconds=seconds,
        alias="pages",
    )
    # Only ever our own templates' output is stored, so it is as safe as when rendered.
    return mark_safe(html)  # noqa: S308
