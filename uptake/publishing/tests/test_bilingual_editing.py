"""French content is edited beside the English, and kept by the services."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from uptake.errors import ServiceError
from uptake.evaluations import services
from uptake.evaluations.models import Action, Recommendation, Response

pytestmark = pytest.mark.django_db


def test_the_recommendation_form_shows_english_and_french_side_by_side(
    client: Client, draft_evaluation, evaluator
) -> None:
    client.force_login(evaluator)
    page = client.get(
        reverse("evaluations:recommendation_create", args=[draft_evaluation.pk])
    ).content.decode()
    pair = re.search(
        r'<div class="bilingual">\s*<div class="field">\s*<label for="id_statement">.*?'
        r'<label for="id_statement_fr" lang="fr">Énoncé \(français\)',
        page,
        re.S,
    )
    assert pair is not None
    assert 'for="id_body"' not in pair.group(0)
    assert re.search(r'<textarea name="statement_fr"[^>]* lang="fr"', page)


def test_french_recommendation_text_and_sub_points_are_saved(
    client: Client, draft_evaluation, evaluator
) -> None:
    client.force_login(evaluator)
    client.post(
        reverse("evaluations:recommendation_create", args=[draft_evaluation.pk]),
        {
            "number": "2",
            "statement": "Train staff.",
            "statement_fr": "Former le personnel.",
            "body": "",
            "body_fr": "",
            "sub_points": "a) nurses\nb) drivers",
            "sub_points_fr": "b) chauffeurs",
        },
    )
    rec = Recommendation.objects.get(evaluation=draft_evaluation, number="2")
    assert rec.statement_fr == "Former le personnel."
    # The French line labelled b) pairs with the English b), not with the first point.
    assert [(p.label, p.text, p.text_fr) for p in rec.sub_points.all()] == [
        ("a", "nurses", ""),
        ("b", "drivers", "chauffeurs"),
    ]
    edit = client.get(reverse("evaluations:recommendation_edit", args=[rec.pk])).content.decode()
    assert "b) chauffeurs" in edit


def test_french_response_and_action_fields_are_saved_from_their_forms(
    client: Client, draft_evaluation, evaluator
) -> None:
    client.force_login(evaluator)
    response = Response.objects.get(recommendation__evaluation=draft_evaluation)
    client.post(
        reverse("evaluations:response_edit", args=[response.pk]),
        {
            "unit": "HWP",
            "agreement": "agree",
            "commitment": "The program agrees.",
            "commitment_fr": "Le programme est d'accord.",
            "rationale": "",
            "rationale_fr": "",
            "version": response.version,
        },
    )
    response.refresh_from_db()
    assert response.commitment_fr == "Le programme est d'accord."
    action = Action.objects.filter(response=response).order_by("id").first()
    client.post(
        reverse("evaluations:action_edit", args=[action.pk]),
        {
            "text": action.text,
            "text_fr": "Réviser le gabarit.",
            "deliverable": "Template",
            "deliverable_fr": "Gabarit",
            "role": "Director",
            "role_fr": "Directrice",
            "unit": "",
            "target_date_text": "June 2021",
            "version": action.version,
        },
    )
    action.refresh_from_db()
    assert (action.text_fr, action.deliverable_fr, action.role_fr) == (
        "Réviser le gabarit.",
        "Gabarit",
        "Directrice",
    )


def test_translation_can_be_added_after_approval_but_nothing_else(
    approved_evaluation, evaluator, committee
) -> None:
    rec = approved_evaluation.recommendations.get()
    services.translation_update(obj=rec, by=evaluator, statement_fr="Financer l'entretien.")
    rec.refresh_from_db()
    assert rec.statement_fr == "Financer l'entretien."
    with pytest.raises(ServiceError):
        services.translation_update(obj=rec, by=evaluator, statement="Changed.")
    rec.refresh_from_db()
    assert rec.statement == "Fund maintenance."
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.translation_update(obj=rec, by=committee, statement_fr="Autre.")
