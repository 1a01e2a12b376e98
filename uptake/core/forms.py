"""Form pieces shared by the apps."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.forms.formsets import BaseFormSet


def version_field(**options: Any) -> forms.IntegerField:
    """The version of the row a form was opened on (hidden): a service refuses to save over a
    newer one, so two people editing at once never overwrite each other."""
    return forms.IntegerField(widget=forms.HiddenInput, required=False, **options)


@dataclass(frozen=True)
class Problem:
    """One line of the error summary at the top of a form shown again with errors."""

    message: str
    # The field's label, for a field's error; empty for a problem of the whole form.
    label: str = ""
    # The id of the element that takes the field's input, for the summary to link to; empty
    # when there is nothing to move to (a problem of the whole form, a hidden field).
    target: str = ""


def form_problems(*parts: object, auto_id: str = "") -> list[Problem]:
    """Every error of the forms and formsets in PARTS, in the order of the page: for each form,
    the problems of the whole form first, then its fields' in the order of its fields.

    Other values in PARTS are skipped, so that a template can pass a sub-form it may not have.
    AUTO_ID is for a page that writes a form's inputs by hand with ids of its own: Django's
    format for ids, `%s` standing for the field's name.

    A form may name its fields more fully than their labels (the importer's review form says
    which recommendation and unit each belongs to) with a `summary_label(name)` method.
    """
    problems: list[Problem] = []
    for part in parts:
        if isinstance(part, BaseFormSet):
            problems += [Problem(str(error)) for error in part.non_form_errors()]
            problems += form_problems(*part.forms)
        elif isinstance(part, forms.BaseForm):
            problems += _problems_of(part, auto_id)
    return problems


def _problems_of(form: forms.BaseForm, auto_id: str) -> list[Problem]:
    problems = [Problem(str(error)) for error in form.non_field_errors()]
    name_of: Callable[[str], str] | None = getattr(form, "summary_label", None)
    for name in form.fields:
        if name not in form.errors:
            continue
        bound = form[name]
        if bound.is_hidden:
            # Nothing the person can change: the message alone (a stale version, say).
            problems += [Problem(str(error)) for error in bound.errors]
            continue
        label = name_of(name) if name_of else str(bound.label)
        target = _input_id(bound, auto_id)
        problems += [Problem(str(error), label, target) for error in bound.errors]
    return problems


def _input_id(bound: forms.BoundField, auto_id: str) -> str:
    """The id of the element a link to BOUND must move the focus to."""
    if auto_id:
        # As Django reads its own auto_id: a format with `%s`, or the name as it is.
        return auto_id % bound.html_name if "%s" in auto_id else bound.html_name
    if bound.id_for_label:
        return bound.id_for_label
    # A group of radio buttons or checkboxes carries its id on a wrapper, which cannot take
    # the focus: the first of its inputs can.
    inputs = bound.subwidgets
    return inputs[0].id_for_label if inputs else ""
