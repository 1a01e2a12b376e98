"""The dashboard's figures through the ORM against the same figures in hand-written SQL.

    .venv/bin/python bench/dashboard_sql.py [--repeat 5]

(`make bench` runs this after bench/pages.py, on the same database: BENCH_DATABASE_URL, or
SQLite under var/bench/.) Times the three grouped passes over the followed actions that the
dashboard makes (reporting.selectors.figure_rows, uncached), then one hand-written SQL
statement per grouping that a database programmer would write for the same definitions,
checks that both give the same numbers, and prints:

    BENCH dashboard_aggregates orm_ms=… sql_ms=… ratio=…

The target is ratio ≤ 2.
"""

from __future__ import annotations

import argparse
import datetime
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from harness import bench_environment  # noqa: E402

os.environ.update(bench_environment())
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "uptake.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402

from uptake.reporting import selectors  # noqa: E402

TARGET_RATIO = 2.0
FIGURES = selectors.COUNT_FIELDS


def _sql(group: str) -> str:
    """One grouped pass, written by hand: flags computed once per action in a derived table,
    then summed. GROUP is the SQL of the grouping column."""
    fiscal_year = (
        "CASE WHEN a.due_date IS NULL THEN NULL "
        "WHEN CAST(strftime('%%m', a.due_date) AS INTEGER) >= 4 "
        "THEN CAST(strftime('%%Y', a.due_date) AS INTEGER) "
        "ELSE CAST(strftime('%%Y', a.due_date) AS INTEGER) - 1 END"
        if connection.vendor == "sqlite"
        else "CASE WHEN a.due_date IS NULL THEN NULL "
        "WHEN EXTRACT(MONTH FROM a.due_date) >= 4 THEN EXTRACT(YEAR FROM a.due_date)::int "
        "ELSE EXTRACT(YEAR FROM a.due_date)::int - 1 END"
    )
    return f"""
    WITH flags AS (
      SELECT
        a.unit_id AS unit_id,
        rec.evaluation_id AS evaluation_id,
        {fiscal_year} AS fy,
        CASE WHEN a.status NOT IN ('cancelled', 'superseded')
              AND rec.closure_reason NOT IN ('not_accepted', 'no_longer_applicable', 'superseded')
             THEN 1 ELSE 0 END AS counted,
        CASE WHEN a.due_date <= %(day)s THEN 1 ELSE 0 END AS is_due,
        CASE WHEN a.original_due_date <= %(day)s THEN 1 ELSE 0 END AS is_due_orig,
        CASE WHEN a.status = 'validated' THEN 1 ELSE 0 END AS validated,
        CASE WHEN a.completed_on <= a.original_due_date THEN 1 ELSE 0 END AS done_by_orig,
        CASE WHEN a.completed_on <= a.due_date THEN 1 ELSE 0 END AS done_by_due,
        CASE WHEN rec.status = 'open'
              AND a.status NOT IN ('completed', 'validated', 'cancelled', 'superseded')
              AND a.due_date < %(day)s THEN 1 ELSE 0 END AS late,
        a.due_date AS due_date
      FROM evaluations_action a
      JOIN evaluations_response r ON r.id = a.response_id
      JOIN evaluations_recommendation rec ON rec.id = r.recommendation_id
      JOIN evaluations_evaluation e ON e.id = rec.evaluation_id
      WHERE e.state IN ('response_approved', 'published', 'in_follow_up', 'closed')
    )
    SELECT {group} AS grouping,
      SUM(counted),
      SUM(counted * is_due),
      SUM(counted * is_due * validated),
      SUM(counted * is_due_orig),
      SUM(counted * is_due_orig * validated * done_by_orig),
      SUM(counted * is_due * validated * done_by_due),
      SUM(counted * late),
      SUM(CASE WHEN counted * late = 1 AND due_date > %(six)s THEN 1 ELSE 0 END),
      SUM(CASE WHEN counted * late = 1 AND due_date <= %(six)s AND due_date > %(twelve)s
               THEN 1 ELSE 0 END),
      SUM(CASE WHEN counted * late = 1 AND due_date <= %(twelve)s
               AND due_date > %(twenty_four)s THEN 1 ELSE 0 END),
      SUM(CASE WHEN counted * late = 1 AND due_date <= %(twenty_four)s THEN 1 ELSE 0 END)
    FROM flags
    GROUP BY {group}
    ORDER BY {group}
    """


def by_sql(day: datetime.date) -> dict[str, list[tuple[object, ...]]]:
    params = {
        "day": day,
        **{
            name: selectors.add_months(day, -months)
            for name, months in (("six", 6), ("twelve", 12), ("twenty_four", 24))
        },
    }
    out = {}
    with connection.cursor() as cursor:
        for name, group in (
            ("by_unit", "unit_id"),
            ("by_evaluation", "evaluation_id"),
            ("by_fiscal_year", "fy"),
        ):
            cursor.execute(_sql(group), params)
            out[name] = [(row[0], *(int(v or 0) for v in row[1:])) for row in cursor.fetchall()]
    return out


def by_orm(day: datetime.date) -> dict[str, list[tuple[object, ...]]]:
    rows = selectors.figure_rows(selectors.DashboardFilters(), day)
    keys = {"by_unit": "resp_unit_id", "by_evaluation": "evaluation_id", "by_fiscal_year": "fy"}
    return {
        name: [(r[keys[name]], *(int(r[f] or 0) for f in FIGURES)) for r in getattr(rows, name)]
        for name in keys
    }


def timed(function, day: datetime.date, repeat: int) -> tuple[float, object]:  # type: ignore[no-untyped-def]
    times = []
    result = None
    for _ in range(repeat):
        started = time.perf_counter()
        result = function(day)
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    day = timezone.localdate()
    by_orm(day)  # warm the database's cache, so that neither side pays for the first read
    orm_ms, orm = timed(by_orm, day, args.repeat)
    sql_ms, sql = timed(by_sql, day, args.repeat)
    if orm != sql:
        print("the ORM and the hand-written SQL disagree: the comparison means nothing")
        return 1
    ratio = orm_ms / sql_ms
    verdict = "" if ratio <= TARGET_RATIO else f" over_target={TARGET_RATIO:g}"
    groups = ", ".join(f"{len(v):,} {k[3:].replace('_', ' ')}" for k, v in orm.items())  # type: ignore[union-attr]
    print(f"({connection.vendor}; {groups}; median of {args.repeat})")
    print(
        f"BENCH dashboard_aggregates orm_ms={orm_ms:.1f} sql_ms={sql_ms:.1f} ratio={ratio:.2f}{verdict}"
    )
    return 0 if ratio <= TARGET_RATIO else 1


if __name__ == "__main__":
    sys.exit(main())
