"""API rate limits: configured from API_THROTTLE_ANON / API_THROTTLE_USER (empty: off), and a
caller past the limit gets 429 in the API's error shape with Retry-After.

The test settings turn the limits off for the rest of the suite; here they are put back on
the views under test, with small rates.
"""

from __future__ import annotations

import json

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle

from uptake.api import public_views, views
from uptake.tests._subprocess import clean_env, run_python

PRINT_THROTTLES = (
    "import json, django; django.setup(); from django.conf import settings; "
    "rf = settings.REST_FRAMEWORK; "
    "print(json.dumps([rf['DEFAULT_THROTTLE_CLASSES'], rf['DEFAULT_THROTTLE_RATES']]))"
)


def throttles(tmp_path, **env: str):
    result = run_python(PRINT_THROTTLES, clean_env(tmp_path, UPTAKE_LOCAL="true", **env))
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_limits_are_on_by_default_and_set_from_the_environment(tmp_path) -> None:
    classes, rates = throttles(tmp_path)
    assert classes == [
        "rest_framework.throttling.AnonRateThrottle",
        "rest_framework.throttling.UserRateThrottle",
    ]
    assert set(rates) == {"anon", "user"}
    classes, rates = throttles(tmp_path, API_THROTTLE_ANON="20/hour", API_THROTTLE_USER="7/second")
    assert rates == {"anon": "20/hour", "user": "7/second"}


def test_an_empty_value_turns_a_limit_off(tmp_path) -> None:
    classes, rates = throttles(tmp_path, API_THROTTLE_ANON="")
    assert classes == ["rest_framework.throttling.UserRateThrottle"]
    assert "anon" not in rates
    assert throttles(tmp_path, API_THROTTLE_ANON="", API_THROTTLE_USER="") == [[], {}]


def test_a_malformed_rate_stops_start_up(tmp_path) -> None:
    env = clean_env(tmp_path, UPTAKE_LOCAL="true", API_THROTTLE_USER="lots")
    result = run_python(PRINT_THROTTLES, env)
    assert result.returncode != 0
    assert "API_THROTTLE_USER must look like 600/minute" in result.stderr


@pytest.fixture
def fresh_cache():
    cache.clear()
    yield
    cache.clear()


def test_a_user_past_the_limit_is_answered_429(
    monkeypatch, fresh_cache, api_as, evaluator, viewer
) -> None:
    monkeypatch.setattr(views.UnitList, "throttle_classes", [UserRateThrottle])
    monkeypatch.setattr(UserRateThrottle, "THROTTLE_RATES", {"user": "3/minute"})
    client = api_as(evaluator)
    assert [client.get("/api/v1/units/").status_code for _ in range(3)] == [200, 200, 200]
    refused = client.get("/api/v1/units/")
    assert refused.status_code == 429
    body = refused.json()
    assert body["status"] == 429 and body["errors"] == {}
    assert "throttled" in body["message"].lower()
    assert 0 < int(refused["Retry-After"]) <= 60
    # The limit is per person: someone else still gets answers.
    assert api_as(viewer).get("/api/v1/units/").status_code == 200


def test_anonymous_callers_are_limited_per_address(monkeypatch, fresh_cache, db) -> None:
    view = public_views.PublicationList
    monkeypatch.setattr(view, "throttle_classes", [AnonRateThrottle])
    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", {"anon": "2/minute"})
    url = "/api/v1/public/publications/"
    first = APIClient(REMOTE_ADDR="192.0.2.1")
    assert [first.get(url).status_code for _ in range(3)] == [200, 200, 429]
    # A forged X-Forwarded-For is not a new identity (no proxy is trusted here)...
    assert first.get(url, HTTP_X_FORWARDED_FOR="203.0.113.50").status_code == 429
    # ...while a different address is.
    assert APIClient(REMOTE_ADDR="192.0.2.2").get(url).status_code == 200
