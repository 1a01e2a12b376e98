"""Opening and closing rounds, what each focal point owes, completeness and the pages."""

from __future__ import annotations

import datetime
import html

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from uptake.errors import ServiceError
from uptake.evaluations.models import Action, Evaluation
from uptake.followup import services as followup
from uptake.reporting import selectors, services
from uptake.reporting.models import ActionSnapshot, FollowUpRound

pytestmark = pytest.mark.django_db

SOON = timezone.localdate() + datetime.timedelta(days=20)


def _open(by, name="Fall round"):
    return services.round_open(by=by, name=name, period="Fall", deadline=SOON)


def _owing(world) -> set[int]:
    """Open actions under open recommendations of the followed evaluation, by hand."""
    return {
        a.pk
        for a in Action.objects.filter(response__recommendation__evaluation=world.evaluation)
        if a.status not in ("validated", "cancelled", "superseded")
        and a.response.recommendation.status == "open"
    }


def test_only_one_round_is_open_at_a_time(evaluator):
    _open(evaluator)
    with pytest.raises(ServiceError, match="already open"):
        _open(evaluator, "Second")
    assert FollowUpRound.objects.count() == 1


def test_only_the_evaluation_unit_opens_and_closes_rounds(evaluator, committee, focal):
    with pytest.raises(PermissionDenied):
        _open(committee)
    round_ = _open(evaluator)
    with pytest.raises(PermissionDenied):
        services.round_close(round_=round_, by=focal)


def test_each_focal_point_owes_one_update_per_open_action(world, evaluator, focal, outsider):
    round_ = _open(evaluator)
    owing = _owing(world)
    mine = {a.pk for a in Action.objects.filter(pk__in=owing) if a.unit.code in ("HWP", "QTO-DA")}
    assert {a.pk for a in selectors.owed_by_user(focal)} == mine
    followup.update_submit(
        action=world.a["a2"], by=focal, status="in_progress", narrative="Still going."
    )
    assert {a.pk for a in selectors.owed_by_user(focal)} == mine - {world.a["a2"].pk}
    completeness = selectors.round_completeness(round_)
    assert (completeness.overall.owed, completeness.overall.answered) == (len(owing), 1)
    by_unit = {c.label: (c.owed, c.answered) for c in completeness.by_unit}
    assert by_unit["QTO-DA"] == (1, 1)


def test_a_returned_update_does_not_count(world, evaluator, focal):
    _open(evaluator)
    update = followup.update_submit(
        action=world.a["a2"], by=focal, status="in_progress", narrative="x"
    )
    followup.update_return(update=update, by=evaluator, comment="Say more.")
    assert world.a["a2"].pk in {a.pk for a in selectors.owed_by_user(focal)}


def test_closing_freezes_one_snapshot_row_per_followed_action(world, evaluator, focal):
    round_ = _open(evaluator)
    followup.update_submit(action=world.a["a2"], by=focal, status="in_progress", narrative="x")
    services.round_close(round_=round_, by=evaluator)
    followed = Action.objects.filter(response__recommendation__evaluation=world.evaluation)
    rows = {s.action_id: s for s in ActionSnapshot.objects.filter(round=round_)}
    assert set(rows) == {a.pk for a in followed}
    today = timezone.localdate()
    for action in followed:
        snap = rows[action.pk]
        assert (snap.status, snap.due_date, snap.original_due_date) == (
            action.status, action.due_date, action.original_due_date,
        )  # fmt: skip
        assert snap.validated == (action.status == "validated")
        assert snap.days_overdue == (action.days_overdue(today) if snap.overdue else 0)
    assert rows[world.a["a2"].pk].overdue and rows[world.a["a2"].pk].answered
    assert rows[world.a["a6"].pk].excluded and rows[world.a["a7"].pk].excluded
    with pytest.raises(ServiceError, match="already closed"):
        services.round_close(round_=round_, by=evaluator)
    closed = selectors.round_completeness(FollowUpRound.objects.get(pk=round_.pk))
    assert (closed.overall.owed, closed.overall.answered) == (len(_owing(world)), 1)


def test_the_rounds_pages_open_show_and_close_a_round(client, world, evaluator):
    client.force_login(evaluator)
    response = client.post(
        reverse("reporting:rounds"),
        {"name": "Spring round", "period": "Spring", "deadline": SOON.isoformat()},
    )
    round_ = FollowUpRound.objects.get()
    assert response.status_code == 302 and response["Location"] == round_.get_absolute_url()
    page = client.get(round_.get_absolute_url()).content.decode()
    assert "Spring round" in page and "Updates owed" in page and "QTO-DA" in page
    client.post(reverse("reporting:round_close", args=[round_.pk]))
    round_.refresh_from_db()
    assert not round_.is_open and round_.closed_by == evaluator
    assert ActionSnapshot.objects.filter(round=round_).exists()


def test_a_past_deadline_is_refused_on_the_form(client, evaluator):
    client.force_login(evaluator)
    response = client.post(reverse("reporting:rounds"), {"name": "Late", "deadline": "2001-01-01"})
    assert response.status_code == 200
    assert "The deadline must not be in the past." in response.content.decode()
    assert not FollowUpRound.objects.exists()


def test_my_actions_shows_what_is_owed_in_the_open_round(client, world, evaluator, focal):
    _open(evaluator)
    client.force_login(focal)
    page = client.get(reverse("followup:my_actions")).content.decode()
    assert "Owed in the current round (Fall round" in page
    assert reverse("followup:update_create", args=[world.a["a2"].pk]) in page


def test_the_rounds_list_takes_as_many_queries_whatever_the_number_of_rounds(
    client, evaluator, django_assert_max_num_queries
):
    client.force_login(evaluator)
    for n in range(4):
        services.round_close(round_=_open(evaluator, f"R{n}"), by=evaluator)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as many:
        assert client.get(reverse("reporting:rounds")).status_code == 200
    FollowUpRound.objects.filter(name__in=["R1", "R2", "R3"]).delete()
    with CaptureQueriesContext(connection) as few:
        assert client.get(reverse("reporting:rounds")).status_code == 200
    assert len(many) == len(few)


def test_the_owed_panel_names_the_soonest_few_and_counts_the_rest(
    client, world, evaluator, focal, monkeypatch
):
    from uptake.reporting.templatetags import reporting as tags

    _open(evaluator)
    owed = list(selectors.owed_by_user(focal))
    assert len(owed) >= 2
    monkeypatch.setattr(tags, "OWED_SHOWN", 1)
    client.force_login(focal)

    html = client.get(reverse("followup:my_actions")).content.decode()

    panel = html[
        html.index('id="owed-title"') : html.index("</section>", html.index('id="owed-title"'))
    ]
    assert f"{len(owed)} actions still need an update" in panel
    assert reverse("followup:update_create", args=[owed[0].pk]) in panel
    assert reverse("followup:update_create", args=[owed[1].pk]) not in panel
    assert f"… and {len(owed) - 1} more" in panel


def test_the_round_page_names_each_evaluation_in_the_readers_language(client, world, evaluator):
    Evaluation.objects.update(title_fr="Évaluation aux réponses connues")
    round_ = services.round_open(by=evaluator, name="Fall round", deadline=SOON)
    client.force_login(evaluator)

    french = client.get(round_.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    english = client.get(round_.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert '<th scope="row">Évaluation aux réponses connues</th>' in html.unescape(french)
    assert '<th scope="row">Known answers evaluation</th>' in html.unescape(english)
