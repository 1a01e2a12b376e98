"""Every kind of error answers {"status", "message", "errors"}."""

import pytest
from rest_framework.test import APIClient

from uptake.evaluations.models import Evaluation


def _shape(response, status: int) -> dict:
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == {"status", "message", "errors"}
    assert body["status"] == status
    assert isinstance(body["message"], str) and body["message"]
    assert isinstance(body["errors"], dict)
    return body


def test_400_from_the_input_names_each_field(api_as, evaluator):
    body = _shape(
        api_as(evaluator).post("/api/v1/evaluations/", {"evaluation_type": "poem"}, format="json"),
        400,
    )
    assert set(body["errors"]) == {"title_en", "evaluation_type"}
    assert all(isinstance(m, str) for msgs in body["errors"].values() for m in msgs)


def test_400_from_a_service_names_its_field(api_as, evaluator, draft_evaluation):
    # The fixture's draft already has recommendation 1: the service refuses a second.
    body = _shape(
        api_as(evaluator).post(
            "/api/v1/recommendations/",
            {"evaluation": draft_evaluation.pk, "number": "1", "statement": "Again."},
            format="json",
        ),
        400,
    )
    assert body["errors"] == {"number": [body["message"]]}
    assert "already has a recommendation numbered 1" in body["message"]


def test_400_from_a_service_without_a_field_has_empty_errors(
    api_as, evaluator, approved_evaluation
):
    rec = approved_evaluation.recommendations.get()
    body = _shape(
        api_as(evaluator).post(
            f"/api/v1/recommendations/{rec.pk}/close/", {"reason": "implemented"}, format="json"
        ),
        400,
    )
    assert body["errors"] == {}
    assert "not yet validated" in body["message"]


def test_400_for_a_bad_filter_value(api_as, viewer):
    body = _shape(api_as(viewer).get("/api/v1/actions/?overdue=perhaps&unit=abc"), 400)
    assert set(body["errors"]) == {"overdue", "unit"}


def test_400_for_malformed_json(api_as, evaluator):
    _shape(
        api_as(evaluator).post(
            "/api/v1/evaluations/", "{not json", content_type="application/json"
        ),
        400,
    )


def test_400_for_a_nested_error_names_the_item(api_as, evaluator, draft_evaluation):
    body = _shape(
        api_as(evaluator).post(
            "/api/v1/recommendations/",
            {
                "evaluation": draft_evaluation.pk,
                "number": "2",
                "statement": "S",
                "sub_points": [None],
            },
            format="json",
        ),
        400,
    )
    assert list(body["errors"]) == ["sub_points.0"]


def test_401_without_credentials(db):
    body = _shape(APIClient().get("/api/v1/actions/"), 401)
    assert body["errors"] == {}


def test_403_from_the_permission_check_keeps_its_message(api_as, viewer):
    body = _shape(
        api_as(viewer).post("/api/v1/evaluations/", {"title_en": "x"}, format="json"), 403
    )
    assert "evaluation unit" in body["message"]
    assert not Evaluation.objects.exists()


def test_403_from_a_service(api_as, evaluator, approved_evaluation):
    # The evaluation unit passes the view's check for closing, but only the committee closes
    # by decision: the service says no.
    rec = approved_evaluation.recommendations.get()
    body = _shape(
        api_as(evaluator).post(
            f"/api/v1/recommendations/{rec.pk}/close/",
            {"reason": "superseded", "note": "Replaced."},
            format="json",
        ),
        403,
    )
    assert "committee" in body["message"]


def test_404_for_a_missing_object(api_as, viewer):
    _shape(api_as(viewer).get("/api/v1/evaluations/999999/"), 404)


def test_404_for_a_missing_publication_says_the_same_as_every_other_404(db):
    body = _shape(APIClient().get("/api/v1/public/publications/no-such-response/"), 404)
    assert body["message"] == "Nothing was found at this address."


@pytest.mark.parametrize("list_address", ["/api/v1/evaluations/", "/api/v1/updates/"])
@pytest.mark.parametrize(("name", "given"), [("limit", "abc"), ("limit", "0"), ("limit", "-5")])
def test_400_for_a_page_size_that_is_not_a_positive_whole_number(
    api_as, viewer, list_address, name, given
):
    """Not the default page instead, which a script would take for the answer it asked for."""
    body = _shape(api_as(viewer).get(list_address, {name: given}), 400)
    assert body["errors"] == {name: ["Give a whole number of at least 1."]}


@pytest.mark.parametrize("given", ["abc", "-1", "1.5"])
def test_400_for_an_offset_that_is_not_a_whole_number(api_as, viewer, given):
    body = _shape(api_as(viewer).get("/api/v1/evaluations/", {"offset": given}), 400)
    assert body["errors"] == {"offset": ["Give a whole number of at least 0."]}


def test_404_for_an_unknown_address_suggests_the_final_slash(api_as, viewer):
    body = _shape(api_as(viewer).get("/api/v1/units"), 404)
    assert "/api/v1/units/" in body["message"]
    _shape(APIClient().get("/api/v2/nothing/"), 404)


def test_405_for_a_method_the_endpoint_lacks(api_as, viewer):
    _shape(api_as(viewer).delete("/api/v1/units/"), 405)


def test_409_for_a_stale_version(api_as, evaluator, draft_evaluation):
    client = api_as(evaluator)
    url = f"/api/v1/evaluations/{draft_evaluation.pk}/"
    version = client.get(url).json()["version"]
    assert (
        client.patch(url, {"version": version, "program": "First"}, format="json").status_code
        == 200
    )
    body = _shape(client.patch(url, {"version": version, "program": "Second"}, format="json"), 409)
    assert "Someone else changed" in body["message"]
    draft_evaluation.refresh_from_db()
    assert draft_evaluation.program == "First"


def test_415_for_a_body_in_an_unaccepted_media_type(api_as, evaluator):
    _shape(
        api_as(evaluator).post("/api/v1/evaluations/", {"title_en": "x"}, format="multipart"),
        415,
    )
