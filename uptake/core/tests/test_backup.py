"""`uptake backup` and `uptake restore`: everything goes round, damaged archives change nothing."""

from __future__ import annotations

import io
import json
import shutil
import struct
import zipfile
from pathlib import Path

import pytest
from django.apps import apps
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.models import Session
from django.core import serializers
from django.core.cache import caches
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection

from uptake.api.models import ApiToken
from uptake.api.services import token_create
from uptake.core import backup as backup_module
from uptake.evaluations import services as evaluation_services
from uptake.evaluations.models import Evaluation
from uptake.followup import services as followup
from uptake.followup.models import DateRevision, Evidence
from uptake.importer.services import import_session_create
from uptake.publishing.services import publication_publish

# Revised dates asked for here must lie ahead of the day they are asked for: that day is the
# one the tests were written on (conftest.WRITTEN_ON), whatever the calendar says.
pytestmark = pytest.mark.usefixtures("asked_on_written_day")

PDF = b"%PDF-1.4\n" + bytes(range(256)) * 40 + b"\n%%EOF\n"
SHEET = bytes(reversed(range(256))) * 17


@pytest.fixture
def media(settings, tmp_path) -> Path:
    root = tmp_path / "media"
    root.mkdir()
    settings.MEDIA_ROOT = root
    return root


@pytest.fixture
def world(media, action, evaluator, committee, focal, admin_user, client):
    """Rows in every area the backup must carry, and two uploaded evidence files."""
    update = followup.update_submit(
        action=action,
        by=focal,
        status="in_progress",
        narrative="The template is half revised.",
        files=[
            SimpleUploadedFile("minutes.pdf", PDF),
            SimpleUploadedFile("tally sheet.xlsx", SHEET),
        ],
        links=[followup.EvidenceLink(url="https://example.org/report", label="Field report")],
        revised_date_text="March 2031",
        revised_date_justification="The field season moved.",
    )
    followup.revision_approve(revision=DateRevision.objects.get(update=update), by=committee)
    followup.update_validate(update=update, by=evaluator, comment="Seen the minutes.")
    token_create(user=focal, by=focal, name="Power BI")
    publication_publish(evaluation=action.response.recommendation.evaluation, by=evaluator)
    import_session_create(
        by=evaluator,
        file_name="response.txt",
        parsed={"recommendations": [{"number": "1", "statement": "Fund upkeep."}]},
        source_text="Recommendation 1\nFund upkeep.",
    )
    group = Group.objects.create(name="Auditors")
    group.permissions.add(Permission.objects.get(codename="view_evaluation"))
    admin_user.groups.add(group)
    client.force_login(admin_user)  # a session row, which backups leave out
    return update


def full_dump() -> list[dict]:
    """Every row of every model but sessions, with Python values (datetimes to the
    microsecond), many-to-many lists sorted, rows sorted by model and key."""
    rows = []
    for model in apps.get_models():
        if model._meta.proxy or model._meta.label_lower == "sessions.session":
            continue
        m2m = [f.name for f in model._meta.many_to_many]
        for row in serializers.serialize("python", model._base_manager.order_by("pk")):
            for name in m2m:
                if name in row["fields"]:
                    row["fields"][name] = sorted(row["fields"][name])
            rows.append(row)
    return sorted(rows, key=lambda row: (row["model"], str(row["pk"])))


