"""Reads for publishing: building a snapshot from the live tables (only when publishing), and
finding what is public (only from snapshots)."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import F, Max, OuterRef, Prefetch, QuerySet, Subquery, Value
from django.db.models.expressions import Combinable
from django.db.models.functions import Coalesce, NullIf, Upper
from django.utils import timezone

from uptake.accounts.models import Unit
from uptake.accounts.selectors import unit_find
from uptake.core.search import search_words
from uptake.evaluations.models import Action, Evaluation, Recommendation, Response

from .languages import pair
from .models import Publication

# 2: the program is in both languages ({"en", "fr"}); schema 1 stored it as English text, and
# readers take both (languages.as_pair).
SNAPSHOT_SCHEMA = 2


def _unit(unit: Unit) -> dict[str, Any]:
    return {"code": unit.code, "name": pair(unit.name_en, unit.name_fr)}


def action_states_as_of(action_ids: list[int], day: datetime.date) -> dict[int, dict[str, Any]]:
    """Each action's status, revised target date and due date at the end of DAY, read from its
    recorded history. An action with no record by then is absent."""
    end = timezone.make_aware(
        datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time.min)
    )
    states: dict[int, dict[str, Any]] = {}
    rows = (
        Action.history.filter(id__in=action_ids, history_date__lt=end)
        .order_by("id", "-history_date", "-history_id")
        .values("id", "status", "revised_target_text", "due_date")
    )
    for row in rows:
        states.setdefault(row["id"], row)
    return states


def publication_snapshot(
    evaluation: Evaluation, *, languages: list[str], status_as_of: datetime.date | None
) -> dict[str, Any]:
    """Exactly what a publication makes public, copied out of the live tables.

    French content is copied only when French is among LANGUAGES, so that a translation not
    yet approved for publication stays internal.
    """
    french = "fr" in languages

    def both(english: str, fr: str) -> dict[str, str]:
        return pair(english, fr if french else "")

    def unit(u: Unit) -> dict[str, Any]:
        data = _unit(u)
        data["name"] = both(u.name_en, u.name_fr)
        return data

    actions = Action.objects.select_related("unit").order_by("position", "id")
    recommendations = list(
        Recommendation.objects.filter(evaluation=evaluation)
        .prefetch_related(
            "sub_points",
            Prefetch(
                "responses",
                queryset=Response.objects.select_related("unit")
                .order_by("id")
                .prefetch_related(Prefetch("actions", queryset=actions)),
            ),
        )
        .order_by("sort_key", "id")
    )
    # The evaluation unit is written as text; when it names a unit, the unit's French name
    # goes with it for French readers.
    evaluation_unit = unit_find(evaluation.evaluation_unit)
    # With a status date, each action is shown as it stood that day: its status, and the
    # revised date and due date then in force (a later revision had not been made yet).
    as_of: dict[int, dict[str, Any]] = {}
    if status_as_of is not None:
        ids = [
            a.pk for r in recommendations for resp in r.responses.all() for a in resp.actions.all()
        ]
        as_of = action_states_as_of(ids, status_as_of)

    def then(action: Action) -> dict[str, Any]:
        """The action's snapshot fields that depend on the status date, read once."""
        state: dict[str, Any]
        if status_as_of is None:
            state = {"status": None, "revised_target_text": action.revised_target_text,
                     "due_date": action.due_date}  # fmt: skip
        else:
            # No record by then (an import records its actions the day it is made): as planned.
            planned = {"status": None, "revised_target_text": "",
                       "due_date": action.original_due_date}  # fmt: skip
            state = as_of.get(action.pk, planned)
        due = state["due_date"]
        return {
            "revised_target_date": state["revised_target_text"],
            "due_date": due.isoformat() if due else None,
            "status": state["status"],
        }

    return {
        "schema": SNAPSHOT_SCHEMA,
        "status_as_of": status_as_of.isoformat() if status_as_of else None,
        "evaluation": {
            "id": evaluation.pk,
            "title": both(evaluation.title_en, evaluation.title_fr),
            "program": both(evaluation.program, evaluation.program_fr),
            "period": evaluation.period,
            "type": evaluation.evaluation_type,
            "evaluation_unit": evaluation.evaluation_unit,
            "evaluation_unit_name": both(
                evaluation.evaluation_unit, evaluation_unit.name_fr if evaluation_unit else ""
            ),
            "approval_date": (
                evaluation.approval_date.isoformat() if evaluation.approval_date else None
            ),
            "links": {
                "report": evaluation.report_url,
                "summary": evaluation.summary_url,
                "pdf": evaluation.pdf_url,
            },
        },
        "recommendations": [
            {
                "number": rec.number,
                "statement": both(rec.statement, rec.statement_fr),
                "body": both(rec.body, rec.body_fr),
                "sub_points": [
                    {"label": p.label, "text": both(p.text, p.text_fr)}
                    for p in rec.sub_points.all()
                ],
                "responses": [
                    {
                        "unit": unit(response.unit),
                        "agreement": response.agreement,
                        "commitment": both(response.commitment, response.commitment_fr),
                        "rationale": both(response.rationale, response.rationale_fr),
                        "actions": [
                            {
                                "text": both(a.text, a.text_fr),
                                "deliverable": both(a.deliverable, a.deliverable_fr),
                                "responsibility": unit(a.unit),
                                "role": both(a.role, a.role_fr),
                                "target_date": a.target_date_text,
                                **then(a),
                            }
                            for a in response.actions.all()
                        ],
                    }
                    for response in rec.responses.all()
                ],
            }
            for rec in recommendations
        ],
    }


