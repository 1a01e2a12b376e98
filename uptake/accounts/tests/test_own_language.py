"""A person's own language: chosen on the profile or with the switch, kept on their account,
and the language of the pages when they sign in (their e-mails: reporting/tests)."""

from __future__ import annotations

import html
import re

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import translation

from conftest import field_errors
from uptake.accounts import services
from uptake.accounts.models import User
from uptake.errors import ServiceError

pytestmark = pytest.mark.django_db


def _selected(page: str) -> list[str]:
    """The values selected in the profile's language list."""
    found = re.search(r'<select name="language".*?</select>', page, re.S)
    assert found, "no language list on the profile"
    return re.findall(r'<option value="(\w+)" selected>', found.group(0))


def test_the_profile_offers_the_languages_and_shows_the_site_language_until_one_is_chosen(
    client, focal
):
    client.force_login(focal)

    page = client.get(reverse("profile")).content.decode()

    assert _selected(page) == [settings.LANGUAGE_CODE]
    for name in ("English", "Français", "Español"):
        assert f">{name}</option>" in html.unescape(page)


def test_saving_french_on_the_profile_keeps_it_and_shows_the_pages_in_french(client, focal):
    client.force_login(focal)

    saved = client.post(reverse("profile_language"), {"language": "fr"})

    assert saved.status_code == 302 and saved["Location"] == reverse("profile")
    assert User.objects.get(pk=focal.pk).language == "fr"
    assert saved.cookies[settings.LANGUAGE_COOKIE_NAME].value == "fr"
    page = client.get(reverse("profile")).content.decode()
    assert '<html lang="fr">' in page
    assert _selected(page) == ["fr"]
    with translation.override("fr"):
        confirmation = translation.gettext("Your language is saved.")
    assert confirmation != "Your language is saved."
    assert confirmation in html.unescape(page)


def test_a_language_that_is_not_offered_is_refused_and_nothing_changes(client, focal):
    focal.language = "es"
    focal.save()
    client.force_login(focal)

    refused = client.post(reverse("profile_language"), {"language": "de"})

    assert refused.status_code == 200
    page = html.unescape(refused.content.decode())
    (error,) = field_errors(page, "language")
    assert "de is not one of the available choices" in error
    assert User.objects.get(pk=focal.pk).language == "es"
    assert settings.LANGUAGE_COOKIE_NAME not in refused.cookies


def test_the_switch_at_the_top_of_a_page_also_keeps_a_signed_in_persons_language(client, focal):
    client.force_login(focal)

    client.post(reverse("set_language"), {"language": "es", "next": reverse("profile")})

    assert User.objects.get(pk=focal.pk).language == "es"


def test_the_switch_on_the_sign_in_page_keeps_nothing_on_any_account(client, focal):
    client.post(reverse("set_language"), {"language": "fr", "next": reverse("login")})

    assert set(User.objects.values_list("language", flat=True)) == {""}


def test_signing_in_opens_the_pages_in_the_persons_language(client, focal):
    focal.language = "fr"
    focal.save()

    signed_in = client.post(reverse("login"), {"username": "focal", "password": "pw"})

    assert signed_in.status_code == 302
    assert signed_in.cookies[settings.LANGUAGE_COOKIE_NAME].value == "fr"
    assert '<html lang="fr">' in client.get(reverse("followup:my_actions")).content.decode()


def test_signing_in_without_a_chosen_language_leaves_the_browsers_choice(client, focal):
    signed_in = client.post(
        reverse("login"), {"username": "focal", "password": "pw"}, HTTP_ACCEPT_LANGUAGE="es"
    )

    assert signed_in.status_code == 302
    assert settings.LANGUAGE_COOKIE_NAME not in signed_in.cookies
    page = client.get(reverse("followup:my_actions"), HTTP_ACCEPT_LANGUAGE="es")
    assert '<html lang="es">' in page.content.decode()


def test_people_choose_their_own_language_and_administrators_anyones(focal, outsider, admin_user):
    with pytest.raises(PermissionDenied):
        services.user_language_set(user=outsider, by=focal, language="fr")
    services.user_language_set(user=outsider, by=admin_user, language="fr")
    assert User.objects.get(pk=outsider.pk).language == "fr"
    with pytest.raises(ServiceError) as refused:
        services.user_language_set(user=focal, by=focal, language="")
    assert refused.value.field == "language"
    assert User.objects.get(pk=focal.pk).language == ""
