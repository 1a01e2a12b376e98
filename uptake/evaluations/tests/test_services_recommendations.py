"""Recording evaluations and their recommendations: who may, numbering, sub-points, locking."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from uptake.errors import ConflictError, ServiceError
from uptake.evaluations import services
from uptake.evaluations.models import Evaluation, EvaluationState, Recommendation, SubPoint

pytestmark = pytest.mark.django_db


@pytest.fixture
def evaluation(evaluator) -> Evaluation:
    return services.evaluation_create(by=evaluator, title_en="Evaluation of a school program")


# Who may record --------------------------------------------------------------------------


def test_the_evaluation_unit_records_an_evaluation(evaluator):
    evaluation = services.evaluation_create(
        by=evaluator, title_en="Evaluation of a school program", period="2016-17 to 2021-22"
    )

    evaluation.refresh_from_db()
    assert evaluation.title_en == "Evaluation of a school program"
    assert evaluation.period == "2016-17 to 2021-22"
    assert evaluation.state == EvaluationState.DRAFT
    assert evaluation.history.first().history_user == evaluator


def test_an_administrator_records_an_evaluation(admin_user):
    services.evaluation_create(by=admin_user, title_en="Evaluation by the admin")

    assert Evaluation.objects.filter(title_en="Evaluation by the admin").exists()


@pytest.mark.parametrize("persona", ["committee", "focal", "viewer"])
def test_nobody_else_records_an_evaluation(request, persona):
    user = request.getfixturevalue(persona)

    with pytest.raises(PermissionDenied):
        services.evaluation_create(by=user, title_en="Not allowed")

    assert not Evaluation.objects.exists()


@pytest.mark.parametrize("persona", ["committee", "focal", "viewer"])
def test_nobody_else_edits_an_evaluation(request, evaluation, persona):
    user = request.getfixturevalue(persona)

    with pytest.raises(PermissionDenied):
        services.evaluation_update(evaluation=evaluation, by=user, title_en="Changed")

    evaluation.refresh_from_db()
    assert evaluation.title_en == "Evaluation of a school program"


def test_an_evaluation_without_a_title_is_refused(evaluator):
    with pytest.raises(ServiceError) as exc:
        services.evaluation_create(by=evaluator, title_en="")

    assert exc.value.field == "title_en"
    assert not Evaluation.objects.exists()


def test_an_invalid_report_link_is_refused_and_names_the_field(evaluation, evaluator):
    with pytest.raises(ServiceError) as exc:
        services.evaluation_update(evaluation=evaluation, by=evaluator, report_url="not a link")

    assert exc.value.field == "report_url"
    evaluation.refresh_from_db()
    assert evaluation.report_url == ""
    assert evaluation.version == 1


@pytest.mark.parametrize("persona", ["evaluator", "admin_user"])
def test_the_evaluation_unit_records_a_recommendation(request, evaluation, persona):
    user = request.getfixturevalue(persona)

    rec = services.recommendation_create(
        evaluation=evaluation, by=user, number=" 3 ", statement=" Fund maintenance. "
    )

    rec.refresh_from_db()
    assert rec.number == "3"
    assert rec.statement == "Fund maintenance."
    assert rec.evaluation_id == evaluation.id
    assert rec.history.first().history_user == user


@pytest.mark.parametrize("persona", ["committee", "focal", "viewer", "outsider"])
def test_nobody_else_records_a_recommendation(request, evaluation, persona):
    user = request.getfixturevalue(persona)

    with pytest.raises(PermissionDenied):
        services.recommendation_create(
            evaluation=evaluation, by=user, number="1", statement="Not allowed."
        )

    assert not Recommendation.objects.exists()


@pytest.mark.parametrize("persona", ["committee", "focal", "viewer"])
def test_nobody_else_edits_or_removes_a_recommendation(request, evaluation, evaluator, persona):
    rec = services.recommendation_create(
        evaluation=evaluation, by=evaluator, number="1", statement="Original."
    )
    user = request.getfixturevalue(persona)

    with pytest.raises(PermissionDenied):
        services.recommendation_update(
            recommendation=rec, by=user, number="1", statement="Changed."
        )
    with pytest.raises(PermissionDenied):
        services.recommendation_delete(recommendation=rec, by=user)

    rec.refresh_from_db()
    assert rec.statement == "Original."


# Numbers ---------------------------------------------------------------------------------


def test_a_duplicate_number_is_refused_with_a_message_naming_it(evaluation, evaluator):
    services.recommendation_create(
        evaluation=evaluation, by=evaluator, number="3.1", statement="First."
    )

    with pytest.raises(ServiceError) as exc:
        services.recommendation_create(
            evaluation=evaluation, by=evaluator, number=" 3.1", statement="Second."
        )

    assert "3.1" in exc.value.message
    assert exc.value.field == "number"
    assert list(evaluation.recommendations.values_list("statement", flat=True)) == ["First."]


def test_renumbering_onto_a_taken_number_is_refused(evaluation, evaluator):
    services.recommendation_create(evaluation=evaluation, by=evaluator, number="1", statement="A")
    second = services.recommendation_create(
        evaluation=evaluation, by=evaluator, number="2", statement="B"
    )

    with pytest.raises(ServiceError) as exc:
        services.recommendation_update(
            recommendation=second, by=evaluator, number="1", statement="B"
        )

    assert "numbered 1" in exc.value.message
    second.refresh_from_db()
    assert second.number == "2"
    assert second.version == 1


def test_keeping_its_own_number_on_edit_is_allowed(evaluation, evaluator):
    rec = services.recommendation_create(
        evaluation=evaluation, by=evaluator, number="1", statement="A"
    )

    services.recommendation_update(recommendation=rec, by=evaluator, number="1", statement="A2")

    rec.refresh_from_db()
    assert rec.statement == "A2"
    assert rec.version == 2


def test_the_same_number_in_another_evaluation_is_allowed(evaluation, evaluator):
    other = services.evaluation_create(by=evaluator, title_en="Another evaluation")
    services.recommendation_create(evaluation=evaluation, by=evaluator, number="1", statement="A")

    services.recommendation_create(evaluation=other, by=evaluator, number="1", statement="B")

    assert Recommendation.objects.filter(number="1").count() == 2


def test_recommendations_sort_as_people_number_them(evaluation, evaluator):
    for number in ["10", "3.2", "2", "3", "1", "3.1"]:
        services.recommendation_create(
            evaluation=evaluation, by=evaluator, number=number, statement=f"Rec {number}"
        )

    numbers = list(evaluation.recommendations.values_list("number", flat=True))

    assert numbers == ["1", "2", "3", "3.1", "3.2", "10"]


def test_renumbering_moves_a_recommendation_in_the_order(evaluation, evaluator):
    ten = services.recommendation_create(
        evaluation=evaluation, by=evaluator, number="10", statement="Ten"
    )
    services.recommendation_create(evaluation=evaluation, by=evaluator, number="2", statement="2")

    services.recommendation_update(recommendation=ten, by=evaluator, number="1", statement="One")

    assert list(evaluation.recommendations.values_list("number", flat=True)) == ["1", "2"]


# Sub-points ------------------------------------------------------------------------------


def test_sub_points_are_kept_in_order_with_their_letters(evaluation, evaluator):
    rec = services.recommendation_create(
        evaluation=evaluation,
        by=evaluator,
        number="1",
        statement="Strengthen maintenance.",
        body="Future investments should focus on:",
        sub_points=[
            "a) training water boards",
            "",
            "(b) setting aside maintenance funds",
            "c. tracking functionality",
            "a point with no letter",
        ],
    )

    points = list(rec.sub_points.values_list("position", "label", "text"))

    assert points == [
        (0, "a", "training water boards"),
        (1, "b", "setting aside maintenance funds"),
        (2, "c", "tracking functionality"),
        (3, "", "a point with no letter"),
    ]


def test_editing_replaces_the_sub_points(evaluation, evaluator):
    rec = services.recommendation_create(
        evaluation=evaluation,
        by=evaluator,
        number="1",
        statement="S",
        sub_points=["a) one", "b) two"],
    )

    services.recommendation_update(
        recommendation=rec, by=evaluator, number="1", statement="S", sub_points=["a) only"]
    )

    assert list(SubPoint.objects.values_list("label", "text")) == [("a", "only")]


def test_editing_keeps_unchanged_sub_points_untouched_with_their_history(evaluation, evaluator):
    rec = services.recommendation_create(
        evaluation=evaluation, by=evaluator, number="1", statement="S",
        sub_points=["a) one", "b) two"], sub_points_fr=["a) un", "b) deux"],
    )  # fmt: skip
    one, two = rec.sub_points.order_by("position")
    history_before = SubPoint.history.count()

    services.recommendation_update(
        recommendation=rec, by=evaluator, number="1", statement="S, reworded",
        sub_points=["a) one", "b) two, reworded"], sub_points_fr=["a) un", "b) deux"],
    )  # fmt: skip

    kept, changed = rec.sub_points.order_by("position")
    assert (kept.pk, kept.version, kept.text, kept.text_fr) == (one.pk, one.version, "one", "un")
    assert (changed.pk, changed.text) == (two.pk, "two, reworded")
    assert changed.version == two.version + 1
    assert SubPoint.history.count() == history_before + 1  # one change, on "b"
    assert SubPoint.history.latest("history_date").history_user == evaluator


# Locking once submitted --------------------------------------------------------------------


def test_recommendations_cannot_change_once_the_response_is_submitted(draft_evaluation, evaluator):
    services.evaluation_submit_for_approval(evaluation=draft_evaluation, by=evaluator)
    rec = draft_evaluation.recommendations.get()

    with pytest.raises(ServiceError) as exc:
        services.recommendation_create(
            evaluation=draft_evaluation, by=evaluator, number="2", statement="Late."
        )
    assert "can no longer be changed" in exc.value.message
    with pytest.raises(ServiceError):
        services.recommendation_update(
            recommendation=rec, by=evaluator, number="1", statement="Changed."
        )
    with pytest.raises(ServiceError):
        services.recommendation_delete(recommendation=rec, by=evaluator)

    assert draft_evaluation.recommendations.count() == 1
    rec.refresh_from_db()
    assert rec.statement == "Fund maintenance."


def test_a_draft_recommendation_can_be_removed(evaluation, evaluator):
    rec = services.recommendation_create(
        evaluation=evaluation, by=evaluator, number="1", statement="S"
    )

    rec_id = rec.id

    services.recommendation_delete(recommendation=rec, by=evaluator)

    assert not Recommendation.objects.exists()
    deleted = Recommendation.history.filter(id=rec_id).first()
    assert deleted.history_type == "-"
    assert deleted.history_user == evaluator


# Optimistic concurrency ----------------------------------------------------------------------


def test_a_stale_recommendation_form_conflicts_and_saves_nothing(evaluation, evaluator):
    rec = services.recommendation_create(
        evaluation=evaluation, by=evaluator, number="1", statement="Original.", sub_points=["a) x"]
    )
    opened_at = rec.version
    services.recommendation_update(
        recommendation=Recommendation.objects.get(pk=rec.pk),
        by=evaluator,
        expected_version=opened_at,
        number="1",
        statement="First editor.",
        sub_points=["a) first"],
    )

    with pytest.raises(ConflictError) as exc:
        services.recommendation_update(
            recommendation=rec,
            by=evaluator,
            expected_version=opened_at,
            number="1b",
            statement="Second editor.",
            sub_points=["a) second"],
        )

    assert "Nothing was saved" in exc.value.message
    rec.refresh_from_db()
    assert rec.number == "1"
    assert rec.statement == "First editor."
    assert rec.version == opened_at + 1
    assert list(rec.sub_points.values_list("text", flat=True)) == ["first"]


def test_a_stale_evaluation_form_conflicts_and_saves_nothing(evaluation, evaluator):
    opened_at = evaluation.version
    services.evaluation_update(
        evaluation=Evaluation.objects.get(pk=evaluation.pk),
        by=evaluator,
        expected_version=opened_at,
        title_en="First editor",
    )

    with pytest.raises(ConflictError):
        services.evaluation_update(
            evaluation=evaluation,
            by=evaluator,
            expected_version=opened_at,
            title_en="Second editor",
        )

    evaluation.refresh_from_db()
    assert evaluation.title_en == "First editor"
    assert evaluation.version == opened_at + 1


def test_a_current_evaluation_form_saves_and_bumps_the_version(evaluation, evaluator):
    services.evaluation_update(
        evaluation=evaluation, by=evaluator, expected_version=1, title_en="Renamed"
    )

    evaluation.refresh_from_db()
    assert evaluation.title_en == "Renamed"
    assert evaluation.version == 2
