"""Form pieces shared by the apps."""

from __future__ import annotations

from typing import Any

from django import forms


def version_field(**options: Any) -> forms.IntegerField:
    """The version of the row a form was opened on (hidden): a service refuses to save over a
    newer one, so two people editing at once never overwrite each other."""
    return forms.IntegerField(widget=forms.HiddenInput, required=False, **options)
