"""Dashboard, round close and export times over many actions, on a throwaway SQLite database.

    .venv/bin/python bench/dashboard_speed.py [ACTIONS]

Builds ACTIONS actions (default 20,000) in bulk under approved evaluations, then prints how
long the dashboard's figures, closing a round (the snapshot) and a CSV export take, and how
many queries the dashboard runs.
"""

from __future__ import annotations

import datetime
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("UPTAKE_LOCAL", "true")
os.environ["UPTAKE_VAR_DIR"] = tempfile.mkdtemp(prefix="uptake-bench-")
os.environ["DATABASE_URL"] = f"sqlite:///{os.environ['UPTAKE_VAR_DIR']}/bench.sqlite3"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "uptake.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from uptake.accounts.models import Role, Unit, User  # noqa: E402
from uptake.evaluations.models import (  # noqa: E402
    Action,
    Evaluation,
    Recommendation,
    Response,
)
from uptake.reporting import exports, selectors, services  # noqa: E402


def build(n_actions: int) -> User:
    units = [Unit.objects.create(code=f"U{i}", name_en=f"Unit {i}") for i in range(40)]
    evaluator = User.objects.create(username="bench", role=Role.EVALUATION_UNIT)
    statuses = ["not_started", "in_progress", "completed", "validated", "validated", "cancelled"]
    per_eval = 200
    base = datetime.date(2019, 4, 30)
    made = 0
    while made < n_actions:
        ev = Evaluation.objects.create(title_en=f"Evaluation {made}", state="in_follow_up")
        rec = Recommendation.objects.create(evaluation=ev, number="1", statement="S.")
        resp = Response.objects.create(recommendation=rec, unit=units[made % 40], agreement="agree")
        batch = []
        for i in range(min(per_eval, n_actions - made)):
            due = base + datetime.timedelta(days=(made + i) * 7 % 3000)
            batch.append(
                Action(
                    response=resp, text=f"Action {made + i}", target_date_text="x",
                    target_kind="date", original_due_date=due, due_date=due,
                    status=statuses[(made + i) % len(statuses)], unit=units[(made + i) % 40],
                )
            )  # fmt: skip
        Action.objects.bulk_create(batch)
        made += len(batch)
    return evaluator


def timed(label: str, call) -> None:  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    with CaptureQueriesContext(connection) as queries:
        call()
    print(f"{label:<28} {time.perf_counter() - start:7.3f} s  {len(queries):4d} queries")


def main(n_actions: int) -> None:
    call_command("migrate", verbosity=0)
    evaluator = build(n_actions)
    print(f"{Action.objects.count()} actions, {Unit.objects.count()} units")
    timed("dashboard figures", lambda: selectors.dashboard(selectors.DashboardFilters()))
    round_ = services.round_open(
        by=evaluator, name="Bench", deadline=datetime.date.today() + datetime.timedelta(days=1)
    )
    timed("round completeness", lambda: selectors.round_completeness(round_))
    timed("round close (snapshot)", lambda: services.round_close(round_=round_, by=evaluator))
    timed(
        "actions export (CSV)",
        lambda: exports.render(
            "actions", exports.dataset_rows("actions", user=None, params={}), "csv"
        ),
    )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 20_000)
