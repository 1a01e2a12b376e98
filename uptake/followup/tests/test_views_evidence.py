"""Evidence files: forbidden or oversized ones are refused by name; accepted ones download."""

from __future__ import annotations

import html

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from uptake.evaluations.models import ActionStatus
from uptake.followup.models import Evidence, ProgressUpdate

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def page(response) -> str:
    return html.unescape(response.content.decode())


def post_update(client, action, *files, narrative="Evidence attached."):
    return client.post(
        reverse("followup:update_create", args=[action.pk]),
        {"status": "completed", "narrative": narrative, "files": list(files)},
    )


def test_a_forbidden_file_type_is_named_and_nothing_saved(client, focal, action):
    client.force_login(focal)

    response = post_update(
        client,
        action,
        SimpleUploadedFile("installer.exe", b"MZ..."),
        narrative="Here is the tool we built.",
    )

    assert response.status_code == 200
    text = page(response)
    assert "“installer.exe” is not an accepted type of evidence." in text
    assert "Here is the tool we built.</textarea>" in text
    assert ProgressUpdate.objects.count() == 0
    assert Evidence.objects.count() == 0
    action.refresh_from_db()
    assert action.status == ActionStatus.NOT_STARTED


def test_an_oversized_file_is_named_and_nothing_saved(client, focal, action, settings, tmp_path):
    settings.EVIDENCE_MAX_BYTES = 100
    client.force_login(focal)

    response = post_update(
        client,
        action,
        SimpleUploadedFile("small.pdf", b"%PDF" + b"x" * 10),
        SimpleUploadedFile("report.pdf", b"%PDF" + b"x" * 196),
        narrative="Final report attached.",
    )

    assert response.status_code == 200
    text = page(response)
    assert "“report.pdf” (200 bytes) is larger than the 100 bytes allowed" in text
    assert "Final report attached.</textarea>" in text
    assert ProgressUpdate.objects.count() == 0
    assert Evidence.objects.count() == 0
    assert not any(p.is_file() for p in tmp_path.rglob("*"))


def test_an_accepted_file_is_saved_and_listed(client, focal, action):
    client.force_login(focal)

    response = post_update(client, action, SimpleUploadedFile("minutes.txt", b"Board met."))

    assert response.status_code == 302
    evidence = Evidence.objects.get()
    assert evidence.original_name == "minutes.txt"
    assert evidence.size == 10
    text = page(client.get(reverse("followup:action", args=[action.pk])))
    download = reverse("followup:evidence_download", args=[evidence.pk])
    assert f'<a href="{download}">minutes.txt</a>' in text
    assert "10\xa0bytes" in text


def test_the_file_downloads_as_an_attachment_under_its_sanitised_name(
    client, focal, viewer, action
):
    client.force_login(focal)
    post_update(
        client, action, SimpleUploadedFile("../../Procès-verbal (final).pdf", b"%PDF-1.4 minutes")
    )
    evidence = Evidence.objects.get()
    client.force_login(viewer)

    response = client.get(reverse("followup:evidence_download", args=[evidence.pk]))

    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="Proces-verbal_final_.pdf"'
    assert b"".join(response.streaming_content) == b"%PDF-1.4 minutes"


def test_a_link_has_no_download(client, focal, viewer, action):
    client.force_login(focal)
    client.post(
        reverse("followup:update_create", args=[action.pk]),
        {"status": "in_progress", "narrative": "See link.", "links": "https://example.org/a"},
    )
    client.force_login(viewer)

    response = client.get(reverse("followup:evidence_download", args=[Evidence.objects.get().pk]))

    assert response.status_code == 404
