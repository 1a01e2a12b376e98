"""A refused update names every problem at once, each on its field, and records nothing."""

from __future__ import annotations

import datetime
import html
import re

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from conftest import field_errors
from uptake.errors import ServiceError
from uptake.evaluations.models import ActionStatus
from uptake.followup import services as followup
from uptake.followup.models import DateRevision, Evidence, ProgressUpdate

pytestmark = pytest.mark.django_db

PAST_DATE = "January 2020"
PAST_DATE_PROBLEM = f"“{PAST_DATE}” has already passed: a revised date must be in the future."
NO_JUSTIFICATION = "Explain why the target date must move."


def errors_of(response, field: str) -> list[str]:
    """Every error shown under FIELD, as the form template ties them to the field."""
    text = html.unescape(response.content.decode())
    return field_errors(text, field)


def refused_type(name: str) -> str:
    accepted = ", ".join(settings.EVIDENCE_ALLOWED_EXTENSIONS)
    return f"“{name}” is not an accepted type of evidence. Accepted: {accepted}."


def exe(name: str = "tool.exe") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"MZ", "application/octet-stream")


def assert_nothing_written(action) -> None:
    assert ProgressUpdate.objects.count() == 0
    assert Evidence.objects.count() == 0
    assert DateRevision.objects.count() == 0
    action.refresh_from_db()
    assert action.status == ActionStatus.NOT_STARTED


def test_a_refused_file_and_a_past_date_without_reason_are_all_shown_on_their_fields(
    client, focal, action
):
    client.force_login(focal)

    response = client.post(
        reverse("followup:update_create", args=[action.pk]),
        {
            "status": "in_progress",
            "narrative": "Floods.",
            "files": [exe()],
            "revised_date_text": PAST_DATE,
        },
    )

    assert response.status_code == 200
    assert errors_of(response, "files") == [refused_type("tool.exe")]
    assert errors_of(response, "revised_date_text") == [PAST_DATE_PROBLEM]
    assert errors_of(response, "revised_date_justification") == [NO_JUSTIFICATION]
    assert_nothing_written(action)


def test_two_refused_files_are_both_named_beside_an_ambiguous_date(client, focal, action, settings):
    settings.EVIDENCE_MAX_BYTES = 100
    big = SimpleUploadedFile("survey.pdf", b"%PDF" + b"x" * 200, "application/pdf")
    client.force_login(focal)

    response = client.post(
        reverse("followup:update_create", args=[action.pk]),
        {
            "status": "in_progress",
            "narrative": "Floods.",
            "files": [exe("setup.exe"), big],
            "revised_date_text": "03/04/2027",
            "revised_date_justification": "Roads were cut.",
        },
    )

    assert response.status_code == 200
    files = errors_of(response, "files")
    assert len(files) == 2
    assert files[0] == refused_type("setup.exe")
    assert files[1].startswith("“survey.pdf” (") and "is larger than the" in files[1]
    # Both under the one element the field's aria-describedby names: ids stay unique.
    page = response.content.decode()
    assert page.count('id="id_files_error"') == 1
    assert re.search(r'<input[^>]*name="files"[^>]*aria-describedby="[^"]*id_files_error', page)
    (date_problem,) = errors_of(response, "revised_date_text")
    assert date_problem.startswith("“03/04/2027” could be")
    assert errors_of(response, "revised_date_justification") == []
    assert_nothing_written(action)


def test_the_refusal_lists_problems_in_the_order_of_the_form(focal, action):
    future = (timezone.localdate() + datetime.timedelta(days=400)).isoformat()
    followup.update_submit(
        action=action, by=focal, status="in_progress", narrative="First.",
        revised_date_text=future, revised_date_justification="Roads were cut.",
    )  # fmt: skip
    written = ProgressUpdate.objects.count(), DateRevision.objects.count()

    with pytest.raises(ServiceError) as refused:
        followup.update_submit(
            action=action, by=focal, status="validated", narrative="  ",
            links=[followup.EvidenceLink(url="not a web address")],
            revised_date_text=future,
        )  # fmt: skip

    fields = [field for field, _message in refused.value.field_problems]
    assert fields == [
        "status",
        "narrative",
        "links",
        "revised_date_text",
        "revised_date_justification",
    ]
    messages = refused.value.messages
    assert "A revised date for this action already awaits a decision." in messages
    assert "“not a web address” is not a web address" in messages[2]
    # Code that reads only the first problem still finds it.
    assert (refused.value.field, refused.value.message) == refused.value.field_problems[0]
    assert (ProgressUpdate.objects.count(), DateRevision.objects.count()) == written


def test_an_action_that_takes_no_update_says_only_that(focal, evaluator, action):
    claim = followup.update_submit(action=action, by=focal, status="completed", narrative="Done.")
    followup.update_validate(update=claim, by=evaluator)

    with pytest.raises(ServiceError) as refused:
        followup.update_submit(
            action=action, by=focal, status="nonsense", narrative="", files=[exe()]
        )

    assert len(refused.value.field_problems) == 1
    assert refused.value.field is None
    assert refused.value.message == "This action is validated: no more updates are taken."
    assert ProgressUpdate.objects.count() == 1


def test_an_empty_narrative_does_not_hide_the_other_problems(client, focal, action):
    """The narrative is refused by the form's own check, before the service would look at the
    file, the link and the date: those are named on the same page all the same."""
    client.force_login(focal)

    response = client.post(
        reverse("followup:update_create", args=[action.pk]),
        {
            "status": "in_progress",
            "narrative": "",
            "files": [exe("bad.exe")],
            "links": "notaurl",
            "revised_date_text": PAST_DATE,
            "revised_date_justification": "",
        },
    )

    assert response.status_code == 200
    assert errors_of(response, "narrative") == ["This field is required."]
    assert errors_of(response, "files") == [refused_type("bad.exe")]
    assert len(errors_of(response, "links")) == 1
    assert errors_of(response, "revised_date_text") == [PAST_DATE_PROBLEM]
    assert errors_of(response, "revised_date_justification") == [NO_JUSTIFICATION]
    # A refused file is named as refused, not asked for again.
    assert "again" not in " ".join(errors_of(response, "files"))
    assert_nothing_written(action)
