from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from uptake.evaluations.models import Action, Recommendation, SubPoint

pytestmark = pytest.mark.django_db


def test_the_french_version_is_edited_beside_the_english_after_approval(
    client: Client, approved_evaluation, evaluator
) -> None:
    client.force_login(evaluator)
    address = reverse("publishing:translate", args=[approved_evaluation.pk])
    page = client.get(address).content.decode()
    rec = Recommendation.objects.get(evaluation=approved_evaluation)
    action = Action.objects.filter(response__recommendation=rec).order_by("id").first()
    english = page.index("Fund maintenance.")
    field = page.index(f'name="recommendation-{rec.pk}-statement_fr"')
    assert english < field
    assert f'aria-describedby="id_recommendation-{rec.pk}-statement_fr_english"' in page
    response = client.post(
        address,
        {
            f"recommendation-{rec.pk}-statement_fr": "Financer l'entretien.",
            f"action-{action.pk}-text_fr": "Réviser le gabarit de conception.",
        },
    )
    assert response.status_code == 302
    rec.refresh_from_db()
    action.refresh_from_db()
    assert rec.statement_fr == "Financer l'entretien."
    assert action.text_fr == "Réviser le gabarit de conception."
    assert rec.statement == "Fund maintenance."  # the approved English is untouched
    assert approved_evaluation.recommendations.get().version == rec.version


def test_only_the_evaluation_unit_translates(client: Client, approved_evaluation, viewer) -> None:
    client.force_login(viewer)
    address = reverse("publishing:translate", args=[approved_evaluation.pk])
    assert client.get(address).status_code == 403
    rec = Recommendation.objects.get(evaluation=approved_evaluation)
    assert client.post(address, {f"recommendation-{rec.pk}-statement_fr": "X"}).status_code == 403
    rec.refresh_from_db()
    assert rec.statement_fr == ""


def test_sub_points_are_translated_too(client: Client, bilingual_evaluation, evaluator) -> None:
    client.force_login(evaluator)
    point = SubPoint.objects.filter(recommendation__evaluation=bilingual_evaluation).first()
    client.post(
        reverse("publishing:translate", args=[bilingual_evaluation.pk]),
        {f"subpoint-{point.pk}-text_fr": "le grand canal"},
    )
    point.refresh_from_db()
    assert point.text_fr == "le grand canal"
