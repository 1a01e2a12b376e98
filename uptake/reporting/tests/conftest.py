"""A small follow-up world with known answers, and a plain-Python oracle for every figure.

The oracle reads the rows one by one and applies the definitions as the dashboard states them
in words; it shares no code with `uptake.reporting.selectors`.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from unittest import mock

import pytest
from django.utils import timezone

from uptake.evaluations import services
from uptake.evaluations.models import Action, Evaluation
from uptake.followup import services as followup
from uptake.followup.models import DateRevision, ProgressUpdate

REPORT_DATE = datetime.date(2022, 6, 15)


def at(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))


@dataclass
class World:
    evaluation: Evaluation
    a: dict[str, Action]


@pytest.fixture
def world(units, evaluator, committee, focal, outsider) -> World:
    """Report date 2022-06-15. a1 validated on time; a2 overdue 5 months; a3 overdue 26
    months; a4 not yet due; a5 revised and validated late against its original date; a6
    cancelled; a7 under a recommendation closed as not accepted; a draft's action ignored."""
    ev = services.evaluation_create(by=evaluator, title_en="Known answers evaluation")
    recs = {
        n: services.recommendation_create(
            evaluation=ev, by=evaluator, number=n, statement=f"Do {n}."
        )
        for n in ("1", "2", "3")
    }

    def respond(rec, unit):
        return services.response_create(
            recommendation=recs[rec], by=evaluator, unit=units[unit], agreement="agree",
            commitment="We will.",
        )  # fmt: skip

    def act(resp, key, date, unit=None):
        return services.action_create(
            response=resp, by=evaluator, text=f"Action {key}.", target_date_text=date,
            deliverable="Proof", unit=units[unit] if unit else None,
        )  # fmt: skip

    r1, r2, r3 = respond("1", "HWP"), respond("2", "PRS"), respond("3", "WSB")
    a = {
        "a1": act(r1, "a1", "June 2021"),
        "a2": act(r1, "a2", "December 2021", unit="QTO-DA"),
        "a3": act(r1, "a3", "March 2020"),
        "a4": act(r1, "a4", "June 2030"),
        "a5": act(r2, "a5", "September 2021"),
        "a6": act(r2, "a6", "June 2021"),
        "a7": act(r3, "a7", "June 2021"),
    }
    services.evaluation_submit_for_approval(evaluation=ev, by=evaluator)
    services.evaluation_approve_response(evaluation=ev, by=committee)

    def claim(key, who, day, **extra):
        update = followup.update_submit(
            action=a[key], by=who, status="completed", narrative="Done.", **extra
        )
        ProgressUpdate.objects.filter(pk=update.pk).update(created_at=at(day))
        return update

    followup.update_validate(update=claim("a1", focal, datetime.date(2021, 5, 10)), by=evaluator)
    followup.update_submit(action=a["a2"], by=focal, status="in_progress", narrative="Half.")
    followup.update_submit(action=a["a4"], by=focal, status="in_progress", narrative="Started.")
    # Asked in August 2021, while March 2022 was still ahead: a past date is refused.
    with mock.patch.object(followup.timezone, "localdate", return_value=datetime.date(2021, 8, 2)):
        asked = followup.update_submit(
            action=a["a5"], by=outsider, status="in_progress", narrative="Late.",
            revised_date_text="March 2022", revised_date_justification="Partners were late.",
        )  # fmt: skip
    followup.revision_approve(revision=DateRevision.objects.get(update=asked), by=committee)
    followup.update_validate(update=claim("a5", outsider, datetime.date(2022, 2, 1)), by=evaluator)
    services.action_withdraw(action=a["a6"], by=evaluator, status="cancelled", reason="Moot.")
    services.recommendation_close(
        recommendation=recs["3"], by=committee, reason="not_accepted", note="Refused."
    )
    draft = services.evaluation_create(by=evaluator, title_en="Draft evaluation")
    rec = services.recommendation_create(evaluation=draft, by=evaluator, number="1", statement="X.")
    resp = services.response_create(
        recommendation=rec, by=evaluator, unit=units["HWP"], agreement="agree", commitment="Y."
    )
    act(resp, "draft", "June 2020")
    for action in a.values():
        action.refresh_from_db()
    return World(evaluation=ev, a=a)


# ---------------------------------------------------------------------------------------------
# The oracle: plain Python over the rows, from the definitions in words.

FOLLOWED = {"response_approved", "published", "in_follow_up", "closed"}
EXCLUDING = {"not_accepted", "no_longer_applicable", "superseded"}


def full_months(later: datetime.date, earlier: datetime.date) -> int:
    months = (later.year - earlier.year) * 12 + later.month - earlier.month
    return months - (1 if later.day < earlier.day else 0)


@dataclass
class Row:
    action: Action
    unit_id: int
    evaluation_id: int
    counted: bool
    due: bool
    validated: bool
    due_by_original: bool
    on_time_original: bool
    on_time_revised: bool
    overdue: bool
    age: str | None


def oracle_rows(report_date: datetime.date) -> list[Row]:
    rows = []
    for action in Action.objects.all():
        rec = action.response.recommendation
        if rec.evaluation.state not in FOLLOWED:
            continue
        counted = action.status not in ("cancelled", "superseded") and (
            rec.closure_reason not in EXCLUDING
        )
        claims = sorted(
            (
                u
                for u in action.updates.all()
                if u.status == "completed" and u.review_state == "accepted"
            ),
            key=lambda u: (u.created_at, u.id),
        )
        done_on = timezone.localtime(claims[-1].created_at).date() if claims else None
        validated = action.status == "validated"
        due = counted and action.due_date is not None and action.due_date <= report_date
        by_orig = (
            counted
            and action.original_due_date is not None
            and action.original_due_date <= report_date
        )
        overdue = (
            counted
            and rec.status == "open"
            and action.status not in ("completed", "validated", "cancelled", "superseded")
            and action.due_date is not None
            and action.due_date < report_date
        )
        age = None
        if overdue:
            months = full_months(report_date, action.due_date)
            age = (
                "0-6"
                if months < 6
                else "6-12"
                if months < 12
                else "12-24"
                if months < 24
                else "24+"
            )
        rows.append(
            Row(
                action=action,
                unit_id=action.unit_id or action.response.unit_id,
                evaluation_id=rec.evaluation_id,
                counted=counted,
                due=due,
                validated=validated,
                due_by_original=by_orig,
                on_time_original=by_orig
                and validated
                and done_on is not None
                and done_on <= action.original_due_date,
                on_time_revised=due
                and validated
                and done_on is not None
                and done_on <= action.due_date,
                overdue=overdue,
                age=age,
            )
        )
    return rows


def oracle_figures(rows: list[Row]) -> dict[str, int]:
    return {
        "counted": sum(r.counted for r in rows),
        "due": sum(r.due for r in rows),
        "validated_due": sum(r.due and r.validated for r in rows),
        "due_by_original": sum(r.due_by_original for r in rows),
        "on_time_original": sum(r.on_time_original for r in rows),
        "on_time_revised": sum(r.on_time_revised for r in rows),
        "overdue": sum(r.overdue for r in rows),
        "age_0_6": sum(r.age == "0-6" for r in rows),
        "age_6_12": sum(r.age == "6-12" for r in rows),
        "age_12_24": sum(r.age == "12-24" for r in rows),
        "age_24_plus": sum(r.age == "24+" for r in rows),
    }
