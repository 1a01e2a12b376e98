"""The upload form and the review form, built from the parsed document."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from uptake.accounts.models import Unit
from uptake.accounts.selectors import unit_find
from uptake.evaluations.checks import period_problem
from uptake.evaluations.models import Agreement

from .parsing import (
    ParsedAction,
    ParsedDocument,
    ParsedRecommendation,
    ParsedResponse,
    UnplacedText,
)
from .services import ImportChoices, UnitDecision, UnitProposal, unit_match, unit_proposals

UNIT_INPUT = {"list": "unit-options", "autocomplete": "off"}
CREATE, MAP = "create", "map"


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("Published management response"),
        help_text=_("A .txt, .html, .docx or .pdf file."),
    )
    language = forms.ChoiceField(
        label=_("Language"),
        required=False,
        choices=[("", _("Detect it")), ("en", _("English")), ("fr", _("French"))],
    )


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def find_line(lines: list[str], text: str | None, start: int, end: int) -> int | None:
    """The first line in START..END (1-based) where TEXT begins, to point at its source."""
    probe = " ".join((text or "").split())[:40]
    if not probe:
        return None
    start = max(start, 1)
    end = min(end or len(lines), len(lines))
    for number in range(start, end + 1):
        line = " ".join(lines[number - 1].split())
        if line and (probe in line or line in probe and len(line) > 10):
            return number
    return None


@dataclass
class ActionRow:
    prefix: str
    line: int | None
    match: Unit | None


@dataclass
class ResponseRow:
    prefix: str
    line: int | None
    match: Unit | None
    actions: list[ActionRow] = field(default_factory=list)


@dataclass
class RecommendationRow:
    prefix: str
    span: tuple[int, int]
    responses: list[ResponseRow] = field(default_factory=list)


class ReviewForm(forms.Form):
    """Every parsed field, editable; then a decision for each unit Uptake does not know."""

    def __init__(self, data: Mapping[str, Any] | None = None, *, document: ParsedDocument) -> None:
        super().__init__(data)
        self.document = document
        self.long_labels: dict[str, str] = {}
        lines = document.source_lines
        self.add("title", forms.CharField(label=_("Evaluation title"), max_length=500),
                 document.evaluation_title or document.title or document.source_name)  # fmt: skip
        self.add("program", forms.CharField(label=_("Program or country"), required=False,
                 max_length=300, help_text=_("Proposed when the title names a country, a region "
                                             "or a program. Change it, or leave it empty.")),
                 document.program)  # fmt: skip
        self.add("period", forms.CharField(label=_("Period covered"), required=False,
                 max_length=100, help_text=_("Fiscal years as written, for example 2016-17 to "
                                             "2021-22.")), document.period)  # fmt: skip
        self.rows: list[RecommendationRow] = []
        for i, rec in enumerate(document.recommendations):
            self.rows.append(self._recommendation(f"r{i}", rec, lines))
        self.unplaced_prefixes: list[tuple[str, UnplacedText]] = []
        for n, item in enumerate(document.unplaced):
            name = f"x{n}_text"
            self.add(name, forms.CharField(label=_("Unplaced text"), required=False,
                                           widget=forms.Textarea(attrs={"rows": 2})),
                     item.text, _("Unplaced text, lines %(start)d–%(end)d")
                     % {"start": item.line_span[0], "end": item.line_span[1]})  # fmt: skip
            self.unplaced_prefixes.append((name, item))
        # Unknown units come from what the reviewer typed, so a unit typed in place of
        # another gets its own decision.
        raw = {name: self[name].value() for name in self.fields}
        self.proposals: list[UnitProposal] = unit_proposals(self._document(raw))
        for proposal in self.proposals:
            self._unit_decision(proposal)
        # In the order of the page, which the error summary follows: the unplaced passages
        # and the new units come before the recommendations.
        self.order_fields(
            ["title", "program", "period"]
            + [name for name, _item in self.unplaced_prefixes]
            + [
                f"u_{proposal.key}_{part}"
                for proposal in self.proposals
                for part in ("choice", "map", "code", "name", "parent")
            ]
        )

    # Building ------------------------------------------------------------------------------

    def add(self, name: str, f: forms.Field, initial: Any = None, long: Any = None) -> None:
        f.initial = initial
        self.fields[name] = f
        self.long_labels[name] = str(long or f.label)

    def _recommendation(
        self, p: str, rec: ParsedRecommendation, lines: list[str]
    ) -> RecommendationRow:
        number = rec.number or "?"
        where = _("Recommendation %(number)s") % {"number": number}
        text = forms.Textarea(attrs={"rows": 3})
        self.add(f"{p}_number", forms.CharField(label=_("Number"), max_length=20), rec.number,
                 f"{where} · {_('Number')}")  # fmt: skip
        self.add(f"{p}_statement", forms.CharField(label=_("Statement"), widget=text),
                 rec.text, f"{where} · {_('Statement')}")  # fmt: skip
        self.add(f"{p}_body", forms.CharField(label=_("Body"), required=False,
                 widget=forms.Textarea(attrs={"rows": 3})), rec.body,
                 f"{where} · {_('Body')}")  # fmt: skip
        self.add(f"{p}_sub_points", forms.CharField(label=_("Sub-points, one per line"),
                 required=False, widget=forms.Textarea(attrs={"rows": 3})),
                 "\n".join(rec.sub_points), f"{where} · {_('Sub-points')}")  # fmt: skip
        self.add(f"{p}_notes", forms.CharField(label=_("Notes kept with the recommendation"),
                 required=False, widget=forms.Textarea(attrs={"rows": 2})),
                 "\n".join(rec.notes), f"{where} · {_('Notes')}")  # fmt: skip
        row = RecommendationRow(prefix=p, span=rec.line_span)
        start, end = rec.line_span
        for j, resp in enumerate(rec.responses):
            row.responses.append(self._response(f"{p}_p{j}", where, resp, lines, start, end))
        return row

    def _response(
        self, p: str, where: str, resp: ParsedResponse, lines: list[str], start: int, end: int
    ) -> ResponseRow:
        unit_text = resp.unit or ""
        who = f"{where} · {unit_text or _('response')}"
        agreement_choices = [("", _("Choose…")), *Agreement.choices]
        self.add(f"{p}_unit", forms.CharField(label=_("Responding unit"), required=False,
                 max_length=300, widget=forms.TextInput(attrs=UNIT_INPUT),
                 help_text=_("Code or name. Leave empty to keep this response as a note.")),
                 unit_text, f"{who} · {_('Responding unit')}")  # fmt: skip
        self.add(f"{p}_agreement", forms.ChoiceField(label=_("Agreement"), required=False,
                 choices=agreement_choices), resp.agreement or "",
                 f"{who} · {_('Agreement')}")  # fmt: skip
        self.add(f"{p}_commitment", forms.CharField(label=_("Commitment"), required=False,
                 widget=forms.Textarea(attrs={"rows": 3})), resp.commitment,
                 f"{who} · {_('Commitment')}")  # fmt: skip
        self.add(f"{p}_rationale", forms.CharField(label=_("Rationale"), required=False,
                 widget=forms.Textarea(attrs={"rows": 2}),
                 help_text=_("Needed when the unit agrees only in part or disagrees; the "
                             "commitment is used when left empty.")),
                 resp.rationale, f"{who} · {_('Rationale')}")  # fmt: skip
        self.add(f"{p}_skip", forms.BooleanField(label=_("Leave this response out"),
                 required=False), False)  # fmt: skip
        line = find_line(lines, resp.commitment or resp.unit, start, end)
        row = ResponseRow(prefix=p, line=line, match=unit_match(unit_text) if unit_text else None)
        for k, action in enumerate(resp.actions):
            row.actions.append(self._action(f"{p}_a{k}", who, k, action, lines, start, end))
        return row

    def _action(
        self, p: str, who: str, k: int, action: ParsedAction, lines: list[str], s: int, e: int
    ) -> ActionRow:
        what = f"{who} · {_('Action %(n)d') % {'n': k + 1}}"
        centre = action.responsibility_centre or ""
        self.add(f"{p}_text", forms.CharField(label=_("Action"),
                 widget=forms.Textarea(attrs={"rows": 2})), action.text,
                 f"{what} · {_('Text')}")  # fmt: skip
        self.add(f"{p}_centre", forms.CharField(label=_("Responsibility centre"), required=False,
                 max_length=300, widget=forms.TextInput(attrs=UNIT_INPUT)), centre,
                 f"{what} · {_('Responsibility centre')}")  # fmt: skip
        self.add(f"{p}_date", forms.CharField(label=_("Target completion date, as written"),
                 required=False, max_length=100), action.target_date or "",
                 f"{what} · {_('Target completion date')}")  # fmt: skip
        self.add(f"{p}_deliverable", forms.CharField(label=_("Deliverable or evidence"),
                 required=False, widget=forms.Textarea(attrs={"rows": 2})),
                 action.deliverable or "", f"{what} · {_('Deliverable')}")  # fmt: skip
        self.add(f"{p}_skip", forms.BooleanField(label=_("Leave this action out"),
                 required=False), False)  # fmt: skip
        return ActionRow(
            prefix=p,
            line=find_line(lines, action.text, s, e),
            match=unit_match(centre) if centre else None,
        )

    def _unit_decision(self, proposal: UnitProposal) -> None:
        p = f"u_{proposal.key}"
        unit = proposal.texts[0]
        self.add(f"{p}_choice", forms.ChoiceField(label=_("What to do"), widget=forms.RadioSelect,
                 choices=[(CREATE, _("Create a new unit")),
                          (MAP, _("It is an existing unit"))]),
                 CREATE, _("Unit “%(unit)s” · What to do") % {"unit": unit})  # fmt: skip
        self.add(f"{p}_map", forms.CharField(label=_("Existing unit (code or name)"),
                 required=False, max_length=300, widget=forms.TextInput(attrs=UNIT_INPUT)),
                 "", _("Unit “%(unit)s” · Existing unit") % {"unit": unit})  # fmt: skip
        self.add(f"{p}_code", forms.CharField(label=_("New unit's code"), required=False,
                 max_length=40), proposal.code,
                 _("Unit “%(unit)s” · New unit's code") % {"unit": unit})  # fmt: skip
        self.add(f"{p}_name", forms.CharField(label=_("New unit's English name"),
                 required=False, max_length=300), proposal.name,
                 _("Unit “%(unit)s” · New unit's name") % {"unit": unit})  # fmt: skip
        self.add(f"{p}_parent", forms.CharField(label=_("New unit's parent (code or name)"),
                 required=False, max_length=300, widget=forms.TextInput(attrs=UNIT_INPUT),
                 help_text=_("The unit it belongs to. Leave empty to place it at the top of "
                             "the hierarchy.")),
                 proposal.parent.code if proposal.parent else "",
                 _("Unit “%(unit)s” · New unit's parent") % {"unit": unit})  # fmt: skip

    # Reading -------------------------------------------------------------------------------

    def _document(self, v: Mapping[str, Any]) -> ParsedDocument:
        """The document as the reviewer left it: skipped items out, edits in."""
        recs: list[ParsedRecommendation] = []
        for row, rec in zip(self.rows, self.document.recommendations, strict=True):
            p = row.prefix
            responses: list[ParsedResponse] = []
            for resp_row, resp in zip(row.responses, rec.responses, strict=True):
                q = resp_row.prefix
                if v.get(f"{q}_skip"):
                    continue
                actions = [
                    ParsedAction(
                        text=(v.get(f"{a.prefix}_text") or "").strip(),
                        responsibility_centre=(v.get(f"{a.prefix}_centre") or "").strip() or None,
                        target_date=(v.get(f"{a.prefix}_date") or "").strip() or None,
                        deliverable=(v.get(f"{a.prefix}_deliverable") or "").strip() or None,
                    )
                    for a in resp_row.actions
                    if not v.get(f"{a.prefix}_skip")
                ]
                responses.append(
                    ParsedResponse(
                        unit=(v.get(f"{q}_unit") or "").strip() or None,
                        agreement=v.get(f"{q}_agreement") or None,
                        commitment=(v.get(f"{q}_commitment") or "").strip(),
                        rationale=(v.get(f"{q}_rationale") or "").strip(),
                        actions=actions,
                        target_dates=resp.target_dates if not actions else [],
                        notes=resp.notes,
                    )
                )
            recs.append(
                ParsedRecommendation(
                    number=(v.get(f"{p}_number") or "").strip() or None,
                    text=(v.get(f"{p}_statement") or "").strip(),
                    body=(v.get(f"{p}_body") or "").strip(),
                    sub_points=_lines(v.get(f"{p}_sub_points") or ""),
                    responses=responses,
                    notes=_lines(v.get(f"{p}_notes") or ""),
                    line_span=rec.line_span,
                    action_count=rec.action_count,
                )
            )
        unplaced = [
            UnplacedText((v.get(name) or "").strip(), item.line_span)
            for name, item in self.unplaced_prefixes
            if (v.get(name) or "").strip()
        ]
        return ParsedDocument(
            title=self.document.title,
            evaluation_title=(v.get("title") or "").strip() or None,
            period=(v.get("period") or "").strip(),
            program=(v.get("program") or "").strip(),
            language=self.document.language,
            recommendations=recs,
            unplaced=unplaced,
            source_lines=self.document.source_lines,
            source_name=self.document.source_name,
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        numbers: dict[str, str] = {}
        for row in self.rows:
            number = (data.get(f"{row.prefix}_number") or "").strip()
            if number and number in numbers:
                self.add_error(
                    f"{row.prefix}_number",
                    _("Recommendation %(number)s appears twice: give each its own number.")
                    % {"number": number},
                )
            numbers.setdefault(number, row.prefix)
            for resp in row.responses:
                q = resp.prefix
                if data.get(f"{q}_skip") or not (data.get(f"{q}_unit") or "").strip():
                    continue
                if not data.get(f"{q}_agreement"):
                    self.add_error(
                        f"{q}_agreement",
                        _("The document does not say whether %(unit)s agrees: choose one.")
                        % {"unit": data[f"{q}_unit"]},
                    )
        new_codes: set[str] = set()
        for proposal in self.proposals:
            p = f"u_{proposal.key}"
            choice = data.get(f"{p}_choice")
            if choice == MAP:
                text = (data.get(f"{p}_map") or "").strip()
                if not text:
                    self.add_error(f"{p}_map", _("Type the code or name of the existing unit."))
                elif self._existing(text) is None:
                    self.add_error(f"{p}_map", _("No unit matches “%(text)s”.") % {"text": text})
            elif choice == CREATE:
                code = (data.get(f"{p}_code") or "").strip()
                if not code:
                    self.add_error(f"{p}_code", _("Give the new unit a code."))
                elif Unit.objects.filter(code__iexact=code).exists():
                    self.add_error(
                        f"{p}_code",
                        _("A unit with the code %(code)s exists: choose “existing unit”.")
                        % {"code": code},
                    )
                elif code.upper() in new_codes:
                    self.add_error(
                        f"{p}_code", _("Two new units cannot share the code %(code)s.")
                        % {"code": code},
                    )  # fmt: skip
                new_codes.add(code.upper())
                parent = (data.get(f"{p}_parent") or "").strip()
                if parent and self._existing(parent) is None:
                    self.add_error(
                        f"{p}_parent", _("No unit matches “%(text)s”.") % {"text": parent}
                    )
        return data

    def clean_period(self) -> str:
        period: str = self.cleaned_data.get("period") or ""
        problem = period_problem(period)
        if problem:
            raise forms.ValidationError(problem)
        return period

    @staticmethod
    def _existing(text: str) -> Unit | None:
        return Unit.objects.filter(code__iexact=text).first() or unit_find(text)

    def reviewed_document(self) -> ParsedDocument:
        return self._document(self.cleaned_data)

    def choices(self) -> ImportChoices:
        decisions: dict[str, UnitDecision] = {}
        for proposal in self.proposals:
            p = f"u_{proposal.key}"
            if self.cleaned_data.get(f"{p}_choice") == MAP:
                unit = self._existing(self.cleaned_data[f"{p}_map"].strip())
                decisions[proposal.key] = UnitDecision(unit=unit)
            else:
                parent = (self.cleaned_data.get(f"{p}_parent") or "").strip()
                decisions[proposal.key] = UnitDecision(
                    code=self.cleaned_data.get(f"{p}_code") or proposal.code,
                    name=self.cleaned_data.get(f"{p}_name") or proposal.name,
                    parent=self._existing(parent) if parent else None,
                )
        return ImportChoices(units=decisions, create_units=False)

    def summary_label(self, name: str) -> str:
        """The field NAME as the error summary names it: with the recommendation, response or
        unit it belongs to, as many fields share a label (uptake.core.forms.form_problems)."""
        return self.long_labels.get(name) or str(self.fields[name].label)

    # For the template -----------------------------------------------------------------------

    def layout(self) -> list[dict[str, Any]]:
        """The recommendations with their bound fields, in document order."""
        out: list[dict[str, Any]] = []
        for row in self.rows:
            p = row.prefix
            rec = {
                n: self[f"{p}_{n}"] for n in ("number", "statement", "body", "sub_points", "notes")
            }
            rec["row"] = row
            rec["responses"] = []
            for resp in row.responses:
                q = resp.prefix
                r = {
                    n: self[f"{q}_{n}"]
                    for n in ("unit", "agreement", "commitment", "rationale", "skip")
                }
                r["row"] = resp
                r["actions"] = [
                    {"row": a}
                    | {
                        n: self[f"{a.prefix}_{n}"]
                        for n in ("text", "centre", "date", "deliverable", "skip")
                    }
                    for a in resp.actions
                ]
                rec["responses"].append(r)
            out.append(rec)
        return out

    def unit_rows(self) -> list[dict[str, Any]]:
        return [
            {"proposal": proposal}
            | {
                n: self[f"u_{proposal.key}_{n}"]
                for n in ("choice", "map", "code", "name", "parent")
            }
            for proposal in self.proposals
        ]

    def unplaced_rows(self) -> list[dict[str, Any]]:
        return [{"item": item, "field": self[name]} for name, item in self.unplaced_prefixes]
