"""The evaluation page: the whole management response, in the order a published one reads."""

from __future__ import annotations

import datetime
import html
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from uptake.evaluations import services
from uptake.evaluations.models import Evaluation
from uptake.followup import services as followup
from uptake.followup.models import DateRevision

# Revised dates asked for here must lie ahead of the day they are asked for: that day is the
# one the tests were written on (conftest.WRITTEN_ON), whatever the calendar says.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("asked_on_written_day")]


def page(response) -> str:
    return html.unescape(response.content.decode())


def visible(response) -> str:
    """The text a person reads: no tags, spaces collapsed."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())


def detail(evaluation: Evaluation) -> str:
    return reverse("evaluations:detail", args=[evaluation.pk])


def add_recommendation(evaluation, by, unit, number: str, statement: str):
    rec = services.recommendation_create(
        evaluation=evaluation, by=by, number=number, statement=statement
    )
    response = services.response_create(
        recommendation=rec, by=by, unit=unit, agreement="agree", commitment=f"Commit {number}."
    )
    services.action_create(
        response=response, by=by, text=f"Do {number}.", target_date_text="June 2031",
        deliverable="Report",
    )  # fmt: skip
    return rec


def test_it_shows_recommendations_in_number_order(
    client, viewer, evaluator, draft_evaluation, units
):
    # Recorded out of order: 10 before 2. As text, "10" would sort before "2".
    add_recommendation(draft_evaluation, evaluator, units["HWP"], "10", "Tenth thing.")
    add_recommendation(draft_evaluation, evaluator, units["HWP"], "2", "Second thing.")
    client.force_login(viewer)

    text = page(client.get(detail(draft_evaluation)))

    first = text.index("Recommendation 1: Fund maintenance.")
    second = text.index("Recommendation 2: Second thing.")
    tenth = text.index("Recommendation 10: Tenth thing.")
    assert first < second < tenth


def test_it_shows_sub_points_in_order(client, viewer, evaluator, draft_evaluation):
    services.recommendation_create(
        evaluation=draft_evaluation, by=evaluator, number="2", statement="Strengthen boards.",
        sub_points=["a) train treasurers", "b) publish budgets"],
    )  # fmt: skip
    client.force_login(viewer)

    text = page(client.get(detail(draft_evaluation)))

    assert '<li data-label="a)">train treasurers</li>' in text
    assert '<li data-label="b)">publish budgets</li>' in text
    assert text.index("train treasurers") < text.index("publish budgets")


def test_it_shows_each_units_commitment(client, viewer, evaluator, draft_evaluation, units):
    rec = draft_evaluation.recommendations.get(number="1")
    services.response_create(
        recommendation=rec, by=evaluator, unit=units["PRS"], agreement="partially_agree",
        commitment="Planning will track the fund.", rationale="Budgets are set elsewhere.",
    )  # fmt: skip
    client.force_login(viewer)

    text = page(client.get(detail(draft_evaluation)))

    assert "Commitments: Highland Water Program (HWP)" in text
    assert "The program agrees." in text
    assert "Commitments: Results and Strategic Planning Division (PRS)" in text
    assert "Planning will track the fund." in text
    assert "Agrees in part" in text
    assert "Budgets are set elsewhere." in text


def test_it_shows_actions_with_responsibility_centre_and_date_as_written(
    client, viewer, draft_evaluation
):
    client.force_login(viewer)

    text = page(client.get(detail(draft_evaluation)))

    assert "Train water boards." in text
    assert "Development Section, Embassy in Quito (QTO-DA)" in text
    assert "Q3 2030-31" in text
    assert "due 2030-12-31" in text
    # The first action names no unit of its own: the responding unit answers for it.
    assert "Revise the design template." in text
    assert "June 2021" in text
    assert "due 2021-06-30" in text


def test_it_shows_days_late_for_an_overdue_action(client, viewer, approved_evaluation):
    client.force_login(viewer)
    # "June 2021" falls due on 30 June 2021.
    days = (timezone.localdate() - datetime.date(2021, 6, 30)).days

    text = page(client.get(detail(approved_evaluation)))

    assert f"{days} days late" in text
    # The action due in 2030 is not late.
    assert text.count("days late") == 1


def test_it_shows_the_revised_date_after_an_approved_revision(
    client, viewer, focal, committee, action, approved_evaluation
):
    followup.update_submit(
        action=action, by=focal, status="in_progress", narrative="Delayed by floods.",
        revised_date_text="March 2032", revised_date_justification="Floods.",
    )  # fmt: skip
    followup.revision_approve(revision=DateRevision.objects.get(), by=committee)
    client.force_login(viewer)

    text = visible(client.get(detail(approved_evaluation)))

    assert "June 2021, revised to March 2032" in text
    assert "due 2032-03-31" in text


def test_it_shows_the_closure_reason(client, viewer, committee, approved_evaluation):
    rec = approved_evaluation.recommendations.get()
    services.recommendation_close(
        recommendation=rec, by=committee, reason="no_longer_applicable",
        note="The program ended in 2024.",
    )  # fmt: skip
    client.force_login(viewer)

    text = page(client.get(detail(approved_evaluation)))

    assert "Closed by decision: no longer applicable" in text
    assert "closed by committee on" in text
    assert "The program ended in 2024." in text


def test_an_open_recommendation_is_marked_open(client, viewer, approved_evaluation):
    client.force_login(viewer)

    text = page(client.get(detail(approved_evaluation)))

    assert '<span class="badge open">Open</span>' in text
    assert "Closed by decision" not in text


def test_the_evaluation_unit_sees_edit_links_while_the_response_is_drafted(
    client, evaluator, viewer, draft_evaluation
):
    client.force_login(evaluator)
    as_evaluator = page(client.get(detail(draft_evaluation)))
    client.force_login(viewer)
    as_viewer = page(client.get(detail(draft_evaluation)))

    assert "Add a recommendation" in as_evaluator
    assert "Add a recommendation" not in as_viewer


def _queries_for_detail(client, evaluation) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(detail(evaluation))
    assert response.status_code == 200
    return len(queries)


def test_its_query_count_does_not_grow_with_recommendations(
    client, evaluator, draft_evaluation, units
):
    client.force_login(evaluator)
    client.get(detail(draft_evaluation))
    with_one = _queries_for_detail(client, draft_evaluation)

    for number in ("2", "3", "4", "5"):
        rec = add_recommendation(
            draft_evaluation, evaluator, units["QTO-DA"], number, f"Thing {number}."
        )
        services.recommendation_update(
            recommendation=rec, by=evaluator, number=number, statement=f"Thing {number}.",
            sub_points=["a) one", "b) two"],
        )  # fmt: skip
    with_five = _queries_for_detail(client, draft_evaluation)

    assert with_one == with_five
