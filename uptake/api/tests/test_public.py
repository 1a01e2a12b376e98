"""Published responses, readable by anyone; nothing else is."""

from rest_framework.test import APIClient

from uptake.evaluations import services
from uptake.publishing.services import publication_publish, publication_unpublish


def test_anyone_lists_published_responses_and_nothing_else(evaluator, approved_evaluation):
    services.evaluation_create(by=evaluator, title_en="Unpublished draft")
    publication = publication_publish(evaluation=approved_evaluation, by=evaluator)
    response = APIClient().get("/api/v1/public/publications/")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1
    listed = body["results"][0]
    assert listed["slug"] == publication.slug
    assert listed["evaluation"] == approved_evaluation.pk
    assert listed["title_en"] == approved_evaluation.title_en
    assert "Unpublished draft" not in response.content.decode()


def test_anyone_reads_a_published_response_as_open_data(evaluator, approved_evaluation):
    publication = publication_publish(evaluation=approved_evaluation, by=evaluator)
    response = APIClient().get(f"/api/v1/public/publications/{publication.slug}/")
    assert response.status_code == 200
    content = response.json()["content"]
    assert content["version"] == 1
    assert "Fund maintenance." in str(content["recommendations"])
    assert content["url"].endswith(f"/public/{publication.slug}/")


def test_later_edits_are_not_public_until_published_again(evaluator, approved_evaluation):
    publication = publication_publish(evaluation=approved_evaluation, by=evaluator)
    approved_evaluation.refresh_from_db()
    services.evaluation_update(
        evaluation=approved_evaluation, by=evaluator, title_en="Renamed after publishing"
    )
    body = APIClient().get(f"/api/v1/public/publications/{publication.slug}/").json()
    assert body["title_en"] == "Evaluation of a water program"
    assert "Renamed" not in str(body)


def test_a_withdrawn_publication_is_gone(evaluator, approved_evaluation):
    publication = publication_publish(evaluation=approved_evaluation, by=evaluator)
    publication_unpublish(publication=publication, by=evaluator, reason="Error found.")
    assert APIClient().get("/api/v1/public/publications/").json()["count"] == 0
    response = APIClient().get(f"/api/v1/public/publications/{publication.slug}/")
    assert response.status_code == 404
    assert response.json()["status"] == 404


def test_an_unpublished_evaluation_is_not_found_by_its_id(approved_evaluation):
    response = APIClient().get(f"/api/v1/public/publications/{approved_evaluation.pk}/")
    assert response.status_code == 404


def test_a_token_is_not_needed_and_a_bad_one_is_ignored(evaluator, approved_evaluation):
    publication_publish(evaluation=approved_evaluation, by=evaluator)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Bearer not-a-token")
    assert client.get("/api/v1/public/publications/").json()["count"] == 1
