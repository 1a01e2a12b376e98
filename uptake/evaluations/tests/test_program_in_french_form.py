"""The evaluation form takes the program or country in English and in French."""

from __future__ import annotations

import pytest
from django.urls import reverse

from uptake.evaluations.models import Evaluation

pytestmark = pytest.mark.django_db

FIELDS = {
    "title_en": "Evaluation of the Coastal Fisheries Program",
    "title_fr": "Évaluation du Programme des pêches côtières",
    "program": "Coastal Fisheries Program",
    "program_fr": "Programme des pêches côtières",
    "evaluation_type": "program",
}


def test_the_form_offers_the_french_program_after_the_english(client, evaluator) -> None:
    client.force_login(evaluator)
    page = client.get(reverse("evaluations:create")).content.decode()
    assert "Program or country (French)" in page
    assert page.index('name="program"') < page.index('name="program_fr"')


def test_a_new_evaluation_keeps_the_program_in_both_languages(client, evaluator) -> None:
    client.force_login(evaluator)
    response = client.post(reverse("evaluations:create"), FIELDS)
    evaluation = Evaluation.objects.get(title_en=FIELDS["title_en"])
    assert response.status_code == 302
    assert (evaluation.program, evaluation.program_fr) == (FIELDS["program"], FIELDS["program_fr"])


def test_editing_changes_the_french_program(client, evaluator, draft_evaluation) -> None:
    client.force_login(evaluator)
    fields = FIELDS | {"program_fr": "Programme des pêches du littoral"}
    response = client.post(
        reverse("evaluations:edit", args=[draft_evaluation.pk]),
        fields | {"version": str(draft_evaluation.version)},
    )
    assert response.status_code == 302
    draft_evaluation.refresh_from_db()
    assert draft_evaluation.program_fr == "Programme des pêches du littoral"
    assert draft_evaluation.program == FIELDS["program"]
