"""Forms shown again with errors start with a summary of them: how many, and each one, a
field's as a link to its input (includes/error_summary.html)."""

from __future__ import annotations

import datetime
import html
import re
from decimal import Decimal
from html.parser import HTMLParser

import pytest
from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.loader import render_to_string
from django.urls import reverse

from conftest import field_errors
from uptake.core.forms import Problem, form_problems
from uptake.followup import services as followup
from uptake.importer.forms import ReviewForm
from uptake.importer.models import ImportSession
from uptake.importer.parsing import ParsedDocument
from uptake.importer.tests.plans import KNOWN_AND_NEW
from uptake.reporting import services as reporting
from uptake.results import services as results

pytestmark = pytest.mark.django_db


class Page(HTMLParser):
    """The ids of a page's elements and, if it has one, its error summary: the heading and
    each line, with the address its link goes to (None for a line without a link)."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: list[str] = []
        self.summaries: list[dict[str, str]] = []
        self.heading = ""
        self.lines: list[tuple[str | None, str]] = []
        self._depth = 0  # inside the summary: how many of its <div> are open
        self._in_heading = False
        self._line: list[str | None] | None = None
        self.feed(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {k: v or "" for k, v in attrs}
        if "id" in found:
            self.ids.append(found["id"])
        if self._depth:
            self._depth += tag == "div"
            self._in_heading = self._in_heading or tag == "h2"
            if tag == "li":
                self._line = [None, ""]
            elif tag == "a" and self._line is not None:
                self._line[0] = found.get("href")
        elif tag == "div" and "error-summary" in found.get("class", "").split():
            self.summaries.append(found)
            self._depth = 1

    def handle_endtag(self, tag: str) -> None:
        if not self._depth:
            return
        if tag == "h2":
            self._in_heading = False
        elif tag == "li" and self._line is not None:
            self.lines.append((self._line[0], " ".join(str(self._line[1]).split())))
            self._line = None
        elif tag == "div":
            self._depth -= 1

    def handle_data(self, data: str) -> None:
        if self._in_heading:
            self.heading += data
        elif self._line is not None:
            self._line[1] = str(self._line[1]) + data


def shown(response) -> Page:
    assert response.status_code == 200, response.status_code
    return Page(response.content.decode())


def problems(count: int) -> str:
    return f"The form was not accepted: {count} problem{'s' if count > 1 else ''} to fix"


def assert_summary(response, lines: list[tuple[str | None, str]]) -> Page:
    """The page has one summary, which takes the focus and lists LINES: (the id its link goes
    to or None, the text); each id is on the page, after the summary."""
    page = shown(response)
    (summary,) = page.summaries
    assert (summary["id"], summary["tabindex"]) == ("error-summary", "-1")
    assert page.heading == problems(len(lines))
    assert page.lines == [(f"#{target}" if target else None, text) for target, text in lines]
    for target, _text in lines:
        if target:
            assert page.ids.count(target) == 1, target
            assert page.ids.index("error-summary") < page.ids.index(target)
    return page


def assert_errors_under_fields(response, errors: dict[str, list[str]]) -> None:
    """Each field still shows its errors under it, in the one element its input names."""
    text = response.content.decode()
    ids = shown(response).ids
    for field, messages in errors.items():
        assert [html.unescape(e) for e in field_errors(text, field)] == messages, field
        assert ids.count(f"id_{field}_error") == 1


REQUIRED = "This field is required."


# The long forms ------------------------------------------------------------------------------


def test_the_progress_update_form_lists_each_error_linked_to_its_field(client, focal, action):
    client.force_login(focal)

    response = client.post(
        reverse("followup:update_create", args=[action.pk]), {"status": "", "narrative": ""}
    )

    assert_summary(
        response,
        [
            ("id_status", f"Status: {REQUIRED}"),
            ("id_narrative", f"Progress since the last update: {REQUIRED}"),
        ],
    )
    assert_errors_under_fields(response, {"status": [REQUIRED], "narrative": [REQUIRED]})
    assert not action.updates.exists()


def test_the_evaluation_form_lists_each_error_in_the_order_of_the_form(client, evaluator):
    client.force_login(evaluator)

    response = client.post(
        reverse("evaluations:create"),
        {"title_en": "", "period": "someday", "evaluation_type": "program"},
    )

    period = (
        "“someday” is not a period Uptake understands. Write fiscal years or years, like "
        "2013-14 to 2018-19, 2019-20 or 2015 to 2020."
    )
    assert_summary(
        response,
        [
            ("id_title_en", f"Title (English): {REQUIRED}"),
            ("id_period", f"Period covered: {period}"),
        ],
    )
    assert_errors_under_fields(response, {"title_en": [REQUIRED], "period": [period]})


def test_the_response_form_lists_the_errors_its_own_checks_add(client, evaluator, draft_evaluation):
    client.force_login(evaluator)
    recommendation = draft_evaluation.recommendations.get()

    response = client.post(
        reverse("evaluations:response_create", args=[recommendation.pk]),
        {"unit": "Nowhere", "agreement": "disagree", "commitment": "None."},
    )

    unknown = "No unit matches “Nowhere”. Type its code (for example HWP) or its full name."
    reasons = "A unit that agrees only in part or disagrees must give its reasons."
    assert_summary(
        response,
        [("id_unit", f"Responding unit: {unknown}"), ("id_rationale", f"Rationale: {reasons}")],
    )
    assert_errors_under_fields(response, {"unit": [unknown], "rationale": [reasons]})


def test_the_action_form_of_a_response_lists_its_errors(client, evaluator, draft_evaluation):
    client.force_login(evaluator)
    response_ = draft_evaluation.recommendations.get().responses.get()

    response = client.post(
        reverse("evaluations:action_create", args=[response_.pk]),
        {"text": "", "target_date_text": "whenever"},
    )

    date = (
        "“whenever” is not a date Uptake understands. Write it like June 2021, March 31, "
        "2022, Q3 2021-22, 2021-22, Fall 2023 or Ongoing."
    )
    assert_summary(
        response,
        [
            ("id_text", f"Action: {REQUIRED}"),
            ("id_target_date_text", f"Target completion date: {date}"),
        ],
    )
    assert_errors_under_fields(response, {"text": [REQUIRED], "target_date_text": [date]})


def test_the_import_review_names_where_each_error_is_and_links_a_radio_group_by_its_first_button(
    client, evaluator, units
):
    """The review of a whole management response: an action's error says which recommendation,
    response and action it is in; a unit decision left unanswered links to its first choice."""
    client.force_login(evaluator)
    upload = SimpleUploadedFile("plan.txt", KNOWN_AND_NEW.encode("utf-8"))
    client.post(reverse("importer:upload"), {"file": upload, "language": ""})
    session = ImportSession.objects.get()
    untouched = ReviewForm(document=ParsedDocument.from_dict(session.parsed, session.source_lines))
    sent = {
        name: field.initial
        for name, field in untouched.fields.items()
        if field.initial not in (None, False)
    }
    sent["r0_p0_a0_text"] = ""
    del sent["u_MRO_choice"]

    response = client.post(reverse("importer:review", args=[session.pk]), sent)

    # In the order of the page: the new units come before the recommendations.
    assert_summary(
        response,
        [
            ("id_u_MRO_choice_0", f"Unit “Mountain Roads Office (MRO)” · What to do: {REQUIRED}"),
            (
                "id_r0_p0_a0_text",
                "Recommendation 1 · Director, Highland Water Program (HWP) · Action 1 · Text: "
                + REQUIRED,
            ),
        ],
    )
    # The importer's fields say their label with each error.
    assert field_errors(response.content.decode(), "r0_p0_a0_text") == [f"Action: {REQUIRED}"]
    # The radio group's error is tied to the group, as a field's is to its input.
    page = response.content.decode()
    assert field_errors(page, "u_MRO_choice") == [f"What to do: {REQUIRED}"]
    assert re.search(
        r'<fieldset [^>]*aria-describedby="id_u_MRO_choice_error">\s*<legend>What to do</legend>',
        page,
    )


@pytest.fixture
def indicator(evaluator):
    """A unit indicator of a draft strategy, with a target for a period that has started."""
    strategy = results.strategy_create(
        by=evaluator, kind="country", title_en="Country strategy", subject="Testland",
        country_code="pe", start_year=2024, end_year=2026,
    )  # fmt: skip
    result = results.result_create(strategy=strategy, by=evaluator, statement_en="Ultimate")
    period = results.period_create(
        strategy=strategy, by=evaluator, name="2024-25",
        start=datetime.date(2024, 4, 1), end=datetime.date(2025, 3, 31),
    )  # fmt: skip
    indicator = results.indicator_create(
        result=result, by=evaluator, text_en="Boards trained", measure="unit",
        baseline_value=Decimal("1"), baseline_year=2023,
    )  # fmt: skip
    results.target_set(indicator=indicator, period=period, by=evaluator, value=Decimal("5"))
    return indicator


def test_the_results_actual_form_lists_each_error(client, evaluator, indicator):
    client.force_login(evaluator)

    response = client.post(
        reverse("results:actual_create", args=[indicator.pk]),
        {"period": "", "value": "lots", "submit": "1"},
    )

    assert_summary(
        response,
        [("id_period", f"Period: {REQUIRED}"), ("id_value", "Actual value: Enter a number.")],
    )
    assert_errors_under_fields(response, {"period": [REQUIRED], "value": ["Enter a number."]})


def test_the_update_link_page_lists_each_error(client, evaluator, action):
    _link, secret = reporting.update_link_issue(
        action=action, by=evaluator, recipient_name="Ana Quispe", recipient_email=""
    )

    response = client.post(
        reverse("reporting:update_link_form", args=[secret]), {"status": "", "narrative": ""}
    )

    assert_summary(
        response,
        [
            ("id_status", f"Status: {REQUIRED}"),
            ("id_narrative", f"Progress since the last update: {REQUIRED}"),
        ],
    )
    assert_errors_under_fields(response, {"status": [REQUIRED], "narrative": [REQUIRED]})
    # The page loads the script that moves the focus to the summary.
    assert "uptake/uptake.js" in response.content.decode()


# Problems of the whole form, groups of inputs, inputs written by hand ----------------------------


def test_a_problem_of_the_whole_form_is_listed_once_without_a_link(client, evaluator):
    response = client.post(reverse("login"), {"username": "evaluator", "password": "wrong"})

    refused = (
        "Please enter a correct username and password. Note that both fields may be case-sensitive."
    )
    assert_summary(response, [(None, refused)])
    # Only in the summary: not a second time in a box of its own above the fields.
    assert html.unescape(response.content.decode()).count(refused) == 1


def test_a_group_of_checkboxes_is_linked_by_its_first_box(client, evaluator, approved_evaluation):
    client.force_login(evaluator)

    response = client.post(
        reverse("publishing:manage", args=[approved_evaluation.pk]), {"status_as_of": ""}
    )

    # The group's own id is on a wrapper, which cannot take the focus.
    assert_summary(response, [("id_languages_0", f"Languages: {REQUIRED}")])
    assert_errors_under_fields(response, {"languages": [REQUIRED]})


def test_the_validation_queue_links_to_the_comment_box_of_the_update_refused(
    client, evaluator, focal, action
):
    claim = followup.update_submit(
        action=action, by=focal, status="completed", narrative="Template adopted in May."
    )
    client.force_login(evaluator)

    response = client.post(reverse("followup:update_return", args=[claim.pk]), {"comment": " "})

    missing = "Say what is missing so the unit can fix it."
    page = assert_summary(response, [(f"comment-{claim.pk}", f"Comment: {missing}")])
    # The error under the box stays, named by the box; the summary, not it, is announced.
    assert page.ids.count(f"comment-{claim.pk}-error") == 1
    assert f'<div id="comment-{claim.pk}-error" role="alert">' not in response.content.decode()
    # The queue's form is not called `form`: the title says "Error:" all the same.
    assert "<title>Error: Validation queue" in response.content.decode()


# No summary without errors ---------------------------------------------------------------------


def test_a_form_opened_or_sent_without_errors_has_no_summary(client, focal, action):
    client.force_login(focal)
    url = reverse("followup:update_create", args=[action.pk])

    opened = shown(client.get(url))
    sent = client.post(url, {"status": "in_progress", "narrative": "Started."}, follow=True)

    assert opened.summaries == [] and opened.heading == ""
    assert sent.redirect_chain  # saved, then the action's page
    assert shown(sent).summaries == []


# What the summary lists -----------------------------------------------------------------------


class SubPointForm(forms.Form):
    text = forms.CharField(label="Sub-point")


class BaseSubPoints(forms.BaseFormSet):
    def clean(self) -> None:
        texts = [form.cleaned_data.get("text") for form in self.forms]
        if len(texts) != len(set(texts)):
            raise forms.ValidationError("Give each sub-point once.")


SubPoints = forms.formset_factory(SubPointForm, formset=BaseSubPoints)


def test_the_errors_of_a_formset_on_the_page_are_listed_after_the_forms_own():
    form = SubPointForm({"text": ""})
    formset = SubPoints(
        {"form-TOTAL_FORMS": "3", "form-INITIAL_FORMS": "3",
         "form-0-text": "Fund maintenance.", "form-1-text": "", "form-2-text": "Fund maintenance."}
    )  # fmt: skip

    # A template passes what it has: a sub-form it lacks comes as an empty string.
    listed = form_problems(form, formset, "")

    assert listed == [
        Problem(REQUIRED, "Sub-point", "id_text"),
        Problem("Give each sub-point once."),
        Problem(REQUIRED, "Sub-point", "id_form-1-text"),
    ]
    page = Page(
        render_to_string("includes/error_summary.html", {"form": form, "subforms": formset})
    )
    assert page.heading == problems(3)
    assert page.lines == [
        ("#id_text", f"Sub-point: {REQUIRED}"),
        (None, "Give each sub-point once."),
        ("#id_form-1-text", f"Sub-point: {REQUIRED}"),
    ]


def test_what_the_person_typed_stays_text_in_the_summary(client, evaluator, draft_evaluation):
    client.force_login(evaluator)
    recommendation = draft_evaluation.recommendations.get()

    response = client.post(
        reverse("evaluations:response_create", args=[recommendation.pk]),
        {"unit": "<b>Nowhere</b>", "agreement": "agree"},
    )

    assert_summary(
        response,
        [
            (
                "id_unit",
                "Responding unit: No unit matches “<b>Nowhere</b>”. Type its code (for example "
                "HWP) or its full name.",
            )
        ],
    )
    assert "<b>Nowhere</b>" not in response.content.decode()
