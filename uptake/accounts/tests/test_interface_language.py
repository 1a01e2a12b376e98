"""Anyone chooses the interface's language on any internal page, and keeps it."""

from __future__ import annotations

import html
import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def _switch(page: str) -> str:
    found = re.search(
        r'<form method="post" action="[^"]+" class="interface-languages".*?</form>', page
    )
    assert found, "no language switch on the page"
    return found.group(0)


def test_each_internal_page_offers_the_three_languages_by_their_own_names(client, focal):
    client.force_login(focal)

    switch = _switch(client.get(reverse("followup:my_actions")).content.decode())

    for code, name in (("en", "English"), ("fr", "Français"), ("es", "Español")):
        assert f'value="{code}" lang="{code}"' in switch
        assert f">{name}</button>" in html.unescape(switch)
    assert re.search(r'value="en" lang="en" aria-current="true"', switch)


def test_choosing_french_keeps_the_page_and_speaks_french_from_then_on(client, focal):
    client.force_login(focal)
    page = reverse("followup:my_actions")

    chosen = client.post(reverse("set_language"), {"language": "fr", "next": page})

    assert chosen.status_code == 302 and chosen["Location"] == page
    french = client.get(page).content.decode()
    assert '<html lang="fr">' in french
    assert ">Mes mesures<" in html.unescape(french)
    assert re.search(r'value="fr" lang="fr" aria-current="true"', _switch(french))


def test_the_sign_in_page_offers_it_too(client):
    page = client.get(reverse("login")).content.decode()
    assert 'value="es" lang="es"' in _switch(page)
    client.post(reverse("set_language"), {"language": "es", "next": reverse("login")})
    assert '<html lang="es">' in client.get(reverse("login")).content.decode()


def test_a_next_address_on_another_site_is_not_followed(client):
    chosen = client.post(
        reverse("set_language"), {"language": "fr", "next": "https://elsewhere.example/"}
    )
    assert chosen.status_code == 302
    assert "elsewhere.example" not in chosen["Location"]
