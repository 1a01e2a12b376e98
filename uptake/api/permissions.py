"""Who may call the API: the questions of uptake.accounts.permissions, asked the DRF way."""

from __future__ import annotations

from typing import Any

from rest_framework.permissions import BasePermission
from rest_framework.request import Request

from uptake.accounts.permissions import can_read_internal


class CanReadInternal(BasePermission):
    """Every signed-in, active person reads, as on the pages; writes are checked per view."""

    def has_permission(self, request: Request, view: Any) -> bool:
        return can_read_internal(request.user)
