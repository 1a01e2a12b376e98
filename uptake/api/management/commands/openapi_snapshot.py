"""`uptake openapi_snapshot`: rewrite uptake/api/openapi.json from the code."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand
from drf_spectacular.generators import SchemaGenerator

SNAPSHOT = Path(__file__).resolve().parents[2] / "openapi.json"


def current_schema() -> dict[str, Any]:
    """The OpenAPI document as /api/openapi.json serves it."""
    schema: dict[str, Any] = SchemaGenerator().get_schema(request=None, public=True)
    # Through JSON and back: the same types (lists, not tuples) as the served document.
    loaded: dict[str, Any] = json.loads(json.dumps(schema))
    return loaded


def render(schema: dict[str, Any]) -> str:
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"


class Command(BaseCommand):
    help = (
        "Rewrite the committed OpenAPI snapshot (uptake/api/openapi.json) from the API's code. "
        "Run it after changing the API, and review the diff: it is the API's contract."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        text = render(current_schema())
        changed = not SNAPSHOT.exists() or SNAPSHOT.read_text() != text
        SNAPSHOT.write_text(text)
        self.stdout.write(f"{SNAPSHOT}: {'rewritten' if changed else 'unchanged'}.")
