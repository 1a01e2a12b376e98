import hashlib

from django.test import Client

from uptake.api.models import ApiToken
from uptake.api.services import token_create


def _signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_profile_lists_the_persons_tokens_and_offers_a_new_one(viewer, evaluator):
    token_create(user=viewer, by=viewer, name="Power BI")
    token_create(user=evaluator, by=evaluator, name="Someone else's")
    page = _signed_in(viewer).get("/accounts/profile/").content.decode()
    assert "Power BI" in page
    assert "Someone else&#x27;s" not in page and "Someone else's" not in page
    assert 'action="/accounts/tokens/new/"' in page
    assert '<label for="token_name">' in page


def test_creating_a_token_shows_it_once(viewer):
    client = _signed_in(viewer)
    response = client.post("/accounts/tokens/new/", {"name": "Nightly script"})
    assert response.status_code == 200
    token = ApiToken.objects.get(user=viewer)
    raw = response.context["raw"]
    assert raw in response.content.decode()
    assert token.key_hash == hashlib.sha256(raw.encode()).hexdigest()
    # Never again: the profile shows the name, not the token.
    profile = client.get("/accounts/profile/").content.decode()
    assert "Nightly script" in profile and raw not in profile


def test_a_token_without_a_name_is_not_created(viewer):
    response = _signed_in(viewer).post("/accounts/tokens/new/", {"name": ""}, follow=True)
    assert not ApiToken.objects.exists()
    assert "This field is required." in response.content.decode()


def test_revoking_from_the_profile_stops_the_token(viewer):
    token, raw = token_create(user=viewer, by=viewer, name="Old laptop")
    response = _signed_in(viewer).post(f"/accounts/tokens/{token.pk}/revoke/", follow=True)
    token.refresh_from_db()
    assert token.is_revoked
    assert "no longer works" in response.content.decode()
    assert Client().get("/api/v1/units/", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 401


def test_nobody_revokes_another_persons_token_from_their_profile(viewer, admin_user):
    token, _raw = token_create(user=viewer, by=viewer, name="Mine")
    assert _signed_in(admin_user).post(f"/accounts/tokens/{token.pk}/revoke/").status_code == 404
    token.refresh_from_db()
    assert not token.is_revoked
