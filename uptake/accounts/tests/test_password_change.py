"""Changing one's password says it worked."""

from __future__ import annotations

import html

import pytest
from django.urls import reverse

from conftest import make_user
from uptake.accounts.models import Role

pytestmark = pytest.mark.django_db


def test_a_changed_password_is_confirmed_on_the_profile(client):
    person = make_user("pat", Role.VIEWER)
    person.set_password("an old passphrase 1")
    person.save()
    client.force_login(person)

    response = client.post(
        reverse("password_change"),
        {
            "old_password": "an old passphrase 1",
            "new_password1": "a new passphrase 22",
            "new_password2": "a new passphrase 22",
        },
        follow=True,
    )

    assert response.redirect_chain[-1][0] == reverse("profile")
    assert "Your password was changed." in html.unescape(response.content.decode())
    person.refresh_from_db()
    assert person.check_password("a new passphrase 22")
