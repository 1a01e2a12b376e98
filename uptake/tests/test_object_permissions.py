"""Object-level permissions: an identifier sent in a request's address or body reaches only
what the person sending it may change. The URL matrix (test_url_permissions.py) checks each
address as a whole with an empty body; these send complete, valid requests and check that
nothing of another unit changes."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from uptake.api.tests.conftest import client_for
from uptake.evaluations.models import Action
from uptake.followup.models import DateRevision, Evidence, ProgressUpdate
from uptake.reporting import services as reporting

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("asked_on_written_day")]


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def prs_action(approved_evaluation, units) -> Action:
    """The approved evaluation's second action, handed to PRS (the outsider's unit)."""
    action = (
        Action.objects.filter(response__recommendation__evaluation=approved_evaluation)
        .order_by("id")
        .last()
    )
    Action.objects.filter(pk=action.pk).update(unit=units["PRS"])
    action.refresh_from_db()
    return action


def full_update(**extra):
    """A report that would be recorded in full: status, narrative, a file, a link and a
    revised date with its reason."""
    return {
        "status": "completed",
        "narrative": "Smuggled progress report.",
        "files": [SimpleUploadedFile("proof.pdf", b"%PDF-1.4 proof", "application/pdf")],
        "links": "https://example.org/smuggled.html Smuggled link",
        "revised_date_text": "March 2031",
        "revised_date_justification": "Smuggled reason.",
        **extra,
    }


def test_a_focal_point_cannot_report_on_another_units_action_by_its_id(
    client, outsider, action, private_media
):
    status_before, version_before = action.status, action.version
    client.force_login(outsider)

    response = client.post(reverse("followup:update_create", args=[action.pk]), full_update())

    assert response.status_code == 403
    assert "Smuggled" not in response.content.decode()
    assert not ProgressUpdate.objects.exists()
    assert not Evidence.objects.exists()
    assert not DateRevision.objects.exists()
    assert not [p for p in private_media.rglob("*") if p.is_file()]  # no file written
    action.refresh_from_db()
    assert (action.status, action.version) == (status_before, version_before)


def test_a_focal_point_cannot_report_on_another_units_action_through_the_api(
    focal, prs_action, private_media
):
    response = client_for(focal).post(
        f"/api/v1/actions/{prs_action.pk}/updates/", full_update(), format="multipart"
    )

    assert response.status_code == 403
    assert not ProgressUpdate.objects.filter(action=prs_action).exists()
    assert not Evidence.objects.exists()
    assert not DateRevision.objects.exists()
    assert not [p for p in private_media.rglob("*") if p.is_file()]


def test_an_action_id_sent_in_the_api_body_does_not_redirect_the_report(focal, action, prs_action):
    response = client_for(focal).post(
        f"/api/v1/actions/{action.pk}/updates/",
        full_update(action=prs_action.pk, action_id=prs_action.pk),
        format="multipart",
    )

    assert response.status_code == 201
    update = ProgressUpdate.objects.get()
    assert update.action_id == action.pk
    assert DateRevision.objects.get().action_id == action.pk
    assert not ProgressUpdate.objects.filter(action=prs_action).exists()
    assert not DateRevision.objects.filter(action=prs_action).exists()


def test_an_action_id_sent_in_the_page_form_does_not_redirect_the_report(
    client, focal, action, prs_action
):
    client.force_login(focal)

    response = client.post(
        reverse("followup:update_create", args=[action.pk]),
        full_update(action=prs_action.pk, action_id=prs_action.pk),
    )

    assert response.status_code == 302
    assert ProgressUpdate.objects.get().action_id == action.pk
    assert not ProgressUpdate.objects.filter(action=prs_action).exists()
    assert not DateRevision.objects.filter(action=prs_action).exists()


def test_an_update_link_records_only_on_its_own_action_whatever_the_form_names(
    client, evaluator, action, prs_action
):
    link, secret = reporting.update_link_issue(
        action=action, by=evaluator, recipient_name="Ana Quispe", recipient_email="", days=7
    )

    response = client.post(
        reverse("reporting:update_link_form", args=[secret]),
        full_update(action=prs_action.pk, action_id=prs_action.pk),
    )

    assert response.status_code == 302
    assert ProgressUpdate.objects.get().action_id == action.pk
    assert not ProgressUpdate.objects.filter(action=prs_action).exists()
    assert not DateRevision.objects.filter(action=prs_action).exists()
