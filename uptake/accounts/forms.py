"""Forms of the profile page."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import language_choices


class LanguageForm(forms.Form):
    language = forms.ChoiceField(
        label=_("Your language"),
        choices=language_choices,
        help_text=_(
            "Uptake writes your e-mails in this language, and opens its pages in it when you "
            "sign in. Choosing a language at the top of any page changes it too."
        ),
    )
