from typing import Any

from django import template

from uptake.api.selectors import token_list
from uptake.api.token_views import TokenForm

register = template.Library()


@register.inclusion_tag("api/_token_panel.html", takes_context=True)
def api_token_panel(context: dict[str, Any]) -> dict[str, Any]:
    """The profile page's list of the signed-in person's API tokens, and the form for a new one."""
    user = context["request"].user
    return {
        "tokens": list(token_list(user)),
        "form": TokenForm(auto_id="token_%s"),
        "csrf_token": context.get("csrf_token"),
    }
