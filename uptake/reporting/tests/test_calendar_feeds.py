"""Calendar feeds: a secret, revocable address with every due date of a person's or a unit's
actions, read back with the icalendar library."""

from __future__ import annotations

import datetime
import re

import icalendar
import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from uptake.evaluations import services as ev_services
from uptake.evaluations.models import Action
from uptake.followup import services as followup
from uptake.followup.models import DateRevision
from uptake.reporting import services
from uptake.reporting.models import CalendarFeed

# Revised dates asked for here must lie ahead of the day they are asked for: that day is the
# one the tests were written on (conftest.WRITTEN_ON), whatever the calendar says.
pytestmark = pytest.mark.usefixtures("asked_on_written_day")

# The approved evaluation of conftest: "June 2021" (HWP) and "Q3 2030-31" (QTO-DA, a sub-unit
# of HWP). The last day of June 2021, and of October-December 2030 (Q3 of fiscal 2030-31).
JUNE_2021 = datetime.date(2021, 6, 30)
Q3_2030_31 = datetime.date(2030, 12, 31)


def followed_actions(evaluator, committee, unit, dates: list[str], title: str) -> list[Action]:
    evaluation = ev_services.evaluation_create(by=evaluator, title_en=title)
    rec = ev_services.recommendation_create(
        evaluation=evaluation, by=evaluator, number="1", statement="Act."
    )
    resp = ev_services.response_create(
        recommendation=rec, by=evaluator, unit=unit, agreement="agree", commitment="Yes."
    )
    for n, date in enumerate(dates):
        ev_services.action_create(
            response=resp, by=evaluator, text=f"{title} action {n}.", target_date_text=date,
            deliverable="Proof",
        )  # fmt: skip
    ev_services.evaluation_submit_for_approval(evaluation=evaluation, by=evaluator)
    ev_services.evaluation_approve_response(evaluation=evaluation, by=committee)
    return list(Action.objects.filter(response=resp).order_by("id"))


