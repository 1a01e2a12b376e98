"""The drafting forms: bad input gets a message that names the problem and keeps what was typed."""

from __future__ import annotations

import html
import re

import pytest
from django.urls import reverse

from conftest import make_user
from uptake.accounts.models import Role
from uptake.evaluations import services
from uptake.evaluations.models import Action, Evaluation, Recommendation, Response

pytestmark = pytest.mark.django_db


def page(response) -> str:
    return html.unescape(response.content.decode())


def form_version(response) -> str:
    """The version the form was opened on, as its hidden field carries it."""
    match = re.search(r'name="version" value="(\d+)"', response.content.decode())
    assert match, "the form carries no version"
    return match.group(1)


@pytest.fixture
def rec(draft_evaluation) -> Recommendation:
    return draft_evaluation.recommendations.get(number="1")


@pytest.fixture
def hwp_response(rec) -> Response:
    return rec.responses.get(unit__code="HWP")


@pytest.fixture
def colleague(db):
    """A second member of the evaluation unit, editing at the same time."""
    return make_user("colleague", Role.EVALUATION_UNIT)


# Recommendations ---------------------------------------------------------------------------


def test_it_adds_a_recommendation(client, evaluator, draft_evaluation):
    client.force_login(evaluator)

    response = client.post(
        reverse("evaluations:recommendation_create", args=[draft_evaluation.pk]),
        {"number": "2", "statement": "Publish budgets.", "sub_points": "a) yearly\nb) online"},
    )

    assert response.status_code == 302
    added = draft_evaluation.recommendations.get(number="2")
    assert added.statement == "Publish budgets."
    assert [p.text for p in added.sub_points.all()] == ["yearly", "online"]


def test_a_duplicate_number_is_named_and_the_statement_kept(client, evaluator, draft_evaluation):
    client.force_login(evaluator)

    response = client.post(
        reverse("evaluations:recommendation_create", args=[draft_evaluation.pk]),
        {"number": "1", "statement": "Another first recommendation, typed with care."},
    )

    assert response.status_code == 200
    text = page(response)
    assert "This evaluation already has a recommendation numbered 1." in text
    assert "Another first recommendation, typed with care.</textarea>" in text
    assert draft_evaluation.recommendations.count() == 1


def test_renumbering_onto_an_existing_number_is_refused(client, evaluator, draft_evaluation, rec):
    other = services.recommendation_create(
        evaluation=draft_evaluation, by=evaluator, number="2", statement="Second."
    )
    client.force_login(evaluator)

    response = client.post(
        reverse("evaluations:recommendation_edit", args=[other.pk]),
        {"number": "1", "statement": "Second, edited.", "version": str(other.version)},
    )

    assert response.status_code == 200
    assert "This evaluation already has a recommendation numbered 1." in page(response)
    assert "Second, edited.</textarea>" in page(response)
    other.refresh_from_db()
    assert other.number == "2"
    assert other.statement == "Second."


# Responses ---------------------------------------------------------------------------------


def test_an_unknown_unit_is_named_and_the_commitment_kept(client, evaluator, rec):
    client.force_login(evaluator)

    response = client.post(
        reverse("evaluations:response_create", args=[rec.pk]),
        {"unit": "XYZ", "agreement": "agree", "commitment": "We will do it all."},
    )

    assert response.status_code == 200
    text = page(response)
    assert "No unit matches “XYZ”" in text
    assert 'value="XYZ"' in text
    assert "We will do it all.</textarea>" in text
    assert rec.responses.count() == 1


def test_a_unit_can_be_typed_by_name_as_documents_write_it(client, evaluator, rec):
    client.force_login(evaluator)

    response = client.post(
        reverse("evaluations:response_create", args=[rec.pk]),
        {
            "unit": "Results and Strategic Planning Division (PRS)",
            "agreement": "agree",
            "commitment": "Planning will help.",
        },
    )

    assert response.status_code == 302
    assert rec.responses.get(unit__code="PRS").commitment == "Planning will help."


def test_partial_agreement_without_rationale_is_refused_and_the_form_kept(client, evaluator, rec):
    client.force_login(evaluator)

    response = client.post(
        reverse("evaluations:response_create", args=[rec.pk]),
        {"unit": "PRS", "agreement": "partially_agree", "commitment": "Some of it, later."},
    )

    assert response.status_code == 200
    text = page(response)
    assert "A unit that agrees only in part or disagrees must give its reasons." in text
    assert "Some of it, later.</textarea>" in text
    assert 'value="PRS"' in text
    assert not rec.responses.filter(unit__code="PRS").exists()


# Actions -----------------------------------------------------------------------------------


