"""`{{ action|localized:"text" }}`: content in the page's language (uptake.core.i18n). For
display only: forms edit both fields. `{{ action|label:"status" }}`: a field's choice label."""

from __future__ import annotations

from django import template

from uptake.core.i18n import choice_label, localized, period_text

register = template.Library()
register.filter("localized", localized)
register.filter("period", period_text)
register.filter("label", choice_label)
