"""Settings come from the environment, strictly: a wrong value stops Uptake at start-up."""

from __future__ import annotations

import re
import stat
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db.utils import ConnectionHandler

from uptake import settings as uptake_settings

from ._subprocess import PROJECT_DIR, clean_env, run_python, run_uptake

LOAD_SETTINGS = (
    "import django; django.setup(); from django.conf import settings; print(settings.DEBUG)"
)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("true", True), ("Yes", True), ("1", True), ("on", True), ("false", False), ("0", False),
     ("off", False), ("NO", False), ("", True)],
)  # fmt: skip
def test_env_bool_accepts_the_usual_spellings(monkeypatch, raw, expected):
    monkeypatch.setenv("UPTAKE_TEST_FLAG", raw)
    assert uptake_settings.env_bool("UPTAKE_TEST_FLAG", True) is expected


@pytest.mark.parametrize("raw", ["maybe", "ture", "2", "enabled"])
def test_env_bool_rejects_anything_else(monkeypatch, raw):
    monkeypatch.setenv("UPTAKE_TEST_FLAG", raw)
    with pytest.raises(ImproperlyConfigured, match="UPTAKE_TEST_FLAG must be a boolean"):
        uptake_settings.env_bool("UPTAKE_TEST_FLAG", False)


def test_env_int_rejects_words(monkeypatch):
    monkeypatch.setenv("UPTAKE_TEST_NUMBER", "twenty")
    with pytest.raises(ImproperlyConfigured, match="UPTAKE_TEST_NUMBER must be a whole number"):
        uptake_settings.env_int("UPTAKE_TEST_NUMBER", 1)


def test_env_list_splits_and_trims(monkeypatch):
    monkeypatch.setenv("UPTAKE_TEST_LIST", " a.example , b.example,, ")
    assert uptake_settings.env_list("UPTAKE_TEST_LIST", []) == ["a.example", "b.example"]


def test_secret_read_from_file(monkeypatch, tmp_path):
    secret = tmp_path / "secret"
    secret.write_text("from-a-file\n")
    monkeypatch.delenv("UPTAKE_TEST_SECRET", raising=False)
    monkeypatch.setenv("UPTAKE_TEST_SECRET_FILE", str(secret))
    assert uptake_settings.env_secret("UPTAKE_TEST_SECRET") == "from-a-file"


def test_bad_debug_value_stops_start_up(tmp_path):
    result = run_python(LOAD_SETTINGS, clean_env(tmp_path, DEBUG="maybe", SECRET_KEY="x" * 50))
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "DEBUG must be a boolean" in result.stderr


def test_secret_key_required_when_debug_off(tmp_path):
    result = run_python(LOAD_SETTINGS, clean_env(tmp_path, DEBUG="false"))
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "SECRET_KEY is required" in result.stderr
    # Nothing was generated behind the operator's back.
    assert not (tmp_path / "secret_key").exists()


def test_production_settings_load_with_a_secret_key(tmp_path):
    result = run_python(LOAD_SETTINGS, clean_env(tmp_path, SECRET_KEY="s" * 50))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"


def test_local_use_generates_a_private_key_once(tmp_path):
    code = "from django.conf import settings; print(settings.SECRET_KEY)"
    env = clean_env(tmp_path, UPTAKE_LOCAL="true")
    first, second = run_python(code, env), run_python(code, env)
    assert first.returncode == 0, first.stderr
    key_file = tmp_path / "secret_key"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    # The same key on every start, so sessions survive a restart.
    assert first.stdout == second.stdout
    assert len(first.stdout.strip()) >= 50


def test_sqlite_runs_in_wal_mode_with_a_busy_timeout(tmp_path, django_db_blocker):
    default = settings.DATABASES["default"]
    if default["ENGINE"] != "django.db.backends.sqlite3":
        pytest.skip("WAL mode is SQLite's; this run uses another database")
    # The test database is in memory, where WAL cannot apply: open a file database with the
    # very options the settings give, as a deployment would.
    handler = ConnectionHandler(
        {"default": {**default, "NAME": str(tmp_path / "wal.sqlite3"), "TEST": {}}}
    )
    connection = handler["default"]
    try:
        with django_db_blocker.unblock(), connection.cursor() as cursor:
            cursor.execute("PRAGMA journal_mode")
            assert cursor.fetchone()[0] == "wal"
            cursor.execute("PRAGMA busy_timeout")
            assert cursor.fetchone()[0] >= 5000
    finally:
        connection.close()


