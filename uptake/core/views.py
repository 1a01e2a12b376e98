"""Small helpers shared by the pages of every app."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django import forms
from django.contrib import messages
from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme

from uptake.errors import ServiceError

T = TypeVar("T")


def run_service(
    request: HttpRequest, form: forms.Form, call: Callable[[], T], success: str = ""
) -> T | None:
    """Call a service; on a refusal, put each of its problems on the form (on the field it
    names, or above the form).

    Returns None when the service refused, so the view re-renders the form with what the
    person typed and the reasons.
    """
    try:
        result = call()
    except ServiceError as exc:
        add_refusal(form, exc)
        return None
    if success:
        messages.success(request, success)
    return result


def add_refusal(form: forms.Form, refusal: ServiceError) -> None:
    """Each problem of REFUSAL on FORM: on the field it names, or above the form."""
    for field, message in refusal.field_problems:
        form.add_error(field if field in form.fields else None, message)


def form_errors_as_messages(request: HttpRequest, form: forms.Form) -> None:
    """Every error of FORM as a message, for a view that redirects instead of re-rendering."""
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, error)


def post_service(request: HttpRequest, call: Callable[[], Any], success: str) -> bool:
    """Call a service from a button (no form to re-render): report refusal as a message."""
    try:
        call()
    except ServiceError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return False
    messages.success(request, success)
    return True


def safe_next(request: HttpRequest, default: str) -> str:
    """The page to go back to after a button, if it is one of ours; DEFAULT otherwise."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


def posted_comment(request: HttpRequest) -> str:
    """The free-text comment sent with a decision button (approve, return, validate…)."""
    return str(request.POST.get("comment", "")).strip()


def form_version(form: forms.Form) -> int | None:
    """The version an edit form was opened on, sent back in its hidden `version` field."""
    version: int | None = form.cleaned_data.get("version")
    return version


def posted_version(request: HttpRequest) -> int | None:
    """The version a button was shown beside (its form's hidden field), for a removal."""
    posted = str(request.POST.get("version", ""))
    return int(posted) if posted.isdigit() else None


def is_htmx(request: HttpRequest) -> bool:
    return bool(getattr(request, "htmx", False))
