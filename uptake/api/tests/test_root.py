"""/api/v1/ lists what a client can use; /api/ sends clients there."""

from __future__ import annotations

from django.test import Client

COLLECTIONS = {
    "units": "/api/v1/units/",
    "evaluations": "/api/v1/evaluations/",
    "recommendations": "/api/v1/recommendations/",
    "responses": "/api/v1/responses/",
    "actions": "/api/v1/actions/",
    "updates": "/api/v1/updates/",
    "revisions": "/api/v1/revisions/",
    "public_publications": "/api/v1/public/publications/",
}


def test_the_root_lists_each_collection_and_the_description_by_absolute_url(db):
    response = Client().get("/api/v1/")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert body["endpoints"] == {
        name: f"http://testserver{path}" for name, path in COLLECTIONS.items()
    }
    assert body["openapi"] == "http://testserver/api/openapi.json"
    assert body["docs"] == "http://testserver/api/docs"


def test_every_address_the_root_gives_answers(db, api_as, evaluator):
    client = api_as(evaluator)
    body = Client().get("/api/v1/").json()
    for url in [*body["endpoints"].values(), body["openapi"], body["docs"]]:
        assert client.get(url).status_code == 200, url


def test_the_root_is_described_in_the_openapi_document(db):
    schema = Client().get("/api/openapi.json").json()
    assert schema["paths"]["/api/v1/"]["get"]["operationId"] == "api_root"


def test_api_redirects_to_the_current_version(db):
    response = Client().get("/api/")

    assert response.status_code == 302
    assert response["Location"] == "/api/v1/"
    assert Client().get("/api/", follow=True).json()["docs"].endswith("/api/docs")


def test_the_root_without_its_final_slash_points_at_it(db):
    response = Client().get("/api/v1")

    assert response.status_code == 404
    assert "/api/v1/" in response.json()["message"]


def test_unknown_addresses_under_the_api_still_answer_404(db):
    assert Client().get("/api/v2/").status_code == 404
    assert Client().get("/api/v1/nothing/").status_code == 404