def test_an_impossible_target_date_is_named_and_kept(client, evaluator, hwp_response):
    client.force_login(evaluator)
    before = Action.objects.count()

    response = client.post(
        reverse("evaluations:action_create", args=[hwp_response.pk]),
        {
            "text": "Hire an engineer.",
            "deliverable": "Contract",
            "target_date_text": "February 30, 2022",
        },
    )

    assert response.status_code == 200
    text = page(response)
    assert "“February 30, 2022” is not a real calendar date." in text
    assert 'value="February 30, 2022"' in text
    assert "Hire an engineer.</textarea>" in text
    assert Action.objects.count() == before


def test_an_action_is_added_with_its_date_as_written(client, evaluator, hwp_response):
    client.force_login(evaluator)

    response = client.post(
        reverse("evaluations:action_create", args=[hwp_response.pk]),
        {
            "text": "Hire an engineer.",
            "deliverable": "Contract",
            "unit": "QTO-DA",
            "target_date_text": "Q3 2021-22",
        },
    )

    assert response.status_code == 302
    added = Action.objects.get(text="Hire an engineer.")
    assert added.target_date_text == "Q3 2021-22"
    assert str(added.due_date) == "2021-12-31"
    assert added.unit.code == "QTO-DA"


# Stale forms -------------------------------------------------------------------------------


def test_a_stale_recommendation_form_overwrites_nothing_and_keeps_the_typing(
    client, evaluator, colleague, rec
):
    client.force_login(evaluator)
    url = reverse("evaluations:recommendation_edit", args=[rec.pk])
    opened_on = form_version(client.get(url))
    # Meanwhile a colleague saves their own change.
    services.recommendation_update(
        recommendation=Recommendation.objects.get(pk=rec.pk), by=colleague, number="1",
        statement="Fund maintenance from the core budget.",
    )  # fmt: skip

    response = client.post(
        url, {"number": "1", "statement": "Fund maintenance every year.", "version": opened_on}
    )

    assert response.status_code == 200
    text = page(response)
    assert "Someone else changed this recommendation after you opened the form." in text
    assert "Fund maintenance every year.</textarea>" in text
    rec.refresh_from_db()
    assert rec.statement == "Fund maintenance from the core budget."


def test_a_stale_response_form_overwrites_nothing(client, evaluator, colleague, hwp_response):
    client.force_login(evaluator)
    url = reverse("evaluations:response_edit", args=[hwp_response.pk])
    opened_on = form_version(client.get(url))
    services.response_update(
        response=Response.objects.get(pk=hwp_response.pk), by=colleague, unit=hwp_response.unit,
        agreement="agree", commitment="The colleague's words.",
    )  # fmt: skip

    response = client.post(
        url,
        {"unit": "HWP", "agreement": "agree", "commitment": "My words.", "version": opened_on},
    )

    assert "Someone else changed this response after you opened the form." in page(response)
    assert "My words.</textarea>" in page(response)
    hwp_response.refresh_from_db()
    assert hwp_response.commitment == "The colleague's words."


def test_a_stale_action_form_overwrites_nothing(client, evaluator, colleague, hwp_response):
    action = hwp_response.actions.order_by("id").first()
    client.force_login(evaluator)
    url = reverse("evaluations:action_edit", args=[action.pk])
    opened_on = form_version(client.get(url))
    services.action_update(
        action=Action.objects.get(pk=action.pk), by=colleague, text="Colleague's text.",
        target_date_text="June 2021", deliverable="Template",
    )  # fmt: skip

    response = client.post(
        url,
        {
            "text": "My text.",
            "deliverable": "Template",
            "target_date_text": "December 2021",
            "version": opened_on,
        },
    )

    text = page(response)
    assert "Someone else changed this action after you opened the form." in text
    assert 'value="December 2021"' in text
    action.refresh_from_db()
    assert action.text == "Colleague's text."
    assert action.target_date_text == "June 2021"


def test_a_stale_evaluation_form_overwrites_nothing(client, evaluator, colleague, draft_evaluation):
    client.force_login(evaluator)
    url = reverse("evaluations:edit", args=[draft_evaluation.pk])
    opened_on = form_version(client.get(url))
    services.evaluation_update(
        evaluation=Evaluation.objects.get(pk=draft_evaluation.pk), by=colleague,
        title_en="Evaluation of the Highland water program",
    )  # fmt: skip

    response = client.post(
        url,
        {
            "title_en": "My better title",
            "evaluation_type": "program",
            "version": opened_on,
        },
    )

    assert response.status_code == 200
    text = page(response)
    assert "Someone else changed this evaluation after you opened the form." in text
    assert 'value="My better title"' in text
    draft_evaluation.refresh_from_db()
    assert draft_evaluation.title_en == "Evaluation of the Highland water program"


def test_a_fresh_form_saves(client, evaluator, rec):
    client.force_login(evaluator)
    url = reverse("evaluations:recommendation_edit", args=[rec.pk])
    opened_on = form_version(client.get(url))

    response = client.post(
        url, {"number": "1", "statement": "Fund maintenance every year.", "version": opened_on}
    )

    assert response.status_code == 302
    rec.refresh_from_db()
    assert rec.statement == "Fund maintenance every year."
