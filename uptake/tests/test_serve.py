"""`uptake serve` really serves: gunicorn starts, answers /healthz and serves static files."""

from __future__ import annotations

import re
import shutil
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from uptake.evaluations.management.commands.serve import DEFAULT_TIMEOUT, _env_timeout

from ._subprocess import PROJECT_DIR, clean_env, run_python, run_uptake

START_TIMEOUT = 60  # seconds; gunicorn is up in about one on an idle machine


@pytest.fixture(scope="module")
def migrated_database(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite file migrated once for the module: each test serves its own copy of it (a
    migration in a fresh interpreter takes several seconds)."""
    folder = tmp_path_factory.mktemp("migrated")
    database = folder / "serve.sqlite3"
    env = clean_env(folder, DATABASE_URL=f"sqlite:///{database}", SECRET_KEY="m" * 50)
    migrate = run_uptake("migrate", "--noinput", env=env)
    assert migrate.returncode == 0, migrate.stderr
    return database


def _copy_database(database: Path, folder: Path) -> Path:
    copy = folder / database.name
    shutil.copyfile(database, copy)
    return copy


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _get(url: str) -> tuple[int, bytes]:
    status, body, _ = _fetch(url)
    return status, body


def _fetch(url: str, **headers: str) -> tuple[int, bytes, dict[str, str]]:
    request = urllib.request.Request(url, headers=headers)  # noqa: S310 (loopback only)
    try:
        with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310
            return response.status, response.read(), dict(response.headers)
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read(), dict(exc.headers)


def _stop(process: subprocess.Popen[str]) -> str:
    process.terminate()
    try:
        output, _ = process.communicate(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        output, _ = process.communicate(timeout=10)
    return output


@pytest.mark.parametrize("debug", ["false", "true"])
def test_serve_answers_healthz_and_static_files(tmp_path, debug, migrated_database):
    # A deployment-like start: its own SQLite file, a real key, DEBUG as given.
    env = clean_env(
        tmp_path,
        DATABASE_URL=f"sqlite:///{_copy_database(migrated_database, tmp_path)}",
        SECRET_KEY="serve-test-" + "k" * 40,
        DEBUG=debug,
        # Deployment-like: behind one proxy, whose client address the access log must show.
        PROXY_COUNT="1" if debug == "false" else "0",
    )
    with sqlite3.connect(tmp_path / "serve.sqlite3") as db:  # no statistics before serving
        assert not db.execute("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'").fetchall()

    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    process = subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "uptake.cli", "serve", "--port", str(port), "--workers", "1"],
        env=env,
        cwd=PROJECT_DIR,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + START_TIMEOUT
        status = None
        while time.monotonic() < deadline:
            if process.poll() is not None:
                pytest.fail(f"uptake serve exited with {process.returncode}:\n{_stop(process)}")
            try:
                status, body = _get(f"{base}/healthz")
            except OSError:
                status = None  # not listening yet
            if status == 200:
                break
            time.sleep(0.2)
        assert status == 200, f"/healthz never answered 200 within {START_TIMEOUT}s"
        assert b'"status": "ok"' in body
        assert _fetch(f"{base}/healthz", **{"X-Forwarded-For": "203.0.113.7"})[0] == 200
        # An update link's address is a secret: requested, and named as a Referer.
        secret = "Zq8-vN3_kL5mP7rT9wX1yB4cD6fG8hJ0kL2mN4pQ6sT"
        assert _fetch(f"{base}/u/{secret}/", Referer=f"{base}/u/{secret}/")[0] == 404

        # WhiteNoise serves collected static files from gunicorn: the admin's CSS is always there.
        static_status, css = _get(f"{base}/static/admin/css/base.css")
        assert static_status == 200
        assert b"{" in css

        # Every other page asks anonymous people to sign in.
        home_status, login_page = _get(f"{base}/accounts/login/")
        assert home_status == 200

        # Pages link Uptake's own stylesheet. A deployment (DEBUG off) names it by its content,
        # so browsers may keep it a year and an upgrade still reaches them; it is sent
        # compressed. Locally the plain name is served, fresh at every change.
        linked = re.search(rb'href="(/static/uptake/uptake[.\w]*\.css)"', login_page)
        assert linked, login_page[:2000]
        css_status, css_body, css_headers = _fetch(
            base + linked.group(1).decode(), **{"Accept-Encoding": "gzip"}
        )
        assert css_status == 200
        max_age = int(re.search(r"max-age=(\d+)", css_headers["Cache-Control"]).group(1))
        if debug == "false":
            assert re.fullmatch(rb"/static/uptake/uptake\.[0-9a-f]{12}\.css", linked.group(1))
            assert max_age >= 365 * 24 * 3600
            assert css_headers.get("Content-Encoding") == "gzip"
            assert css_body[:2] == b"\x1f\x8b"  # gzip's magic number
        else:
            assert linked.group(1) == b"/static/uptake/uptake.css"
            assert max_age < 24 * 3600
    finally:
        output = _stop(process)
    assert f"Uptake on {base}/" in output
    assert secret not in output
    assert re.search(
        r'"GET /u/\[redacted\]/ HTTP/1\.1" 404 .*"http://127[^"]*/u/\[redacted\]/"', output
    )
    # Behind the proxy, each line gives the connecting address, then the client's.
    proxied = r'^127\.0\.0\.1 203\.0\.113\.7 - - \[[^]]+\] "GET /healthz HTTP/1\.1" 200'
    if debug == "false":
        assert re.search(proxied, output, re.M), output
    else:
        assert "203.0.113.7" not in output
    assert (tmp_path / "static" / "admin" / "css" / "base.css").exists()
    # The planner's statistics were gathered at start (the migrated tables hold content
    # types and permissions, so there is something to measure).
    with sqlite3.connect(tmp_path / "serve.sqlite3") as db:
        analysed = {row[0] for row in db.execute("SELECT tbl FROM sqlite_stat1")}
    assert "django_content_type" in analysed


def test_serve_refuses_a_database_that_lacks_migrations_and_names_the_fix(tmp_path):
    database = tmp_path / "unmigrated.sqlite3"
    env = clean_env(
        tmp_path,
        DATABASE_URL=f"sqlite:///{database}",
        SECRET_KEY="serve-test-" + "k" * 40,
        DEBUG="false",
    )
    # Half-way: the accounts tables exist, every other app's are missing.
    partial = run_uptake("migrate", "accounts", "--noinput", env=env)
    assert partial.returncode == 0, partial.stderr
    with sqlite3.connect(database) as db:
        applied = db.execute("SELECT COUNT(*) FROM django_migrations").fetchone()[0]
        before = set(db.execute("SELECT name FROM sqlite_master WHERE type = 'table'"))

    served = run_uptake("serve", "--port", str(_free_port()), env=env, timeout=60)

    assert served.returncode != 0
    assert "lacks" in served.stderr and "migration" in served.stderr, served.stderr
    assert "uptake migrate" in served.stderr
    assert "Uptake on" not in served.stdout  # it never started serving
    assert not (tmp_path / "static").exists()  # refused before collecting static files
    with sqlite3.connect(database) as db:  # and it migrated nothing itself
        assert db.execute("SELECT COUNT(*) FROM django_migrations").fetchone()[0] == applied
        assert set(db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")) == before

    # Once migrated, the same command gets past the check (it then execs gunicorn, which the
    # test above exercises).
    assert run_uptake("migrate", "--noinput", env=env).returncode == 0
    check = run_python(
        "import django; django.setup(); "
        "from uptake.core.management.commands._shared import unapplied_migrations; "
        "print(len(unapplied_migrations()))",
        env=env,
    )
    assert check.returncode == 0, check.stderr
    assert check.stdout.strip() == "0"


def _start_serving(env: dict[str, str], port: int, *args: str) -> subprocess.Popen[str]:
    """Start `uptake serve` on PORT and wait until it answers /healthz."""
    process = subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "uptake.cli", "serve", "--port", str(port), "--workers", "1", *args],
        env=env,
        cwd=PROJECT_DIR,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"uptake serve exited with {process.returncode}:\n{_stop(process)}")
        try:
            if _get(f"http://127.0.0.1:{port}/healthz")[0] == 200:
                return process
        except OSError:
            pass  # not listening yet
        time.sleep(0.2)
    output = _stop(process)
    pytest.fail(f"/healthz never answered 200 within {START_TIMEOUT}s:\n{output}")


def test_a_request_outlasting_the_timeout_is_cut_off_at_the_time_given(tmp_path, migrated_database):
    """gunicorn stops a worker whose request runs past the timeout; `uptake serve` passes the
    one the operator chose (gunicorn's own would wait 30 seconds). The option wins over the
    environment's UPTAKE_SERVE_TIMEOUT."""
    chosen = 2
    env = clean_env(
        tmp_path,
        DATABASE_URL=f"sqlite:///{_copy_database(migrated_database, tmp_path)}",
        SECRET_KEY="serve-test-" + "k" * 40,
        UPTAKE_SERVE_TIMEOUT="60",
    )
    args = ("--timeout", str(chosen))
    port = _free_port()
    process = _start_serving(env, port, *args)
    try:
        # A request that never finishes arriving keeps the one worker busy, like a slow page.
        with socket.create_connection(("127.0.0.1", port), timeout=5) as client:
            client.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n")
            client.settimeout(15)  # well under gunicorn's own 30 seconds
            started = time.monotonic()
            try:
                answer = client.recv(1024)
            except TimeoutError:
                pytest.fail("the request was still running after 15 seconds")
            cut_off_after = time.monotonic() - started
        # Cut off: gunicorn answers 500 as it stops the worker (or just closes the connection).
        assert answer == b"" or answer.startswith(b"HTTP/1.1 500"), answer[:200]
        # Not before the time given; the 15-second wait above bounds it well below gunicorn's
        # own 30 (no upper bound here: a loaded machine checks on its workers late).
        assert cut_off_after > chosen - 1
    finally:
        output = _stop(process)
    assert "WORKER TIMEOUT" in output


@pytest.mark.parametrize(
    ("args", "extra_env", "message"),
    [
        (("--timeout", "0"), {}, "--timeout must be at least 1 second, not 0."),
        (
            (),
            {"UPTAKE_SERVE_TIMEOUT": "two minutes"},
            "UPTAKE_SERVE_TIMEOUT must be a whole number",
        ),
    ],
)
def test_serve_refuses_a_timeout_that_is_not_a_positive_number(tmp_path, args, extra_env, message):
    env = clean_env(tmp_path, SECRET_KEY="serve-test-" + "k" * 40, **extra_env)

    served = run_uptake("serve", "--port", str(_free_port()), *args, env=env, timeout=60)

    assert served.returncode != 0
    assert message in served.stderr
    assert "Uptake on" not in served.stdout


def test_without_the_option_the_timeout_comes_from_the_environment(monkeypatch):
    monkeypatch.delenv("UPTAKE_SERVE_TIMEOUT", raising=False)
    assert _env_timeout() == DEFAULT_TIMEOUT == 120
    monkeypatch.setenv("UPTAKE_SERVE_TIMEOUT", " 45 ")
    assert _env_timeout() == 45
