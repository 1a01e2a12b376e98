from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from uptake.errors import ServiceError
from uptake.evaluations import services as evaluations
from uptake.evaluations.models import Action, Evaluation
from uptake.followup import services as followup
from uptake.publishing import selectors
from uptake.publishing.models import Publication
from uptake.publishing.services import publication_publish, publication_unpublish


def test_it_publishes_an_approved_response_and_marks_the_evaluation_published(
    bilingual_evaluation, evaluator
) -> None:
    publication = publication_publish(evaluation=bilingual_evaluation, by=evaluator)
    bilingual_evaluation.refresh_from_db()
    assert bilingual_evaluation.state == "published"
    assert publication.version == 1
    assert publication.languages == ["en", "fr"]
    assert publication.published_by == evaluator
    recs = publication.snapshot["recommendations"]
    assert [r["number"] for r in recs] == ["1", "2"]
    assert recs[0]["statement"]["fr"] == "Réparer les canaux avant d'en construire de nouveaux."
    assert recs[0]["sub_points"][1]["text"] == {"en": "the gates", "fr": "les vannes"}
    assert recs[0]["responses"][0]["actions"][1]["responsibility"]["code"] == "QTO-DA"
    assert publication.slug == "evaluation-of-the-lakeside-irrigation-program"


def test_it_refuses_a_response_the_committee_has_not_approved(draft_evaluation, evaluator) -> None:
    with pytest.raises(ServiceError, match="approved by the committee"):
        publication_publish(evaluation=draft_evaluation, by=evaluator)
    assert not Publication.objects.exists()


@pytest.mark.parametrize("who", ["committee", "focal", "viewer"])
def test_only_the_evaluation_unit_publishes(bilingual_evaluation, who, request) -> None:
    with pytest.raises(PermissionDenied):
        publication_publish(evaluation=bilingual_evaluation, by=request.getfixturevalue(who))
    assert not Publication.objects.exists()


def test_an_administrator_may_publish(bilingual_evaluation, admin_user) -> None:
    assert publication_publish(evaluation=bilingual_evaluation, by=admin_user).version == 1


def test_each_publish_is_a_new_version_and_a_followed_response_keeps_its_state(
    bilingual_evaluation, evaluator, focal
) -> None:
    publication_publish(evaluation=bilingual_evaluation, by=evaluator)
    action = Action.objects.filter(response__recommendation__evaluation=bilingual_evaluation)[0]
    followup.update_submit(action=action, by=focal, status="in_progress", narrative="Started.")
    bilingual_evaluation.refresh_from_db()
    assert bilingual_evaluation.state == "in_follow_up"
    second = publication_publish(evaluation=bilingual_evaluation, by=evaluator)
    bilingual_evaluation.refresh_from_db()
    assert second.version == 2
    assert bilingual_evaluation.state == "in_follow_up"
    assert list(selectors.live_publications()) == [second]


def test_english_only_publication_leaves_the_french_content_out(
    bilingual_evaluation, evaluator
) -> None:
    publication = publication_publish(
        evaluation=bilingual_evaluation, by=evaluator, languages=["en"]
    )
    assert publication.languages == ["en"]
    assert publication.title_fr == ""
    rec = publication.snapshot["recommendations"][0]
    assert rec["statement"]["fr"] == ""
    assert "réparer" not in publication.search_text


def test_it_needs_english(bilingual_evaluation, evaluator) -> None:
    with pytest.raises(ServiceError) as error:
        publication_publish(evaluation=bilingual_evaluation, by=evaluator, languages=["fr"])
    assert error.value.field == "languages"


def test_the_status_is_published_as_it_stood_on_the_chosen_date(
    bilingual_evaluation, evaluator, focal
) -> None:
    action = (
        Action.objects.filter(response__recommendation__evaluation=bilingual_evaluation)
        .order_by("id")
        .first()
    )
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    # The action changed today: as of yesterday it had not started.
    followup.update_submit(action=action, by=focal, status="in_progress", narrative="Started.")
    Action.history.filter(id=action.pk).exclude(status="in_progress").update(
        history_date=timezone.now() - datetime.timedelta(days=3)
    )
    old = publication_publish(
        evaluation=bilingual_evaluation, by=evaluator, show_status=True, status_as_of=yesterday
    )
    now = publication_publish(evaluation=bilingual_evaluation, by=evaluator, show_status=True)
    first_action = lambda p: p.snapshot["recommendations"][0]["responses"][0]["actions"][0]  # noqa: E731
    assert first_action(old)["status"] == "not_started"
    assert first_action(now)["status"] == "in_progress"
    assert now.status_as_of == timezone.localdate()
    assert now.snapshot["status_as_of"] == timezone.localdate().isoformat()


def test_without_the_option_no_status_is_published(bilingual_evaluation, evaluator) -> None:
    publication = publication_publish(evaluation=bilingual_evaluation, by=evaluator)
    assert publication.status_as_of is None
    actions = publication.snapshot["recommendations"][0]["responses"][0]["actions"]
    assert {a["status"] for a in actions} == {None}


def test_it_refuses_a_status_date_still_to_come(bilingual_evaluation, evaluator) -> None:
    with pytest.raises(ServiceError) as error:
        publication_publish(
            evaluation=bilingual_evaluation,
            by=evaluator,
            show_status=True,
            status_as_of=timezone.localdate() + datetime.timedelta(days=1),
        )
    assert error.value.field == "status_as_of"


