"""The `uptake` command: Django's manage.py under the project's name."""

from __future__ import annotations

import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from uptake.accounts.models import Unit, User
from uptake.evaluations.models import Action, Evaluation, Recommendation

from ._subprocess import clean_env, run_uptake

EXPECTED_COMMANDS = ["demo", "serve", "migrate", "makemigrations", "createsuperuser"]


def _listed_commands(help_text: str) -> set[str]:
    # `--help` lists each command on its own indented line under its app's heading.
    return {line.strip() for line in help_text.splitlines() if line.startswith("    ")}


def test_help_lists_the_project_commands(tmp_path):
    result = run_uptake("--help", env=clean_env(tmp_path, UPTAKE_LOCAL="true"))
    assert result.returncode == 0, result.stderr
    assert "settings are not properly configured" not in result.stdout + result.stderr
    listed = _listed_commands(result.stdout)
    for command in EXPECTED_COMMANDS:
        assert command in listed, f"`uptake --help` does not list {command!r}"


def test_installed_console_script_runs(tmp_path):
    """The entry point pyproject declares is the one people type."""
    script = Path(sys.executable).with_name("uptake")
    if not script.exists():
        pytest.skip(f"no console script at {script}: the project is not pip-installed here")

    result = subprocess.run(  # noqa: S603
        [str(script), "help", "serve"],
        env=clean_env(tmp_path, UPTAKE_LOCAL="true"),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "--port" in result.stdout
    assert "--reload" in result.stdout


def _counts() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in (Unit, User, Evaluation, Recommendation, Action)
    }


# transaction=True: the command runs migrate, which must not run inside the test's transaction.
@pytest.mark.django_db(transaction=True)
def test_demo_loads_once_and_then_changes_nothing():
    first_out = StringIO()
    call_command("demo", stdout=first_out)
    after_first = _counts()
    assert "Demo data loaded." in first_out.getvalue()
    assert after_first["Evaluation"] >= 1
    assert after_first["Recommendation"] >= 5
    assert after_first["Action"] >= 10

    second_out = StringIO()
    call_command("demo", stdout=second_out)
    assert _counts() == after_first
    assert "nothing changed" in second_out.getvalue()
    # The logins are printed every time: `make run` relies on it.
    for login in ("admin", "evaluator", "committee", "viewer", "focal-hwp"):
        assert login in second_out.getvalue()


def test_commands_refuse_an_unmigrated_database_in_one_line(tmp_path):
    """Not a traceback ending in "no such table": the migration check `serve` makes."""
    env = clean_env(tmp_path, UPTAKE_LOCAL="true")
    output = tmp_path / "actions.csv"

    exported = run_uptake("export", "actions", "--format", "csv", "-o", str(output), env=env)
    token = run_uptake("token", "admin", env=env)

    for result, command in ((exported, "export"), (token, "token")):
        assert result.returncode != 0
        assert "Traceback" not in result.stderr, result.stderr
        assert "OperationalError" not in result.stderr, result.stderr
        assert "lacks" in result.stderr and "migration(s)" in result.stderr, result.stderr
        assert f"Run `uptake migrate`, then `uptake {command}` again." in result.stderr
        assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert not output.exists()
    # Django's own commands still run there, which is how the database gets its tables.
    shown = run_uptake("showmigrations", "accounts", env=env)
    assert shown.returncode == 0, shown.stderr
    assert "[ ]" in shown.stdout
