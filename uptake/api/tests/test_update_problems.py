"""The API answers a refused update with every field's problems at once."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

from uptake.followup.models import DateRevision, Evidence, ProgressUpdate

pytestmark = pytest.mark.django_db


def test_a_refused_file_and_a_date_without_reason_are_both_in_errors(api_as, focal, action):
    response = api_as(focal).post(
        f"/api/v1/actions/{action.pk}/updates/",
        {
            "status": "in_progress",
            "narrative": "See attached.",
            "files": [SimpleUploadedFile("run.exe", b"MZ", "application/octet-stream")],
            "revised_date_text": "January 2020",
        },
        format="multipart",
    )

    assert response.status_code == 400
    body = response.json()
    accepted = ", ".join(settings.EVIDENCE_ALLOWED_EXTENSIONS)
    refused_file = f"“run.exe” is not an accepted type of evidence. Accepted: {accepted}."
    assert body["errors"] == {
        "files": [refused_file],
        "revised_date_text": [
            "“January 2020” has already passed: a revised date must be in the future."
        ],
        "revised_date_justification": ["Explain why the target date must move."],
    }
    assert body["message"] == refused_file
    assert ProgressUpdate.objects.count() == 0
    assert Evidence.objects.count() == 0
    assert DateRevision.objects.count() == 0