def test_it_refuses_a_status_date_before_the_response_was_approved(
    bilingual_evaluation, evaluator
) -> None:
    approved = timezone.localdate() - datetime.timedelta(days=30)
    Evaluation.objects.filter(pk=bilingual_evaluation.pk).update(approval_date=approved)
    with pytest.raises(ServiceError, match=f"before the response was approved \\({approved}\\)"):
        publication_publish(
            evaluation=bilingual_evaluation, by=evaluator, show_status=True,
            status_as_of=approved - datetime.timedelta(days=1),
        )  # fmt: skip
    assert not Publication.objects.exists()


def test_a_revised_date_made_after_the_status_date_is_not_shown_as_of_it(
    bilingual_evaluation, evaluator, committee, focal
) -> None:
    action = (
        Action.objects.filter(response__recommendation__evaluation=bilingual_evaluation)
        .order_by("id")
        .first()
    )
    planned_due = action.due_date
    followup.update_submit(
        action=action, by=focal, status="in_progress", narrative="Delayed by floods.",
        revised_date_text="March 2031", revised_date_justification="The roads were cut.",
    )  # fmt: skip
    followup.revision_approve(revision=action.date_revisions.get(), by=committee)
    # Everything before the revision happened three days ago; the status date is yesterday.
    Action.history.filter(id=action.pk).exclude(revised_target_text="March 2031").update(
        history_date=timezone.now() - datetime.timedelta(days=3)
    )
    yesterday = timezone.localdate() - datetime.timedelta(days=1)

    old = publication_publish(
        evaluation=bilingual_evaluation, by=evaluator, show_status=True, status_as_of=yesterday
    )
    now = publication_publish(evaluation=bilingual_evaluation, by=evaluator, show_status=True)

    first_action = lambda p: p.snapshot["recommendations"][0]["responses"][0]["actions"][0]  # noqa: E731
    assert (first_action(old)["revised_target_date"], first_action(old)["due_date"]) == (
        "",
        planned_due.isoformat(),
    )
    assert first_action(now)["revised_target_date"] == "March 2031"
    assert first_action(now)["due_date"] == "2031-03-31"


def test_an_action_without_a_record_by_the_status_date_says_so_on_the_page(
    client, bilingual_evaluation, evaluator
) -> None:
    # The whole response was recorded today (as an import is), the status date is yesterday.
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    publication = publication_publish(
        evaluation=bilingual_evaluation, by=evaluator, show_status=True, status_as_of=yesterday
    )

    page = client.get(f"/en/public/{publication.slug}/").content.decode()
    french = client.get(f"/fr/public/{publication.slug}/").content.decode()

    assert "Not recorded by that date" in page
    assert "Not recorded by that date" not in french


def test_unpublishing_withdraws_it_and_keeps_the_history(bilingual_evaluation, evaluator) -> None:
    publication = publication_publish(evaluation=bilingual_evaluation, by=evaluator)
    publication_unpublish(publication=publication, by=evaluator, reason="Error in a date.")
    publication.refresh_from_db()
    assert publication.unpublished_by == evaluator
    assert publication.unpublish_reason == "Error in a date."
    assert Publication.objects.count() == 1
    assert not selectors.live_publications().exists()
    # Withdrawing the latest version does not bring an older one back.
    with pytest.raises(ServiceError):
        publication_unpublish(publication=publication, by=evaluator)


def test_withdrawn_then_published_again_is_live_under_the_same_address(
    bilingual_evaluation, evaluator
) -> None:
    first = publication_publish(evaluation=bilingual_evaluation, by=evaluator)
    publication_unpublish(publication=first, by=evaluator)
    again = publication_publish(evaluation=bilingual_evaluation, by=evaluator)
    assert again.version == 2
    assert again.slug == first.slug
    assert selectors.live_publication(first.slug) == again
    assert selectors.live_publication(str(bilingual_evaluation.pk)) == again


def test_only_the_evaluation_unit_withdraws(bilingual_evaluation, evaluator, committee) -> None:
    publication = publication_publish(evaluation=bilingual_evaluation, by=evaluator)
    with pytest.raises(PermissionDenied):
        publication_unpublish(publication=publication, by=committee)


def test_two_evaluations_with_the_same_title_get_different_addresses(
    bilingual_evaluation, evaluator, committee, units
) -> None:
    first = publication_publish(evaluation=bilingual_evaluation, by=evaluator)
    twin = evaluations.evaluation_create(by=evaluator, title_en=bilingual_evaluation.title_en)
    rec = evaluations.recommendation_create(
        evaluation=twin, by=evaluator, number="1", statement="X."
    )
    resp = evaluations.response_create(
        recommendation=rec, by=evaluator, unit=units["HWP"], agreement="agree", commitment="Y."
    )
    evaluations.action_create(
        response=resp, by=evaluator, text="Z.", target_date_text="June 2030", deliverable="D"
    )
    evaluations.evaluation_submit_for_approval(evaluation=twin, by=evaluator)
    evaluations.evaluation_approve_response(evaluation=twin, by=committee)
    second = publication_publish(evaluation=Evaluation.objects.get(pk=twin.pk), by=evaluator)
    assert second.slug != first.slug
    assert second.slug.endswith(f"-{twin.pk}")
