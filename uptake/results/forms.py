"""Forms check the shape of what people type; the services decide whether it is allowed."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from uptake.core.forms import version_field
from uptake.evaluations.models import Action, Recommendation

from .models import (
    Indicator,
    InvestmentLine,
    NarrativeSection,
    Period,
    Result,
    Strategy,
    StrategyState,
)

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

WIDE = {"size": 80}


class StrategyForm(forms.ModelForm):
    version = version_field()

    class Meta:
        model = Strategy
        fields = [
            "kind",
            "title_en",
            "title_fr",
            "subject",
            "country_code",
            "start_year",
            "end_year",
        ]
        widgets = {"title_en": forms.TextInput(attrs=WIDE), "title_fr": forms.TextInput(attrs=WIDE)}


class StrategyFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    state = forms.ChoiceField(
        label=_("State"), required=False, choices=[("", _("Any"))] + StrategyState.choices
    )


class SectionForm(forms.ModelForm):
    version = version_field()

    class Meta:
        model = NarrativeSection
        fields = ["position", "heading_en", "heading_fr", "body_en", "body_fr"]
        widgets = {
            "body_en": forms.Textarea(attrs={"rows": 8}),
            "body_fr": forms.Textarea(attrs={"rows": 8}),
        }


class InvestmentForm(forms.ModelForm):
    version = version_field()

    class Meta:
        model = InvestmentLine
        fields = ["fiscal_year", "description", "amount", "currency", "position"]


class ResultForm(forms.ModelForm):
    version = version_field()

    class Meta:
        model = Result
        fields = ["statement_en", "statement_fr"]
        widgets = {
            "statement_en": forms.Textarea(attrs={"rows": 3}),
            "statement_fr": forms.Textarea(attrs={"rows": 3}),
        }


class MoveForm(forms.Form):
    parent = forms.ModelChoiceField(
        label=_("Place under"),
        queryset=Result.objects.none(),
        required=False,
        empty_label=_("(top level: ultimate outcome)"),
    )
    position = forms.IntegerField(
        label=_("Position"), min_value=1, max_value=9, help_text=_("1 puts it first.")
    )
    version = version_field()

    def __init__(self, *args: Any, result: Result, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["parent"]
        assert isinstance(field, forms.ModelChoiceField)  # noqa: S101
        field.queryset = Result.objects.filter(
            strategy_id=result.strategy_id, level=result.level - 1
        ).order_by("code")
        field.label_from_instance = lambda r: f"{r.code} {r.statement_en[:90]}"  # type: ignore[method-assign]


class IndicatorForm(forms.ModelForm):
    version = version_field()

    class Meta:
        model = Indicator
        fields = [
            "text_en",
            "text_fr",
            "measure",
            "ascending",
            "cumulative",
            "baseline_value",
            "baseline_text",
            "baseline_year",
            "data_sources",
            "collection_method",
            "frequency",
            "responsibility",
        ]
        widgets = {
            "text_en": forms.Textarea(attrs={"rows": 2}),
            "text_fr": forms.Textarea(attrs={"rows": 2}),
            "baseline_text": forms.Textarea(attrs={"rows": 2}),
            "data_sources": forms.Textarea(attrs={"rows": 2}),
            "collection_method": forms.Textarea(attrs={"rows": 2}),
        }


class PeriodForm(forms.ModelForm):
    version = version_field()

    class Meta:
        model = Period
        fields = ["name", "start", "end"]
        widgets = {
            "start": forms.DateInput(attrs={"type": "date"}),
            "end": forms.DateInput(attrs={"type": "date"}),
        }


class TargetsForm(forms.Form):
    """One field per period: a number, or words for a qualitative indicator."""

    def __init__(
        self, *args: Any, indicator: Indicator, periods: list[Period], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.periods = periods
        for period in periods:
            label = _("Target for %(period)s") % {"period": period.name}
            field: forms.Field
            if indicator.is_qualitative:
                field = forms.CharField(
                    label=label, required=False, widget=forms.Textarea(attrs={"rows": 2})
                )
            else:
                field = forms.DecimalField(
                    label=label, required=False, max_digits=18, decimal_places=4
                )
            if period.locked:
                # Read-only, not disabled: a disabled field drops what a form opened before
                # the lock sent for it, and the service must see it to refuse the change.
                field.widget.attrs["readonly"] = True
                field.help_text = _("This period is locked.")
            self.fields[f"period_{period.pk}"] = field
            # The version of the period's target as shown, 0 when it had none.
            self.fields[f"version_{period.pk}"] = version_field()


class ActualForm(forms.Form):
    period = forms.ModelChoiceField(label=_("Period"), queryset=Period.objects.none())
    value = forms.DecimalField(
        label=_("Actual value"), required=False, max_digits=18, decimal_places=4
    )
    text = forms.CharField(
        label=_("Actual (in words)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For qualitative indicators."),
    )
    variance_explanation = forms.CharField(
        label=_("Explanation of the variance"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when the actual differs from the target."),
    )
    version = version_field()

    def __init__(self, *args: Any, indicator: Indicator, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["period"]
        assert isinstance(field, forms.ModelChoiceField)  # noqa: S101
        # Only periods an actual can be reported for: open, and already started.
        field.queryset = Period.objects.filter(
            strategy_id=indicator.result.strategy_id,
            locked=False,
            start__lte=timezone.localdate(),
        ).order_by("start")
        field.help_text = _("Locked periods and periods that have not started are not listed.")
        if indicator.is_qualitative:
            del self.fields["value"]
        else:
            del self.fields["text"]


class CommentForm(forms.Form):
    comment = forms.CharField(
        label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


def short(text: str, limit: int) -> str:
    """TEXT on one line, cut at a space to at most LIMIT characters with an ellipsis."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    head = text[: limit - 1]
    if " " in head:
        head = head.rsplit(" ", 1)[0]
    return head.rstrip(" ,;:·-") + "…"


