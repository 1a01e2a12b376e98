"""A superuser is an administrator by role too, so every page names them as one."""

from __future__ import annotations

import importlib
import io

import pytest
from django.apps import apps
from django.core.management import call_command
from django.urls import reverse

from uptake.accounts.models import Role, User

pytestmark = pytest.mark.django_db


def test_createsuperuser_makes_an_administrator(client):
    call_command(
        "createsuperuser", "--noinput", "--username", "chief", "--email", "chief@example.org",
        stdout=io.StringIO(),
    )  # fmt: skip

    chief = User.objects.get(username="chief")
    assert chief.is_superuser and chief.role == Role.ADMINISTRATOR
    client.force_login(chief)
    assert "Administrator" in client.get(reverse("profile")).content.decode()


def test_the_migration_gives_existing_superusers_the_administrator_role(db):
    chief = User.objects.create(username="chief", is_superuser=True, role=Role.VIEWER)
    reader = User.objects.create(username="reader", role=Role.VIEWER)
    chair = User.objects.create(username="chair", is_superuser=True, role=Role.COMMITTEE)
    migration = importlib.import_module("uptake.accounts.migrations.0002_user_language_and_manager")

    migration.superusers_are_administrators(apps, None)

    roles = dict(User.objects.values_list("username", "role"))
    assert roles == {
        chief.username: Role.ADMINISTRATOR,
        reader.username: Role.VIEWER,
        chair.username: Role.COMMITTEE,  # a role someone chose is kept
    }
