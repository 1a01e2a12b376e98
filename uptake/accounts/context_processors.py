from typing import Any

from django.http import HttpRequest

from .permissions import can_decide, can_manage_evaluations


def roles(request: HttpRequest) -> dict[str, Any]:
    """What the navigation needs to know about the person looking at it."""
    user = request.user
    return {
        "can_manage": can_manage_evaluations(user),  # type: ignore[arg-type]
        "can_decide": can_decide(user),  # type: ignore[arg-type]
        "is_focal_point": getattr(user, "is_focal_point", False),
    }