BIGGEST_ID = 2**63 - 1


class PickedField(forms.ModelChoiceField):
    """A choice posted as an id; a bad one is refused with a message naming what is wrong."""

    def __init__(
        self,
        *args: Any,
        not_an_id: StrOrPromise,
        missing: StrOrPromise,
        elsewhere: StrOrPromise = "",
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.not_an_id, self.missing, self.elsewhere = not_an_id, missing, elsewhere

    def to_python(self, value: Any) -> Any:
        if value in self.empty_values:
            return None
        text = str(value).strip()
        if not text.isdigit():
            raise forms.ValidationError(
                str(self.not_an_id) % {"value": text}, code="invalid_choice"
            )
        queryset = self.queryset
        assert queryset is not None  # noqa: S101 - set in the form's __init__
        number = int(text)
        found = queryset.filter(pk=number).first() if number <= BIGGEST_ID else None
        if found is None:
            model = queryset.model
            if (
                self.elsewhere
                and number <= BIGGEST_ID
                and model._default_manager.filter(pk=number).exists()
            ):
                raise forms.ValidationError(self.elsewhere, code="invalid_choice")
            raise forms.ValidationError(str(self.missing) % {"value": text}, code="invalid_choice")
        return found


class LinkForm(forms.Form):
    action = PickedField(
        label=_("Action"),
        queryset=Action.objects.none(),
        required=False,
        not_an_id=_("“%(value)s” is not an action number: choose an action from the list."),
        missing=_("No action has number %(value)s."),
    )
    recommendation = PickedField(
        label=_("Recommendation"),
        queryset=Recommendation.objects.none(),
        required=False,
        not_an_id=_(
            "“%(value)s” is not a recommendation identifier: choose a recommendation from the list."
        ),
        missing=_("No recommendation has the identifier %(value)s."),
    )
    indicator = PickedField(
        label=_("Indicator (optional)"),
        queryset=Indicator.objects.none(),
        required=False,
        help_text=_("Leave empty to link to the result as a whole."),
        not_an_id=_(
            "“%(value)s” is not an indicator identifier: choose an indicator from the list."
        ),
        missing=_("No indicator has the identifier %(value)s."),
        elsewhere=_("That indicator belongs to another result."),
    )

    def __init__(self, *args: Any, result: Result, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from .selectors import linkable_actions

        action = self.fields["action"]
        rec = self.fields["recommendation"]
        indicator = self.fields["indicator"]
        assert isinstance(action, forms.ModelChoiceField)  # noqa: S101
        assert isinstance(rec, forms.ModelChoiceField)  # noqa: S101
        assert isinstance(indicator, forms.ModelChoiceField)  # noqa: S101
        action.queryset = linkable_actions()
        action.label_from_instance = lambda a: (  # type: ignore[method-assign,assignment]
            f"{short(a.response.recommendation.evaluation.title_en, 50)} · "
            f"{a.response.recommendation.number} · {a.response.unit.code}: {short(a.text, 70)}"
        )
        rec.queryset = Recommendation.objects.select_related("evaluation").order_by(
            "evaluation_id", "sort_key", "id"
        )
        rec.label_from_instance = lambda r: (  # type: ignore[method-assign,assignment]
            f"{short(r.evaluation.title_en, 50)} · {r.number}: {short(r.statement, 80)}"
        )
        indicator.queryset = result.indicators.order_by("position")
        indicator.label_from_instance = lambda i: f"{i.label} {short(i.text_en, 90)}"  # type: ignore[method-assign,assignment]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if "action" in self.errors or "recommendation" in self.errors:
            return data  # the field's own message says what is wrong
        if data.get("action") and data.get("recommendation"):
            raise forms.ValidationError(_("Choose either an action or a recommendation, not both."))
        if not data.get("action") and not data.get("recommendation"):
            raise forms.ValidationError(_("Choose an action or a recommendation."))
        return data


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Workbook (.xlsx)"),
        help_text=_("Fill in the import template: results, periods, indicators and targets."),
    )