def media_bytes(root: Path) -> dict[str, bytes]:
    return {
        path.relative_to(root).as_posix(): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def payload_span(path: Path, name: str) -> tuple[int, int]:
    """Where the stored bytes of member NAME start in the file, and how many there are."""
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo(name)
    with path.open("rb") as raw:
        raw.seek(info.header_offset)
        header = raw.read(30)
    name_length, extra_length = struct.unpack("<HH", header[26:30])
    return info.header_offset + 30 + name_length + extra_length, info.compress_size


def rewrite(source: Path, target: Path, *, manifest=None, members=None) -> None:
    """Copy an archive, replacing the manifest and/or some members (a valid zip each time)."""
    members = members or {}
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w") as new:
        for name in old.namelist():
            if name == backup_module.MANIFEST:
                data = old.read(name)
                if manifest is not None:
                    data = json.dumps(manifest(json.loads(data))).encode()
                new.writestr(name, data)
            elif name in members:
                if members[name] is not None:
                    new.writestr(name, members.pop(name))
            else:
                new.writestr(name, old.read(name))
        for name, data in members.items():
            if data is not None:
                new.writestr(name, data)


@pytest.mark.django_db(transaction=True)
def test_backup_then_restore_after_a_wipe_gives_back_every_row_and_file(world, media, tmp_path):
    before = full_dump()
    files_before = media_bytes(media)
    assert len(files_before) == 2
    assert sorted(files_before.values()) == sorted([PDF, SHEET])
    archive = tmp_path / "uptake.zip"

    out = io.StringIO()
    call_command("backup", str(archive), stdout=out)
    assert f"2 files to {archive}" in out.getvalue()
    with zipfile.ZipFile(archive) as opened:
        names = opened.namelist()
    assert not any(name.startswith("data/sessions.") for name in names)
    assert {f"media/{name}" for name in files_before} <= set(names)

    call_command("flush", interactive=False)  # migrate's content types come back, renumbered
    ContentType.objects.clear_cache()
    shutil.rmtree(media)
    assert not Evaluation.objects.exists()

    out = io.StringIO()
    call_command("restore", str(archive), stdout=out)
    assert "2 files" in out.getvalue()

    assert full_dump() == before
    assert media_bytes(media) == files_before
    assert not Session.objects.exists()
    evidence = Evidence.objects.exclude(file="").order_by("original_name").first()
    with evidence.file.open("rb") as stored:
        assert stored.read() == PDF

    # Sequences carry on after the restored keys: new rows (and their history) save.
    highest = Evaluation.objects.order_by("-pk").first().pk
    evaluator = world.author.__class__.objects.get(username="evaluator")
    created = evaluation_services.evaluation_create(by=evaluator, title_en="After the restore")
    assert created.pk > highest
    assert created.history.count() == 1
    token, _raw = token_create(user=evaluator, by=evaluator, name="New")
    assert ApiToken.objects.count() == 2


@pytest.mark.django_db
def test_restore_with_replace_puts_back_the_backed_up_state_exactly(world, media, tmp_path):
    before = full_dump()
    files_before = media_bytes(media)
    archive = tmp_path / "uptake.zip"
    backup_module.backup(path=archive)
    evaluator = world.author.__class__.objects.get(username="evaluator")
    evaluation_services.evaluation_create(by=evaluator, title_en="Made after the backup")
    (media / "stray.txt").write_bytes(b"not in the backup")
    for each in caches.all():
        each.set("left-from-before", "stale", 600)

    backup_module.restore(path=archive, replace=True)

    assert full_dump() == before
    assert media_bytes(media) == files_before
    assert not list(media.glob(backup_module.STAGING_PREFIX + "*"))
    # Nothing rendered or counted from the replaced data survives in any cache.
    assert all(each.get("left-from-before") is None for each in caches.all())
    if connection.vendor == "sqlite":
        # The planner has statistics for what was loaded.
        with connection.cursor() as cursor:
            cursor.execute("SELECT tbl FROM sqlite_stat1 WHERE tbl = 'evaluations_evaluation'")
            assert cursor.fetchone() is not None


@pytest.mark.django_db
def test_restore_into_a_database_with_data_is_refused_without_replace(world, media, tmp_path):
    archive = tmp_path / "uptake.zip"
    backup_module.backup(path=archive)
    ApiToken.objects.all().delete()
    before = full_dump()

    with pytest.raises(CommandError, match="--replace"):
        call_command("restore", str(archive))

    assert full_dump() == before
    assert not ApiToken.objects.exists()


@pytest.mark.django_db
def test_backup_refuses_to_overwrite_a_file_unless_forced(world, tmp_path):
    archive = tmp_path / "uptake.zip"
    archive.write_bytes(b"an older backup")

    with pytest.raises(CommandError, match="already exists"):
        call_command("backup", str(archive), stdout=io.StringIO())
    assert archive.read_bytes() == b"an older backup"

    call_command("backup", str(archive), "--force", stdout=io.StringIO())
    manifest = backup_module.verify(path=archive)
    rows = {entry["model"]: entry["rows"] for entry in manifest["models"]}
    assert rows["followup.evidence"] == Evidence.objects.count() == 3
    assert rows["api.apitoken"] == 1
    assert manifest["database_vendor"] in ("sqlite", "postgresql")


@pytest.mark.django_db
def test_a_failed_backup_leaves_no_file_behind(world, tmp_path, monkeypatch):
    def broken_disk(archive, media_root):
        raise OSError("No space left on device")

    monkeypatch.setattr(backup_module, "_write_media", broken_disk)
    with pytest.raises(OSError, match="No space"):
        backup_module.backup(path=tmp_path / "uptake.zip")
    assert [p.name for p in tmp_path.iterdir() if p.name != "media"] == []


@pytest.mark.django_db
@pytest.mark.parametrize(
    "member", ["data/followup.evidence.jsonl", "/minutes.pdf", "manifest.json"]
)
def test_a_flipped_byte_is_refused_before_anything_changes(world, media, tmp_path, member):
    archive = tmp_path / "uptake.zip"
    backup_module.backup(path=archive)
    with zipfile.ZipFile(archive) as opened:
        name = next(n for n in opened.namelist() if n.endswith(member))
    start, length = payload_span(archive, name)
    damaged = bytearray(archive.read_bytes())
    damaged[start + length // 2] ^= 0x20
    archive.write_bytes(bytes(damaged))
    ApiToken.objects.all().delete()  # so that a restore would visibly change something
    before, files_before = full_dump(), media_bytes(media)

    with pytest.raises(CommandError, match="not a usable Uptake backup"):
        call_command("restore", str(archive), "--replace")

    assert full_dump() == before
    assert media_bytes(media) == files_before


@pytest.mark.django_db
def test_a_member_changed_behind_the_zip_checksums_is_refused(world, media, tmp_path):
    archive = tmp_path / "uptake.zip"
    tampered = tmp_path / "tampered.zip"
    backup_module.backup(path=archive)
    with zipfile.ZipFile(archive) as opened:
        tokens = opened.read("data/api.apitoken.jsonl")
    assert b"Power BI" in tokens
    rewrite(archive, tampered, members={"data/api.apitoken.jsonl": tokens.replace(b"BI", b"XL")})
    before = full_dump()

    with pytest.raises(backup_module.BackupError, match="does not match its checksum"):
        backup_module.restore(path=tampered, replace=True)
    assert full_dump() == before


@pytest.mark.django_db
def test_foreign_files_and_unsafe_names_are_refused(world, media, tmp_path):
    archive = tmp_path / "uptake.zip"
    backup_module.backup(path=archive)
    text = tmp_path / "notes.txt"
    text.write_text("not an archive")
    bare = tmp_path / "bare.zip"
    with zipfile.ZipFile(bare, "w") as opened:
        opened.writestr("data.json", "[]")
    escaping = tmp_path / "escaping.zip"
    evil = b"overwrite settings"

    def list_evil(manifest):
        import hashlib

        manifest["members"]["media/../../settings.py"] = {
            "size": len(evil),
            "sha256": hashlib.sha256(evil).hexdigest(),
        }
        return manifest

    rewrite(archive, escaping, manifest=list_evil, members={"media/../../settings.py": evil})
    newer = tmp_path / "newer.zip"
    rewrite(archive, newer, manifest=lambda m: {**m, "format_version": 2})
    before = full_dump()

    for path, problem in [
        (text, "damaged or not a zip"),
        (bare, "has no manifest"),
        (escaping, "unsafe name"),
        (newer, "backup format 2"),
        (tmp_path / "missing.zip", "There is no file"),
    ]:
        with pytest.raises(backup_module.BackupError, match=problem):
            backup_module.restore(path=path, replace=True)
    assert full_dump() == before
    assert not (tmp_path / "settings.py").exists()


@pytest.mark.django_db
def test_an_archive_from_another_schema_version_is_refused(world, media, tmp_path):
    archive = tmp_path / "uptake.zip"
    other = tmp_path / "other.zip"
    backup_module.backup(path=archive)

    def older(manifest):
        manifest["migrations"] = manifest["migrations"][:-1]
        return manifest

    rewrite(archive, other, manifest=older)
    before = full_dump()
    with pytest.raises(backup_module.BackupError, match="another schema version"):
        backup_module.restore(path=other, replace=True)
    assert full_dump() == before


@pytest.mark.django_db
def test_a_restore_that_fails_midway_leaves_database_and_files_as_they_were(
    world, media, tmp_path, monkeypatch
):
    archive = tmp_path / "uptake.zip"
    backup_module.backup(path=archive)
    ApiToken.objects.all().delete()
    (media / "stray.txt").write_bytes(b"written after the backup")
    before, files_before = full_dump(), media_bytes(media)

    def failing_check(*args, **kwargs):
        raise DatabaseError("the disk filled up")

    monkeypatch.setattr(backup_module, "_check_loaded", failing_check)
    with pytest.raises(backup_module.BackupError, match="the disk filled up"):
        backup_module.restore(path=archive, replace=True)

    assert full_dump() == before
    assert media_bytes(media) == files_before
    assert sorted(p.name for p in media.iterdir()) == sorted({"evidence", "stray.txt"})


@pytest.mark.django_db
def test_a_restore_whose_cache_table_is_missing_is_refused_before_anything_changes(
    world, media, tmp_path, settings
):
    archive = tmp_path / "uptake.zip"
    backup_module.backup(path=archive)
    ApiToken.objects.all().delete()
    before, files_before = full_dump(), media_bytes(media)
    # A scratch database migrated without `createcachetable`, with the shared database cache.
    settings.CACHES = {
        **settings.CACHES,
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "cache_table_never_created",
        },
    }

    with pytest.raises(backup_module.BackupError, match="uptake createcachetable") as refused:
        backup_module.restore(path=archive, replace=True)

    assert "'default'" in str(refused.value) and "Nothing was changed" in str(refused.value)
    assert full_dump() == before
    assert media_bytes(media) == files_before
