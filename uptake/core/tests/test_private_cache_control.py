"""What a signed-in person is shown is marked `Cache-Control: private`, so that a shared cache
(a proxy between them and Uptake) never keeps it for someone else; public and health
responses keep their own caching."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from uptake.followup.models import Evidence

pytestmark = pytest.mark.django_db


def directives(response) -> set[str]:
    return {part.strip() for part in response.get("Cache-Control", "").split(",") if part.strip()}


def test_a_signed_in_page_is_private(client, viewer, action):
    client.force_login(viewer)

    response = client.get(reverse("followup:action", args=[action.pk]))

    assert response.status_code == 200
    assert "private" in directives(response)
    assert "public" not in directives(response)


def test_an_evidence_download_is_private(client, focal, viewer, action, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(focal)
    client.post(
        reverse("followup:update_create", args=[action.pk]),
        {
            "status": "in_progress",
            "narrative": "Minutes attached.",
            "files": [SimpleUploadedFile("minutes.txt", b"Board met.")],
        },
    )
    client.force_login(viewer)

    response = client.get(reverse("followup:evidence_download", args=[Evidence.objects.get().pk]))

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"Board met."
    assert "private" in directives(response)


@pytest.mark.parametrize("address", ["/en/public/", "/fr/public/", "/api/v1/public/publications/"])
def test_the_public_site_is_not_marked_private_even_for_a_signed_in_person(client, viewer, address):
    client.force_login(viewer)

    response = client.get(address)

    assert response.status_code == 200
    assert "Cache-Control" not in response


def test_a_page_that_forbids_caching_keeps_its_own_header(client, viewer):
    client.force_login(viewer)

    response = client.get("/healthz")

    assert response.status_code == 200
    # never_cache's full header, not replaced by a bare "private" that would let the browser
    # keep a stale health answer.
    assert {"no-cache", "no-store", "must-revalidate", "max-age=0"} <= directives(response)
