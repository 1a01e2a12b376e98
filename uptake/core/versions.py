"""Optimistic concurrency: a form or a button carries the version of the row it was shown
with, and a service saves only if nobody has saved that row since."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from uptake.errors import ConflictError


def claim_version(obj: Any, expected_version: int | None, what: str) -> None:
    """Take the next version number, or fail if someone saved since EXPECTED_VERSION was read.

    Without EXPECTED_VERSION (a console import, a script), the caller's copy's version is
    expected. OBJ's model needs a `version` field (see `VersionedModel`).
    """
    if expected_version is None:
        expected_version = obj.version
    claimed = (
        type(obj)
        .objects.filter(pk=obj.pk, version=expected_version)
        .update(version=expected_version + 1)
    )
    if not claimed:
        raise conflict(what)
    obj.version = expected_version + 1


def conflict(what: str) -> ConflictError:
    """The refusal for a form whose WHAT was changed (or removed) since it was opened."""
    return ConflictError(
        _(
            "Someone else changed this %(object)s after you opened the form. Nothing was "
            "saved: reload to see their change, then apply yours again."
        )
        % {"object": what}
    )
