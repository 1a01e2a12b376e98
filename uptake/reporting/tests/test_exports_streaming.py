"""Exports at scale: values read in chunks, CSV streamed in pieces, JSON written row by row."""

from __future__ import annotations

import csv
import io
import json

import pytest
from django.urls import reverse

from uptake.evaluations.models import Action
from uptake.reporting import exports

pytestmark = pytest.mark.django_db


def test_the_csv_export_leaves_in_pieces_that_make_the_whole_file(
    client, viewer, world, monkeypatch
):
    monkeypatch.setattr(exports, "CSV_BATCH", 2)
    client.force_login(viewer)
    response = client.get(reverse("reporting:export_actions"))
    assert response.streaming
    pieces = list(response.streaming_content)
    count = Action.objects.count()
    assert len(pieces) == count // 2 + 1  # a piece every 2 rows, then the rest
    body = b"".join(pieces)
    assert body.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))
    assert sorted(int(r["id"]) for r in rows) == sorted(Action.objects.values_list("id", flat=True))


@pytest.mark.parametrize("params", [{}, {"status": "superseded"}])  # none: an empty list
def test_the_json_export_reads_as_python_would_write_the_whole_list(client, viewer, world, params):
    client.force_login(viewer)
    text = client.get(
        reverse("reporting:export_actions"), {"format": "json", **params}
    ).content.decode()
    data = json.loads(text)
    assert text == json.dumps(data, ensure_ascii=False, indent=1)
    expected = set(Action.objects.filter(**params).values_list("id", flat=True))
    assert {row["id"] for row in data} == expected
    assert bool(data) == (not params)


def test_the_command_writes_the_rows_it_counts(world, tmp_path, capsys):
    from django.core.management import call_command

    target = tmp_path / "updates.json"
    call_command("export", "updates", "--format", "json", "-o", str(target))
    written = json.loads(target.read_text())
    assert f"{len(written)} row(s) written" in capsys.readouterr().err
    assert sorted(row["id"] for row in written) == sorted(_update_ids())


def _update_ids() -> list[int]:
    from uptake.followup.models import ProgressUpdate

    return list(ProgressUpdate.objects.values_list("id", flat=True))
