"""The API reads and writes an evaluation's program in French like its French title, and the
public publications API gives the program in both languages."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from uptake.evaluations import services
from uptake.evaluations.models import Evaluation
from uptake.publishing.services import publication_publish

pytestmark = pytest.mark.django_db


def test_an_evaluation_is_created_and_read_with_its_french_program(api_as, evaluator) -> None:
    client = api_as(evaluator)
    created = client.post(
        "/api/v1/evaluations/",
        {"title_en": "Evaluation of a seed program", "program": "Seed Program",
         "program_fr": "Programme de semences"},
        format="json",
    )  # fmt: skip
    assert created.status_code == 201
    evaluation = Evaluation.objects.get(pk=created.json()["id"])
    assert evaluation.program_fr == "Programme de semences"
    read = client.get(f"/api/v1/evaluations/{evaluation.pk}/").json()
    assert (read["program"], read["program_fr"]) == ("Seed Program", "Programme de semences")


def test_the_french_program_is_patched_by_the_evaluation_unit_only(
    api_as, evaluator, viewer, draft_evaluation
) -> None:
    url = f"/api/v1/evaluations/{draft_evaluation.pk}/"
    refused = api_as(viewer).patch(
        url, {"version": draft_evaluation.version, "program_fr": "Non"}, format="json"
    )
    assert refused.status_code == 403
    patched = api_as(evaluator).patch(
        url,
        {"version": draft_evaluation.version, "program_fr": "Programme de l'eau"},
        format="json",
    )
    assert patched.status_code == 200
    assert patched.json()["program_fr"] == "Programme de l'eau"
    draft_evaluation.refresh_from_db()
    assert draft_evaluation.program_fr == "Programme de l'eau"


def test_the_public_api_gives_the_program_in_both_languages(approved_evaluation, evaluator) -> None:
    # The English program is fixed at approval; only its French is translated afterwards.
    Evaluation.objects.filter(pk=approved_evaluation.pk).update(program="Water Program")
    services.translation_update(
        obj=Evaluation.objects.get(pk=approved_evaluation.pk), by=evaluator,
        program_fr="Programme de l'eau",
    )  # fmt: skip
    publication = publication_publish(evaluation=approved_evaluation, by=evaluator)
    client = APIClient()
    listed = client.get("/api/v1/public/publications/").json()["results"]
    assert [(p["program"], p["program_fr"]) for p in listed] == [
        ("Water Program", "Programme de l'eau")
    ]
    detail = client.get(f"/api/v1/public/publications/{publication.slug}/").json()
    assert detail["program_fr"] == "Programme de l'eau"
    assert detail["content"]["evaluation"]["program"] == {
        "en": "Water Program",
        "fr": "Programme de l'eau",
    }
