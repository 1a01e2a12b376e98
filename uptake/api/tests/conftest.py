"""API test helpers: a client that sends a person's token, for each persona."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from rest_framework.test import APIClient

from uptake.accounts.models import User
from uptake.api.services import token_create


def client_for(user: User) -> APIClient:
    """An API client that authenticates as USER with a fresh bearer token."""
    _token, raw = token_create(user=user, by=user, name="tests")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    return client


@pytest.fixture
def api_as() -> Callable[[User], APIClient]:
    return client_for
