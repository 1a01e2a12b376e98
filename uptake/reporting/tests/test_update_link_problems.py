"""The page behind an update link names every problem at once and keeps the link unused."""

from __future__ import annotations

import html

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from conftest import field_errors
from uptake.followup.models import DateRevision, Evidence, ProgressUpdate
from uptake.reporting import services

pytestmark = pytest.mark.django_db


def errors_of(response, field: str) -> list[str]:
    """Every error shown under FIELD, as the form template ties them to the field."""
    text = html.unescape(response.content.decode())
    return field_errors(text, field)


def test_a_refused_file_and_a_past_date_are_both_shown_and_nothing_is_used(
    client, action, evaluator
):
    link, secret = services.update_link_issue(
        action=action, by=evaluator, recipient_name="Ana Quispe", recipient_email="ana@example.org"
    )
    files = [
        SimpleUploadedFile("tool.exe", b"MZ", "application/octet-stream"),
        SimpleUploadedFile("notes.bat", b"echo", "application/octet-stream"),
    ]

    response = client.post(
        reverse("reporting:update_link_form", args=[secret]),
        {
            "status": "in_progress",
            "narrative": "Two water boards were trained.",
            "links": "",
            "files": files,
            "revised_date_text": "January 2020",
            "revised_date_justification": "The rains came early.",
        },
    )

    assert response.status_code == 200
    accepted = ", ".join(settings.EVIDENCE_ALLOWED_EXTENSIONS)
    assert errors_of(response, "files") == [
        f"“{name}” is not an accepted type of evidence. Accepted: {accepted}."
        for name in ("tool.exe", "notes.bat")
    ]
    assert errors_of(response, "revised_date_text") == [
        "“January 2020” has already passed: a revised date must be in the future."
    ]
    assert ProgressUpdate.objects.count() == 0
    assert Evidence.objects.count() == 0
    assert DateRevision.objects.count() == 0
    link.refresh_from_db()
    assert link.used_at is None


def test_an_empty_narrative_does_not_hide_a_refused_file(client, action, evaluator):
    link, secret = services.update_link_issue(
        action=action, by=evaluator, recipient_name="Ana Quispe", recipient_email="ana@example.org"
    )

    response = client.post(
        reverse("reporting:update_link_form", args=[secret]),
        {
            "status": "in_progress",
            "narrative": " ",
            "files": [SimpleUploadedFile("tool.exe", b"MZ", "application/octet-stream")],
            "revised_date_text": "January 2020",
            "revised_date_justification": "The rains came early.",
        },
    )

    assert response.status_code == 200
    accepted = ", ".join(settings.EVIDENCE_ALLOWED_EXTENSIONS)
    assert errors_of(response, "narrative") == ["This field is required."]
    assert errors_of(response, "files") == [
        f"“tool.exe” is not an accepted type of evidence. Accepted: {accepted}."
    ]
    assert errors_of(response, "revised_date_text") == [
        "“January 2020” has already passed: a revised date must be in the future."
    ]
    assert ProgressUpdate.objects.count() == 0
