from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from uptake.evaluations.forms import TARGET_DATE_CHECK, InstantCheckBoundField
from uptake.evaluations.models import Action

from .services import REPORTABLE_STATUSES, EvidenceLink, file_size, update_problems


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def clean(self, data: object, initial: object = None) -> list[object]:  # type: ignore[override]
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []


def _evidence_files_help() -> str:
    # Read when shown, not at import: the limits are settings an instance may change.
    return _("Accepted: %(types)s; at most %(size)s a file.") % {
        "types": ", ".join(settings.EVIDENCE_ALLOWED_EXTENSIONS),
        "size": file_size(settings.EVIDENCE_MAX_BYTES),
    }


evidence_files_help = lazy(_evidence_files_help, str)()


class UpdateForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"), choices=[(s.value, s.label) for s in REPORTABLE_STATUSES]
    )
    narrative = forms.CharField(
        label=_("Progress since the last update"), widget=forms.Textarea(attrs={"rows": 6})
    )
    files = MultipleFileField(
        label=_("Evidence files"),
        required=False,
        widget=MultipleFileInput(attrs={"multiple": True}),
        help_text=evidence_files_help,
    )
    links = forms.CharField(
        label=_("Evidence links"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("One web address per line; a description may follow after a space."),
    )
    revised_date_text = forms.CharField(
        label=_("Request a revised target date"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs=TARGET_DATE_CHECK),
        bound_field_class=InstantCheckBoundField,
        help_text=_("Only if the current date cannot be met, for example March 2027."),
    )
    revised_date_justification = forms.CharField(
        label=_("Why the date must move"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def ask_for_files_again(self) -> None:
        """On a form shown again with errors, name the files the person chose: a browser
        cannot refill a file input, so they would otherwise be dropped without a word.
        Files the form refused already carry their own error and are not asked for again."""
        if not self.is_bound or not self.errors or "files" in self.errors:
            return
        names = [f.name for f in self.files.getlist("files") if f.name]
        if names:
            self.add_error(
                "files",
                _("Attach %(names)s again: a page shown again cannot keep the files you chose.")
                % {"names": ", ".join(names)},
            )

    def evidence_links(self) -> list[EvidenceLink]:
        return _links_in(self.cleaned_data["links"])

    def add_the_rest_of_the_problems(self, action: Action) -> None:
        """On a form its own checks refused (a field left empty, say), the problems the
        service would find in the rest of what was typed: a refused file, a bad link or date.
        Otherwise the person fixes the first and only then hears of the others."""
        if not self.is_bound:  # an empty POST: nothing was typed to check
            return
        problems, _revised = update_problems(
            action,
            status=self.data.get("status", ""),
            narrative=self.data.get("narrative", ""),
            files=[f for f in self.files.getlist("files") if f.name],
            links=_links_in(self.data.get("links", "")),
            revised_date_text=self.data.get("revised_date_text", ""),
            revised_date_justification=self.data.get("revised_date_justification", ""),
        )
        for field, message in problems:
            # A field the form already refused says so once, in the form's words.
            if field not in self.errors:
                self.add_error(field, message)


def _links_in(text: str) -> list[EvidenceLink]:
    """Each line of TEXT as a link: a web address, then an optional description."""
    links = []
    for line in text.splitlines():
        if line.strip():
            url, _sep, label = line.strip().partition(" ")
            links.append(EvidenceLink(url=url, label=label))
    return links


class ReviewForm(forms.Form):
    comment = forms.CharField(
        label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
