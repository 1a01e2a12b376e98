"""An exported workbook carries an Actuals sheet; importing it says that sheet was not read."""

from __future__ import annotations

import html
import io
from decimal import Decimal

import pytest
from django.urls import reverse

from uptake.results import services
from uptake.results.models import ActualUpdate, Strategy, Target

pytestmark = pytest.mark.django_db

NOT_READ = (
    "The Actuals sheet was not read: actuals are reported and approved in Uptake, not imported."
)


@pytest.fixture
def colleague(db):
    from conftest import make_user

    return make_user("colleague", "evaluation_unit")


def copy_strategy(by) -> Strategy:
    return services.strategy_create(
        by=by, kind="sector", title_en="Copy", subject="Water", start_year=2024, end_year=2026
    )


def export(client, strategy) -> io.BytesIO:
    response = client.get(reverse("results:export_xlsx", args=[strategy.pk]))
    assert response.status_code == 200
    file = io.BytesIO(response.content)
    file.name = "framework.xlsx"
    return file


def import_page(client, strategy, file) -> str:
    response = client.post(
        reverse("results:framework_import", args=[strategy.pk]), {"file": file}, follow=True
    )
    assert response.status_code == 200
    return html.unescape(response.content.decode())


def targets(strategy) -> list[tuple[int, str, str, Decimal | None, str]]:
    return sorted(
        (t.indicator.result.code, t.indicator.text_en, t.period.name, t.value, t.text)
        for t in Target.objects.filter(indicator__result__strategy=strategy)
    )


def test_importing_an_export_with_actuals_says_the_actuals_sheet_was_not_read(
    client, approved, indicator, periods, focal, evaluator, colleague
):
    for period, value in ((periods[0], "20"), (periods[1], "30")):  # on target: no variance
        update = services.actual_save(
            indicator=indicator, period=period, by=focal, value=Decimal(value), submit=True
        )
        services.actual_approve(update=update, by=colleague)
    client.force_login(evaluator)
    file = export(client, approved)
    other = copy_strategy(evaluator)

    text = import_page(client, other, file)

    assert NOT_READ in text
    assert "Imported 7 results" in text
    assert not ActualUpdate.objects.filter(indicator__result__strategy=other).exists()
    assert targets(other) == targets(approved)


def test_importing_an_export_without_actuals_says_nothing_about_them(
    client, strategy, indicator, evaluator
):
    client.force_login(evaluator)
    file = export(client, strategy)  # its Actuals sheet has only its headings
    other = copy_strategy(evaluator)

    text = import_page(client, other, file)

    assert "Imported 7 results" in text
    assert "Actuals sheet" not in text
    assert targets(other) == targets(strategy)


def test_the_import_service_counts_the_actual_rows_it_left(
    approved, indicator, periods, focal, colleague, evaluator
):
    from uptake.results.spreadsheets import export_xlsx

    update = services.actual_save(
        indicator=indicator, period=periods[0], by=focal, value=Decimal("20"), submit=True
    )
    services.actual_approve(update=update, by=colleague)
    counts = services.framework_import(
        strategy=copy_strategy(evaluator), file=io.BytesIO(export_xlsx(approved)), by=evaluator
    )
    assert counts["actuals_left"] == 1
    assert ActualUpdate.objects.count() == 1
