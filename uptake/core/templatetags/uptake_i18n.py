"""`{{ action|localized:"text" }}`: content in the page's language (uptake.core.i18n). For
display only: forms edit both fields."""

from __future__ import annotations

from django import template

from uptake.core.i18n import localized, period_text

register = template.Library()
register.filter("localized", localized)
register.filter("period", period_text)
