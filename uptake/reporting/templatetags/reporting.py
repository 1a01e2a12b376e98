"""Small pieces other apps' pages show: what a person owes in the open round, export links."""

from __future__ import annotations

from typing import Any

from django import template
from django.http import QueryDict
from django.urls import reverse

from uptake.accounts.models import User

from .. import exports, selectors
from ..models import FollowUpRound

register = template.Library()

OWED_SHOWN = 10


@register.inclusion_tag("reporting/_owed_in_round.html", takes_context=True)
def round_owed(context: dict[str, Any], round_: FollowUpRound | None) -> dict[str, Any]:
    """ROUND, the open one (the page has read it already), and the actions of the person's
    units that still owe an update in it."""
    user = context["request"].user
    if not (isinstance(user, User) and round_):
        return {"round": round_, "owed": [], "owed_count": 0, "more": 0}
    owed = selectors.owed_by_user(user, round_)
    # A branch's focal point can owe hundreds: the panel names the first few, soonest due.
    shown = list(owed[:OWED_SHOWN])
    count = owed.count()  # always asked, so the page's queries do not depend on the rows
    return {"round": round_, "owed": shown, "owed_count": count, "more": count - len(shown)}


@register.inclusion_tag("reporting/_export_links.html", takes_context=True)
def export_links(context: dict[str, Any], dataset: str, *extra: str) -> dict[str, Any]:
    """Links to DATASET as CSV, XLSX and JSON, with the page's own filters (and EXTRA
    "name=value" pairs)."""
    params: QueryDict = context["request"].GET.copy()
    params.pop("page", None)
    for pair in extra:
        name, _, value = pair.partition("=")
        params[name] = value
    url = reverse(f"reporting:export_{dataset}")
    links = []
    for fmt in exports.FORMATS:
        params["format"] = fmt
        links.append((fmt.upper(), f"{url}?{params.urlencode()}"))
    return {"links": links}


@register.inclusion_tag("reporting/_calendar_feed_panel.html", takes_context=True)
def calendar_feed_panel(context: dict[str, Any]) -> dict[str, Any]:
    """The profile page's panel for the signed-in person's calendar feed."""
    user = context["request"].user
    return {
        "feed": selectors.user_calendar_feed(user) if isinstance(user, User) else None,
        "can_manage": context.get("can_manage", False),
        "csrf_token": context.get("csrf_token"),
    }
