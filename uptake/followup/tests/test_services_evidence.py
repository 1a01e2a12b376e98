"""Evidence attached to a progress update: files (type, size, safe names) and links, and the
rule that a refused submission leaves nothing behind."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from uptake.errors import ServiceError
from uptake.evaluations.models import ActionStatus
from uptake.followup import services
from uptake.followup.models import DateRevision, Evidence, ProgressUpdate
from uptake.followup.services import EvidenceLink, safe_filename

# Revised dates asked for here must lie ahead of the day they are asked for: that day is the
# one the tests were written on (conftest.WRITTEN_ON), whatever the calendar says.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("asked_on_written_day")]


@pytest.fixture(autouse=True)
def media_root(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def _file(name: str, content: bytes = b"%PDF-1.4 evidence") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def _stored_files(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def _nothing_recorded(action) -> None:
    assert not ProgressUpdate.objects.exists()
    assert not Evidence.objects.exists()
    assert not DateRevision.objects.exists()
    action.refresh_from_db()
    assert action.status == ActionStatus.NOT_STARTED


def _submit(action, by, **kwargs):
    return services.update_submit(
        action=action, by=by, status="completed", narrative="Done; see attached.", **kwargs
    )


# Files -----------------------------------------------------------------------------------


def test_an_accepted_file_is_stored_with_the_update(action, focal, media_root):
    update = _submit(action, focal, files=[_file("Training report.pdf", b"0123456789")])

    evidence = Evidence.objects.get()
    assert evidence.update == update
    assert evidence.original_name == "Training_report.pdf"
    assert evidence.size == 10
    assert evidence.url == ""
    assert evidence.file.name == f"evidence/{action.id}/{update.id}/Training_report.pdf"
    with evidence.file.open("rb") as stored:
        assert stored.read() == b"0123456789"
    assert _stored_files(media_root) == [
        media_root / "evidence" / str(action.id) / str(update.id) / "Training_report.pdf"
    ]


def test_a_file_name_that_climbs_out_of_its_folder_is_stored_without_its_path(
    action, focal, media_root
):
    upload = _file("x.pdf")
    upload._name = "../../etc/passwd.pdf"  # Django's upload object strips paths; force one.

    update = _submit(action, focal, files=[upload])

    evidence = Evidence.objects.get()
    assert evidence.original_name == "passwd.pdf"
    assert evidence.file.name == f"evidence/{action.id}/{update.id}/passwd.pdf"
    assert ".." not in evidence.file.name
    for stored in _stored_files(media_root):
        assert stored.resolve().is_relative_to(media_root.resolve())


@pytest.mark.parametrize(
    ("written", "safe"),
    [
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("..\\..\\Windows\\win.ini.txt", "win.ini.txt"),
        ("/absolute/path/report.docx", "report.docx"),
        ("Rapport d'activité été.pdf", "Rapport_d_activite_ete.pdf"),
        ("report<script>.pdf", "report_script_.pdf"),
        ("...", "file"),
        ("", "file"),
        (".hidden.pdf", "hidden.pdf"),
        ("a" * 300 + ".pdf", "a" * 120 + ".pdf"),
    ],
)
def test_safe_file_names(written, safe):
    assert safe_filename(written) == safe


@pytest.mark.parametrize(
    "name", ["payload.exe", "script.sh", "page.html", "archive.pdf.exe", "no_extension"]
)
def test_a_forbidden_type_of_file_is_refused_naming_the_file(action, focal, media_root, name):
    with pytest.raises(ServiceError) as exc:
        _submit(action, focal, files=[_file(name)])

    assert name in exc.value.message
    assert "pdf" in exc.value.message  # it lists what is accepted
    assert exc.value.field == "files"
    _nothing_recorded(action)
    assert _stored_files(media_root) == []


def test_the_extension_check_ignores_case(action, focal):
    _submit(action, focal, files=[_file("SCAN.PDF")])

    assert Evidence.objects.get().original_name == "SCAN.PDF"


@override_settings(EVIDENCE_MAX_BYTES=10)
def test_an_oversized_file_is_refused_naming_the_file(action, focal, media_root):
    with pytest.raises(ServiceError) as exc:
        _submit(action, focal, files=[_file("big.pdf", b"x" * 11)])

    assert "big.pdf" in exc.value.message
    assert "larger than" in exc.value.message
    assert exc.value.field == "files"
    _nothing_recorded(action)
    assert _stored_files(media_root) == []


@override_settings(EVIDENCE_MAX_BYTES=10)
def test_a_file_exactly_at_the_limit_is_accepted(action, focal):
    _submit(action, focal, files=[_file("fits.pdf", b"x" * 10)])

    assert Evidence.objects.get().size == 10


@pytest.mark.parametrize(
    ("limit", "size", "limit_text"),
    [(10, 11, "10 bytes"), (3 * 1_048_576, 3 * 1_048_576 + 1, "3,145,728 bytes")],
)
def test_the_size_message_says_the_file_is_over_the_limit(action, focal, limit, size, limit_text):
    # "is 0 MB; at most 0 MB" or "is 3 MB; at most 3 MB" would not tell the user what is wrong.
    with override_settings(EVIDENCE_MAX_BYTES=limit):
        with pytest.raises(ServiceError) as exc:
            _submit(action, focal, files=[_file("big.pdf", b"x" * size)])

    assert "larger than" in exc.value.message
    assert limit_text in exc.value.message
    assert " 0 MB" not in exc.value.message


# Links -----------------------------------------------------------------------------------


def test_a_link_is_stored_with_its_label(action, focal):
    update = _submit(
        action, focal, links=[EvidenceLink("https://example.org/report", " Final report ")]
    )

    evidence = Evidence.objects.get()
    assert evidence.update == update
    assert evidence.url == "https://example.org/report"
    assert evidence.label == "Final report"
    assert not evidence.file
    assert evidence.is_link


@pytest.mark.parametrize(
    "url", ["not a link", "javascript:alert(1)", "ftp://example.org/file", "example.org/report"]
)
def test_a_bad_link_is_refused_naming_it(action, focal, url):
    with pytest.raises(ServiceError) as exc:
        _submit(action, focal, links=[EvidenceLink(url)])

    assert url in exc.value.message
    assert exc.value.field == "links"
    _nothing_recorded(action)


# Nothing half-done -----------------------------------------------------------------------


def test_one_bad_file_among_good_ones_refuses_the_whole_update(action, focal, media_root):
    with pytest.raises(ServiceError) as exc:
        _submit(
            action,
            focal,
            files=[_file("good.pdf"), _file("bad.exe")],
            links=[EvidenceLink("https://example.org/ok")],
            revised_date_text="June 2031",
            revised_date_justification="Delays.",
        )

    assert "bad.exe" in exc.value.message
    _nothing_recorded(action)
    assert _stored_files(media_root) == []


def test_a_bad_link_after_a_good_file_refuses_the_whole_update(action, focal, media_root):
    with pytest.raises(ServiceError):
        _submit(
            action,
            focal,
            files=[_file("good.pdf")],
            links=[EvidenceLink("https://example.org/ok"), EvidenceLink("nope")],
        )

    _nothing_recorded(action)
    assert _stored_files(media_root) == []


def test_a_refusal_found_only_when_saving_leaves_no_rows_and_no_files(action, focal, media_root):
    # The label is too long for its column: only the model's validation finds it, after the
    # update row exists. Everything must be undone, including the file written to disk.
    with pytest.raises(ServiceError):
        _submit(
            action,
            focal,
            files=[_file("good.pdf")],
            links=[EvidenceLink("https://example.org/ok", "x" * 301)],
        )

    _nothing_recorded(action)
    assert _stored_files(media_root) == []


def test_a_failure_after_the_files_are_written_removes_them(action, focal, media_root, monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(services, "evaluation_mark_in_follow_up", broken)

    with pytest.raises(RuntimeError):
        _submit(action, focal, files=[_file("one.pdf"), _file("two.pdf")])

    _nothing_recorded(action)
    assert _stored_files(media_root) == []


@pytest.mark.parametrize(
    ("size", "told"),
    [
        # 2,010,000 and 2,000,000 bytes both read "1.9 MB": two decimals tell them apart.
        (2_010_000, "(1.92 MB) is larger than the 1.91 MB allowed"),
        # One byte over: no rounding tells them apart, so the bytes are given.
        (2_000_001, "(2,000,001 bytes) is larger than the 2,000,000 bytes allowed"),
        (3_200_000, "(3.1 MB) is larger than the 1.9 MB allowed"),
    ],
)
@override_settings(EVIDENCE_MAX_BYTES=2_000_000)
def test_a_file_just_over_the_limit_is_not_said_to_be_the_size_of_the_limit(
    action, focal, media_root, size, told
):
    with pytest.raises(ServiceError) as exc:
        _submit(action, focal, files=[_file("scan.pdf", b"%PDF" + b"x" * (size - 4))])

    assert f"“scan.pdf” {told} for evidence files." in exc.value.message
    _nothing_recorded(action)


@override_settings(EVIDENCE_MAX_BYTES=5 * 1_048_576, EVIDENCE_ALLOWED_EXTENSIONS=["pdf", "png"])
def test_the_update_form_says_which_files_it_takes_before_one_is_chosen(client, focal, action):
    client.force_login(focal)

    page = client.get(reverse("followup:update_create", args=[action.pk])).content.decode()

    assert "Accepted: pdf, png; at most 5.0 MB a file." in page
