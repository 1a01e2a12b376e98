"""The committee pack: its PDF and Word text carry the figures and lists computed by hand."""

from __future__ import annotations

import io

import docx
import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from uptake.followup import services as followup
from uptake.reporting import services

from .conftest import oracle_figures, oracle_rows

# Revised dates asked for here must lie ahead of the day they are asked for: that day is the
# one the tests were written on (conftest.WRITTEN_ON), whatever the calendar says.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("asked_on_written_day")]


@pytest.fixture
def second_round(world, evaluator, focal):
    first = services.round_open(by=evaluator, name="Spring round", deadline=timezone.localdate())
    services.round_close(round_=first, by=evaluator)
    current = services.round_open(by=evaluator, name="Fall round", deadline=timezone.localdate())
    followup.update_submit(
        action=world.a["a2"], by=focal, status="completed", narrative="All done."
    )
    followup.update_submit(
        action=world.a["a3"], by=focal, status="in_progress", narrative="Blocked by procurement.",
        revised_date_text="March 2031", revised_date_justification="Supplier went bankrupt.",
    )  # fmt: skip
    return first, current


def _pdf_text(content: bytes) -> str:
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    return " ".join(text.split())


def _docx_text(content: bytes) -> str:
    document = docx.Document(io.BytesIO(content))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        parts += [" ".join(c.text for c in row.cells) for row in table.rows]
    return " ".join(" ".join(parts).split())


def _expected_lines(world) -> list[str]:
    figures = oracle_figures(oracle_rows(timezone.localdate()))
    rate = round(100 * figures["validated_due"] / figures["due"], 1)
    return [
        f"Actions due {figures['due']}",
        f"Validated (of those due) {figures['validated_due']}",
        f"Implementation rate {rate:g} %",
        f"Overdue actions {figures['overdue']}",
        f"Overdue 24+ months {figures['age_24_plus']}",
        "Recommendations fully implemented 0 / 2",
    ]


def test_the_pdf_carries_the_figures_and_the_lists(client, committee, world, second_round):
    first, current = second_round
    client.force_login(committee)
    response = client.get(reverse("reporting:pack_pdf", args=[current.pk]))
    assert response["Content-Type"] == "application/pdf"
    text = _pdf_text(response.content)
    for line in _expected_lines(world):
        assert line in text
    # Overdue list with its reason: a3 is overdue and its latest narrative says why.
    assert "Action a3." in text and "Blocked by procurement." in text
    # a2's completion claim stops its clock: it is no longer overdue, but it changed.
    assert "In progress -> Completed (awaiting validation)" in text
    assert "March 2031" in text and "Supplier went bankrupt." in text  # awaiting decision
    assert "recommendation 2: Do 2." in text  # every action validated or cancelled
    assert "Changes since the last round (Spring round)" in text


def test_the_word_file_carries_the_same(client, evaluator, world, second_round):
    first, current = second_round
    client.force_login(evaluator)
    response = client.get(reverse("reporting:pack_docx", args=[current.pk]))
    text = _docx_text(response.content)
    for line in _expected_lines(world):
        assert line in text
    assert "In progress → Completed (awaiting validation)" in text
    assert "Blocked by procurement." in text and "Supplier went bankrupt." in text
    assert len(docx.Document(io.BytesIO(response.content)).inline_shapes) == 2  # two charts


def test_a_closed_rounds_pack_reads_its_snapshot(client, evaluator, world, second_round):
    first, current = second_round
    client.force_login(evaluator)
    text = _pdf_text(client.get(reverse("reporting:pack_pdf", args=[first.pk])).content)
    # Frozen before a2 was claimed complete: a2 and a3 were both overdue then.
    assert "Overdue actions 2" in text
    assert "There is no earlier closed round to compare with." in text


def test_the_french_pdf_keeps_every_french_character(client, committee, world, second_round):
    first, current = second_round
    client.force_login(committee)

    response = client.get(
        reverse("reporting:pack_pdf", args=[current.pk]), HTTP_ACCEPT_LANGUAGE="fr"
    )

    text = _pdf_text(response.content)
    assert "Taux de mise en œuvre" in text
    assert "?uvre" not in text
    assert "En cours -> Terminée (en attente de validation)" in text
