"""Searches find words whatever their case and accents, on every list that has a search box,
and the folded copies they read stay exact whoever writes."""

from __future__ import annotations

import datetime
import importlib
import re
import types

import pytest
from django.db import connection
from django.urls import reverse

from uptake.core.search import fold, folded_fields, name_key, search_words
from uptake.evaluations import services
from uptake.evaluations.demo import load_demo
from uptake.evaluations.models import Evaluation, Recommendation
from uptake.evaluations.synthetic import generate
from uptake.importer.parsing import parse_text
from uptake.importer.services import ImportReport, import_plan
from uptake.importer.tests.plans import KNOWN_AND_NEW
from uptake.results import services as results

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("SANTÉ", "santé"),
        ("sante", "Santé"),
        ("Évaluation", "EVALUATION"),
        ("garçon", "GARCON"),
        ("naïve", "Naive"),
        ("Straße", "STRASSE"),
        ("ﬁnance", "Finance"),  # a ligature, as PDF text often has
        ("ＣＡＦＥ", "café"),  # full-width letters
    ],
)
def test_a_word_folds_to_the_same_text_as_its_other_spellings(typed, stored) -> None:
    assert fold(typed) == fold(stored)


def test_different_words_stay_different() -> None:
    assert fold("côte") != fold("cite")
    assert fold("rapport") != fold("report")


def test_a_search_is_its_distinct_words_in_order() -> None:
    assert search_words("  Santé  maternelle SANTE\trurale ") == ["sante", "maternelle", "rurale"]
    assert search_words("   ") == []


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("Direction générale (DGA)", "direction generale DGA"),
        ("Programme — Pérou/Bolivie", "programme perou bolivie"),
        ("  Unit\t of   Health ", "unit of health"),
    ],
)
def test_two_spellings_of_a_name_have_one_key(one, other) -> None:
    assert name_key(one) == name_key(other) == " ".join(name_key(other).split())


def test_names_with_other_words_have_other_keys() -> None:
    assert name_key("Health Unit") != name_key("Health Units")
    assert name_key("…") == ""


def _stale(model, fields) -> list[int]:
    """The ids of MODEL's rows whose folded copy differs from their fields."""
    return [
        pk
        for pk, text, *values in model.objects.values_list("pk", "search_text", *fields)
        if text != folded_fields(values)
    ]


def _assert_all_copies_exact() -> None:
    assert Evaluation.objects.exists() and Recommendation.objects.exists()
    assert _stale(Evaluation, Evaluation.SEARCHED_FIELDS) == []
    assert _stale(Recommendation, Recommendation.SEARCHED_FIELDS) == []


def test_the_services_keep_the_folded_copies_exact(evaluator, draft_evaluation) -> None:
    services.evaluation_update(
        evaluation=draft_evaluation,
        by=evaluator,
        expected_version=draft_evaluation.version,
        title_en="Évaluation RÉVISÉE",
        title_fr=draft_evaluation.title_fr,
        program="Pérou",
    )
    recommendation = draft_evaluation.recommendations.first()
    services.recommendation_update(
        recommendation=recommendation,
        by=evaluator,
        expected_version=recommendation.version,
        number=recommendation.number,
        statement="Réparer les CANAUX.",
        statement_fr="Réparer les canaux d'abord.",
    )

    draft_evaluation.refresh_from_db()
    assert "evaluation revisee" in draft_evaluation.search_text
    assert "perou" in draft_evaluation.search_text
    _assert_all_copies_exact()


def test_saving_only_some_fields_still_refreshes_the_copy(draft_evaluation) -> None:
    draft_evaluation.program = "ÉTHIOPIE"
    draft_evaluation.save(update_fields=["program"])

    assert "ethiopie" in Evaluation.objects.get(pk=draft_evaluation.pk).search_text


def test_the_importer_keeps_the_folded_copies_exact(evaluator, units) -> None:
    import_plan(parsed=parse_text(KNOWN_AND_NEW), by=evaluator, report=ImportReport())
    _assert_all_copies_exact()


def test_the_demo_data_has_exact_folded_copies() -> None:
    load_demo(today=datetime.date(2026, 6, 15))
    _assert_all_copies_exact()


def test_generated_data_has_exact_folded_copies() -> None:
    generate(evaluations=3, seed=7, today=datetime.date(2026, 6, 15))
    _assert_all_copies_exact()


def test_the_migration_fills_the_copies_of_existing_rows(draft_evaluation) -> None:
    migration = importlib.import_module("uptake.evaluations.migrations.0006_search_text")
    draft_evaluation.title_en = "Évaluation d'un programme"
    draft_evaluation.save()
    Evaluation.objects.update(search_text="")
    Recommendation.objects.update(search_text="")

    migration.fill_search_text(None, types.SimpleNamespace(connection=connection))

    _assert_all_copies_exact()
    assert "evaluation d'un programme" in Evaluation.objects.get().search_text


# --- every search box ---------------------------------------------------------------------


def test_the_evaluation_list_finds_a_title_typed_without_accents(client, viewer, evaluator) -> None:
    found = services.evaluation_create(by=evaluator, title_en="Évaluation du SECTEUR de la santé")
    services.evaluation_create(by=evaluator, title_en="Water supply review")
    client.force_login(viewer)

    page = client.get(reverse("evaluations:list"), {"q": "evaluation secteur sante"})

    listed = set(re.findall(r'href="/evaluations/(\d+)/"', page.content.decode()))
    assert listed == {str(found.pk)}


def test_the_strategy_list_finds_a_subject_typed_without_accents(client, viewer, evaluator):
    for title, subject in (("Stratégie pour le Pérou", "PÉROU"), ("Water sector", "Water")):
        results.strategy_create(
            by=evaluator,
            kind="country",
            title_en=title,
            subject=subject,
            start_year=2024,
            end_year=2026,
        )
    client.force_login(viewer)

    page = client.get(reverse("results:strategy_list"), {"q": "perou"}).content.decode()

    assert "Stratégie pour le Pérou" in page
    assert "Water sector" not in page


def test_the_unit_list_of_the_api_finds_a_name_typed_without_accents(client, viewer, units):
    units["PRS"].name_fr = "Direction de la planification stratégique"
    units["PRS"].save()
    client.force_login(viewer)

    answer = client.get(reverse("api:unit_list"), {"search": "STRATEGIQUE planification"})

    assert answer.status_code == 200
    assert [row["code"] for row in answer.json()["results"]] == ["PRS"]


def test_the_program_filter_finds_a_program_typed_without_accents(client, viewer, evaluator):
    for title, program in (("Peru review", "PÉROU (mission)"), ("Canada review", "Canada")):
        services.evaluation_create(by=evaluator, title_en=title, program=program)
    client.force_login(viewer)

    page = client.get(reverse("evaluations:list"), {"program": "perou"}).content.decode()
    api = client.get(reverse("api:evaluation_list"), {"program": "Pérou"}).json()

    assert "Peru review" in page
    assert "Canada review" not in page
    assert [row["title_en"] for row in api["results"]] == ["Peru review"]
