"""Forms check the shape of what people type; the services decide whether it is allowed."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.forms import BoundField
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from uptake.accounts.models import Unit
from uptake.accounts.selectors import unit_find
from uptake.core.forms import version_field

from .checks import approval_date_problem, period_problem, rationale_problem
from .models import ActionStatus, Agreement, ClosureReason, Evaluation
from .target_dates import parse_target_date

# Inline validation: as the person types a date, the page shows the due date Uptake reads.
TARGET_DATE_CHECK = {
    "hx-get": reverse_lazy("evaluations:check_target_date"),
    "hx-trigger": "input changed delay:400ms",
    "hx-target": "#target-date-check",
}


class InstantCheckBoundField(BoundField):
    """A field described by its error, its help text and then the area its instant check
    (`hx-target`) fills. Django's own ids are kept: setting `aria-describedby` on the widget
    would instead replace them, and a screen reader would say "invalid" without the reason."""

    @property
    def aria_describedby(self) -> str:
        ids = (super().aria_describedby or "").split()
        # The error first: it is what the person came back to fix.
        ids.sort(key=lambda id_: not id_.endswith("_error"))
        target = str(self.field.widget.attrs.get("hx-target", ""))
        if target.startswith("#"):
            ids.append(target[1:])
        return " ".join(ids)


class VersionedForm(forms.Form):
    """Carries the version of the object the form was opened on (optimistic concurrency)."""

    version = version_field()


def _french(widget: forms.Widget) -> forms.Widget:
    widget.attrs["lang"] = "fr"
    return widget


class BilingualForm(VersionedForm):
    """A form whose content fields come in English and French, edited side by side.

    The French fields are labelled in French (they are the French version, whatever the
    interface language), so that each label names one field only.
    """

    # English field name → its French counterpart.
    bilingual: dict[str, str] = {}

    def rows(self) -> list[tuple[forms.BoundField, forms.BoundField | None]]:
        french = set(self.bilingual.values())
        return [
            (field, self[self.bilingual[field.name]] if field.name in self.bilingual else None)
            for field in self.visible_fields()
            if field.name not in french
        ]


class EvaluationForm(forms.ModelForm):
    version = version_field()

    class Meta:
        model = Evaluation
        fields = [
            "title_en",
            "title_fr",
            "program",
            "program_fr",
            "period",
            "evaluation_type",
            "evaluation_unit",
            "approval_date",
            "report_url",
            "summary_url",
            "pdf_url",
        ]
        widgets = {
            "approval_date": forms.DateInput(attrs={"type": "date"}),
            "title_en": forms.TextInput(attrs={"size": 80}),
            "title_fr": forms.TextInput(attrs={"size": 80}),
        }

    # The service checks the same (for the API and the console); checking here as well puts
    # every problem on its field at once, not one per attempt.
    def clean_period(self) -> str:
        period: str = self.cleaned_data["period"]
        problem = period_problem(period)
        if problem:
            raise forms.ValidationError(problem)
        return period

    def clean_approval_date(self) -> datetime.date | None:
        day: datetime.date | None = self.cleaned_data["approval_date"]
        problem = approval_date_problem(day)
        if problem:
            raise forms.ValidationError(problem)
        return day


class RecommendationForm(BilingualForm):
    number = forms.CharField(label=_("Number"), max_length=20)
    statement = forms.CharField(label=_("Statement"), widget=forms.Textarea(attrs={"rows": 3}))
    body = forms.CharField(
        label=_("Body"), required=False, widget=forms.Textarea(attrs={"rows": 5})
    )
    sub_points = forms.CharField(
        label=_("Sub-points"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One per line, for example: a) fund maintenance."),
    )
    statement_fr = forms.CharField(
        label="Énoncé (français)",
        required=False,
        widget=_french(forms.Textarea(attrs={"rows": 3})),
    )
    body_fr = forms.CharField(
        label="Corps du texte (français)",
        required=False,
        widget=_french(forms.Textarea(attrs={"rows": 5})),
    )
    sub_points_fr = forms.CharField(
        label="Sous-points (français)",
        required=False,
        widget=_french(forms.Textarea(attrs={"rows": 4})),
    )
    bilingual = {"statement": "statement_fr", "body": "body_fr", "sub_points": "sub_points_fr"}

    def sub_point_list(self) -> list[str]:
        return [line for line in self.cleaned_data["sub_points"].splitlines() if line.strip()]

    def sub_point_list_fr(self) -> list[str]:
        return [line for line in self.cleaned_data["sub_points_fr"].splitlines() if line.strip()]


class UnitField(forms.CharField):
    """A unit typed as documents write it: a code, a name, or "Name (CODE)"."""

    widget = forms.TextInput(attrs={"list": "unit-options", "autocomplete": "off"})

    def clean(self, value: Any) -> Unit | None:  # type: ignore[override]
        text = super().clean(value)
        if not text:
            return None
        unit = unit_find(text)
        if unit is None:
            raise forms.ValidationError(
                _("No unit matches “%(text)s”. Type its code (for example HWP) or its full name."),
                params={"text": text},
            )
        return unit


class ResponseForm(BilingualForm):
    unit = UnitField(label=_("Responding unit"), help_text=_("Code or name, for example HWP."))
    agreement = forms.ChoiceField(label=_("Agreement"), choices=Agreement.choices)
    commitment = forms.CharField(
        label=_("Commitment"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    rationale = forms.CharField(
        label=_("Rationale"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when the unit agrees only in part or disagrees."),
    )
    commitment_fr = forms.CharField(
        label="Engagement (français)",
        required=False,
        widget=_french(forms.Textarea(attrs={"rows": 4})),
    )
    rationale_fr = forms.CharField(
        label="Justification (français)",
        required=False,
        widget=_french(forms.Textarea(attrs={"rows": 3})),
    )
    bilingual = {"commitment": "commitment_fr", "rationale": "rationale_fr"}

    # The service checks the same; checking here as well reports a missing reason together
    # with any other problem (an unknown unit), not on the next attempt.
    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean() or {}
        problem = rationale_problem(cleaned.get("agreement", ""), cleaned.get("rationale", ""))
        if problem:
            self.add_error("rationale", problem)
        return cleaned


class ActionForm(BilingualForm):
    text = forms.CharField(label=_("Action"), widget=forms.Textarea(attrs={"rows": 3}))
    deliverable = forms.CharField(
        label=_("Deliverable or evidence"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    unit = UnitField(
        label=_("Responsibility centre"),
        required=False,
        help_text=_("Leave empty for the responding unit."),
    )
    role = forms.CharField(label=_("Role"), required=False, max_length=300)
    target_date_text = forms.CharField(
        label=_("Target completion date"),
        max_length=100,
        widget=forms.TextInput(attrs=TARGET_DATE_CHECK),
        bound_field_class=InstantCheckBoundField,
        help_text=_("As written in the plan: June 2021, Q3 2021-22, 2021-22, Fall 2023, Ongoing."),
    )
    text_fr = forms.CharField(
        label="Mesure (français)",
        required=False,
        widget=_french(forms.Textarea(attrs={"rows": 3})),
    )
    deliverable_fr = forms.CharField(
        label="Livrable ou preuve (français)",
        required=False,
        widget=_french(forms.Textarea(attrs={"rows": 2})),
    )
    role_fr = forms.CharField(
        label="Rôle (français)", required=False, max_length=300, widget=_french(forms.TextInput())
    )
    bilingual = {"text": "text_fr", "deliverable": "deliverable_fr", "role": "role_fr"}

    def clean_target_date_text(self) -> str:
        text: str = self.cleaned_data["target_date_text"]
        target = parse_target_date(text)
        if target.problem:
            raise forms.ValidationError(target.problem)
        return text


class CommentForm(forms.Form):
    comment = forms.CharField(
        label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class CloseRecommendationForm(forms.Form):
    reason = forms.ChoiceField(label=_("Reason"), choices=ClosureReason.choices)
    note = forms.CharField(
        label=_("Decision and reasons"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required for a closure by decision."),
    )


class WithdrawActionForm(forms.Form):
    status = forms.ChoiceField(
        label=_("New status"),
        choices=[(s.value, s.label) for s in (ActionStatus.CANCELLED, ActionStatus.SUPERSEDED)],
    )
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))


class EvaluationFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    state = forms.ChoiceField(label=_("State"), required=False)
    program = forms.CharField(label=_("Program or country"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from .models import EvaluationState

        self.fields["state"].choices = [("", _("Any state")), *EvaluationState.choices]