def test_env_example_documents_every_variable_settings_read():
    """`.env.example` is the operator's list: a variable read but not listed is a bug."""
    source = Path(uptake_settings.__file__).read_text()
    names = set(
        re.findall(r'(?:os\.environ\.get|env_bool|env_int|env_list)\(\s*"([A-Z_]+)"', source)
    )
    secrets = set(re.findall(r'env_secret\(\s*"([A-Z_]+)"', source))
    names |= secrets | {f"{name}_FILE" for name in secrets}
    example = (PROJECT_DIR / ".env.example").read_text()
    documented = set(re.findall(r"^#?\s*([A-Z][A-Z0-9_]*)=", example, flags=re.MULTILINE))
    assert names, "found no variables in settings.py: has the way it reads them changed?"
    assert sorted(names - documented) == []


def test_an_unknown_cache_backend_stops_start_up(tmp_path):
    result = run_python(
        LOAD_SETTINGS, clean_env(tmp_path, SECRET_KEY="s" * 50, CACHE_BACKEND="redis")
    )
    assert result.returncode != 0
    assert "CACHE_BACKEND must be one of locmem, database, not 'redis'" in result.stderr


def test_the_database_cache_is_shared_between_processes(tmp_path):
    """What one app server caches, another reads: the point of CACHE_BACKEND=database."""
    env = clean_env(tmp_path, SECRET_KEY="s" * 50, CACHE_BACKEND="database")
    created = run_uptake("migrate", "--verbosity", "0", env=env)
    assert created.returncode == 0, created.stderr
    assert run_uptake("createcachetable", env=env).returncode == 0
    write = "import django; django.setup(); from django.core.cache import cache; cache.set('k', 'from one', 60)"
    read = (
        "import django; django.setup(); from django.core.cache import cache; print(cache.get('k'))"
    )
    assert run_python(write, env).returncode == 0
    result = run_python(read, env)
    assert result.stdout.strip() == "from one", result.stderr


@pytest.mark.parametrize(("raw", "expected"), [("true", "True"), ("", "False"), (None, "False")])
def test_server_side_cursors_can_be_turned_off_for_a_transaction_pooler(tmp_path, raw, expected):
    """Behind PgBouncer in transaction mode, exports must read without server-side cursors."""
    code = (
        "from django.conf import settings; "
        "print(settings.DATABASES['default'].get('DISABLE_SERVER_SIDE_CURSORS'))"
    )
    extra = {"DATABASE_URL": "postgres://uptake:secret@127.0.0.1:6432/uptake"}
    if raw is not None:
        extra["DATABASE_DISABLE_SERVER_SIDE_CURSORS"] = raw
    result = run_python(code, clean_env(tmp_path, SECRET_KEY="s" * 50, **extra))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == expected


def test_a_misspelt_server_side_cursors_setting_stops_start_up(tmp_path):
    env = clean_env(
        tmp_path,
        SECRET_KEY="s" * 50,
        DATABASE_URL="postgres://uptake:secret@127.0.0.1:6432/uptake",
        DATABASE_DISABLE_SERVER_SIDE_CURSORS="pgbouncer",
    )
    result = run_python(LOAD_SETTINGS, env)
    assert result.returncode != 0
    assert "DATABASE_DISABLE_SERVER_SIDE_CURSORS must be a boolean" in result.stderr


@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        ({}, "0 0"),  # nothing in front: the connecting address
        ({"SECURE_PROXY_SSL_HEADER": "true"}, "1 1"),  # nginx alone
        ({"SECURE_PROXY_SSL_HEADER": "true", "PROXY_COUNT": "2"}, "2 2"),  # load balancer too
    ],
)
def test_the_number_of_proxies_read_for_the_client_address(tmp_path, extra, expected):
    """Sign-in throttling and the API's limits read the client address the same number of
    hops from the end of X-Forwarded-For."""
    code = (
        "from django.conf import settings; "
        "print(settings.PROXY_COUNT, settings.REST_FRAMEWORK['NUM_PROXIES'])"
    )
    result = run_python(code, clean_env(tmp_path, SECRET_KEY="s" * 50, **extra))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == expected
