from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from uptake.core.forms import version_field

from .languages import pick


class PublishForm(forms.Form):
    languages = forms.MultipleChoiceField(
        label=_("Languages"),
        choices=[("en", _("English")), ("fr", _("French"))],
        widget=forms.CheckboxSelectMultiple,
        initial=["en", "fr"],
        help_text=_("English is always published; French where the content is translated."),
    )
    show_status = forms.BooleanField(
        label=_("Show each action's implementation status"), required=False
    )
    status_as_of = forms.DateField(
        label=_("Status as of"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Leave empty for today."),
    )


class UnpublishForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for withdrawal"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


# A filter's value that is no longer offered (an old bookmark's year or unit): the list
# ignores that filter only, and says so next to it.
_IGNORED = {
    "invalid_choice": _(
        "“%(value)s” is not one of the choices, so this filter was ignored and the others "
        "were applied."
    )
}


def unit_label(code: str, names: dict[str, str] | None, language: str) -> str:
    """A unit as the public reads it: "Name (CODE)" in LANGUAGE (else in English), or the
    code alone when no name is known."""
    name = pick(names, language).text
    return f"{name} ({code})" if name else code


class PublicFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    year = forms.TypedChoiceField(
        label=_("Year"), required=False, coerce=int, empty_value=None, error_messages=_IGNORED
    )
    unit = forms.ChoiceField(label=_("Responsible unit"), required=False, error_messages=_IGNORED)
    program = forms.ChoiceField(
        label=_("Program or country"), required=False, error_messages=_IGNORED
    )

    def valid_filters(self) -> dict[str, Any]:
        """Every filter whose value is valid: an invalid one is left out, not the whole search."""
        if not self.is_bound:
            return {}
        self.is_valid()
        return dict(self.cleaned_data)

    def __init__(
        self, *args: Any, choices: dict[str, Any], language: str = "en", **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [("", _("Any year")), *((y, y) for y in choices["years"])]
        # Offered by name in the reader's language (a code alone means nothing to the public),
        # in the order of those names; the value stays the code.
        names = choices.get("unit_names", {})
        units = sorted(
            ((code, unit_label(code, names.get(code), language)) for code in choices["units"]),
            key=lambda choice: choice[1].casefold(),
        )
        self.fields["unit"].choices = [("", _("Any unit")), *units]
        self.fields["program"].choices = [
            ("", _("Any program or country")),
            *((p, p) for p in choices["programs"]),
        ]


# What the translation page offers, per kind of object: (field, its English twin, French label).
# The labels are the French names of the fields: the person filling them in writes French.
TRANSLATED_FIELDS = {
    "evaluation": [
        ("title_fr", "title_en", "Titre (français)"),
        ("program_fr", "program", "Programme ou pays (français)"),
    ],
    "recommendation": [
        ("statement_fr", "statement", "Énoncé (français)"),
        ("body_fr", "body", "Corps du texte (français)"),
    ],
    "subpoint": [("text_fr", "text", "Sous-point (français)")],
    "response": [
        ("commitment_fr", "commitment", "Engagement (français)"),
        ("rationale_fr", "rationale", "Justification (français)"),
    ],
    "action": [
        ("text_fr", "text", "Mesure (français)"),
        ("deliverable_fr", "deliverable", "Livrable ou preuve (français)"),
        ("role_fr", "role", "Rôle (français)"),
    ],
}


class TranslationForm(forms.Form):
    """One French field beside each English text of an evaluation's response (non-empty ones)."""

    def __init__(self, *args: Any, objects: list[tuple[str, Any, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.targets: dict[str, tuple[Any, str]] = {}
        self.headings: list[tuple[str, list[str]]] = []
        self.versions: dict[tuple[str, int], str] = {}
        for kind, obj, heading in objects:
            names: list[str] = []
            for field, english, label in TRANSLATED_FIELDS[kind]:
                source = getattr(obj, english)
                if not source:
                    continue
                name = f"{kind}-{obj.pk}-{field}"
                long = len(source) > 90 or "\n" in source
                # The English text, shown above the field, describes it for screen readers.
                attrs = {"lang": "fr", "aria-describedby": f"id_{name}_english"}
                self.fields[name] = forms.CharField(
                    label=label,
                    required=False,
                    initial=getattr(obj, field),
                    # The text as shown goes back too: only what the person changed is saved.
                    show_hidden_initial=True,
                    widget=(
                        forms.Textarea(attrs={**attrs, "rows": 3})
                        if long
                        else forms.TextInput(attrs={**attrs, "size": 60})
                    ),
                )
                self.fields[name].english = source  # type: ignore[attr-defined]
                self.targets[name] = (obj, field)
                names.append(name)
            if names:
                self.headings.append((heading, names))
                # The version the page was opened on: a later save by someone else conflicts.
                self.fields[f"{kind}-{obj.pk}-version"] = version_field(initial=obj.version)
                self.versions[(type(obj).__name__, obj.pk)] = f"{kind}-{obj.pk}-version"

    def groups(self) -> list[tuple[str, list[forms.BoundField]]]:
        """Each object's heading with its French fields, in reading order."""
        return [(heading, [self[name] for name in names]) for heading, names in self.headings]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        typed = self._typed_for_text_now_gone()
        if typed:
            raise forms.ValidationError(
                _(
                    "Part of this response was changed or removed after you opened the page, so "
                    "some of what you typed has no field left to go in: %(typed)s. Nothing was "
                    "saved: reload the page, then apply your changes again."
                )
                % {"typed": "; ".join(f"“{text}”" for text in typed)}
            )
        return cleaned

    def _typed_for_text_now_gone(self) -> list[str]:
        """What the person typed into French fields that the page no longer has: their object
        was removed (a draft's action deleted, sub-points rewritten) or its English emptied
        since the page was opened. Saving the rest would drop that text without a word."""
        typed = []
        for name in self.data:
            kind, _sep, rest = name.partition("-")
            pk, _sep, field = rest.partition("-")
            known = {f for f, _english, _label in TRANSLATED_FIELDS.get(kind, [])}
            if not pk.isdigit() or field not in known or name in self.fields:
                continue
            text = str(self.data[name]).strip()
            if text != str(self.data.get(self.add_initial_prefix(name), "")).strip():
                typed.append(text)
        return typed

    def changes(self) -> list[tuple[Any, dict[str, str], int | None]]:
        """Each object with the French fields the person changed on it and the version of it
        the page was opened on."""
        per_object: dict[tuple[str, int], tuple[Any, dict[str, str], int | None]] = {}
        for name, (obj, field) in self.targets.items():
            if name not in self.changed_data:
                continue
            key = (type(obj).__name__, obj.pk)
            version = self.cleaned_data.get(self.versions[key])
            entry = per_object.setdefault(key, (obj, {}, version))
            entry[1][field] = self.cleaned_data.get(name, "")
        return list(per_object.values())
