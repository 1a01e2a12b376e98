"""Searching the evaluation list: every word found whatever its case and accents, on both
databases and in any PostgreSQL locale, through the substring indexes of migration 0006,
kept in step with every write."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from uptake.core import backup as backup_module
from uptake.evaluations import services
from uptake.evaluations.models import Evaluation, Recommendation

pytestmark = pytest.mark.django_db

LIST = reverse("evaluations:list")
ROW_ID = re.compile(r'href="/evaluations/(\d+)/"')

# (title_en, title_fr, program, statements): mixed case, French accents, LIKE's own wildcard
# characters and the backslash, words only in a title, only in a statement, in both.
EVALUATIONS = [
    ("Evaluation of the Maternal Health Program", "", "Santé maternelle", ["Strengthen audits."]),
    (
        "Water supply review",
        "Évaluation de l’eau potable",
        "",
        ["Renforcer la SANTÉ publique.", "Improve HEALTH records in clinics."],
    ),
    ("Governance", "", "", ["Reduce costs by 50% in two years.", "Use an a_b test design."]),
    ("Gender equality", "", "", ["Train staff every ÉTÉ and every été."]),
    ("Procurement", "", "Canada", ["Store files under back\\slash paths."]),
    ("Nutrition", "Nutrition", "", ["Review NUTRITION targets yearly."]),
    ("Rural roads", "", "", [("Pave farm roads.", "Paver les routes DES RÉGIONS agricoles.")]),
    ("Fragile states", "", "", []),
    ("Façade repairs", "", "", ["Hire a garçon for the CAFÉ; be naïve about coöperation."]),
]
TERMS = [
    "health", "HEALTH", "hEaLtH", "santé", "SANTÉ", "é", "É", "été", "ÉTÉ", "café", "CAFÉ",
    "çon", "ÇON", "coöp", "l’eau", "nutrition", "strengthen", "fragile", "ab", "a_b", "50%",
    "%", "_", "\\", "back\\slash", "k\\s", "o", "zz", "nothing like this", "in two years.",
    "sante", "SANTE", "cafe", "garcon", "naive", "cooperation", "regions", "Régions agricoles",
    "maternal health", "health maternal", "health   sante", "water clinics", "health nutrition",
]  # fmt: skip


def _simplified(text: str) -> str:
    """TEXT in lower case without accents: an independent statement of `core.search.fold`
    for the letters these cases use."""
    plain = str.maketrans("àâäçéèêëîïôöùûüÀÂÄÇÉÈÊËÎÏÔÖÙÛÜ", "aaaceeeeiioouuuaaaceeeeiioouuu")
    return text.translate(plain).lower()


def _expected(term: str) -> set[int]:
    """Which evaluations contain every word of TERM, computed in Python from the rows."""
    words = _simplified(term).split()
    found = set()
    for evaluation in Evaluation.objects.prefetch_related("recommendations"):
        texts = [evaluation.title_en, evaluation.title_fr, evaluation.program]
        texts += [r.statement for r in evaluation.recommendations.all()]
        texts += [r.statement_fr for r in evaluation.recommendations.all()]
        if all(any(word in _simplified(text) for text in texts) for word in words):
            found.add(evaluation.pk)
    return found


def _listed(client, term: str) -> set[int]:
    response = client.get(LIST, {"q": term})
    assert response.status_code == 200
    return {int(pk) for pk in ROW_ID.findall(response.content.decode())}


@pytest.fixture
def varied(evaluator) -> list[Evaluation]:
    made = []
    for title_en, title_fr, program, statements in EVALUATIONS:
        evaluation = services.evaluation_create(
            by=evaluator, title_en=title_en, title_fr=title_fr, program=program
        )
        for number, statement in enumerate(statements, start=1):
            english, french = statement if isinstance(statement, tuple) else (statement, "")
            services.recommendation_create(
                evaluation=evaluation,
                by=evaluator,
                number=str(number),
                statement=english,
                statement_fr=french,
            )
        made.append(evaluation)
    return made


def test_search_lists_exactly_the_evaluations_a_substring_comparison_finds(client, viewer, varied):
    client.force_login(viewer)
    nonempty = 0
    for term in TERMS:
        expected = _expected(term)
        nonempty += bool(expected)
        assert _listed(client, term) == expected, term
        # The pager counts the same evaluations.
        count = html.unescape(client.get(LIST, {"q": term}).content.decode())
        if expected:
            noun = "evaluation" if len(expected) == 1 else "evaluations"
            assert f"{len(expected)} {noun}" in count, term
    # The cases are not all empty answers, nor all the same one.
    assert nonempty >= 20
    assert len({frozenset(_expected(t)) for t in TERMS}) >= 10


def test_a_word_found_only_in_a_statement_lists_its_evaluation(client, viewer, varied):
    client.force_login(viewer)
    strengthen = varied[0]

    assert _listed(client, "STRENGTHEN") == {strengthen.pk}
    assert _listed(client, "clinics") == {varied[1].pk}


def test_after_editing_a_statement_the_search_finds_the_new_text_not_the_old(
    client, viewer, evaluator, draft_evaluation
):
    recommendation = services.recommendation_create(
        evaluation=draft_evaluation, by=evaluator, number="9", statement="Open rural clinics."
    )
    client.force_login(viewer)
    assert _listed(client, "rural clinics") == {draft_evaluation.pk}

    services.recommendation_update(
        recommendation=recommendation,
        by=evaluator,
        expected_version=recommendation.version,
        number="9",
        statement="Open urban dispensaries.",
    )

    assert _listed(client, "rural clinics") == set()
    assert _listed(client, "urban dispensaries") == {draft_evaluation.pk}


def test_a_deleted_recommendation_is_no_longer_found(client, viewer, evaluator, draft_evaluation):
    recommendation = services.recommendation_create(
        evaluation=draft_evaluation, by=evaluator, number="9", statement="Audit the vaccine stock."
    )
    client.force_login(viewer)
    assert _listed(client, "vaccine") == {draft_evaluation.pk}

    services.recommendation_delete(recommendation=recommendation, by=evaluator)

    assert _listed(client, "vaccine") == set()


def _sqlite_index_problems() -> str | None:
    """None when the FTS5 index holds exactly the statements of the table, else why not."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name FROM sqlite_master WHERE type = 'trigger'"
            " AND tbl_name = 'evaluations_recommendation'"
        )
        triggers = {row[0] for row in cursor.fetchall()}
        expected = {
            f"evaluations_recommendation_search_{w}" for w in ("insert", "update", "delete")
        }
        if triggers < expected:
            return f"triggers missing: {sorted(expected - triggers)}"
        try:
            # With rank 1, FTS5 also compares the index with the external content table.
            cursor.execute(
                "INSERT INTO evaluations_recommendation_search"
                "(evaluations_recommendation_search, rank) VALUES ('integrity-check', 1)"
            )
        except Exception as error:  # noqa: BLE001 - the message is the answer
            return str(error)
    return None


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the FTS5 index is SQLite's")
def test_sqlite_search_index_is_complete_and_kept_in_step(evaluator, varied):
    recommendation = Recommendation.objects.filter(evaluation=varied[0]).get()
    services.recommendation_update(
        recommendation=recommendation,
        by=evaluator,
        expected_version=recommendation.version,
        number="1",
        statement="Something else entirely.",
    )
    services.recommendation_delete(
        recommendation=Recommendation.objects.filter(evaluation=varied[2]).first(), by=evaluator
    )
    Recommendation.objects.filter(evaluation=varied[5]).update(search_text="bulk-changed text.")

    assert _sqlite_index_problems() is None


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the FTS5 index is SQLite's")
def test_sqlite_search_reads_the_trigram_index_for_terms_of_three_letters(client, viewer, varied):
    client.force_login(viewer)
    with CaptureQueriesContext(connection) as queries:
        client.get(LIST, {"q": "health"})
    sql = " ".join(q["sql"] for q in queries.captured_queries)
    assert "evaluations_recommendation_search" in sql
    with connection.cursor() as cursor:
        cursor.execute(
            "EXPLAIN QUERY PLAN SELECT rowid FROM evaluations_recommendation_search"
            " WHERE search_text LIKE '%health%'"
        )
        plan = " ".join(str(row) for row in cursor.fetchall())
    # "L0": FTS5 answers the LIKE from its index instead of reading every row.
    assert "INDEX 0:L" in plan


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigram index is PostgreSQL's")
def test_postgresql_search_on_statements_can_use_the_trigram_index(varied):
    # Tiny tables are read whole whatever the indexes: forbid reading them whole (and other
    # indexes' scans) to see whether the index matches the expression Django writes for
    # contains. A trigram index is read by a bitmap scan.
    sql, params = (
        Recommendation.objects.filter(search_text__contains="health")
        .order_by()
        .values("evaluation_id")
        .query.sql_with_params()
    )
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        cursor.execute("EXPLAIN " + sql, params)
        plan = " ".join(row[0] for row in cursor.fetchall())
    assert "recommendation_search_text_trgm" in plan


@pytest.mark.django_db(transaction=True)
def test_after_a_restore_the_search_finds_the_restored_statements(
    client, viewer, evaluator, draft_evaluation, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    Path(settings.MEDIA_ROOT).mkdir()
    recommendation = services.recommendation_create(
        evaluation=draft_evaluation, by=evaluator, number="9", statement="Map the flood plains."
    )
    archive = tmp_path / "uptake.zip"
    backup_module.backup(path=archive)
    services.recommendation_update(
        recommendation=recommendation,
        by=evaluator,
        expected_version=recommendation.version,
        number="9",
        statement="Map the drought zones.",
    )

    backup_module.restore(path=archive, replace=True)

    client.force_login(viewer)
    assert _listed(client, "flood plains") == {draft_evaluation.pk}
    assert _listed(client, "drought") == set()
    if connection.vendor == "sqlite":
        assert _sqlite_index_problems() is None
