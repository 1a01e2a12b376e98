"""Every static file a template names exists. Outside DEBUG, pages name static files by the
hashed names `uptake serve` collects, and a name missing from that collection is a server
error on every page that uses it, not a broken link."""

from __future__ import annotations

import re
from pathlib import Path

from django.contrib.staticfiles import finders

PACKAGE = Path(__file__).resolve().parent.parent
STATIC_TAG = re.compile(r"""\{%\s*static\s+(['"])(?P<path>[^'"]+)\1""")


def _named_in_templates() -> dict[str, list[str]]:
    named: dict[str, list[str]] = {}
    for template in sorted(PACKAGE.rglob("templates/**/*.html")):
        for match in STATIC_TAG.finditer(template.read_text(encoding="utf-8")):
            named.setdefault(match["path"], []).append(str(template.relative_to(PACKAGE)))
    return named


def test_the_templates_name_static_files() -> None:
    # The scan itself works: the layout's stylesheet is found among the names.
    assert "uptake/uptake.css" in _named_in_templates()


def test_every_static_file_a_template_names_exists() -> None:
    missing = {
        path: templates
        for path, templates in _named_in_templates().items()
        if finders.find(path) is None
    }

    assert missing == {}
