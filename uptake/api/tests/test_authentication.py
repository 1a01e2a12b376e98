import pytest
from django.test import Client
from rest_framework.test import APIClient

from uptake.api.management.commands.openapi_snapshot import current_schema
from uptake.api.models import ApiToken
from uptake.api.services import token_create, token_revoke


def _bearer(raw: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    return client


def _operations() -> list[tuple[str, str]]:
    return [
        (method, path.replace("{id}", "1"))
        for path, item in current_schema()["paths"].items()
        for method in item
        if method in ("get", "post", "patch", "put", "delete")
        and not path.startswith("/api/v1/public/")
        and path != "/api/v1/"  # the root lists addresses, like the OpenAPI document: public
    ]


@pytest.mark.django_db
@pytest.mark.parametrize(("method", "path"), _operations())
def test_anonymous_callers_get_401_with_bearer_challenge_on_every_endpoint(method, path):
    response = getattr(APIClient(), method)(path)
    assert response.status_code == 401, f"{method.upper()} {path}"
    assert response["WWW-Authenticate"] == "Bearer"
    assert response.json()["status"] == 401


def test_a_token_authenticates_as_its_owner_and_records_its_use(committee, approved_evaluation):
    token, raw = token_create(user=committee, by=committee, name="x")
    response = _bearer(raw).get(f"/api/v1/evaluations/{approved_evaluation.pk}/")
    assert response.status_code == 200
    assert response.json()["title_en"] == approved_evaluation.title_en
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_a_revoked_token_gets_401(evaluator):
    token, raw = token_create(user=evaluator, by=evaluator, name="x")
    client = _bearer(raw)
    assert client.get("/api/v1/units/").status_code == 200
    token_revoke(token=token, by=evaluator)
    response = client.get("/api/v1/units/")
    assert response.status_code == 401
    assert "revoked" in response.json()["message"]
    assert response["WWW-Authenticate"] == "Bearer"


def test_a_mistyped_token_gets_401(evaluator):
    _token, raw = token_create(user=evaluator, by=evaluator, name="x")
    assert (
        _bearer(raw[:-1] + ("A" if raw[-1] != "A" else "B")).get("/api/v1/units/").status_code
        == 401
    )


def test_a_token_of_a_deactivated_person_gets_401(viewer):
    _token, raw = token_create(user=viewer, by=viewer, name="x")
    viewer.is_active = False
    viewer.save()
    assert _bearer(raw).get("/api/v1/units/").status_code == 401


def test_a_malformed_authorization_header_gets_401(db):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Bearer two parts")
    assert client.get("/api/v1/units/").status_code == 401


def test_the_api_answers_anonymous_callers_401_not_a_redirect_to_sign_in(db):
    response = Client().get("/api/v1/evaluations/")
    assert response.status_code == 401


def test_a_signed_in_browser_reads_with_its_session(viewer, approved_evaluation):
    client = Client()
    client.force_login(viewer)
    response = client.get("/api/v1/evaluations/")
    assert response.status_code == 200
    assert response.json()["count"] == 1


def test_session_writes_need_the_csrf_token(evaluator):
    client = Client(enforce_csrf_checks=True)
    client.force_login(evaluator)
    refused = client.post(
        "/api/v1/evaluations/", {"title_en": "No CSRF"}, content_type="application/json"
    )
    assert refused.status_code == 403
    assert "CSRF" in refused.json()["message"]
    client.get("/accounts/profile/")  # sets the CSRF cookie, as a page would
    csrf = client.cookies["csrftoken"].value
    accepted = client.post(
        "/api/v1/evaluations/",
        {"title_en": "With CSRF"},
        content_type="application/json",
        HTTP_X_CSRFTOKEN=csrf,
    )
    assert accepted.status_code == 201


def test_token_writes_need_no_csrf_token(evaluator):
    _token, raw = token_create(user=evaluator, by=evaluator, name="x")
    client = APIClient(enforce_csrf_checks=True)
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    response = client.post("/api/v1/evaluations/", {"title_en": "Scripted"}, format="json")
    assert response.status_code == 201
    assert ApiToken.objects.count() == 1
