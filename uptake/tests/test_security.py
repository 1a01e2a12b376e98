"""Security settings: the Content Security Policy on every response, Django's deployment
check under production settings, and Argon2 password hashing."""

from __future__ import annotations

import secrets

import pytest

from ._subprocess import clean_env, run_python, run_uptake

# The policy, as the security review asked for it.
EXPECTED_POLICY = {
    "default-src": {"'self'"},
    "script-src": {"'self'"},
    "style-src": {"'self'"},
    "img-src": {"'self'", "data:"},
    "object-src": {"'none'"},
    "base-uri": {"'self'"},
    "form-action": {"'self'"},
    "frame-ancestors": {"'none'"},
}


def policy(response) -> dict[str, set[str]]:
    header = response["Content-Security-Policy"]
    directives = {}
    for part in header.split(";"):
        name, *sources = part.split()
        directives[name] = set(sources)
    return directives


def test_an_html_page_carries_the_strict_policy(client, db) -> None:
    response = client.get("/accounts/login/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert policy(response) == EXPECTED_POLICY
    assert "unsafe" not in response["Content-Security-Policy"]
    assert "Content-Security-Policy-Report-Only" not in response


def test_an_api_answer_carries_the_strict_policy(client, evaluator) -> None:
    client.force_login(evaluator)
    response = client.get("/api/v1/units/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert policy(response) == EXPECTED_POLICY


def test_an_error_page_carries_the_strict_policy(client, evaluator) -> None:
    client.force_login(evaluator)
    response = client.get("/evaluations/999999999/")
    assert response.status_code == 404
    assert policy(response) == EXPECTED_POLICY


def test_pages_refuse_to_be_framed(client, db) -> None:
    response = client.get("/accounts/login/")
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


def production_env(tmp_path, **overrides: str) -> dict[str, str]:
    """What an operator sets on a server (see README, Security)."""
    values = {
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "uptake.example.org",
        "SECURE_HSTS_SECONDS": "31536000",
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": "true",
        "SECURE_HSTS_PRELOAD": "true",
        "SECURE_SSL_REDIRECT": "true",
        "SESSION_COOKIE_SECURE": "true",
    }
    values.update(overrides)
    return clean_env(tmp_path, **values)


def test_the_deployment_check_passes_with_production_settings(tmp_path) -> None:
    result = run_uptake(
        "check", "--deploy", "--fail-level", "WARNING", env=production_env(tmp_path)
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout
    assert "WARNING" not in result.stdout + result.stderr


@pytest.mark.parametrize(
    ("overrides", "warning"),
    [
        ({"SECURE_HSTS_SECONDS": "0"}, "security.W004"),
        ({"SECURE_SSL_REDIRECT": "false"}, "security.W008"),
        ({"SESSION_COOKIE_SECURE": "false"}, "security.W012"),
        ({"SECURE_HSTS_PRELOAD": "false"}, "security.W021"),
    ],
)
def test_the_deployment_check_fails_when_a_protection_is_off(tmp_path, overrides, warning) -> None:
    env = production_env(tmp_path, **overrides)
    result = run_uptake("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert result.returncode != 0
    assert warning in result.stderr


def test_passwords_are_hashed_with_argon2_under_production_settings(tmp_path) -> None:
    # What create_user does before saving: set_password with the first configured hasher.
    code = (
        "import django; django.setup(); from uptake.accounts.models import User; "
        "user = User(username='someone'); user.set_password('a long pass phrase'); "
        "print(user.password); print(user.check_password('a long pass phrase'))"
    )
    result = run_python(code, production_env(tmp_path))
    assert result.returncode == 0, result.stderr
    hashed, checks = result.stdout.split()
    assert hashed.startswith("argon2$argon2id$")
    assert "a long pass phrase" not in hashed
    assert checks == "True"
