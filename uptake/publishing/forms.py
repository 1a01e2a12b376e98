from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from uptake.core.forms import version_field


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


class PublicFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    year = forms.TypedChoiceField(label=_("Year"), required=False, coerce=int, empty_value=None)
    unit = forms.ChoiceField(label=_("Responsible unit"), required=False)
    program = forms.ChoiceField(label=_("Program or country"), required=False)

    def __init__(self, *args: Any, choices: dict[str, list[Any]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [("", _("Any year")), *((y, y) for y in choices["years"])]
        self.fields["unit"].choices = [("", _("Any unit")), *((u, u) for u in choices["units"])]
        self.fields["program"].choices = [
            ("", _("Any program or country")),
            *((p, p) for p in choices["programs"]),
        ]


# What the translation page offers, per kind of object: (field, its English twin, French label).
# The labels are the French names of the fields: the person filling them in writes French.
TRANSLATED_FIELDS = {
    "evaluation": [("title_fr", "title_en", "Titre (français)")],
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
                if hasattr(obj, "version"):
                    # The version the page was opened on: a later save by someone else conflicts.
                    self.fields[f"{kind}-{obj.pk}-version"] = version_field(initial=obj.version)
                    self.versions[(type(obj).__name__, obj.pk)] = f"{kind}-{obj.pk}-version"

    def groups(self) -> list[tuple[str, list[forms.BoundField]]]:
        """Each object's heading with its French fields, in reading order."""
        return [(heading, [self[name] for name in names]) for heading, names in self.headings]

    def changes(self) -> list[tuple[Any, dict[str, str], int | None, dict[str, str]]]:
        """Each object with the French fields the person changed on it, the version of it the
        page was opened on, and those fields' text as the page showed it (what an object
        without a version is checked against)."""
        per_object: dict[tuple[str, int], tuple[Any, dict[str, str], int | None, dict[str, str]]]
        per_object = {}
        for name, (obj, field) in self.targets.items():
            if name not in self.changed_data:
                continue
            key = (type(obj).__name__, obj.pk)
            version = self.cleaned_data.get(self.versions[key]) if key in self.versions else None
            entry = per_object.setdefault(key, (obj, {}, version, {}))
            entry[1][field] = self.cleaned_data.get(name, "")
            if self.add_initial_prefix(name) in self.data:  # a page posts it; a script may not
                entry[3][field] = str(self.data[self.add_initial_prefix(name)])
        return list(per_object.values())
