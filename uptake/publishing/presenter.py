"""A publication's snapshot shaped for readers in one language: what the public page, the PDF
and the Word file all show, in the order of a published management response."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from uptake.core.i18n import period_text
from uptake.evaluations.models import ActionStatus, Agreement, EvaluationType
from uptake.evaluations.target_dates import written_in

from .languages import Localized, as_pair, content_language, pick
from .models import Publication


@dataclass
class ActionView:
    number: int
    text: Localized
    deliverable: Localized
    unit_name: Localized
    unit_code: str
    role: Localized
    target: str  # "June 2021, revised to March 2022"
    status: str  # its label, or "" when the publication shows no status

    @property
    def responsibility(self) -> str:
        """Plain text, for files: "Highland Water Program (HWP), Program Director"."""
        text = f"{self.unit_name.text} ({self.unit_code})"
        return f"{text}, {self.role.text}" if self.role.text else text


@dataclass
class ResponseView:
    unit_name: Localized
    unit_code: str
    agreement: str
    commitment: Localized
    rationale: Localized
    actions: list[ActionView]

    @property
    def row_count(self) -> int:
        """Rows the response takes in the table: one per action, one when it has none."""
        return max(1, len(self.actions))

    @property
    def responsibilities(self) -> list[ActionView]:
        """One action per distinct responsibility centre, in order (for the layout's list)."""
        seen: dict[str, ActionView] = {}
        for action in self.actions:
            seen.setdefault(action.responsibility, action)
        return list(seen.values())


@dataclass
class RecommendationView:
    number: str
    statement: Localized
    body: Localized
    sub_points: list[tuple[str, Localized]]
    responses: list[ResponseView]

    @property
    def row_count(self) -> int:
        return sum(response.row_count for response in self.responses) or 1


@dataclass
class PublicResponse:
    publication: Publication
    language: str  # the reader's
    content_language: str  # the language content is shown in where it exists
    title: Localized
    program: Localized
    period: str
    type_label: str
    evaluation_unit: str
    approval_date: datetime.date | None
    links: list[tuple[str, str]]
    status_as_of: datetime.date | None
    recommendations: list[RecommendationView] = field(default_factory=list)

    @property
    def mark_gaps(self) -> bool:
        """Mark each field missing in the reader's language: only where content is published
        in it (a reader of a language content is never written in gets one note instead)."""
        return self.language != "en" and self.language in self.publication.languages

    @property
    def shown_in_other_language(self) -> bool:
        return self.language not in self.publication.languages


def target_text(written: str, revised: str, language: str | None = None) -> str:
    """The target date, and its revision if any, in LANGUAGE (the active one by default)
    where they are single dates ("juin 2021, révisée à mars 2022" on a French page): the
    record keeps them as written."""
    language = language or get_language() or "en"
    written = written_in(written, language)
    if revised:
        return _("%(original)s, revised to %(revised)s") % {
            "original": written,
            "revised": written_in(revised, language),
        }
    return written


def _label(choices: Any, value: str | None) -> str:
    if not value:
        return ""
    try:
        return str(choices(value).label)
    except ValueError:
        return value


def present(publication: Publication, language: str) -> PublicResponse:
    snap = publication.snapshot
    ev = snap["evaluation"]
    reader = (language or "en").split("-")[0]
    links = [
        (label, ev["links"].get(key) or "")
        for key, label in (("report", _("Report")), ("summary", _("Summary")), ("pdf", _("PDF")))
    ]
    view = PublicResponse(
        publication=publication,
        language=reader,
        content_language=content_language(reader),
        title=pick(ev["title"], reader),
        program=pick(as_pair(ev["program"]), reader),
        period=period_text(ev["period"]),
        type_label=_label(EvaluationType, ev["type"]),
        evaluation_unit=pick(
            ev.get("evaluation_unit_name") or {"en": ev["evaluation_unit"]}, reader
        ).text,
        approval_date=(
            datetime.date.fromisoformat(ev["approval_date"]) if ev["approval_date"] else None
        ),
        links=[(label, url) for label, url in links if url],
        status_as_of=(
            datetime.date.fromisoformat(snap["status_as_of"]) if snap["status_as_of"] else None
        ),
    )
    for rec in snap["recommendations"]:
        responses = []
        for resp in rec["responses"]:
            actions = [
                ActionView(
                    number=index,
                    text=pick(a["text"], reader),
                    deliverable=pick(a["deliverable"], reader),
                    unit_name=pick(a["responsibility"]["name"], reader),
                    unit_code=a["responsibility"]["code"],
                    role=pick(a["role"], reader),
                    target=target_text(a["target_date"], a["revised_target_date"], reader),
                    status=(
                        _label(ActionStatus, a["status"])
                        if a["status"] or not snap["status_as_of"]
                        # Shown as of a day before Uptake held a record of the action.
                        else _("Not recorded by that date")
                    ),
                )
                for index, a in enumerate(resp["actions"], start=1)
            ]
            responses.append(
                ResponseView(
                    unit_name=pick(resp["unit"]["name"], reader),
                    unit_code=resp["unit"]["code"],
                    agreement=_label(Agreement, resp["agreement"]),
                    commitment=pick(resp["commitment"], reader),
                    rationale=pick(resp["rationale"], reader),
                    actions=actions,
                )
            )
        view.recommendations.append(
            RecommendationView(
                number=rec["number"],
                statement=pick(rec["statement"], reader),
                body=pick(rec["body"], reader),
                sub_points=[(p["label"], pick(p["text"], reader)) for p in rec["sub_points"]],
                responses=responses,
            )
        )
    return view
