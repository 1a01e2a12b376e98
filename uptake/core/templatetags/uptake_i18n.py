"""`{{ action|localized:"text" }}`: content in the page's language (uptake.core.i18n). For
display only: forms edit both fields."""

from __future__ import annotations

from django import template

from uptake.core.i18n import localized

register = template.Library()
register.filter("localized", localized)