def events(client, secret: str) -> dict[str, icalendar.Event]:
    response = client.get(reverse("reporting:calendar_feed", args=[secret]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    calendar = icalendar.Calendar.from_ical(response.content)
    return {str(e["UID"]): e for e in calendar.walk("VEVENT")}


def by_url(found: dict[str, icalendar.Event]) -> dict[str, icalendar.Event]:
    return {str(e["URL"]).removeprefix("http://testserver"): e for e in found.values()}


def test_the_personal_feed_lists_the_due_dates_of_the_persons_units(
    client, approved_evaluation, focal, evaluator, committee, units
):
    hwp_actions = list(
        Action.objects.filter(response__recommendation__evaluation=approved_evaluation).order_by(
            "id"
        )
    )
    elsewhere = followed_actions(evaluator, committee, units["PRS"], ["March 2029"], "Other")
    _feed, secret = services.calendar_feed_create(by=focal, user=focal)
    client.logout()
    found = by_url(events(client, secret))
    assert set(found) == {a.get_absolute_url() for a in hwp_actions}
    assert elsewhere[0].get_absolute_url() not in found
    first, second = (found[a.get_absolute_url()] for a in hwp_actions)
    assert first["DTSTART"].dt == JUNE_2021
    assert second["DTSTART"].dt == Q3_2030_31
    assert first["DTEND"].dt == JUNE_2021 + datetime.timedelta(days=1)
    assert not isinstance(first["DTSTART"].dt, datetime.datetime)  # all-day
    assert "revised" not in str(first["SUMMARY"])


def test_a_revised_date_moves_the_event_and_says_so(client, action, focal, committee):
    _feed, secret = services.calendar_feed_create(by=focal, user=focal)
    before = {
        uid: e
        for uid, e in events(client, secret).items()
        if action.get_absolute_url() in str(e["URL"])
    }
    update = followup.update_submit(
        action=action, by=focal, status="in_progress", narrative="Late.",
        revised_date_text="March 2031", revised_date_justification="Floods.",
    )  # fmt: skip
    followup.revision_approve(revision=DateRevision.objects.get(update=update), by=committee)
    after = {
        uid: e
        for uid, e in events(client, secret).items()
        if action.get_absolute_url() in str(e["URL"])
    }
    assert set(after) == set(before)  # the same UID: calendars move the event
    (event,) = after.values()
    assert event["DTSTART"].dt == datetime.date(2031, 3, 31)
    assert "revised" in str(event["SUMMARY"])


def test_a_validated_action_leaves_the_feed_and_a_claimed_one_stays(
    client, approved_evaluation, focal, evaluator
):
    first, second = Action.objects.filter(
        response__recommendation__evaluation=approved_evaluation
    ).order_by("id")
    for action in (first, second):
        followup.update_submit(action=action, by=focal, status="completed", narrative="Done.")
    followup.update_validate(update=first.updates.get(), by=evaluator)
    _feed, secret = services.calendar_feed_create(by=focal, user=focal)

    found = by_url(events(client, secret))

    # Nothing is due on a validated action; a claim awaiting validation still is.
    assert set(found) == {second.get_absolute_url()}


def test_a_unit_feed_lists_only_that_unit_and_its_sub_units(
    client, approved_evaluation, evaluator, units
):
    _feed, secret = services.calendar_feed_create(by=evaluator, unit=units["QTO-DA"])
    found = list(events(client, secret).values())
    assert [e["DTSTART"].dt for e in found] == [Q3_2030_31]
    _feed, secret = services.calendar_feed_create(by=evaluator, unit=units["WSB"])
    assert sorted(e["DTSTART"].dt for e in events(client, secret).values()) == [
        JUNE_2021,
        Q3_2030_31,
    ]


def test_a_revoked_or_replaced_feed_answers_404(client, approved_evaluation, focal):
    feed, secret = services.calendar_feed_create(by=focal, user=focal)
    _new, new_secret = services.calendar_feed_create(by=focal, user=focal)
    assert client.get(reverse("reporting:calendar_feed", args=[secret])).status_code == 404
    assert client.get(reverse("reporting:calendar_feed", args=[new_secret])).status_code == 200
    client.force_login(focal)
    response = client.post(reverse("reporting:calendar_feed_revoke", args=[_new.pk]))
    assert response.status_code == 302
    client.logout()
    assert client.get(reverse("reporting:calendar_feed", args=[new_secret])).status_code == 404
    assert client.get(reverse("reporting:calendar_feed", args=["unknown"])).status_code == 404


def test_a_deactivated_persons_feed_stops(client, approved_evaluation, focal):
    _feed, secret = services.calendar_feed_create(by=focal, user=focal)
    focal.is_active = False
    focal.save()
    assert client.get(reverse("reporting:calendar_feed", args=[secret])).status_code == 404


def test_nobody_revokes_someone_elses_feed(client, focal, outsider):
    feed, _secret = services.calendar_feed_create(by=focal, user=focal)
    client.force_login(outsider)
    assert client.post(reverse("reporting:calendar_feed_revoke", args=[feed.pk])).status_code == 404
    feed.refresh_from_db()
    assert feed.revoked_at is None


def test_the_profile_creates_a_feed_and_shows_its_address_once(client, approved_evaluation, focal):
    client.force_login(focal)
    profile = client.get(reverse("profile")).content.decode()
    assert "Your calendar feed" in profile
    response = client.post(reverse("reporting:calendar_feed_create"))
    assert response.status_code == 200
    shown = re.search(r'value="http://testserver(/calendar/[^"]+\.ics)"', response.content.decode())
    assert shown
    profile = client.get(reverse("profile")).content.decode()
    assert shown.group(1) not in profile
    assert "active since" in profile
    client.logout()
    assert client.get(shown.group(1)).status_code == 200


def test_the_feed_takes_the_same_queries_for_more_actions(client, evaluator, committee, units):
    followed_actions(evaluator, committee, units["HWP"], ["June 2031"], "Small")
    _feed, secret = services.calendar_feed_create(by=evaluator, unit=units["WSB"])
    url = reverse("reporting:calendar_feed", args=[secret])

    def queries() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url)
        return len(ctx.captured_queries), response.content.count(b"BEGIN:VEVENT")

    few, events_before = queries()
    followed_actions(
        evaluator,
        committee,
        units["QTO-DA"],
        ["June 2032", "Q1 2033-34", "2034-35", "Fall 2035"],
        "Big",
    )
    many, events_after = queries()
    assert (events_before, events_after) == (1, 5)
    assert many == few


def test_the_unit_page_takes_the_same_queries_for_more_feeds(client, evaluator, units):
    client.force_login(evaluator)
    url = reverse("reporting:calendar_unit_feeds")

    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    services.calendar_feed_create(by=evaluator, unit=units["HWP"])
    few = queries()
    for code in ("PRS", "GPB", "WSB"):
        services.calendar_feed_create(by=evaluator, unit=units[code])
    assert queries() == few
    page = client.get(url).content.decode()
    assert page.count("Active since") == 4


def test_only_the_evaluation_unit_creates_unit_feeds(focal, units):
    with pytest.raises(PermissionDenied):
        services.calendar_feed_create(by=focal, unit=units["HWP"])
    assert not CalendarFeed.objects.exists()
