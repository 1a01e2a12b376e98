"""`uptake serve`: check that the database is migrated, collect the static files, then serve
the site with gunicorn.

`--reload` swaps gunicorn for Django's autoreloading runserver, for a developer editing code.
"""

import os
import sys
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection

from uptake.core.database import refresh_planner_statistics
from uptake.core.management.commands._shared import require_migrated

# Seconds a request may run (gunicorn's --timeout); nginx's proxy_read_timeout stays above it.
DEFAULT_TIMEOUT = 120


class Command(BaseCommand):
    help = (
        "Serve Uptake over HTTP: gunicorn by default (static files through WhiteNoise), or "
        "Django's autoreloading development server with --reload. Refuses to start while the "
        "database lacks migrations: run `uptake migrate` first."
    )
    # The checks run when the WSGI application loads; running them here as well only slows
    # every start.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--port", type=int, default=8000, help="TCP port (default 8000).")
        parser.add_argument(
            "--host",
            default="127.0.0.1",
            help="Address to listen on (default 127.0.0.1; add other names to ALLOWED_HOSTS).",
        )
        parser.add_argument(
            "--workers",
            type=int,
            default=None,
            help="gunicorn worker processes (default: WEB_CONCURRENCY, else 2).",
        )
        parser.add_argument(
            "--timeout",
            type=int,
            default=None,
            metavar="SECONDS",
            help=(
                "Seconds a request may run before gunicorn stops its worker "
                "(default: UPTAKE_SERVE_TIMEOUT, else 120). Keep the proxy's timeout above it."
            ),
        )
        parser.add_argument(
            "--reload",
            action="store_true",
            help="Use Django's runserver, which restarts when the code changes (DEBUG only).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        host: str = options["host"]
        port: int = options["port"]
        workers: int = _env_workers() if options["workers"] is None else options["workers"]
        if not 0 < port < 65536:
            raise CommandError(f"--port must be between 1 and 65535, not {port}.")
        if workers < 1:
            raise CommandError(f"--workers must be at least 1, not {workers}.")
        timeout: int = _env_timeout() if options["timeout"] is None else options["timeout"]
        if timeout < 1:
            raise CommandError(f"--timeout must be at least 1 second, not {timeout}.")

        if options["reload"] and not settings.DEBUG:
            raise CommandError("--reload is for development: set DEBUG=true to use it.")
        # The autoreloader runs this command again in a child process with RUN_MAIN set:
        # collecting and announcing once is enough.
        first_run = os.environ.get("RUN_MAIN") != "true"

        if first_run:
            # Every page would fail on a database whose tables are missing or out of date.
            require_migrated("serve")
            # Collected even under --reload: quick when nothing changed, and a broken static
            # set-up fails here rather than as unstyled pages in the browser.
            call_command("collectstatic", interactive=False, verbosity=0)
            if connection.vendor == "sqlite":
                # A long-lived SQLite site gathers no statistics otherwise.
                refresh_planner_statistics(connection)
                connection.close()

        shown_host = f"[{host}]" if ":" in host else host
        url = f"http://{'127.0.0.1' if host in ('0.0.0.0', '::') else shown_host}:{port}/"  # noqa: S104

        if options["reload"]:
            if first_run:
                self.stdout.write(f"Uptake (development server, autoreload) on {url}")
            call_command("runserver", f"{shown_host}:{port}", use_reloader=True)
            return

        self.stdout.write(f"Uptake on {url}  (Ctrl-C to stop)")
        argv = gunicorn_argv(bind=f"{shown_host}:{port}", workers=workers, timeout=timeout)
        # exec rather than a child process: gunicorn takes over this PID, so Ctrl-C, a process
        # manager's SIGTERM or a test's terminate() reach the gunicorn master directly.
        # DJANGO_SETTINGS_MODULE is already in the environment (set by `uptake` or --settings).
        sys.stdout.flush()
        sys.stderr.flush()
        os.execv(sys.executable, argv)  # noqa: S606


# gunicorn's own access log line, with the X-Forwarded-For header after the connecting
# address: behind nginx that address is always the proxy's, and the client is in the header.
PROXIED_ACCESS_LOG_FORMAT = (
    '%(h)s %({x-forwarded-for}i)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s"'
)


def gunicorn_argv(*, bind: str, workers: int, timeout: int) -> list[str]:
    """The command line `uptake serve` replaces itself with."""
    argv = [
        sys.executable,
        "-m",
        "gunicorn",
        "--bind",
        bind,
        "--workers",
        str(workers),
        # Committee packs and large exports outlast gunicorn's own default of 30 seconds.
        "--timeout",
        str(timeout),
        # Request lines on the console, as a developer expects; a deployment's process
        # manager collects them from stdout like any other log.
        "--access-logfile",
        "-",
        # Without the secrets of update-link and calendar addresses.
        "--logger-class",
        "uptake.core.log_redaction.RedactingAccessLogger",
        # Nothing here uses gunicornc, and its one default socket path (~/.gunicorn)
        # would be shared by every `uptake serve` on the machine.
        "--no-control-socket",
    ]
    if settings.PROXY_COUNT:
        argv += ["--access-logformat", PROXIED_ACCESS_LOG_FORMAT]
    return [*argv, "uptake.wsgi:application"]


def _env_workers() -> int:
    # WEB_CONCURRENCY is the name hosting platforms and gunicorn itself use for this.
    raw = os.environ.get("WEB_CONCURRENCY", "").strip()
    if not raw:
        return 2
    try:
        return int(raw)
    except ValueError as exc:
        raise CommandError(f"WEB_CONCURRENCY must be a whole number, not {raw!r}.") from exc


def _env_timeout() -> int:
    raw = os.environ.get("UPTAKE_SERVE_TIMEOUT", "").strip()
    if not raw:
        return DEFAULT_TIMEOUT
    try:
        return int(raw)
    except ValueError as exc:
        raise CommandError(f"UPTAKE_SERVE_TIMEOUT must be a whole number, not {raw!r}.") from exc
