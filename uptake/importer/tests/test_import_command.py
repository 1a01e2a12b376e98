"""`uptake import FILE`: dry runs write nothing; real imports make a draft and print its URL."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from uptake.accounts.models import Unit
from uptake.evaluations.models import Action, Evaluation, Recommendation, Response

from .documents import make_docx
from .plans import KNOWN_AND_NEW, NO_AGREEMENT

REPO = Path(__file__).resolve().parents[3]


def _rows() -> tuple[int, int, int, int, int]:
    return (
        Evaluation.objects.count(),
        Recommendation.objects.count(),
        Response.objects.count(),
        Action.objects.count(),
        Unit.objects.count(),
    )


def _run(*args: str) -> str:
    out = StringIO()
    call_command("import", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def plan_file(tmp_path: Path) -> Path:
    path = tmp_path / "plan.txt"
    path.write_text(KNOWN_AND_NEW, encoding="utf-8")
    return path


def test_it_prints_the_parsed_structure_and_writes_nothing(plan_file, evaluator, units) -> None:
    before = _rows()
    data = json.loads(_run(str(plan_file), "--dry-run", "--json"))
    assert [r["number"] for r in data["recommendations"]] == ["1", "2"]
    assert data["recommendations"][1]["responses"][1]["unit"] == "Mountain Roads Office (MRO)"
    assert _rows() == before


def test_a_plain_dry_run_lists_new_units_and_writes_nothing(plan_file, evaluator, units) -> None:
    before = _rows()
    out = _run(str(plan_file), "--dry-run")
    assert "New unit: MRO (Mountain Roads Office)" in out
    assert "nothing was written" in out
    assert _rows() == before


def test_it_creates_the_evaluation_and_prints_its_state_and_url(plan_file, evaluator, units):
    out = _run(str(plan_file))

    evaluation = Evaluation.objects.get()
    # Its units' responses are recorded, so the response is in preparation, no longer a draft.
    assert evaluation.state == "response_in_preparation"
    url = f"{settings.UPTAKE_BASE_URL}/evaluations/{evaluation.pk}/"
    assert f"Evaluation created as “Response in preparation”: {url}" in out
    assert "2 recommendation(s), 3 response(s), 4 action(s)." in out
    assert "Units created: MRO" in out
    assert "Units matched: HWP, PRS" in out
    assert evaluation.history.first().history_user == evaluator


def test_it_imports_a_word_document_as_the_named_user(tmp_path, admin_user, evaluator, units):
    path = tmp_path / "plan.docx"
    path.write_bytes(make_docx(KNOWN_AND_NEW.split("\n\n")))
    _run(str(path), "--user", "admin", "--language", "en")
    evaluation = Evaluation.objects.get()
    assert evaluation.history.first().history_user == admin_user
    assert evaluation.recommendations.count() == 2


def test_an_undetermined_agreement_is_refused_without_a_default(tmp_path, evaluator, units):
    path = tmp_path / "table.txt"
    path.write_text(NO_AGREEMENT, encoding="utf-8")
    before = _rows()
    with pytest.raises(CommandError) as caught:
        _run(str(path))
    message = str(caught.value)
    assert "table.txt" in message
    assert "Recommendation 2 (Highland Water Program (HWP))" in message
    assert "--default-agreement" in message
    assert _rows() == before

    _run(str(path), "--default-agreement", "agree")
    assert Response.objects.get(recommendation__number="2").agreement == "agree"


def test_it_needs_someone_to_import_as(plan_file, focal, units) -> None:
    with pytest.raises(CommandError, match="No active evaluation-unit"):
        _run(str(plan_file))
    with pytest.raises(CommandError, match="nobody"):
        _run(str(plan_file), "--user", "nobody")
    assert not Evaluation.objects.exists()


def test_a_bad_file_is_an_error_naming_it(tmp_path, evaluator) -> None:
    path = tmp_path / "minutes.txt"
    path.write_text("Minutes of the meeting. Nothing was recommended.", encoding="utf-8")
    with pytest.raises(CommandError, match="minutes.txt"):
        _run(str(path))
    assert not Evaluation.objects.exists()


def _cli(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "uptake.settings",
        "UPTAKE_LOCAL": "true",
        "UPTAKE_VAR_DIR": str(tmp_path / "var"),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'cli.sqlite3'}",
        "PYTHONIOENCODING": "utf-8",
    }
    return subprocess.run(  # noqa: S603 - our own console, with arguments from the test
        [sys.executable, "-m", "uptake.cli", "import", *args],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
        check=False,
    )


def test_the_console_exits_non_zero_on_an_unreadable_file(tmp_path) -> None:
    path = tmp_path / "scan.pdf"
    path.write_bytes(b"\x00\x01\x02 not a pdf at all")
    result = _cli(tmp_path, str(path), "--dry-run", "--json")
    assert result.returncode != 0
    assert "scan.pdf" in result.stderr
    assert result.stdout == ""


def test_the_console_prints_utf8_json(tmp_path) -> None:
    path = tmp_path / "plan.txt"
    path.write_text(KNOWN_AND_NEW.replace("Highland", "Hauts-Plateaux été"), encoding="utf-8")
    result = _cli(tmp_path, str(path), "--dry-run", "--json")
    assert result.returncode == 0, result.stderr
    assert "Hauts-Plateaux été" in result.stdout  # not \\u escapes
    assert json.loads(result.stdout)["recommendations"][0]["number"] == "1"
