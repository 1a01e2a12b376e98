"""The evaluations export carries the program in French next to the English."""

from __future__ import annotations

import csv
import io
import json

import openpyxl
import pytest
from django.urls import reverse

from uptake.evaluations import services

pytestmark = pytest.mark.django_db


def test_every_format_has_the_french_program_after_the_english(client, viewer, evaluator) -> None:
    services.evaluation_create(
        by=evaluator, title_en="Evaluation of a seed program", program="Seed Program",
        program_fr="Programme de semences",
    )  # fmt: skip
    services.evaluation_create(by=evaluator, title_en="Evaluation of a road program")
    client.force_login(viewer)
    address = reverse("reporting:export_evaluations")
    expected = {("Seed Program", "Programme de semences"), ("", "")}

    body = client.get(address).getvalue().decode("utf-8-sig")
    header = next(csv.reader(io.StringIO(body)))
    assert header.index("program_fr") == header.index("program") + 1
    rows = csv.DictReader(io.StringIO(body))
    assert {(r["program"], r["program_fr"]) for r in rows} == expected

    sheet = openpyxl.load_workbook(
        io.BytesIO(client.get(address, {"format": "xlsx"}).content)
    ).worksheets[0]
    names = [c.value for c in sheet[1]]
    cells = {
        (row[names.index("program")].value or "", row[names.index("program_fr")].value or "")
        for row in sheet.iter_rows(min_row=2)
    }
    assert cells == expected

    data = json.loads(client.get(address, {"format": "json"}).content)
    assert {(d["program"], d["program_fr"]) for d in data} == expected
