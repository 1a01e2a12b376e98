"""Password guessing: after LOGIN_FAILURE_LIMIT failed sign-ins for a username, or from one
client address, sign-in is refused (429, on the sign-in page) until the lockout ends."""

from __future__ import annotations

import re

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.test import Client
from django.urls import reverse

from conftest import make_user
from uptake.accounts.models import Role
from uptake.api.services import token_create

LOGIN = "/accounts/login/"
WRONG = "Please enter a correct username and password"
REFUSED = "Too many failed sign-in attempts"


def attempt(client: Client, username: str, password: str, ip: str = "10.0.0.1", **extra):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=ip, **extra)


def signed_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def fail(client: Client, username: str, times: int, ip: str = "10.0.0.1") -> list[int]:
    """Sign in with a wrong password TIMES times; the status of each answer."""
    return [attempt(client, username, "not-the-password", ip).status_code for _ in range(times)]


@pytest.fixture
def limit() -> int:
    return int(settings.AXES_FAILURE_LIMIT)


@pytest.fixture
def eva(db):
    return make_user("eva", Role.EVALUATION_UNIT)


def test_the_attempt_after_the_limit_is_refused_even_with_the_right_password(
    client, eva, limit
) -> None:
    first = attempt(client, "eva", "wrong")
    assert first.status_code == 200 and WRONG in first.content.decode()
    # The failure that reaches the limit already says what happens next.
    assert fail(client, "eva", limit - 1) == [200] * (limit - 2) + [429]
    response = attempt(client, "eva", "pw")
    assert response.status_code == 429
    page = response.content.decode()
    assert REFUSED in page
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds()) // 60
    assert f"paused for {minutes} minutes" in page
    # The lock may be on an address others share: the message does not blame "your account".
    assert "for this username or from this network address" in page
    assert "your account" not in page
    # The sign-in page itself, still usable once the lockout ends.
    assert '<form method="post"' in page and 'name="password"' in page
    assert not signed_in(client)
    assert client.get(reverse("evaluations:list")).status_code == 302


def test_failures_below_the_limit_do_not_stop_the_right_password(client, eva, limit) -> None:
    assert fail(client, "eva", limit - 1) == [200] * (limit - 1)
    response = attempt(client, "eva", "pw")
    assert response.status_code == 302
    assert signed_in(client)


def test_a_success_resets_the_count(client, eva, limit) -> None:
    fail(client, "eva", limit - 1)
    assert attempt(client, "eva", "pw").status_code == 302
    client.post(reverse("logout"))
    assert not signed_in(client)
    # A fresh allowance: limit - 1 more failures still leave the door open.
    fail(client, "eva", limit - 1)
    assert attempt(client, "eva", "pw").status_code == 302
    assert signed_in(client)


def test_the_lockout_ends_after_the_period(client, eva, limit) -> None:
    fail(client, "eva", limit)
    assert attempt(client, "eva", "pw").status_code == 429
    # Move the recorded failures back in time, to just inside the lockout...
    period = settings.AXES_COOLOFF_TIME
    almost = AccessAttempt.objects.get(username="eva").attempt_time - period
    AccessAttempt.objects.update(attempt_time=almost + period / 2)
    assert attempt(client, "eva", "pw").status_code == 429
    # ...then to past it.
    AccessAttempt.objects.update(attempt_time=almost - period / 100)
    response = attempt(client, "eva", "pw")
    assert response.status_code == 302
    assert signed_in(client)


def test_another_user_elsewhere_is_not_affected(client, eva, limit) -> None:
    make_user("chair", Role.COMMITTEE)
    fail(client, "eva", limit)
    assert attempt(client, "eva", "pw").status_code == 429
    other = Client()
    assert attempt(other, "chair", "pw", ip="10.0.0.2").status_code == 302
    assert signed_in(other)


def test_the_username_is_locked_from_any_address(client, eva, limit) -> None:
    fail(client, "eva", limit)
    assert attempt(Client(), "eva", "pw", ip="192.0.2.9").status_code == 429


def test_one_address_guessing_many_usernames_is_locked(client, eva, limit) -> None:
    statuses = [attempt(client, f"guess{n}", "x").status_code for n in range(limit)]
    assert statuses == [200] * (limit - 1) + [429]
    assert attempt(client, "eva", "pw").status_code == 429
    # A forged X-Forwarded-For does not make a new address (no trusted proxy is configured).
    forged = attempt(client, "eva", "pw", HTTP_X_FORWARDED_FOR="203.0.113.7")
    assert forged.status_code == 429


def test_per_address_counting_can_be_turned_off(client, eva, limit, settings) -> None:
    settings.AXES_LOCKOUT_PARAMETERS = ["username"]
    for number in range(limit):
        attempt(client, f"guess{number}", "x")
    assert attempt(client, "eva", "pw").status_code == 302


def test_behind_the_trusted_proxy_the_forwarded_address_counts(client, eva, limit, settings):
    settings.PROXY_COUNT = 1
    for number in range(limit):
        # Every request reaches Uptake from the proxy's own address, 10.0.0.1.
        attempt(client, f"guess{number}", "x", HTTP_X_FORWARDED_FOR="spoofed, 198.51.100.4")
    locked = attempt(client, "eva", "pw", HTTP_X_FORWARDED_FOR="198.51.100.4")
    assert locked.status_code == 429
    # Someone else behind the same proxy signs in.
    colleague = Client()
    ok = attempt(colleague, "eva", "pw", HTTP_X_FORWARDED_FOR="198.51.100.5")
    assert ok.status_code == 302


def test_an_unknown_username_is_answered_exactly_like_a_real_one(client, eva, limit) -> None:
    def answers(username: str, ip: str) -> list[tuple[int, str]]:
        seen = []
        visitor = Client()
        for _ in range(limit + 1):
            response = attempt(visitor, username, "not-the-password", ip)
            # The page repeats the username typed and carries fresh CSRF tokens.
            text = response.content.decode().replace(f'value="{username}"', "NAME")
            seen.append((response.status_code, re.sub(r"[A-Za-z0-9]{64}", "TOKEN", text)))
        return seen

    real, unknown = answers("eva", "10.0.0.7"), answers("nobody-here", "10.0.0.8")
    assert [status for status, _ in real] == [200] * (limit - 1) + [429, 429]
    assert real == unknown


def test_api_tokens_are_not_affected_by_a_sign_in_lockout(client, eva, limit) -> None:
    raw = token_create(user=eva, by=eva, name="Script")[1]
    fail(client, "eva", limit)
    assert attempt(client, "eva", "pw").status_code == 429
    response = Client().get("/api/v1/units/", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 200


def test_behind_a_load_balancer_and_nginx_the_address_two_hops_back_counts(
    client, eva, limit, settings
):
    settings.PROXY_COUNT = 2
    for number in range(limit):
        # The client claims an address, the load balancer appends the client's real one, and
        # nginx appends the load balancer's (10.0.0.9), the same for everyone.
        attempt(
            client, f"guess{number}", "x", HTTP_X_FORWARDED_FOR="spoofed, 198.51.100.4, 10.0.0.9"
        )
    locked = attempt(client, "eva", "pw", HTTP_X_FORWARDED_FOR="198.51.100.4, 10.0.0.9")
    assert locked.status_code == 429
    # Everyone else behind the same load balancer still signs in.
    ok = attempt(Client(), "eva", "pw", HTTP_X_FORWARDED_FOR="198.51.100.5, 10.0.0.9")
    assert ok.status_code == 302
