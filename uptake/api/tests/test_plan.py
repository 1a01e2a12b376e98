from django.db import connection
from django.test.utils import CaptureQueriesContext

from uptake.evaluations import services


def _evaluation_with(recommendations: int, by, units):
    evaluation = services.evaluation_create(by=by, title_en=f"With {recommendations}")
    for n in range(1, recommendations + 1):
        rec = services.recommendation_create(
            evaluation=evaluation, by=by, number=str(n), statement=f"Statement {n}.",
            sub_points=["a) first", "b) second"],
        )  # fmt: skip
        for code in ("HWP", "PRS"):
            response = services.response_create(
                recommendation=rec, by=by, unit=units[code], agreement="agree", commitment="Yes."
            )
            for i in range(2):
                services.action_create(
                    response=response, by=by, text=f"{code} step {i}",
                    target_date_text="June 2030", deliverable="Report",
                )  # fmt: skip
    return evaluation


def _plan(client, evaluation) -> tuple[int, dict]:
    client.get(f"/api/v1/evaluations/{evaluation.pk}/plan/")  # token's first use recorded
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(f"/api/v1/evaluations/{evaluation.pk}/plan/")
    assert response.status_code == 200
    return len(ctx.captured_queries), response.json()


def test_the_plan_nests_recommendations_responses_and_actions(api_as, viewer, evaluator, units):
    evaluation = _evaluation_with(2, evaluator, units)
    _count, plan = _plan(api_as(viewer), evaluation)
    assert plan["id"] == evaluation.pk
    assert [r["number"] for r in plan["recommendations"]] == ["1", "2"]
    first = plan["recommendations"][0]
    assert first["sub_points"] == [
        {"label": "a", "text": "first"},
        {"label": "b", "text": "second"},
    ]
    assert [r["unit_code"] for r in first["responses"]] == ["HWP", "PRS"]
    assert [a["text"] for a in first["responses"][1]["actions"]] == ["PRS step 0", "PRS step 1"]
    assert first["responses"][1]["actions"][0]["due_date"] == "2030-06-30"


def test_the_plan_takes_the_same_number_of_queries_for_1_or_5_recommendations(
    api_as, viewer, evaluator, units, django_assert_num_queries
):
    client = api_as(viewer)
    small, small_plan = _plan(client, _evaluation_with(1, evaluator, units))
    assert len(small_plan["recommendations"]) == 1
    large = _evaluation_with(5, evaluator, units)
    with django_assert_num_queries(small):
        response = client.get(f"/api/v1/evaluations/{large.pk}/plan/")
    assert len(response.json()["recommendations"]) == 5


def test_the_plan_of_a_missing_evaluation_is_404(api_as, viewer):
    assert api_as(viewer).get("/api/v1/evaluations/424242/plan/").status_code == 404