def live_publications() -> QuerySet[Publication]:
    """Each evaluation's latest publication, unless it was withdrawn: all that is public."""
    latest = (
        Publication.objects.filter(evaluation=OuterRef("evaluation"))
        .order_by("-version")
        .values("pk")[:1]
    )
    return Publication.objects.filter(pk=Subquery(latest), unpublished_at__isnull=True)


def publications_stamp() -> tuple[Any, ...]:
    """A value that moves whenever what the public site shows changes: publishing adds a row
    (a higher id) and withdrawing sets a withdrawal time later than any before it."""
    stamp = Publication.objects.aggregate(last=Max("id"), withdrawn=Max("unpublished_at"))
    return (stamp["last"], stamp["withdrawn"])


def live_publication(key: str) -> Publication | None:
    """The live publication a public address names: by its slug, or by the evaluation's id."""
    live = live_publications()
    found = live.filter(slug=key).first()
    if found is None and key.isdigit():
        found = live.filter(evaluation_id=int(key)).first()
    return found


def _program_in(language: str) -> Combinable:
    """Each publication's program as a reader of LANGUAGE sees it: in French where French was
    published, otherwise in English."""
    if language == "fr":
        return Coalesce(NullIf("program_fr", Value("")), "program")
    return F("program")


def public_list(
    *,
    search: str = "",
    year: int | None = None,
    unit: str = "",
    program: str = "",
    language: str = "en",
) -> QuerySet[Publication]:
    """The live publications the filters keep; PROGRAM is matched as a reader of LANGUAGE
    sees it (public_filter_choices offers it so)."""
    publications = live_publications().defer("snapshot", "search_text")
    for word in search_words(search):
        publications = publications.filter(search_text__contains=word)
    if year:
        publications = publications.filter(year=year)
    if unit:
        publications = publications.filter(unit_codes__contains=f" {unit.upper()} ")
    if program:
        publications = publications.alias(shown_program=_program_in(language)).filter(
            shown_program=program
        )
    return publications.order_by("-year", "title_en", "pk")


def public_filter_choices(language: str = "en") -> dict[str, Any]:
    """The years, units and programs that the live publications cover, for the filters (the
    programs as a reader of LANGUAGE sees them), and each unit's names by its code."""
    rows = list(
        live_publications()
        .annotate(shown_program=_program_in(language))
        .values_list("year", "unit_codes", "shown_program")
    )
    codes = sorted({code for _y, u, _p in rows for code in u.split()})
    return {
        "years": sorted({y for y, _u, _p in rows if y}, reverse=True),
        "units": codes,
        "unit_names": public_unit_names(codes),
        "programs": sorted({p for _y, _u, p in rows if p}),
    }


def public_unit_names(codes: list[str]) -> dict[str, dict[str, str]]:
    """The English and French names of the units whose (upper-case) CODES publications list;
    a code no unit has any more is absent."""
    if not codes:
        return {}
    units = (
        Unit.objects.annotate(upper_code=Upper("code"))
        .filter(upper_code__in=codes)
        .values_list("upper_code", "name_en", "name_fr")
    )
    return {code: pair(name_en, name_fr) for code, name_en, name_fr in units}


def evaluation_publications(evaluation: Evaluation) -> QuerySet[Publication]:
    """Every version of an evaluation's publication, newest first (internal history)."""
    return (
        Publication.objects.filter(evaluation=evaluation)
        .defer("snapshot", "search_text")
        .select_related("published_by", "unpublished_by")
        .order_by("-version")
    )
