"""The upload page and the review screen: nothing is saved before the reviewer confirms."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from uptake.accounts.models import Unit
from uptake.evaluations.models import Action, Evaluation, EvaluationState, Response
from uptake.importer.forms import ReviewForm
from uptake.importer.models import ImportSession
from uptake.importer.parsing import ParsedDocument, ParsedRecommendation, ParsedResponse

from .documents import make_docx
from .plans import KNOWN_AND_NEW, NO_AGREEMENT

UPLOAD = reverse("importer:upload")


def _upload(client, text: str = KNOWN_AND_NEW, name: str = "plan.txt", **extra: Any):
    data = {"file": SimpleUploadedFile(name, text.encode("utf-8")), "language": ""}
    return client.post(UPLOAD, data, **extra)


def _initial(session: ImportSession) -> dict[str, Any]:
    """What the review form holds before the reviewer touches it, as the browser sends it."""
    form = ReviewForm(document=ParsedDocument.from_dict(session.parsed, session.source_lines))
    data: dict[str, Any] = {}
    for name, field in form.fields.items():
        value = field.initial
        if value is False or value is None:
            continue
        data[name] = value
    return data


@pytest.fixture
def session(client, evaluator, units) -> ImportSession:
    client.force_login(evaluator)
    response = _upload(client)
    assert response.status_code == 302
    return ImportSession.objects.get()


def test_it_shows_the_upload_form_with_a_progress_indicator(client, evaluator) -> None:
    client.force_login(evaluator)
    response = client.get(UPLOAD)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'hx-indicator="#upload-progress"' in html
    assert "Reading the document…" in html
    assert 'enctype="multipart/form-data"' in html


def test_upload_leads_to_the_review_of_parsed_items_beside_the_source(client, session) -> None:
    assert session.file_name == "plan.txt"
    assert session.created_by.username == "evaluator"
    response = client.get(reverse("importer:review", args=[session.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Fund the maintenance of rural water systems" in html
    assert 'id="line-3"' in html and 'href="#line-3"' in html  # recommendation 1's span
    assert "Matches the unit Highland Water Program (HWP)." in html
    assert "1 unit is new to Uptake" in html and "Mountain Roads Office (MRO)" in html
    assert 'for="id_title"' in html
    assert not Evaluation.objects.exists()  # nothing saved before confirmation


def test_confirming_creates_the_draft_and_forgets_the_upload(client, session, units) -> None:
    response = client.post(reverse("importer:review", args=[session.pk]), _initial(session))

    evaluation = Evaluation.objects.get()
    assert response.status_code == 302
    assert response["Location"] == evaluation.get_absolute_url()
    assert evaluation.recommendations.count() == 2
    assert Response.objects.filter(recommendation__evaluation=evaluation).count() == 3
    assert Unit.objects.filter(code="MRO", name_en="Mountain Roads Office").exists()
    assert not ImportSession.objects.exists()
    page = client.get(response["Location"])
    actions = Action.objects.filter(response__recommendation__evaluation=evaluation).count()
    assert actions > 0
    assert evaluation.state == EvaluationState.RESPONSE_IN_PREPARATION
    assert (
        f"Imported “plan.txt” as “Response in preparation”, with 2 recommendations and "
        f"{actions} actions."
    ) in page.content.decode()


def test_the_review_says_which_state_the_import_leaves_the_evaluation_in(client, session):
    html = client.get(reverse("importer:review", args=[session.pk])).content.decode()
    assert 'aria-describedby="import-outcome"' in html
    assert ">Import this evaluation</button>" in html
    assert "draft evaluation" not in html
    outcome = html.split('id="import-outcome">', 1)[1].split("</p>", 1)[0]
    assert "imported in the state “Response in preparation”" in outcome
    assert "it will stay “Draft”" in outcome


def test_leaving_every_response_out_imports_a_draft_and_says_so(client, session, units):
    data = _initial(session)
    for name in list(data):
        if name.endswith("_unit"):
            data[name[: -len("_unit")] + "_skip"] = "on"
    response = client.post(reverse("importer:review", args=[session.pk]), data, follow=True)

    evaluation = Evaluation.objects.get()
    assert evaluation.state == EvaluationState.DRAFT
    assert not Response.objects.exists()
    assert "Imported “plan.txt” as “Draft”, with 2 recommendations and 0 actions." in (
        response.content.decode()
    )


def test_a_document_whose_responses_name_no_unit_is_announced_as_a_draft(client, evaluator):
    client.force_login(evaluator)
    parsed = ParsedDocument(
        title="Evaluation of the Lake Ferry Program",
        language="en",
        recommendations=[
            ParsedRecommendation(
                number="1",
                text="Renew the ferry plan.",
                responses=[ParsedResponse(unit=None, agreement="agree", commitment="Agreed.")],
            )
        ],
        evaluation_title="Evaluation of the Lake Ferry Program",
        program="Lake Ferry Program",
    )
    session = ImportSession.objects.create(
        created_by=evaluator, file_name="ferry.txt", parsed=parsed.to_dict(), source_text=""
    )
    html = client.get(reverse("importer:review", args=[session.pk])).content.decode()
    outcome = html.split('id="import-outcome">', 1)[1].split("</p>", 1)[0]
    assert "imported in the state “Draft”, as no response names a unit" in outcome

    client.post(reverse("importer:review", args=[session.pk]), _initial(session))
    assert Evaluation.objects.get().state == EvaluationState.DRAFT


def test_the_review_proposes_the_program_named_in_the_title(client, session, units) -> None:
    html = client.get(reverse("importer:review", args=[session.pk])).content.decode()
    assert 'for="id_program"' in html
    assert 'name="program" value="Highland Water Program"' in html

    client.post(reverse("importer:review", args=[session.pk]), _initial(session))
    assert Evaluation.objects.get().program == "Highland Water Program"


def test_the_reviewer_can_change_or_empty_the_proposed_program(client, evaluator, units):
    client.force_login(evaluator)
    for typed in ("Highland water, phase 2", ""):
        _upload(client)
        session = ImportSession.objects.get()
        data = _initial(session) | {"program": typed}
        client.post(reverse("importer:review", args=[session.pk]), data)
        assert Evaluation.objects.get().program == typed
        Evaluation.objects.all().delete()


def test_a_title_naming_a_country_proposes_it(client, evaluator, units) -> None:
    client.force_login(evaluator)
    title = (
        "Management Response: Evaluation of Development Programming in Ghana (2015-16 - 2020-21)"
    )
    _upload(client, KNOWN_AND_NEW.replace(KNOWN_AND_NEW.splitlines()[0], title, 1))
    session = ImportSession.objects.get()
    html = client.get(reverse("importer:review", args=[session.pk])).content.decode()
    assert 'name="program" value="Ghana"' in html


def test_edits_on_the_review_screen_are_what_is_saved(client, session, units) -> None:
    data = _initial(session)
    data["title"] = "Highland Water Program evaluation, 2026"
    data["r1_statement"] = "Publish the program's results each year."
    data["r0_p0_a1_date"] = "Q4 2027-28"
    data["r0_p0_a0_skip"] = "on"
    data["u_MRO_code"] = "ROADS"
    data["u_MRO_name"] = "Roads Office of the Mountains"
    client.post(reverse("importer:review", args=[session.pk]), data)

    evaluation = Evaluation.objects.get()
    assert evaluation.title_en == "Highland Water Program evaluation, 2026"
    assert evaluation.recommendations.get(number="2").statement == (
        "Publish the program's results each year."
    )
    (action,) = Action.objects.filter(response__recommendation__number="1")
    assert action.text == "HWP will train twenty water boards."
    assert action.target_date_text == "Q4 2027-28"
    assert Unit.objects.get(code="ROADS").name_en == "Roads Office of the Mountains"


def test_an_unknown_unit_can_be_mapped_to_an_existing_one(client, session, units) -> None:
    data = _initial(session) | {"u_MRO_choice": "map", "u_MRO_map": "GPB"}
    before = Unit.objects.count()
    client.post(reverse("importer:review", args=[session.pk]), data)

    assert Unit.objects.count() == before
    codes = Response.objects.filter(recommendation__number="2").values_list("unit__code", flat=True)
    assert set(codes) == {"PRS", "GPB"}


def test_a_rejected_review_keeps_what_was_typed_and_names_the_field(client, evaluator, units):
    client.force_login(evaluator)
    _upload(client, NO_AGREEMENT, "table.txt")
    session = ImportSession.objects.get()
    data = _initial(session) | {"title": "My corrected title", "u_NOPE_choice": "map"}
    data |= {"r0_p0_unit": "Unit of Nowhere"}  # typed in: a new unit needs a decision
    response = client.post(reverse("importer:review", args=[session.pk]), data)

    assert response.status_code == 200
    html = response.content.decode()
    assert 'value="My corrected title"' in html
    assert "Recommendation 2 · Highland Water Program (HWP) · Agreement" in html
    assert "does not say whether Highland Water Program (HWP) agrees" in html
    assert "Unit “Unit of Nowhere” · What to do" in html
    assert not Evaluation.objects.exists()
    assert ImportSession.objects.exists()


def test_a_bad_file_shows_the_error_on_the_upload_form(client, evaluator) -> None:
    client.force_login(evaluator)
    response = _upload(client, "Notes from a meeting about lunch.", "notes.txt")
    assert response.status_code == 200
    html = response.content.decode()
    assert "notes.txt: no recommendation with a management response was recognised" in html
    assert not ImportSession.objects.exists()


def test_a_word_document_can_be_uploaded(client, evaluator, units) -> None:
    client.force_login(evaluator)
    data = {
        "file": SimpleUploadedFile("plan.docx", make_docx(KNOWN_AND_NEW.split("\n\n"))),
        "language": "en",
    }
    response = client.post(UPLOAD, data)
    assert response.status_code == 302
    assert ImportSession.objects.get().parsed["recommendations"][1]["number"] == "2"


def test_an_htmx_upload_changes_page_through_htmx(client, evaluator, units) -> None:
    client.force_login(evaluator)
    response = _upload(client, HTTP_HX_REQUEST="true")
    session = ImportSession.objects.get()
    assert response["HX-Redirect"] == reverse("importer:review", args=[session.pk])


def test_uploads_older_than_a_week_are_removed(client, evaluator, units) -> None:
    old = ImportSession.objects.create(
        created_by=evaluator, file_name="old.txt", parsed={}, source_text=""
    )
    ImportSession.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=8)
    )
    client.force_login(evaluator)
    _upload(client)
    assert list(ImportSession.objects.values_list("file_name", flat=True)) == ["plan.txt"]


def test_only_the_evaluation_unit_imports(client, focal, session) -> None:
    client.force_login(focal)
    assert client.get(UPLOAD).status_code == 403
    assert _upload(client).status_code == 403
    review = reverse("importer:review", args=[session.pk])
    assert client.get(review).status_code == 403
    assert client.post(review, _initial(session)).status_code == 403
    assert not Evaluation.objects.exists()


def test_the_evaluation_list_offers_the_import_to_the_evaluation_unit(client, evaluator, focal):
    client.force_login(evaluator)
    assert "Import a published response" in client.get(reverse("evaluations:list")).content.decode()
    client.force_login(focal)
    assert (
        "Import a published response"
        not in client.get(reverse("evaluations:list")).content.decode()
    )
