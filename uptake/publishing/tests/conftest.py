"""An approved evaluation with English and French content, ready to publish."""

from __future__ import annotations

import pytest

from uptake.evaluations import services
from uptake.evaluations.models import Evaluation


@pytest.fixture
def bilingual_evaluation(evaluator, committee, units) -> Evaluation:
    """Two recommendations; the second's action has no French text (a gap to mark)."""
    units["HWP"].name_fr = "Programme de l'eau des hautes terres"
    units["HWP"].save()
    evaluation = services.evaluation_create(
        by=evaluator,
        title_en="Evaluation of the Lakeside Irrigation Program",
        title_fr="Évaluation du Programme d'irrigation riveraine",
        program="Lakeside Irrigation Program",
        period="2018-19 to 2022-23",
        evaluation_type="program",
        evaluation_unit="Evaluation Division",
        report_url="https://example.org/lakeside/report",
    )
    rec1 = services.recommendation_create(
        evaluation=evaluation,
        by=evaluator,
        number="1",
        statement="Repair the canals before building new ones.",
        statement_fr="Réparer les canaux avant d'en construire de nouveaux.",
        body="Half the canals leak. Repairs should cover:",
        body_fr="La moitié des canaux fuient. Les réparations devraient viser :",
        sub_points=["a) the main canal", "b) the gates"],
        sub_points_fr=["a) le canal principal", "b) les vannes"],
    )
    resp1 = services.response_create(
        recommendation=rec1,
        by=evaluator,
        unit=units["HWP"],
        agreement="agree",
        commitment="The program agrees and will fund repairs first.",
        commitment_fr="Le programme est d'accord et financera d'abord les réparations.",
    )
    services.action_create(
        response=resp1,
        by=evaluator,
        text="Survey every canal for leaks.",
        text_fr="Inspecter chaque canal pour repérer les fuites.",
        target_date_text="June 2021",
        deliverable="Survey report",
        role="Program Director",
        role_fr="Directeur du programme",
    )
    services.action_create(
        response=resp1,
        by=evaluator,
        text="Repair the main canal.",
        text_fr="Réparer le canal principal.",
        target_date_text="Q3 2030-31",
        deliverable="Completion certificate",
        unit=units["QTO-DA"],
    )
    rec2 = services.recommendation_create(
        evaluation=evaluation,
        by=evaluator,
        number="2",
        statement="Train water user associations.",
        statement_fr="Former les associations d'usagers de l'eau.",
    )
    resp2 = services.response_create(
        recommendation=rec2,
        by=evaluator,
        unit=units["PRS"],
        agreement="partially_agree",
        commitment="The division will train associations in two districts.",
        rationale="Budget allows two districts only.",
        rationale_fr="Le budget ne permet que deux districts.",
    )
    services.action_create(
        response=resp2,
        by=evaluator,
        text="Train associations in the two northern districts.",
        target_date_text="2030-31",
        deliverable="Training records",
    )
    services.evaluation_submit_for_approval(evaluation=evaluation, by=evaluator)
    services.evaluation_approve_response(evaluation=evaluation, by=committee)
    evaluation.refresh_from_db()
    return evaluation
