"""The history page says who changed what, with the old and new values."""

from __future__ import annotations

import html
import re

import pytest
from django.urls import reverse

from uptake.evaluations.models import Recommendation

pytestmark = pytest.mark.django_db


def visible(response) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())


def test_a_recommendation_edit_shows_old_and_new_statement_and_who(
    client, evaluator, viewer, draft_evaluation
):
    evaluator.first_name, evaluator.last_name = "Eva", "Lund"
    evaluator.save()
    rec = draft_evaluation.recommendations.get(number="1")
    client.force_login(evaluator)
    client.post(
        reverse("evaluations:recommendation_edit", args=[rec.pk]),
        {"number": "1", "statement": "Fund maintenance every year.", "version": rec.version},
        follow=True,
    )
    assert Recommendation.objects.get(pk=rec.pk).statement == "Fund maintenance every year."
    client.force_login(viewer)

    text = visible(client.get(reverse("evaluations:history", args=[draft_evaluation.pk])))

    assert (
        "Eva Lund Recommendation 1 changed statement: Fund maintenance. → "
        "Fund maintenance every year." in text
    )


def test_it_shows_state_changes_with_who_made_them(client, viewer, approved_evaluation):
    client.force_login(viewer)

    text = visible(client.get(reverse("evaluations:history", args=[approved_evaluation.pk])))

    assert (
        "committee Evaluation changed state: Response awaiting approval → Response approved" in text
    )
    assert (
        "evaluator Evaluation changed state: Response in preparation → Response awaiting approval"
        in text
    )


def test_it_shows_creations(client, viewer, draft_evaluation):
    client.force_login(viewer)

    text = visible(client.get(reverse("evaluations:history", args=[draft_evaluation.pk])))

    assert "evaluator Action “Train water boards.” created" in text
    assert "evaluator Response of HWP to recommendation 1 created" in text


def test_entries_name_a_response_and_recommendation_as_they_are_now(
    client, evaluator, viewer, draft_evaluation, units
):
    from uptake.evaluations import services
    from uptake.evaluations.models import Response

    rec = draft_evaluation.recommendations.get(number="1")
    response = Response.objects.get(recommendation=rec)
    for unit in ("PRS", "WSB"):
        response = services.response_update(
            response=Response.objects.get(pk=response.pk),
            by=evaluator,
            unit=units[unit],
            agreement=response.agreement,
            commitment=response.commitment,
        )
    services.recommendation_update(
        recommendation=Recommendation.objects.get(pk=rec.pk),
        by=evaluator,
        number="7",
        statement=rec.statement,
    )
    client.force_login(viewer)

    text = visible(client.get(reverse("evaluations:history", args=[draft_evaluation.pk])))

    assert "Response of WSB to recommendation 7 changed" in text
    assert "Response of HWP" not in text and "Response of PRS" not in text
    assert "to recommendation 1 " not in text
