"""Writes go through the services: what each endpoint changes, and what it refuses."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from uptake.evaluations.models import Action, Evaluation, Recommendation, Response
from uptake.followup import services as followup
from uptake.followup.models import DateRevision, Evidence, ProgressUpdate

# Revised dates asked for here must lie ahead of the day they are asked for: that day is the
# one the tests were written on (conftest.WRITTEN_ON), whatever the calendar says.
pytestmark = pytest.mark.usefixtures("asked_on_written_day")


def test_create_an_evaluation_then_its_plan(api_as, evaluator, units):
    client = api_as(evaluator)
    created = client.post(
        "/api/v1/evaluations/",
        {"title_en": "Evaluation of a school program", "period": "2019-20 to 2023-24"},
        format="json",
    )
    assert created.status_code == 201
    evaluation = Evaluation.objects.get(pk=created.json()["id"])
    assert evaluation.period == "2019-20 to 2023-24"
    assert evaluation.history.latest().history_user == evaluator

    rec = client.post(
        "/api/v1/recommendations/",
        {
            "evaluation": evaluation.pk,
            "number": "1",
            "statement": "Train teachers.",
            "sub_points": ["a) in rural schools", "b) every year"],
        },
        format="json",
    )
    assert rec.status_code == 201
    assert [p["label"] for p in rec.json()["sub_points"]] == ["a", "b"]
    response = client.post(
        "/api/v1/responses/",
        {
            "recommendation": rec.json()["id"],
            "unit": units["HWP"].pk,
            "agreement": "partially_agree",
            "commitment": "In part.",
            "rationale": "Budget.",
        },
        format="json",
    )
    assert response.status_code == 201
    action = client.post(
        "/api/v1/actions/",
        {
            "response": response.json()["id"],
            "text": "Run workshops.",
            "target_date_text": "Q3 2030-31",
            "deliverable": "Reports",
            "unit": units["QTO-DA"].pk,
        },
        format="json",
    )
    assert action.status_code == 201
    assert action.json()["due_date"] == "2030-12-31"
    assert action.json()["unit_code"] == "QTO-DA"
    evaluation.refresh_from_db()
    assert evaluation.state == "response_in_preparation"

    submitted = client.post(f"/api/v1/evaluations/{evaluation.pk}/submit/")
    assert submitted.status_code == 200
    assert submitted.json()["state"] == "response_submitted"


def test_a_response_that_disagrees_without_reason_is_refused_by_the_service(
    api_as, evaluator, units, draft_evaluation
):
    rec = draft_evaluation.recommendations.get()
    response = api_as(evaluator).post(
        "/api/v1/responses/",
        {"recommendation": rec.pk, "unit": units["PRS"].pk, "agreement": "disagree"},
        format="json",
    )
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["rationale"]
    assert not Response.objects.filter(unit=units["PRS"]).exists()


def test_patch_changes_only_the_fields_sent(api_as, evaluator, draft_evaluation):
    client = api_as(evaluator)
    rec = draft_evaluation.recommendations.get()
    client.patch(
        f"/api/v1/recommendations/{rec.pk}/",
        {"version": rec.version, "sub_points": ["a) one", "b) two"], "body": "Body."},
        format="json",
    )
    rec.refresh_from_db()
    patched = client.patch(
        f"/api/v1/recommendations/{rec.pk}/",
        {"version": rec.version, "statement": "Fund maintenance properly."},
        format="json",
    )
    assert patched.status_code == 200
    rec.refresh_from_db()
    assert rec.statement == "Fund maintenance properly."
    assert rec.body == "Body."
    assert [(p.label, p.text) for p in rec.sub_points.all()] == [("a", "one"), ("b", "two")]
    assert patched.json()["version"] == rec.version


def test_patch_an_action_recomputes_its_due_date_and_keeps_its_unit(
    api_as, evaluator, units, draft_evaluation
):
    action = Action.objects.get(unit=units["QTO-DA"])
    response = api_as(evaluator).patch(
        f"/api/v1/actions/{action.pk}/",
        {"version": action.version, "target_date_text": "March 2031"},
        format="json",
    )
    assert response.status_code == 200
    action.refresh_from_db()
    assert str(action.due_date) == "2031-03-31"
    assert action.unit == units["QTO-DA"]
    assert action.text == "Train water boards."


def test_patch_without_version_is_refused(api_as, evaluator, draft_evaluation):
    response = api_as(evaluator).patch(
        f"/api/v1/evaluations/{draft_evaluation.pk}/", {"program": "X"}, format="json"
    )
    assert response.status_code == 400
    assert "version" in response.json()["errors"]


def test_stale_versions_conflict_on_every_editable_kind(api_as, evaluator, draft_evaluation):
    client = api_as(evaluator)
    rec = draft_evaluation.recommendations.get()
    resp = Response.objects.get(recommendation=rec)
    action = Action.objects.filter(response=resp).first()
    for url, field, value in (
        (f"/api/v1/recommendations/{rec.pk}/", "statement", "Changed."),
        (f"/api/v1/responses/{resp.pk}/", "commitment", "Changed."),
        (f"/api/v1/actions/{action.pk}/", "text", "Changed."),
    ):
        stale = client.get(url).json()["version"]
        assert (
            client.patch(url, {"version": stale, field: "First."}, format="json").status_code == 200
        )
        response = client.patch(url, {"version": stale, field: value}, format="json")
        assert response.status_code == 409, url
        assert client.get(url).json()[field] == "First."


def test_editing_after_submission_is_refused(api_as, evaluator, approved_evaluation):
    rec = approved_evaluation.recommendations.get()
    response = api_as(evaluator).patch(
        f"/api/v1/recommendations/{rec.pk}/",
        {"version": rec.version, "statement": "Too late."},
        format="json",
    )
    assert response.status_code == 400
    assert "can no longer be changed" in response.json()["message"]


def test_the_committee_returns_a_response_with_a_comment(
    api_as, committee, draft_evaluation, evaluator
):
    api_as(evaluator).post(f"/api/v1/evaluations/{draft_evaluation.pk}/submit/")
    client = api_as(committee)
    no_comment = client.post(
        f"/api/v1/evaluations/{draft_evaluation.pk}/return/", {}, format="json"
    )
    assert no_comment.status_code == 400
    assert list(no_comment.json()["errors"]) == ["comment"]
    returned = client.post(
        f"/api/v1/evaluations/{draft_evaluation.pk}/return/",
        {"comment": "Name the deliverables."},
        format="json",
    )
    assert returned.status_code == 200
    assert returned.json()["state"] == "response_in_preparation"
    assert returned.json()["approval_comment"] == "Name the deliverables."


def test_a_focal_point_reports_progress_with_files_and_links(api_as, focal, action):
    response = api_as(focal).post(
        f"/api/v1/actions/{action.pk}/updates/",
        {
            "status": "in_progress",
            "narrative": "Half the template is revised.",
            "files": [SimpleUploadedFile("draft.pdf", b"%PDF-1.4 draft", "application/pdf")],
            "links": ["https://example.org/minutes Meeting minutes"],
            "revised_date_text": "March 2031",
            "revised_date_justification": "The partner changed.",
        },
        format="multipart",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    update = ProgressUpdate.objects.get(pk=body["id"])
    assert update.author == focal and update.narrative == "Half the template is revised."
    kinds = {e["kind"]: e for e in body["evidence"]}
    assert kinds["link"]["url"] == "https://example.org/minutes"
    assert kinds["link"]["label"] == "Meeting minutes"
    assert kinds["file"]["url"] == "" and kinds["file"]["original_name"] == "draft.pdf"
    assert kinds["file"]["download"].endswith(f"/api/v1/evidence/{kinds['file']['id']}/download/")
    assert "/evidence-files/" not in response.content.decode()
    assert body["revision"] == DateRevision.objects.get(update=update).pk
    action.refresh_from_db()
    assert action.status == "in_progress"


def test_a_focal_point_of_another_unit_cannot_report(api_as, outsider, action):
    response = api_as(outsider).post(
        f"/api/v1/actions/{action.pk}/updates/",
        {"status": "in_progress", "narrative": "Not mine."},
        format="json",
    )
    assert response.status_code == 403
    assert not ProgressUpdate.objects.exists()


def test_a_forbidden_evidence_type_is_refused_naming_files(api_as, focal, action):
    response = api_as(focal).post(
        f"/api/v1/actions/{action.pk}/updates/",
        {
            "status": "in_progress",
            "narrative": "See attached.",
            "files": [SimpleUploadedFile("run.exe", b"MZ", "application/octet-stream")],
        },
        format="multipart",
    )
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["files"]
    assert not ProgressUpdate.objects.exists()


def test_evidence_downloads_only_with_credentials(api_as, viewer, focal, action):
    update = followup.update_submit(
        action=action, by=focal, status="in_progress", narrative="Here.",
        files=[SimpleUploadedFile("proof.txt", b"the proof", "text/plain")],
    )  # fmt: skip
    evidence = Evidence.objects.get(update=update)
    url = f"/api/v1/evidence/{evidence.pk}/download/"
    assert APIClient().get(url).status_code == 401
    response = api_as(viewer).get(url, HTTP_ACCEPT="text/html")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"the proof"
    assert response["Content-Type"] == "application/octet-stream"
    assert 'attachment; filename="proof.txt"' in response["Content-Disposition"]


def test_two_key_completion_claim_then_validate(api_as, focal, evaluator, action):
    claim = api_as(focal).post(
        f"/api/v1/actions/{action.pk}/updates/",
        {"status": "completed", "narrative": "Done."},
        format="json",
    )
    assert claim.status_code == 201
    action.refresh_from_db()
    assert action.status == "completed"
    validated = api_as(evaluator).post(
        f"/api/v1/updates/{claim.json()['id']}/validate/", {"comment": "Seen."}, format="json"
    )
    assert validated.status_code == 200
    assert validated.json()["review_state"] == "accepted"
    assert validated.json()["reviewed_by"]["username"] == "evaluator"
    action.refresh_from_db()
    assert action.status == "validated"


def test_returning_an_update_needs_a_comment_and_reopens_the_claim(
    api_as, focal, evaluator, action
):
    claim = (
        api_as(focal)
        .post(
            f"/api/v1/actions/{action.pk}/updates/",
            {"status": "completed", "narrative": "Done."},
            format="json",
        )
        .json()
    )
    client = api_as(evaluator)
    assert (
        client.post(f"/api/v1/updates/{claim['id']}/return/", {}, format="json").status_code == 400
    )
    returned = client.post(
        f"/api/v1/updates/{claim['id']}/return/", {"comment": "Attach the template."}, format="json"
    )
    assert returned.json()["review_state"] == "returned"
    action.refresh_from_db()
    assert action.status == "not_started"


def test_the_committee_decides_revised_dates(api_as, focal, committee, action):
    followup.update_submit(
        action=action, by=focal, status="in_progress", narrative="Slower.",
        revised_date_text="March 2031", revised_date_justification="Elections.",
    )  # fmt: skip
    revision = DateRevision.objects.get(action=action)
    listed = api_as(committee).get("/api/v1/revisions/?decision=pending").json()
    assert [r["id"] for r in listed["results"]] == [revision.pk]
    approved = api_as(committee).post(
        f"/api/v1/revisions/{revision.pk}/approve/", {}, format="json"
    )
    assert approved.status_code == 200 and approved.json()["decision"] == "approved"
    action.refresh_from_db()
    assert str(action.due_date) == "2031-03-31"
    assert action.target_date_text == "June 2021"  # the approved original is kept
    again = api_as(committee).post(
        f"/api/v1/revisions/{revision.pk}/reject/", {"comment": "No."}, format="json"
    )
    assert again.status_code == 400


def test_closing_by_decision_then_reopening(api_as, committee, approved_evaluation):
    rec = approved_evaluation.recommendations.get()
    client = api_as(committee)
    closed = client.post(
        f"/api/v1/recommendations/{rec.pk}/close/",
        {"reason": "no_longer_applicable", "note": "The program ended."},
        format="json",
    )
    assert closed.status_code == 200
    assert closed.json()["status"] == "closed"
    assert closed.json()["closed_by"]["username"] == "committee"
    approved_evaluation.refresh_from_db()
    assert approved_evaluation.state == "closed"
    reopened = client.post(
        f"/api/v1/recommendations/{rec.pk}/reopen/", {"note": "It restarted."}, format="json"
    )
    assert reopened.status_code == 200
    assert Recommendation.objects.get(pk=rec.pk).status == "open"


def test_withdrawing_an_action_records_the_reason(api_as, evaluator, action):
    response = api_as(evaluator).post(
        f"/api/v1/actions/{action.pk}/withdraw/",
        {"status": "superseded", "reason": "Merged into action 2."},
        format="json",
    )
    assert response.status_code == 200
    action.refresh_from_db()
    assert (action.status, action.status_reason) == ("superseded", "Merged into action 2.")


def test_nobody_validates_their_own_update_through_the_api(api_as, evaluator, action):
    from conftest import make_user

    claim = api_as(evaluator).post(
        f"/api/v1/actions/{action.pk}/updates/",
        {"status": "completed", "narrative": "Done on the unit's behalf."},
        format="json",
    )
    assert claim.status_code == 201
    message = (
        "You reported this update yourself: another member of the evaluation unit must review it."
    )
    for review, body in (("validate", {}), ("return", {"comment": "Attach the template."})):
        refused = api_as(evaluator).post(
            f"/api/v1/updates/{claim.json()['id']}/{review}/", body, format="json"
        )
        assert refused.status_code == 400
        assert refused.json()["message"] == message
    assert ProgressUpdate.objects.get().review_state == "pending"

    colleague = make_user("colleague", "evaluation_unit")
    validated = api_as(colleague).post(
        f"/api/v1/updates/{claim.json()['id']}/validate/", {}, format="json"
    )
    assert validated.status_code == 200
    assert validated.json()["reviewed_by"]["username"] == "colleague"


def test_a_revised_date_already_passed_is_refused_through_the_api(api_as, focal, action):
    response = api_as(focal).post(
        f"/api/v1/actions/{action.pk}/updates/",
        {
            "status": "in_progress",
            "narrative": "Slower.",
            "revised_date_text": "March 2019",
            "revised_date_justification": "Elections.",
        },
        format="json",
    )

    assert response.status_code == 400
    assert response.json()["errors"] == {
        "revised_date_text": [
            "“March 2019” has already passed: a revised date must be in the future."
        ]
    }
    assert not ProgressUpdate.objects.exists()
    assert not DateRevision.objects.exists()


def test_a_reason_without_a_revised_date_is_refused_through_the_api(api_as, focal, action):
    response = api_as(focal).post(
        f"/api/v1/actions/{action.pk}/updates/",
        {"status": "in_progress", "narrative": "Slower.", "revised_date_justification": "Rain."},
        format="json",
    )

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["revised_date_text"]
    assert "no new date" in response.json()["message"]
    assert not ProgressUpdate.objects.exists()
