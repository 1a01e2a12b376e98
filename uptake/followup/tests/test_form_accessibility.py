"""Forms shown again with errors: what a screen reader hears, the files the person must choose
again, and page titles that say where one is and that something went wrong."""

from __future__ import annotations

import html
from html.parser import HTMLParser

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from conftest import field_errors
from uptake.evaluations.models import Action
from uptake.followup.models import Evidence, ProgressUpdate
from uptake.reporting import services as reporting

pytestmark = pytest.mark.django_db

ATTACH_AGAIN = "Attach %s again: a page shown again cannot keep the files you chose."


class Elements(HTMLParser):
    """Every start tag of a page, with its attributes, and the text of <title>."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.title = ""
        self._in_title = False
        self.feed(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, {k: v or "" for k, v in attrs}))
        self._in_title = tag == "title"

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self._in_title = False

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title += data

    def named(self, name: str) -> dict[str, str]:
        (attrs,) = [a for t, a in self.tags if a.get("name") == name and t == "input"]
        return attrs

    def ids(self) -> list[str]:
        return [a["id"] for _t, a in self.tags if "id" in a]


def parsed(response) -> Elements:
    assert response.status_code == 200
    return Elements(response.content.decode())


def title_of(response) -> str:
    return " ".join(html.unescape(parsed(response).title).split())


# The date fields: error, help text and instant check, together and in that order -----------


def test_a_refused_target_date_is_described_by_its_error_its_help_and_the_check(
    client, evaluator, draft_evaluation
):
    response_ = draft_evaluation.recommendations.get(number="1").responses.get(unit__code="HWP")
    client.force_login(evaluator)
    before = Action.objects.count()

    response = client.post(
        reverse("evaluations:action_create", args=[response_.pk]),
        {"text": "Hire an engineer.", "target_date_text": "03/04/2027"},
    )

    page = parsed(response)
    field = page.named("target_date_text")
    auto_id = field["id"]
    expected = [f"{auto_id}_error", f"{auto_id}_helptext", "target-date-check"]
    assert field["aria-describedby"].split() == expected
    assert field["aria-invalid"] == "true"
    ids = page.ids()
    for id_ in expected:
        assert ids.count(id_) == 1, id_
    assert Action.objects.count() == before


def test_a_target_date_without_error_is_described_by_its_help_and_the_check(
    client, evaluator, draft_evaluation
):
    response_ = draft_evaluation.recommendations.get(number="1").responses.get(unit__code="HWP")
    client.force_login(evaluator)

    page = parsed(client.get(reverse("evaluations:action_create", args=[response_.pk])))

    field = page.named("target_date_text")
    assert field["aria-describedby"].split() == [f"{field['id']}_helptext", "target-date-check"]
    assert "aria-invalid" not in field


def test_a_refused_revised_date_is_described_by_its_error_its_help_and_the_check(
    client, focal, action
):
    client.force_login(focal)

    response = client.post(
        reverse("followup:update_create", args=[action.pk]),
        {
            "status": "in_progress",
            "narrative": "Floods.",
            "revised_date_text": "03/04/2027",
            "revised_date_justification": "Roads were cut.",
        },
    )

    page = parsed(response)
    field = page.named("revised_date_text")
    auto_id = field["id"]
    expected = [f"{auto_id}_error", f"{auto_id}_helptext", "target-date-check"]
    assert field["aria-describedby"].split() == expected
    ids = page.ids()
    for id_ in expected:
        assert ids.count(id_) == 1, id_
    assert not ProgressUpdate.objects.exists()


def test_the_update_link_date_points_only_at_what_its_page_has(client, action, evaluator):
    """The update-link page has no instant check: its date field must not point at one."""
    _link, secret = reporting.update_link_issue(
        action=action, by=evaluator, recipient_name="Ana Quispe", recipient_email=""
    )

    response = client.post(
        reverse("reporting:update_link_form", args=[secret]),
        {"status": "in_progress", "narrative": "Floods.", "revised_date_text": "03/04/2027"},
    )

    page = parsed(response)
    field = page.named("revised_date_text")
    described = field["aria-describedby"].split()
    assert described == [f"{field['id']}_error", f"{field['id']}_helptext"]
    assert all(id_ in page.ids() for id_ in described)


# Files chosen before an error: named, so the person attaches them again -------------------


def minutes() -> SimpleUploadedFile:
    return SimpleUploadedFile("minutes.pdf", b"%PDF-1.4 minutes", "application/pdf")


def test_the_update_form_shown_again_names_the_files_to_attach_again(client, focal, action):
    client.force_login(focal)

    # No narrative: the form comes back.
    response = client.post(
        reverse("followup:update_create", args=[action.pk]),
        {"status": "in_progress", "narrative": "", "files": [minutes()]},
    )

    page = html.unescape(response.content.decode())
    assert response.status_code == 200
    assert field_errors(page, "files") == [ATTACH_AGAIN % "minutes.pdf"]
    assert not ProgressUpdate.objects.exists()
    assert not Evidence.objects.exists()


def test_the_update_form_shown_again_without_files_asks_for_none(client, focal, action):
    client.force_login(focal)

    response = client.post(
        reverse("followup:update_create", args=[action.pk]),
        {"status": "in_progress", "narrative": ""},
    )

    page = html.unescape(response.content.decode())
    assert response.status_code == 200
    assert "This field is required." in page
    assert "again: a page shown again cannot keep" not in page
    assert not ProgressUpdate.objects.exists()


def test_the_update_link_page_shown_again_names_every_file_to_attach_again(
    client, action, evaluator
):
    _link, secret = reporting.update_link_issue(
        action=action, by=evaluator, recipient_name="Ana Quispe", recipient_email=""
    )
    photo = SimpleUploadedFile("site visit.jpg", b"\xff\xd8\xff\xe0 photo", "image/jpeg")

    response = client.post(
        reverse("reporting:update_link_form", args=[secret]),
        {"status": "in_progress", "narrative": "", "files": [minutes(), photo]},
    )

    page = html.unescape(response.content.decode())
    assert response.status_code == 200
    assert ATTACH_AGAIN % "minutes.pdf, site visit.jpg" in page
    assert not ProgressUpdate.objects.exists()
    assert not Evidence.objects.exists()


def test_the_update_link_page_shown_again_without_files_asks_for_none(client, action, evaluator):
    _link, secret = reporting.update_link_issue(
        action=action, by=evaluator, recipient_name="Ana Quispe", recipient_email=""
    )

    response = client.post(
        reverse("reporting:update_link_form", args=[secret]),
        {"status": "in_progress", "narrative": ""},
    )

    page = html.unescape(response.content.decode())
    assert response.status_code == 200
    assert "again: a page shown again cannot keep" not in page


def test_a_refused_file_is_not_asked_for_again(client, focal, action):
    client.force_login(focal)
    program = SimpleUploadedFile("tool.exe", b"MZ binary", "application/octet-stream")

    response = client.post(
        reverse("followup:update_create", args=[action.pk]),
        {"status": "in_progress", "narrative": "Done.", "files": [program]},
    )

    page = html.unescape(response.content.decode())
    assert response.status_code == 200
    assert "tool.exe" in page  # the refusal names it
    assert "again: a page shown again cannot keep" not in page
    assert not Evidence.objects.exists()


# Page titles ----------------------------------------------------------------------------------


def test_the_action_page_is_titled_with_the_action(client, focal, action):
    action.text = "Commission an independent review of the water tariff model " + "x" * 40
    action.save(update_fields=["text"])
    client.force_login(focal)

    title = title_of(client.get(action.get_absolute_url()))

    assert title == f"{action.text[:59]}… · Uptake"


def test_the_add_forms_are_titled_as_their_heading(client, evaluator, draft_evaluation):
    rec = draft_evaluation.recommendations.get(number="1")
    client.force_login(evaluator)

    added_action = client.get(
        reverse("evaluations:action_create", args=[rec.responses.get(unit__code="HWP").pk])
    )
    added_response = client.get(reverse("evaluations:response_create", args=[rec.pk]))

    assert title_of(added_action) == "Add an action · Uptake"
    assert title_of(added_response) == "Add a unit's response · Uptake"


def test_a_form_shown_again_with_errors_says_error_in_its_title(client, focal, action):
    client.force_login(focal)
    url = reverse("followup:update_create", args=[action.pk])

    assert title_of(client.get(url)) == "Report progress · Uptake"
    shown_again = client.post(url, {"status": "in_progress", "narrative": ""})
    assert title_of(shown_again) == "Error: Report progress · Uptake"


def test_the_update_link_page_shown_again_says_error_in_its_title(client, action, evaluator):
    _link, secret = reporting.update_link_issue(
        action=action, by=evaluator, recipient_name="Ana Quispe", recipient_email=""
    )
    url = reverse("reporting:update_link_form", args=[secret])

    assert title_of(client.get(url)) == "Send an update · Uptake"
    shown_again = client.post(url, {"status": "in_progress", "narrative": ""})
    assert title_of(shown_again) == "Error: Send an update · Uptake"
