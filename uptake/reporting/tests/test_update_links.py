"""Update links: one update on one action from someone without an account, exactly once."""

from __future__ import annotations

import datetime
import hashlib
import re
import threading

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, connections
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from conftest import field_errors
from uptake.errors import ServiceError
from uptake.followup import services as followup
from uptake.followup.models import Evidence, ProgressUpdate
from uptake.reporting import services
from uptake.reporting.models import UpdateLink

# Revised dates asked for here must lie ahead of the day they are asked for: that day is the
# one the tests were written on (conftest.WRITTEN_ON), whatever the calendar says.
pytestmark = pytest.mark.usefixtures("asked_on_written_day")

NARRATIVE = "Two of the five water boards were trained in March."


def link_url(secret: str) -> str:
    return reverse("reporting:update_link_form", args=[secret])


@pytest.fixture
def issued(action, evaluator) -> tuple[UpdateLink, str]:
    return services.update_link_issue(
        action=action, by=evaluator, recipient_name="Ana Quispe", recipient_email="ana@example.org"
    )


def good_post(**extra: object) -> dict[str, object]:
    return {"status": "in_progress", "narrative": NARRATIVE, "links": "", **extra}


def test_it_records_the_update_pending_validation_and_uses_the_link(client, issued, action):
    link, secret = issued
    page = client.get(link_url(secret))
    assert page.status_code == 200
    assert action.text in page.content.decode()
    # No internal navigation for someone without an account.
    assert reverse("evaluations:list") not in page.content.decode()

    pdf = SimpleUploadedFile("Minutes March.pdf", b"%PDF-1.4 minutes", "application/pdf")
    response = client.post(
        link_url(secret),
        good_post(links="https://example.org/report.html Training report", files=[pdf]),
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("reporting:update_link_thanks")
    assert "your update was sent" in client.get(response["Location"]).content.decode()

    update = ProgressUpdate.objects.get(action=action)
    assert update.review_state == "pending"
    assert update.status == "in_progress"
    assert update.narrative == NARRATIVE
    assert update.author.email == "ana@example.org"
    assert update.author.first_name == "Ana Quispe"
    assert not update.author.is_active
    assert not update.author.has_usable_password()
    link.refresh_from_db()
    assert link.used_at is not None
    assert link.used_update == update
    action.refresh_from_db()
    assert action.status == "in_progress"
    files = Evidence.objects.filter(update=update).exclude(file="")
    links = Evidence.objects.filter(update=update, file="")
    assert [e.url for e in links] == ["https://example.org/report.html"]
    (stored,) = files
    assert stored.file.name.startswith(f"evidence/{action.pk}/{update.pk}/")
    with stored.file.open("rb") as fh:
        assert fh.read() == b"%PDF-1.4 minutes"


def test_the_evaluation_unit_sees_and_validates_the_update(client, issued, action, evaluator):
    services.update_link_submit(secret=issued[1], status="completed", narrative=NARRATIVE)
    client.force_login(evaluator)
    queue = client.get(reverse("followup:validation_queue")).content.decode()
    assert NARRATIVE in queue
    assert "Ana Quispe" in queue
    update = ProgressUpdate.objects.get(action=action)
    followup.update_validate(update=update, by=evaluator)
    action.refresh_from_db()
    assert action.status == "validated"


def test_only_a_hash_of_the_secret_is_stored(issued):
    link, secret = issued
    assert link.token_hash == hashlib.sha256(secret.encode()).hexdigest()
    row = UpdateLink.objects.filter(pk=link.pk).values().get()
    assert secret not in str(row)


def test_an_expired_link_answers_410_and_records_nothing(client, issued, action):
    link, secret = issued
    UpdateLink.objects.filter(pk=link.pk).update(
        expires_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    page = client.get(link_url(secret))
    assert page.status_code == 410
    assert "expired" in page.content.decode()
    assert client.post(link_url(secret), good_post()).status_code == 410
    assert not ProgressUpdate.objects.filter(action=action).exists()
    with pytest.raises(services.UpdateLinkGone):
        services.update_link_submit(secret=secret, status="in_progress", narrative=NARRATIVE)


def test_a_used_link_answers_410_the_second_time(client, issued, action):
    secret = issued[1]
    assert client.post(link_url(secret), good_post()).status_code == 302
    again = client.post(link_url(secret), good_post(narrative="A second story."))
    assert again.status_code == 410
    assert "already been used" in again.content.decode()
    assert client.get(link_url(secret)).status_code == 410
    assert ProgressUpdate.objects.filter(action=action).count() == 1


def test_a_revoked_link_answers_410(client, issued, evaluator, action):
    link, secret = issued
    services.update_link_revoke(link=link, by=evaluator)
    page = client.get(link_url(secret))
    assert page.status_code == 410
    assert "withdrawn" in page.content.decode()
    assert client.post(link_url(secret), good_post()).status_code == 410
    assert not ProgressUpdate.objects.filter(action=action).exists()
    # The evaluation unit's list of links says it as its button and messages do.
    client.force_login(evaluator)
    listed = client.get(reverse("reporting:update_link_create", args=[action.pk])).content.decode()
    assert '<td data-label="State">Withdrawn' in listed
    assert "Revoked" not in listed


def test_an_unknown_link_answers_404(client, issued):
    secret = issued[1]
    assert client.get(link_url(secret[:-2] + "xx")).status_code == 404
    assert client.post(link_url("not-a-link"), good_post()).status_code == 404


def test_an_empty_post_shows_errors_and_keeps_the_link(client, issued):
    link, secret = issued
    response = client.post(link_url(secret), {})
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    link.refresh_from_db()
    assert link.used_at is None
    assert client.post(link_url(secret), good_post()).status_code == 302


def test_submitting_twice_records_one_update(issued, action):
    secret = issued[1]
    services.update_link_submit(secret=secret, status="in_progress", narrative=NARRATIVE)
    with pytest.raises(services.UpdateLinkGone):
        services.update_link_submit(secret=secret, status="completed", narrative="Again.")
    assert ProgressUpdate.objects.filter(action=action).count() == 1


def test_a_file_of_a_refused_type_is_refused_and_the_link_kept(client, issued, action):
    link, secret = issued
    exe = SimpleUploadedFile("tool.exe", b"MZ", "application/octet-stream")
    response = client.post(link_url(secret), good_post(files=[exe]))
    assert response.status_code == 200
    assert "is not an accepted type of evidence" in response.content.decode()
    assert not ProgressUpdate.objects.filter(action=action).exists()
    link.refresh_from_db()
    assert link.used_at is None


def test_a_file_over_the_size_limit_is_refused(client, issued, action, settings):
    settings.EVIDENCE_MAX_BYTES = 100
    big = SimpleUploadedFile("big.pdf", b"%PDF" + b"x" * 200, "application/pdf")
    response = client.post(link_url(issued[1]), good_post(files=[big]))
    assert response.status_code == 200
    assert "larger than the" in response.content.decode()
    assert not ProgressUpdate.objects.filter(action=action).exists()
    assert not Evidence.objects.exists()


def test_a_revised_date_request_goes_to_the_ledger(issued, action):
    update = services.update_link_submit(
        secret=issued[1], status="in_progress", narrative=NARRATIVE,
        revised_date_text="March 2031", revised_date_justification="The rains came early.",
    )  # fmt: skip
    revision = update.date_revision
    assert revision.requested_due_date == datetime.date(2031, 3, 31)
    assert revision.decision == "pending"


def test_one_external_account_per_email(action, evaluator):
    authors = set()
    for _ in range(2):
        _link, secret = services.update_link_issue(
            action=action, by=evaluator, recipient_name="Ana", recipient_email="Ana@Example.org"
        )
        authors.add(
            services.update_link_submit(
                secret=secret, status="in_progress", narrative="x"
            ).author_id
        )
    assert len(authors) == 1


def test_the_external_account_cannot_report_by_itself(issued, action):
    update = services.update_link_submit(secret=issued[1], status="in_progress", narrative="x")
    with pytest.raises(PermissionDenied):
        followup.update_submit(
            action=action, by=update.author, status="in_progress", narrative="Again."
        )


def test_only_the_evaluation_unit_issues_links(action, focal):
    with pytest.raises(PermissionDenied):
        services.update_link_issue(action=action, by=focal, recipient_name="Ana")


def test_the_issue_page_shows_the_link_once_and_emails_it(client, action, evaluator):
    client.force_login(evaluator)
    url = reverse("reporting:update_link_create", args=[action.pk])
    response = client.post(
        url, {"recipient_name": "Ana Quispe", "recipient_email": "ana@example.org", "days": 7}
    )
    assert response.status_code == 200
    shown = re.search(r'value="(http://testserver/u/[^"/]+/)"', response.content.decode())
    assert shown
    (message,) = mail.outbox
    assert message.to == ["ana@example.org"]
    assert shown.group(1) in message.body
    link = UpdateLink.objects.get(action=action)
    expected = timezone.now() + datetime.timedelta(days=7)
    assert abs((link.expires_at - expected).total_seconds()) < 60
    # Shown once: the page listing the links does not show it again.
    listing = client.get(url).content.decode()
    assert "Ana Quispe" in listing
    assert shown.group(1) not in listing
    client.logout()
    assert client.get(shown.group(1)).status_code == 200


def test_the_action_page_offers_the_link_to_the_evaluation_unit_only(
    client, action, evaluator, focal
):
    target = reverse("reporting:update_link_create", args=[action.pk])
    client.force_login(evaluator)
    assert target in client.get(action.get_absolute_url()).content.decode()
    client.force_login(focal)
    assert target not in client.get(action.get_absolute_url()).content.decode()


def test_the_list_of_links_takes_the_same_queries_for_more_links(client, action, evaluator):
    client.force_login(evaluator)
    url = reverse("reporting:update_link_create", args=[action.pk])

    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    services.update_link_issue(action=action, by=evaluator, recipient_name="One")
    few = queries()
    for n in range(5):
        services.update_link_issue(action=action, by=evaluator, recipient_name=f"More {n}")
    assert queries() == few


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_submissions_record_one_update(units, evaluator, committee):
    """Two threads submit at the same moment; the row lock lets exactly one through."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite has no row locks; this race is checked on PostgreSQL")
    from uptake.evaluations import services as ev_services
    from uptake.evaluations.models import Action

    evaluation = ev_services.evaluation_create(by=evaluator, title_en="Race")
    rec = ev_services.recommendation_create(
        evaluation=evaluation, by=evaluator, number="1", statement="Go."
    )
    resp = ev_services.response_create(
        recommendation=rec, by=evaluator, unit=units["HWP"], agreement="agree", commitment="Yes."
    )
    ev_services.action_create(
        response=resp, by=evaluator, text="Run.", target_date_text="June 2031", deliverable="D"
    )
    ev_services.evaluation_submit_for_approval(evaluation=evaluation, by=evaluator)
    ev_services.evaluation_approve_response(evaluation=evaluation, by=committee)
    action = Action.objects.get(response=resp)
    _link, secret = services.update_link_issue(action=action, by=evaluator, recipient_name="Ana")

    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def submit(n: int) -> None:
        try:
            barrier.wait()
            services.update_link_submit(secret=secret, status="in_progress", narrative=f"T{n}")
            outcomes.append("recorded")
        except services.UpdateLinkGone:
            outcomes.append("gone")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=submit, args=(n,)) for n in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert sorted(outcomes) == ["gone", "recorded"]
    assert ProgressUpdate.objects.filter(action=action).count() == 1


def test_the_link_is_written_in_the_language_chosen_for_it(client, action, evaluator):
    client.force_login(evaluator)
    issue = reverse("reporting:update_link_create", args=[action.pk])
    assert 'name="language"' in client.get(issue).content.decode()

    response = client.post(
        issue,
        {"recipient_name": "Ana", "recipient_email": "ana@example.org", "days": 7,
         "language": "fr"},
    )  # fmt: skip

    assert response.status_code == 200
    assert UpdateLink.objects.get(action=action).language == "fr"
    (message,) = mail.outbox
    with translation.override("fr"):
        subject = translation.gettext("Uptake: please send an update on an action")
    assert message.subject == subject != "Uptake: please send an update on an action"
    url = re.search(r'value="(http://testserver/u/[^"/]+/)"', response.content.decode()).group(1)
    client.logout()
    client.cookies.clear()
    page = client.get(url)
    assert '<html lang="fr">' in page.content.decode()
    assert page["Content-Language"] == "fr"
    # The visitor's own choice wins over the link's.
    client.post(reverse("set_language"), {"language": "es", "next": url})
    assert '<html lang="es">' in client.get(url).content.decode()


def test_the_thanks_page_follows_the_links_language(client, action, evaluator):
    link, secret = services.update_link_issue(
        action=action, by=evaluator, recipient_name="Ana", language="fr"
    )

    sent = client.post(link_url(secret), good_post())

    assert sent.status_code == 302
    thanks = client.get(sent["Location"])
    assert thanks.status_code == 200 and '<html lang="fr">' in thanks.content.decode()


def test_a_link_without_a_language_follows_the_visitors_browser(client, issued):
    _link, secret = issued

    page = client.get(link_url(secret), HTTP_ACCEPT_LANGUAGE="es")

    assert '<html lang="es">' in page.content.decode()


def test_a_language_that_is_not_offered_is_refused(client, action, evaluator):
    client.force_login(evaluator)
    response = client.post(
        reverse("reporting:update_link_create", args=[action.pk]),
        {"recipient_name": "Ana", "days": 7, "language": "de"},
    )
    assert response.status_code == 200
    assert field_errors(response.content.decode(), "language")
    assert not UpdateLink.objects.exists() and not mail.outbox
    with pytest.raises(ServiceError) as refused:
        services.update_link_issue(action=action, by=evaluator, recipient_name="A", language="de")
    assert refused.value.field == "language"
