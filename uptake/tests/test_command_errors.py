"""The `uptake` commands' refusals: one line naming the problem, nothing written."""

from __future__ import annotations

import hashlib
import json
import zipfile
from io import StringIO

import pytest
from django.core.management import CommandError, call_command, load_command_class

from uptake.accounts.models import Unit
from uptake.core import backup as backup_module
from uptake.evaluations.models import Evaluation
from uptake.importer.tests.plans import KNOWN_AND_NEW

pytestmark = pytest.mark.django_db


def _help(app: str, name: str) -> str:
    return load_command_class(app, name).create_parser("uptake", name).format_help()


@pytest.mark.parametrize(
    "args",
    [
        ("export", "actions", "--format", "csv"),
        ("export", "iati"),
        ("export_iati",),
    ],
)
def test_exporting_into_a_missing_folder_names_the_folder(tmp_path, admin_user, args):
    target = tmp_path / "missing" / "out.file"
    with pytest.raises(CommandError) as caught:
        call_command(*args, "-o", str(target), stdout=StringIO(), stderr=StringIO())
    assert str(caught.value) == f"The folder {tmp_path / 'missing'} does not exist."
    assert not target.parent.exists()


def test_exporting_onto_a_folder_is_refused(tmp_path, admin_user):
    with pytest.raises(CommandError) as caught:
        call_command("export", "actions", "-o", str(tmp_path), stderr=StringIO())
    assert str(caught.value) == f"{tmp_path} is a folder: name a file."


def test_an_unknown_filter_is_refused_listing_the_valid_ones(tmp_path, action):
    target = tmp_path / "actions.csv"
    with pytest.raises(CommandError) as caught:
        call_command(
            "export", "actions", "--filter", "bogus=1", "-o", str(target), stderr=StringIO()
        )
    message = str(caught.value)
    assert message.startswith("There is no filter named 'bogus'; use one of ")
    for name in ("q", "state", "program", "evaluation", "unit", "status", "mine", "show"):
        assert name in message.split("use one of ", 1)[1]
    assert not target.exists()

    # A known name still filters: an action status nothing has exports the header alone.
    call_command(
        "export", "actions", "--filter", "status=completed", "-o", str(target), stderr=StringIO()
    )
    everything = tmp_path / "all.csv"
    call_command("export", "actions", "-o", str(everything), stderr=StringIO())
    assert len(everything.read_text(encoding="utf-8-sig").splitlines()) > 1
    assert len(target.read_text(encoding="utf-8-sig").splitlines()) < len(
        everything.read_text(encoding="utf-8-sig").splitlines()
    )


@pytest.mark.parametrize(
    "args",
    [
        ("token", "nobody"),
        ("export", "actions", "--user", "nobody"),
        ("import", "{plan}", "--user", "nobody"),
        ("import", "{plan}", "--user", "nobody", "--dry-run"),
    ],
)
def test_an_unknown_user_is_named_in_one_wording(tmp_path, evaluator, args):
    plan = tmp_path / "plan.txt"
    plan.write_text(KNOWN_AND_NEW, encoding="utf-8")
    out = StringIO()
    with pytest.raises(CommandError) as caught:
        call_command(*(a.format(plan=plan) for a in args), stdout=out, stderr=StringIO())
    assert str(caught.value) == "There is no active user named 'nobody'."
    assert out.getvalue() == ""  # the dry run printed nothing before refusing
    assert not Evaluation.objects.exists()


def test_backup_onto_a_folder_is_refused_even_with_force(tmp_path):
    folder = tmp_path / "backups"
    folder.mkdir()
    with pytest.raises(CommandError) as caught:
        call_command("backup", str(folder), "--force", stdout=StringIO())
    assert str(caught.value) == f"{folder} is a folder: name a file."
    assert folder.is_dir() and not any(folder.iterdir())


def test_restore_from_a_folder_says_it_is_a_folder(tmp_path):
    with pytest.raises(CommandError) as caught:
        call_command("restore", str(tmp_path), stdout=StringIO())
    assert str(caught.value) == f"{tmp_path} is a folder: name the backup file."


@pytest.mark.django_db(transaction=True)
def test_a_failed_restore_ends_its_message_with_one_full_stop(tmp_path, settings, action):
    settings.MEDIA_ROOT = tmp_path / "media"
    archive = tmp_path / "uptake.zip"
    tampered = tmp_path / "tampered.zip"
    backup_module.backup(path=archive)
    # The evaluations' member holds units' rows instead, with checksums that match.
    with zipfile.ZipFile(archive) as old, zipfile.ZipFile(tampered, "w") as new:
        manifest = json.loads(old.read(backup_module.MANIFEST))
        units = old.read("data/accounts.unit.jsonl")
        for name in old.namelist():
            if name == "data/evaluations.evaluation.jsonl":
                new.writestr(name, units)
                manifest["members"][name] = {
                    **manifest["members"][name],
                    "size": len(units),
                    "sha256": hashlib.sha256(units).hexdigest(),
                }
            elif name != backup_module.MANIFEST:
                new.writestr(name, old.read(name))
        new.writestr(backup_module.MANIFEST, json.dumps(manifest))
    units_before = Unit.objects.count()

    with pytest.raises(CommandError) as caught:
        call_command("restore", str(tampered), "--replace", stdout=StringIO())

    message = str(caught.value)
    assert "failed and was undone" in message
    assert "accounts.unit row. Nothing was changed." in message
    assert ".." not in message
    assert Unit.objects.count() == units_before
    assert Evaluation.objects.count() == 1


def test_format_and_evaluations_state_their_defaults():
    export_help = " ".join(_help("uptake.reporting", "export").split())
    assert "--format {csv,json,xlsx} The file format (default: csv" in export_help
    generate_help = " ".join(_help("uptake.evaluations", "generate").split())
    assert "--evaluations N How many evaluations to create (required; no default)" in (
        generate_help
    )
