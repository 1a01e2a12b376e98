"""Results and rendered HTML kept in the cache while what they are made from stays the same.

For what costs far more to compute than to check: the dashboard's figures, a rendered
dashboard, a published response. The caller names everything the result depends on (filters,
the day, a stamp that moves with the data). The code's version and a digest of its files are
added here, so an upgrade never serves a result or markup of the previous code, even from a
cache shared by several servers."""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Callable
from importlib import metadata
from pathlib import Path
from typing import Any, TypeVar

from django.core.cache import caches
from django.utils import translation
from django.utils.safestring import SafeString, mark_safe


def code_fingerprint(package: Path) -> str:
    """A digest of every file in PACKAGE that can change a result (code, templates,
    catalogues, static files), tests and bytecode aside. The same on every server that runs
    the same code, and different after any upgrade: one from git keeps the version number."""
    digest = hashlib.sha256()
    for path in sorted(package.rglob("*")):
        relative = path.relative_to(package)
        if not path.is_file() or {"__pycache__", "tests"} & set(relative.parts):
            continue
        digest.update(relative.as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:16]


@functools.cache
def code_version() -> str:
    """Uptake's version and its files' digest, read once per process, when first needed
    (commands that cache nothing never read the files)."""
    try:
        version = metadata.version("uptake")
    except metadata.PackageNotFoundError:  # run from a source tree that was never installed
        version = "source"
    return f"{version}+{code_fingerprint(Path(__file__).resolve().parent.parent)}"


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
    key = f"{name}:" + hashlib.sha256(repr((code_version(), depends_on)).encode()).hexdigest()
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
