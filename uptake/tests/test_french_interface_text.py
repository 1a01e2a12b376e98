"""French and Spanish pages: colons typeset by the catalogue, content in the reader's language,
counts with their singular and plural."""

from __future__ import annotations

import html
import re

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from uptake.accounts.models import Unit, UnitKind
from uptake.errors import ServiceError
from uptake.evaluations import services
from uptake.evaluations.models import Action, Evaluation
from uptake.followup import services as followup
from uptake.reporting.reminders import digest_message
from uptake.reporting.selectors import Digest, Shortened
from uptake.results.spreadsheets import FrameworkImportError, Problem

pytestmark = pytest.mark.django_db


def visible(response) -> str:
    """The text a person reads: no tags, spaces collapsed."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())


def glued_colons(text: str) -> list[str]:
    """Each word written straight against a colon and a space ("Livrable: "), which French
    typography spaces ("Livrable : ")."""
    return re.findall(r"\S*[^\W\d_]: ", text)


def french(client, url: str) -> str:
    return visible(client.get(url, HTTP_ACCEPT_LANGUAGE="fr"))


def english(client, url: str) -> str:
    return visible(client.get(url, HTTP_ACCEPT_LANGUAGE="en"))


@pytest.fixture
def reviewed(action, focal, evaluator):
    """The first action with a completion claim sent back with a comment, and a rationale."""
    response = action.response
    response.rationale = "Budget is tight."
    response.save(update_fields=["rationale"])
    update = followup.update_submit(action=action, by=focal, status="completed", narrative="Done.")
    update = followup.update_return(update=update, by=evaluator, comment="Attach the report")
    return action, update


# 1. Colons -------------------------------------------------------------------------------


def test_the_french_evaluation_and_action_pages_space_their_colons(client, viewer, reviewed):
    action, update = reviewed
    client.force_login(viewer)
    evaluation = action.response.recommendation.evaluation

    page = french(client, evaluation.get_absolute_url())
    assert "Recommandation 1 : Fund maintenance." in page
    assert "Engagements : Highland Water Program (HWP)" in page
    assert "Justification : Budget is tight." in page
    assert "Livrable : Template" in page
    assert glued_colons(page) == []

    page = french(client, action.get_absolute_url())
    when = timezone.localtime(update.reviewed_at).strftime("%Y-%m-%d")  # as the site shows it
    assert f"Examiné par evaluator le {when} : Attach the report" in page
    assert glued_colons(page) == []


def test_the_french_update_form_spaces_its_colons(client, action, focal):
    client.force_login(focal)

    page = french(client, reverse("followup:update_create", args=[action.pk]))

    assert "État actuel :" in page and "Date d'achèvement prévue :" in page
    assert glued_colons(page) == []


def test_english_pages_keep_their_colons_against_the_word(client, viewer, focal, reviewed):
    action, update = reviewed
    client.force_login(viewer)

    page = english(client, action.response.recommendation.evaluation.get_absolute_url())
    assert "Recommendation 1: Fund maintenance." in page
    assert "Commitments: Highland Water Program (HWP)" in page
    assert "Rationale: Budget is tight." in page
    assert "Deliverable: Template" in page
    when = timezone.localtime(update.reviewed_at).strftime("%Y-%m-%d")  # as the site shows it
    assert f"Reviewed by evaluator on {when}: Attach the report" in english(
        client, action.get_absolute_url()
    )

    client.force_login(focal)
    page = english(client, reverse("followup:update_create", args=[action.pk]))
    assert "Current status:" in page and "Target completion date:" in page


# 2. French content on internal pages ---------------------------------------------------


@pytest.fixture
def bilingual(draft_evaluation) -> Evaluation:
    Unit.objects.create(
        code="EVD", name_en="Evaluation Division", name_fr="Direction de l'évaluation",
        kind=UnitKind.DIVISION,
    )  # fmt: skip
    Evaluation.objects.filter(pk=draft_evaluation.pk).update(
        title_fr="Évaluation d'un programme d'eau",
        program="Highland Water Program",
        program_fr="Programme de l'eau des hautes terres",
        evaluation_unit="Evaluation Division",
    )
    draft_evaluation.refresh_from_db()
    return draft_evaluation


def test_a_french_evaluation_page_shows_the_french_content(client, viewer, bilingual):
    client.force_login(viewer)

    response = client.get(bilingual.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="fr")
    page, text = html.unescape(response.content.decode()), visible(response)

    assert "Programme ou pays Programme de l'eau des hautes terres" in text
    assert "Unité d'évaluation Direction de l'évaluation" in text
    assert "Highland Water Program" not in text.replace("Highland Water Program (HWP)", "")
    assert "Evaluation Division" not in text
    # The heading in French; the English title under it, once each.
    assert re.search(r"<h1>\s*Évaluation d'un programme d'eau\s*</h1>", page)
    assert '<p class="muted" lang="en">Evaluation of a water program</p>' in page
    assert text.count("Évaluation d'un programme d'eau") == 2  # the page's title and the h1


def test_an_english_evaluation_page_shows_the_english_content(client, viewer, bilingual):
    client.force_login(viewer)

    response = client.get(bilingual.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en")
    page, text = html.unescape(response.content.decode()), visible(response)

    assert "Program or country Highland Water Program" in text
    assert "Evaluation unit Evaluation Division" in text
    assert "Programme de l'eau" not in text and "Direction de l'évaluation" not in text
    assert re.search(r"<h1>\s*Evaluation of a water program\s*</h1>", page)
    assert '<p class="muted" lang="fr">Évaluation d\'un programme d\'eau</p>' in page


def test_the_french_evaluation_list_shows_french_program_names(client, viewer, bilingual):
    client.force_login(viewer)

    assert "Programme de l'eau des hautes terres" in french(client, reverse("evaluations:list"))
    page = english(client, reverse("evaluations:list"))
    assert "Highland Water Program" in page and "Programme de l'eau" not in page


# 3. Counts in messages -------------------------------------------------------------------


def _actions(evaluation: Evaluation) -> list[Action]:
    return list(
        Action.objects.filter(response__recommendation__evaluation=evaluation).order_by("id")
    )


@pytest.mark.parametrize(
    ("language", "one", "two"),
    [
        ("en", "Uptake: 1 action needs your attention", "Uptake: 2 actions need your attention"),
        (
            "fr",
            "Uptake : 1 mesure demande votre attention",
            "Uptake : 2 mesures demandent votre attention",
        ),
        (
            "es",
            "Uptake: 1 acción requiere su atención",
            "Uptake: 2 acciones requieren su atención",
        ),
    ],
)
def test_the_digest_subject_counts_actions(approved_evaluation, focal, language, one, two):
    first, second = _actions(approved_evaluation)

    # The digest is written in its recipient's language, whatever the language around it.
    focal.language = language

    def subject(actions: list[Action]) -> str:
        digest = Digest(
            user=focal,
            due_soon=Shortened.whole(actions),
            overdue=Shortened.whole([]),
            owed=Shortened.whole([]),
            round=None,
            sent_back=Shortened.whole([]),
            action_count=len(actions),
        )
        with translation.override("en"):
            return digest_message(digest).subject

    assert subject([first]) == one
    assert subject([first, second]) == two


def test_closing_as_implemented_counts_the_unfinished_actions(approved_evaluation, evaluator):
    rec = approved_evaluation.recommendations.get()

    with pytest.raises(ServiceError) as exc:
        services.recommendation_close(recommendation=rec, by=evaluator, reason="implemented")

    assert exc.value.message.startswith(
        "2 actions are not yet validated. Validate or cancel them, or ask the committee"
    )


def test_a_refused_workbook_counts_its_problems():
    problem = Problem(sheet="Targets", row=3, column="Value", message="Not a number.")

    assert FrameworkImportError([problem]).message == (
        "The workbook has 1 problem; nothing was saved."
    )
    assert FrameworkImportError([problem, problem]).message == (
        "The workbook has 2 problems; nothing was saved."
    )
    with translation.override("fr"):
        assert FrameworkImportError([problem]).message == (
            "Le classeur comporte 1 problème ; rien n'a été enregistré."
        )
        assert FrameworkImportError([problem, problem]).message == (
            "Le classeur comporte 2 problèmes ; rien n'a été enregistré."
        )
