"""Nothing that is not published ever reaches the public: a crawl of the public site, as an
anonymous reader, through every link and download in every language, finds none of the marker
strings planted in drafts, unapproved responses, withdrawn publications, superseded versions
and edits made after publishing."""

from __future__ import annotations

import html
import io
import re
from urllib.parse import urljoin, urlsplit

import pytest
from django.test import Client
from docx import Document
from pypdf import PdfReader

from uptake.evaluations import services as evaluations
from uptake.evaluations.models import Action, Evaluation
from uptake.followup import services as followup
from uptake.publishing.selectors import live_publications
from uptake.publishing.services import publication_publish, publication_unpublish

pytestmark = pytest.mark.django_db

PUBLIC_PREFIXES = ("/en/public/", "/fr/public/", "/es/public/")


def _evaluation(evaluator, units, marker: str) -> Evaluation:
    """A complete response whose every text carries MARKER."""
    evaluation = evaluations.evaluation_create(
        by=evaluator, title_en=f"Evaluation {marker}", title_fr=f"Évaluation {marker}"
    )
    rec = evaluations.recommendation_create(
        evaluation=evaluation,
        by=evaluator,
        number="1",
        statement=f"Statement {marker}",
        statement_fr=f"Énoncé {marker}",
    )
    resp = evaluations.response_create(
        recommendation=rec,
        by=evaluator,
        unit=units["GPB"],
        agreement="agree",
        commitment=f"Commitment {marker}",
    )
    evaluations.action_create(
        response=resp,
        by=evaluator,
        text=f"Action {marker}",
        target_date_text="June 2031",
        deliverable=f"Deliverable {marker}",
    )
    return evaluation


def _approve(evaluation: Evaluation, evaluator, committee) -> Evaluation:
    evaluations.evaluation_submit_for_approval(evaluation=evaluation, by=evaluator)
    evaluations.evaluation_approve_response(evaluation=evaluation, by=committee)
    return Evaluation.objects.get(pk=evaluation.pk)


@pytest.fixture
def planted(bilingual_evaluation, evaluator, committee, focal, units) -> list[str]:
    """A public world with secrets in every corner; returns the secrets."""
    secrets = {
        "draft": "DRAFTSECRET7731",
        "submitted": "UNAPPROVEDSECRET4410",
        "approved": "NEVERPUBLISHEDSECRET2093",
        "withdrawn": "WITHDRAWNSECRET5518",
        "superseded": "SUPERSEDEDSECRET8802",
        "after": "AFTERPUBLISHSECRET6620",
        "narrative": "NARRATIVESECRET3307",
    }
    _evaluation(evaluator, units, secrets["draft"])
    evaluations.evaluation_submit_for_approval(
        evaluation=_evaluation(evaluator, units, secrets["submitted"]), by=evaluator
    )
    _approve(_evaluation(evaluator, units, secrets["approved"]), evaluator, committee)
    withdrawn = _approve(_evaluation(evaluator, units, secrets["withdrawn"]), evaluator, committee)
    publication_unpublish(
        publication=publication_publish(evaluation=withdrawn, by=evaluator), by=evaluator
    )

    # The live evaluation: an earlier version said something since corrected...
    rec = bilingual_evaluation.recommendations.get(number="1")
    evaluations.translation_update(obj=rec, by=evaluator, body_fr=f"Ancien {secrets['superseded']}")
    publication_publish(evaluation=bilingual_evaluation, by=evaluator)
    rec.refresh_from_db()
    evaluations.translation_update(obj=rec, by=evaluator, body_fr="Corps corrigé.")
    publication_publish(evaluation=bilingual_evaluation, by=evaluator, show_status=True)
    # ...and edits made after the last publication stay internal until published again.
    rec.refresh_from_db()
    evaluations.translation_update(
        obj=rec, by=evaluator, statement_fr=f"Nouveau {secrets['after']}"
    )
    evaluations.evaluation_update(
        evaluation=Evaluation.objects.get(pk=bilingual_evaluation.pk),
        by=evaluator,
        title_en=f"Renamed {secrets['after']}",
    )
    action = Action.objects.filter(response__recommendation=rec).order_by("id").first()
    followup.update_submit(
        action=action, by=focal, status="in_progress", narrative=f"Note {secrets['narrative']}"
    )
    return list(secrets.values())


def _readable(response) -> str:
    """What a reader of this response sees, whatever its format."""
    kind = response.get("Content-Type", "")
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if kind.startswith("application/pdf"):
        return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(body)).pages)
    if "wordprocessingml" in kind:
        return "\n".join(p.text for p in Document(io.BytesIO(body)).paragraphs)
    return body.decode("utf-8-sig")


def _links(page: str, base: str) -> set[str]:
    found = set()
    for href in re.findall(r'href="([^"]+)"', page):
        target = urljoin(base, html.unescape(href))
        parts = urlsplit(target)
        if parts.scheme in ("", "http") and parts.netloc in ("", "testserver"):
            found.add(parts.path + (f"?{parts.query}" if parts.query else ""))
    return found


def crawl(client: Client, starts: list[str]) -> dict[str, str]:
    seen: dict[str, str] = {}
    queue = list(starts)
    while queue and len(seen) < 400:
        address = queue.pop()
        if address in seen:
            continue
        response = client.get(address, follow=True)
        assert response.status_code == 200, address
        final = response.redirect_chain[-1][0] if response.redirect_chain else address
        seen[address] = _readable(response)
        if response.get("Content-Type", "").startswith("text/html"):
            for link in _links(seen[address], final):
                if link.startswith("/static/"):
                    continue
                # A public page links only to public pages and files.
                assert link.startswith(PUBLIC_PREFIXES), f"{address} links to {link}"
                queue.append(link)
    return seen


def test_no_unpublished_content_is_reachable_from_the_public_site(
    client: Client, planted: list[str]
) -> None:
    pages = crawl(client, ["/public/", *PUBLIC_PREFIXES])
    # The crawl did reach the live response, in every language and every file.
    live = [a for a in pages if "lakeside" in a]
    for suffix in ("response.pdf", "response.docx", "response.json", "response.csv", "view=table"):
        assert any(a.endswith(suffix) for a in live), suffix
    assert {a[:4] for a in live} == {"/en/", "/fr/", "/es/"}
    assert (
        "Corps corrigé." in pages[next(a for a in live if a.startswith("/fr/") and a.endswith("/"))]
    )
    for address, text in pages.items():
        for secret in planted:
            assert secret not in text, f"{secret} is public at {address}"


def test_the_addresses_of_unpublished_evaluations_are_not_found(
    client: Client, planted: list[str]
) -> None:
    live = set(live_publications().values_list("evaluation_id", flat=True))
    hidden = Evaluation.objects.exclude(pk__in=live)
    assert hidden.count() == 4  # draft, submitted, approved-unpublished, withdrawn
    for evaluation in hidden:
        for prefix in PUBLIC_PREFIXES:
            for suffix in ("", "response.pdf", "response.json", "response.csv", "response.docx"):
                response = client.get(f"{prefix}{evaluation.pk}/{suffix}")
                assert response.status_code == 404, (evaluation.title_en, prefix, suffix)
