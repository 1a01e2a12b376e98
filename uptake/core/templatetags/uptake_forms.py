"""`{% form_problems form as problems %}`: every error of a form, for the summary at its top
(`includes/error_summary.html`, where uptake.core.forms.form_problems says what it lists)."""

from __future__ import annotations

from django import template

from uptake.core.forms import form_problems

register = template.Library()
register.simple_tag(form_problems, name="form_problems")
