from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from uptake.accounts.models import Unit, language_choices
from uptake.core.i18n import localized
from uptake.evaluations.models import Evaluation
from uptake.followup.forms import UpdateForm

from .selectors import FOLLOWED_STATES, DashboardFilters, fiscal_year_label
from .services import UPDATE_LINK_MAX_DAYS


class _UnitChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Unit) -> str:
        return f"{localized(obj, 'name')} ({obj.code})"


class _EvaluationChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Evaluation) -> str:
        return localized(obj, "title_en")


class DashboardFilterForm(forms.Form):
    # Choices name units and evaluations in the page's language.
    unit = _UnitChoiceField(
        label=_("Unit (with its sub-units)"),
        queryset=Unit.objects.order_by("code"),
        required=False,
        empty_label=_("All units"),
    )
    branch = _UnitChoiceField(
        label=_("Branch"),
        queryset=Unit.objects.filter(parent__isnull=True).order_by("code"),
        required=False,
        empty_label=_("All branches"),
    )
    evaluation = _EvaluationChoiceField(
        label=_("Evaluation"),
        queryset=Evaluation.objects.filter(state__in=FOLLOWED_STATES).order_by("title_en"),
        required=False,
        empty_label=_("All evaluations"),
    )
    fiscal_year = forms.TypedChoiceField(
        label=_("Fiscal year due"), coerce=int, required=False, empty_value=None
    )
    report_date = forms.DateField(
        label=_("Report date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Today when empty."),
    )

    # A list longer than this is no use to choose from: the evaluation is then chosen from its
    # own page ("Figures for this evaluation"), and the form carries it along.
    EVALUATION_CHOICES_LIMIT = 300

    def __init__(self, *args: Any, fiscal_years: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        evaluations = self.fields["evaluation"]
        if evaluations.queryset.count() > self.EVALUATION_CHOICES_LIMIT:  # type: ignore[attr-defined]
            evaluations.widget = forms.HiddenInput()
        self.fields["fiscal_year"].choices = [("", _("All years"))] + [
            (str(y), fiscal_year_label(y)) for y in fiscal_years
        ]

    def filters(self) -> DashboardFilters:
        if not self.is_valid():
            return DashboardFilters()
        d = self.cleaned_data
        return DashboardFilters(
            # A unit is narrower than a branch: when both are chosen, the unit wins.
            unit_id=next((u.pk for u in (d.get("unit"), d.get("branch")) if u), None),
            evaluation_id=d["evaluation"].pk if d.get("evaluation") else None,
            fiscal_year=d.get("fiscal_year"),
            report_date=d.get("report_date"),
        )


class RoundOpenForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    period = forms.CharField(
        label=_("Period"), max_length=100, required=False, help_text=_("For example: Fall 2025.")
    )
    deadline = forms.DateField(
        label=_("Deadline for updates"), widget=forms.DateInput(attrs={"type": "date"})
    )


class UpdateLinkIssueForm(forms.Form):
    recipient_name = forms.CharField(label=_("Recipient's name"), max_length=150)
    recipient_email = forms.EmailField(
        label=_("Recipient's e-mail"),
        required=False,
        help_text=_("When given, Uptake e-mails the link; you can also copy it yourself."),
    )
    days = forms.IntegerField(
        label=_("Valid for (days)"), min_value=1, max_value=UPDATE_LINK_MAX_DAYS, initial=14
    )
    language = forms.ChoiceField(
        label=_("Language of the e-mail and the page"),
        choices=language_choices,
        # Left out (a script posting the form), it is the language of the sender's page.
        required=False,
        help_text=_("The recipient can still choose another language on the page."),
    )


class LinkUpdateForm(UpdateForm):
    """The focal point's update form, for someone without an account: the same fields and
    checks, without the live date check (it needs a signed-in person)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["revised_date_text"].widget = forms.TextInput()
