"""Revised target dates: a unit asks with a justification; only the committee decides; the
approved original date is never overwritten."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from uptake.errors import ServiceError
from uptake.followup import services
from uptake.followup.models import DateRevision, ProgressUpdate, RevisionDecision
from uptake.followup.selectors import action_revisions, revisions_awaiting_decision

# Revised dates asked for here must lie ahead of the day they are asked for: that day is the
# one the tests were written on (conftest.WRITTEN_ON), whatever the calendar says.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("asked_on_written_day")]

JUNE_2021 = datetime.date(2021, 6, 30)  # the fixture action's approved target, "June 2021"


def _request(action, by, text="Q3 2031-32", justification="The partner changed.", **kwargs):
    return services.update_submit(
        action=action,
        by=by,
        status="in_progress",
        narrative="Delayed by the partner.",
        revised_date_text=text,
        revised_date_justification=justification,
        **kwargs,
    )


@pytest.fixture
def revision(action, focal) -> DateRevision:
    update = _request(action, focal)
    return DateRevision.objects.get(update=update)


# Asking ----------------------------------------------------------------------------------


def test_a_revised_date_is_read_and_recorded_with_the_update(action, focal):
    assert action.due_date == JUNE_2021

    update = _request(action, focal, text=" Q3 2031-32 ", justification=" Partner delays. ")

    revision = DateRevision.objects.get()
    assert revision.update == update
    assert revision.action == action
    assert revision.requested_text == "Q3 2031-32"
    assert revision.requested_due_date == datetime.date(2031, 12, 31)
    assert revision.justification == "Partner delays."
    assert revision.requested_by == focal
    assert revision.decision == RevisionDecision.PENDING
    assert list(revisions_awaiting_decision()) == [revision]
    # Asking does not move the date.
    action.refresh_from_db()
    assert action.due_date == JUNE_2021
    assert action.original_due_date == JUNE_2021


@pytest.mark.parametrize("justification", ["", "   "])
def test_a_revised_date_needs_a_justification(action, focal, justification):
    with pytest.raises(ServiceError) as exc:
        _request(action, focal, justification=justification)

    assert exc.value.field == "revised_date_justification"
    assert not DateRevision.objects.exists()
    assert not ProgressUpdate.objects.exists()


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("when funds allow", "when funds allow"),
        ("February 30, 2031", "not a real calendar date"),
        ("2031-33", "not a fiscal year"),
        ("Ongoing", "Ongoing"),
    ],
)
def test_a_revised_date_that_is_not_a_date_is_refused(action, focal, text, said):
    with pytest.raises(ServiceError) as exc:
        _request(action, focal, text=text)

    assert said in exc.value.message
    assert exc.value.field == "revised_date_text"
    assert not DateRevision.objects.exists()
    assert not ProgressUpdate.objects.exists()


def test_an_update_without_a_revised_date_asks_for_nothing(action, focal):
    services.update_submit(action=action, by=focal, status="in_progress", narrative="Fine.")

    assert not DateRevision.objects.exists()


def test_only_one_revised_date_awaits_a_decision_per_action(revision, action, focal):
    with pytest.raises(ServiceError) as exc:
        _request(action, focal, text="June 2033")

    assert "already awaits a decision" in exc.value.message
    assert DateRevision.objects.count() == 1
    assert ProgressUpdate.objects.count() == 1


def test_a_new_revised_date_may_be_asked_once_the_last_is_decided(
    revision, action, focal, committee
):
    services.revision_reject(revision=revision, by=committee, comment="Too far.")

    _request(action, focal, text="June 2032", justification="A shorter delay.")

    assert list(action_revisions(action.id).values_list("requested_text", "decision")) == [
        ("Q3 2031-32", RevisionDecision.REJECTED),
        ("June 2032", RevisionDecision.PENDING),
    ]


# Deciding --------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["committee", "admin_user"])
def test_an_approved_revision_becomes_the_due_date_and_keeps_the_original(
    request, revision, action, persona
):
    user = request.getfixturevalue(persona)

    services.revision_approve(revision=revision, by=user, comment=" Agreed. ")

    revision.refresh_from_db()
    action.refresh_from_db()
    assert revision.decision == RevisionDecision.APPROVED
    assert revision.decided_by == user
    assert revision.decided_at is not None
    assert revision.decision_comment == "Agreed."
    assert action.due_date == datetime.date(2031, 12, 31)
    assert action.original_due_date == JUNE_2021
    assert action.target_date_text == "June 2021"
    assert action.has_revised_date
    assert action.history.first().history_user == user
    assert not revisions_awaiting_decision().exists()


def test_a_second_approved_revision_replaces_the_first_not_the_original(
    revision, action, focal, committee
):
    services.revision_approve(revision=revision, by=committee)
    second = DateRevision.objects.get(update=_request(action, focal, text="March 31, 2033"))

    services.revision_approve(revision=second, by=committee)

    action.refresh_from_db()
    assert action.due_date == datetime.date(2033, 3, 31)
    assert action.original_due_date == JUNE_2021


def test_a_rejected_revision_leaves_the_due_date(revision, action, committee):
    services.revision_reject(revision=revision, by=committee, comment=" Keep the date. ")

    revision.refresh_from_db()
    action.refresh_from_db()
    assert revision.decision == RevisionDecision.REJECTED
    assert revision.decided_by == committee
    assert revision.decision_comment == "Keep the date."
    assert action.due_date == JUNE_2021
    assert action.original_due_date == JUNE_2021
    assert not action.has_revised_date


@pytest.mark.parametrize("comment", ["", "  "])
def test_rejecting_needs_a_comment(revision, action, committee, comment):
    with pytest.raises(ServiceError) as exc:
        services.revision_reject(revision=revision, by=committee, comment=comment)

    assert exc.value.field == "comment"
    revision.refresh_from_db()
    assert revision.decision == RevisionDecision.PENDING


@pytest.mark.parametrize("persona", ["evaluator", "focal", "viewer", "outsider"])
def test_only_the_committee_decides_a_revised_date(request, revision, action, persona):
    user = request.getfixturevalue(persona)

    with pytest.raises(PermissionDenied):
        services.revision_approve(revision=revision, by=user)
    with pytest.raises(PermissionDenied):
        services.revision_reject(revision=revision, by=user, comment="No.")

    revision.refresh_from_db()
    action.refresh_from_db()
    assert revision.decision == RevisionDecision.PENDING
    assert revision.decided_by is None
    assert action.due_date == JUNE_2021


@pytest.mark.parametrize("first", ["approve", "reject"])
def test_a_decided_revision_cannot_be_decided_again(revision, action, committee, first):
    if first == "approve":
        services.revision_approve(revision=revision, by=committee)
    else:
        services.revision_reject(revision=revision, by=committee, comment="No.")
    action.refresh_from_db()
    due_after_first = action.due_date

    with pytest.raises(ServiceError) as exc:
        services.revision_approve(revision=revision, by=committee)
    assert "already been decided" in exc.value.message
    with pytest.raises(ServiceError):
        services.revision_reject(revision=revision, by=committee, comment="Changed my mind.")

    revision.refresh_from_db()
    action.refresh_from_db()
    assert revision.decision == (
        RevisionDecision.APPROVED if first == "approve" else RevisionDecision.REJECTED
    )
    assert action.due_date == due_after_first


# Dates already passed, reasons without a date ----------------------------------------------


def _month_text(day: datetime.date) -> str:
    """'January 2020' for any day of that month, written independently of the parser."""
    months = ["January", "February", "March", "April", "May", "June", "July", "August",
              "September", "October", "November", "December"]  # fmt: skip
    return f"{months[day.month - 1]} {day.year}"


@pytest.mark.parametrize("text", ["January 2020", "March 31, 2019", "2019-20"])
def test_a_revised_date_already_passed_is_refused(action, focal, text):
    with pytest.raises(ServiceError) as exc:
        _request(action, focal, text=text)

    assert exc.value.message == (
        f"“{text}” has already passed: a revised date must be in the future."
    )
    assert exc.value.field == "revised_date_text"
    assert not DateRevision.objects.exists()
    assert not ProgressUpdate.objects.exists()


def test_last_month_is_refused_and_this_month_accepted(action, focal):
    today = timezone.localdate()
    last_month = today.replace(day=1) - datetime.timedelta(days=1)

    with pytest.raises(ServiceError):
        _request(action, focal, text=_month_text(last_month))
    # This month falls due on its last day, which is today or later.
    _request(action, focal, text=_month_text(today))

    assert list(DateRevision.objects.values_list("requested_text", flat=True)) == [
        _month_text(today)
    ]


@pytest.mark.parametrize("text", ["", "   "])
def test_a_reason_without_a_revised_date_is_refused_not_dropped(action, focal, text):
    with pytest.raises(ServiceError) as exc:
        _request(action, focal, text=text, justification="The rains came early.")

    assert exc.value.message == (
        "You gave a reason for a new date but no new date: enter the revised date, "
        "or clear the reason."
    )
    assert exc.value.field == "revised_date_text"
    assert not DateRevision.objects.exists()
    assert not ProgressUpdate.objects.exists()


def test_nobody_decides_a_revised_date_they_asked_for(action, admin_user, committee):
    # An administrator holds both roles: they may ask on a unit's behalf, not grant it too.
    asked = DateRevision.objects.get(update=_request(action, admin_user))

    with pytest.raises(ServiceError) as exc:
        services.revision_approve(revision=asked, by=admin_user)
    assert exc.value.message == (
        "You asked for this revised date yourself: another member of the committee must decide it."
    )
    with pytest.raises(ServiceError):
        services.revision_reject(revision=asked, by=admin_user, comment="Not needed.")

    asked.refresh_from_db()
    action.refresh_from_db()
    assert asked.decision == RevisionDecision.PENDING
    assert action.due_date == JUNE_2021

    services.revision_approve(revision=asked, by=committee)  # a second person may
    action.refresh_from_db()
    assert action.due_date == asked.requested_due_date
