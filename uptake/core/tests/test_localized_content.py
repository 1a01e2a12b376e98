"""Internal pages show content in French on French pages where it is written, in English
otherwise; English pages always show English."""

from __future__ import annotations

import html as htmllib

import pytest
from django.test import Client
from django.urls import reverse

from uptake.evaluations import services
from uptake.evaluations.models import Action

pytestmark = pytest.mark.django_db


def page(client: Client, path: str, language: str) -> str:
    return htmllib.unescape(client.get(path, HTTP_ACCEPT_LANGUAGE=language).content.decode())


@pytest.fixture
def translated(approved_evaluation, evaluator, units):
    """The first action, its response, recommendation and unit in French; the second action
    left in English."""
    first, _second = Action.objects.filter(
        response__recommendation__evaluation=approved_evaluation
    ).order_by("id")
    services.translation_update(
        obj=first, by=evaluator, text_fr="Réviser le modèle de conception.",
        deliverable_fr="Modèle révisé",
    )  # fmt: skip
    services.translation_update(
        obj=first.response, by=evaluator, commitment_fr="Le programme est d'accord."
    )
    services.translation_update(
        obj=first.response.recommendation, by=evaluator, statement_fr="Financer l'entretien."
    )
    units["HWP"].name_fr = "Programme de l'eau des hautes terres"
    units["HWP"].save()
    return approved_evaluation


def test_the_action_page_shows_the_french_text_on_french_pages(
    client: Client, viewer, translated
) -> None:
    client.force_login(viewer)
    first = Action.objects.get(text="Revise the design template.")
    path = first.get_absolute_url()
    french = page(client, path, "fr")
    assert "<h1>Réviser le modèle de conception.</h1>" in french
    assert "<dd>Modèle révisé</dd>" in french
    assert "Financer l'entretien." in french
    assert "<h1>Revise the design template.</h1>" not in french
    english = page(client, path, "en")
    assert "<h1>Revise the design template.</h1>" in english
    assert "<dd>Template</dd>" in english  # the English deliverable, not "Modèle révisé"


def test_content_not_yet_translated_stays_in_english_on_french_pages(
    client: Client, viewer, translated
) -> None:
    client.force_login(viewer)
    second = Action.objects.get(text="Train water boards.")
    french = page(client, second.get_absolute_url(), "fr")
    assert "<h1>Train water boards.</h1>" in french
    assert "Training reports" in french


def test_the_evaluation_page_shows_french_statement_commitment_actions_and_units(
    client: Client, viewer, translated
) -> None:
    client.force_login(viewer)
    french = page(client, translated.get_absolute_url(), "fr")
    for text in (
        "Financer l'entretien.",
        "Le programme est d'accord.",
        "Réviser le modèle de conception.",
        "Modèle révisé",
        "Programme de l'eau des hautes terres (HWP)",
        "Train water boards.",  # no French yet
    ):
        assert text in french, text
    for text in ("Fund maintenance.", "The program agrees.", "Revise the design template."):
        assert text not in french, text
    english = page(client, translated.get_absolute_url(), "en")
    assert "Fund maintenance." in english and "Financer" not in english


def test_my_actions_lists_the_french_text_for_french_readers(
    client: Client, focal, translated
) -> None:
    client.force_login(focal)
    french = page(client, reverse("followup:my_actions"), "fr")
    assert "Réviser le modèle de conception." in french
    assert "Train water boards." in french
