"""Migrations evaluations 0009 and 0010: every action gets a responsibility centre, its
response's unit where it had none, and the column becomes required."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("evaluations", "0008_program_fr")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_an_action_without_a_unit_takes_its_responses_and_others_keep_theirs():
    latest = MigrationExecutor(connection).loader.graph.leaf_nodes()
    old = _migrate(BEFORE)
    unit_model = old.get_model("accounts", "Unit")
    branch = unit_model.objects.create(code="BR", name_en="Branch")
    mission = unit_model.objects.create(code="MI", name_en="Mission", parent=branch)
    evaluation = old.get_model("evaluations", "Evaluation").objects.create(title_en="Roads")
    recommendation = old.get_model("evaluations", "Recommendation").objects.create(
        evaluation=evaluation, number="1", statement="Maintain the roads."
    )
    response = old.get_model("evaluations", "Response").objects.create(
        recommendation=recommendation, unit=branch, agreement="agree"
    )
    actions = old.get_model("evaluations", "Action").objects
    without = actions.create(response=response, position=0, text="Train staff.", unit=None)
    own = actions.create(response=response, position=1, text="Map roads.", unit=mission)

    new = _migrate(latest)

    units = dict(new.get_model("evaluations", "Action").objects.values_list("pk", "unit_id"))
    assert units == {without.pk: branch.pk, own.pk: mission.pk}
    with pytest.raises(IntegrityError), transaction.atomic():
        new.get_model("evaluations", "Action").objects.filter(pk=own.pk).update(unit=None)
