"""One shape for every error the API answers: `{"status", "message", "errors"}`.

`errors` maps a field to its messages (empty when the error concerns no field). Services'
refusals (`ServiceError`) are 400s naming their field, a stale `version` is a 409, and
Django's own PermissionDenied and Http404 come out in the same shape as DRF's errors.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from uptake.errors import ConflictError, ServiceError

MESSAGES = {
    400: _("The request is not valid."),
    404: _("Nothing was found at this address."),
}


def _flatten(detail: Any, prefix: str = "") -> dict[str, list[str]]:
    """DRF's nested field errors as `{"field": [...], "links.0": [...]}`."""
    if isinstance(detail, dict):
        found: dict[str, list[str]] = {}
        for key, value in detail.items():
            name = str(key)
            if name == "non_field_errors":
                name = ""
            found.update(_flatten(value, f"{prefix}.{name}" if prefix and name else prefix or name))
        return found
    if isinstance(detail, list) and any(isinstance(item, dict | list) for item in detail):
        found = {}
        for index, value in enumerate(detail):
            found.update(_flatten(value, f"{prefix}.{index}" if prefix else str(index)))
        return found
    items = detail if isinstance(detail, list) else [detail]
    return {prefix: [str(item) for item in items]}


def error_body(
    code: int, message: str, errors: dict[str, list[str]] | None = None
) -> dict[str, Any]:
    return {"status": code, "message": message, "errors": errors or {}}


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, ServiceError):
        code = status.HTTP_409_CONFLICT if isinstance(exc, ConflictError) else 400
        errors: dict[str, list[str]] = {}
        for field, message in exc.field_problems:
            if field:
                errors.setdefault(field, []).append(message)
        return Response(error_body(code, exc.message, errors), status=code)
    if isinstance(exc, Http404) or (
        # DRF's own "Not found." says less than every other 404 of the API.
        isinstance(exc, exceptions.NotFound) and exc.get_codes() == "not_found"
        and str(exc.detail) == str(exceptions.NotFound.default_detail)
    ):  # fmt: skip
        exc = exceptions.NotFound(str(MESSAGES[404]))
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    response = drf_exception_handler(exc, context)
    if response is None:
        return None  # not an API error: a bug, which Django reports as a 500
    if isinstance(exc, exceptions.ValidationError):
        errors = _flatten(exc.detail)
        general = errors.pop("", [])
        message = general[0] if general else str(MESSAGES[400])
        # Errors on the body as a whole ("expected an object") have no field to go on.
        response.data = error_body(response.status_code, message, errors)
    else:
        detail = exc.detail if isinstance(exc, exceptions.APIException) else response.data
        response.data = error_body(response.status_code, str(detail))
    return response
