"""The committee pack's overdue list: the approved plans' overdue actions, exactly those the
figures count. A plan still in preparation has proposed dates, which are never late."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from pypdf import PdfReader

from uptake.api import selectors as api_selectors
from uptake.errors import ServiceError
from uptake.evaluations import services as evaluations
from uptake.evaluations.models import EvaluationState
from uptake.followup import services as followup
from uptake.reporting import pack, selectors, services

from .conftest import oracle_rows

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("asked_on_written_day")]

PROPOSED = ("Proposal one, still being written.", "Proposal two, still being written.")


@pytest.fixture
def in_preparation(world, units, evaluator):
    """An evaluation whose response is being drafted, its proposed dates long past (as an
    import of an old plan leaves it)."""
    ev = evaluations.evaluation_create(by=evaluator, title_en="Plan in preparation")
    evaluations.evaluation_start_response(evaluation=ev, by=evaluator)
    rec = evaluations.recommendation_create(
        evaluation=ev, by=evaluator, number="2", statement="Propose."
    )
    resp = evaluations.response_create(
        recommendation=rec, by=evaluator, unit=units["HWP"], agreement="agree", commitment="Yes."
    )
    for text, date in zip(PROPOSED, ("October 2020", "March 2021"), strict=True):
        evaluations.action_create(
            response=resp, by=evaluator, text=text, target_date_text=date, deliverable="Proof"
        )
    ev.refresh_from_db()
    assert ev.state == EvaluationState.RESPONSE_IN_PREPARATION
    return ev


@pytest.fixture
def open_round(world, in_preparation, evaluator, focal):
    round_ = services.round_open(by=evaluator, name="Fall round", deadline=timezone.localdate())
    followup.update_submit(
        action=world.a["a3"], by=focal, status="in_progress", narrative="Blocked by procurement."
    )
    return round_


def _expected_overdue() -> list[tuple[str, str]]:
    """The oracle's overdue actions today: approved plans only, by its own reading."""
    return sorted(
        (r.action.response.recommendation.evaluation.title_en, r.action.text)
        for r in oracle_rows(timezone.localdate())
        if r.overdue
    )


def _pdf_text(content: bytes) -> str:
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    return " ".join(text.split())


def test_the_open_rounds_list_holds_only_approved_plans_and_matches_the_count(open_round):
    data = pack.pack_data(open_round)

    listed = sorted((row.evaluation, row.action) for row in data.overdue)
    assert listed == _expected_overdue()
    assert listed  # the approved evaluation has overdue actions to show
    assert "Plan in preparation" not in {row.evaluation for row in data.overdue}
    assert data.overall.overdue == len(data.overdue)


def test_the_pdf_lists_as_many_overdue_actions_as_its_summary_counts(client, committee, open_round):
    client.force_login(committee)

    text = _pdf_text(client.get(reverse("reporting:pack_pdf", args=[open_round.pk])).content)

    expected = _expected_overdue()
    assert f"Overdue actions {len(expected)}" in text
    assert text.count("days late.") == len(expected)
    for _title, action in expected:
        assert action in text
    for proposal in PROPOSED:
        assert proposal not in text
    assert "Reason: Blocked by procurement." in text


def test_a_closed_rounds_list_leaves_out_the_plan_in_preparation(open_round, evaluator):
    services.round_close(round_=open_round, by=evaluator)
    open_round.refresh_from_db()
    assert not open_round.is_open  # the pack reads the snapshot frozen on closing

    data = pack.pack_data(open_round)

    assert sorted((row.evaluation, row.action) for row in data.overdue) == _expected_overdue()
    assert data.overall.overdue == len(data.overdue)


def test_the_french_pack_gives_the_reason_in_french(client, committee, open_round):
    client.force_login(committee)

    response = client.get(
        reverse("reporting:pack_pdf", args=[open_round.pk]), HTTP_ACCEPT_LANGUAGE="fr"
    )

    text = _pdf_text(response.content)
    assert "Mesures en retard" in text  # the pack is in French
    assert "Blocked by procurement." in text  # the reason, as the unit wrote it
    assert "Reason:" not in text


def test_a_second_open_round_is_refused_in_french(open_round, evaluator):
    with translation.override("fr"), pytest.raises(ServiceError) as refused:
        services.round_open(by=evaluator, name="Another", deadline=timezone.localdate())

    assert "Fall round" in str(refused.value)
    assert "already open" not in str(refused.value)


def test_an_unknown_update_link_is_explained_in_french(client):
    response = client.get(
        reverse("reporting:update_link_form", args=["no-such-secret"]), HTTP_ACCEPT_LANGUAGE="fr"
    )

    assert response.status_code == 404
    assert "This link does not exist" not in response.content.decode()


def test_the_digest_and_the_api_leave_out_the_plan_in_preparation(world, in_preparation, focal):
    # The plan in preparation answers to HWP, the focal point's unit, and its dates are past.
    digest = selectors.reminder_digest(focal, timezone.localdate())
    reminded = {a.text for a in (*digest.overdue, *digest.due_soon, *digest.owed)}
    api_overdue = {a.text for a in api_selectors.action_list(overdue=True)}

    assert "Action a3." in reminded and "Action a3." in api_overdue  # approved and late
    assert not reminded & set(PROPOSED)
    assert not api_overdue & set(PROPOSED)
