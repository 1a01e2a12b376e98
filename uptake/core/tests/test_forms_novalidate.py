"""Every form that takes input leaves checking it to the server (`novalidate`): the browser's
own bubbles would stop the form on the first empty required field, in the browser's language,
before the server could list every problem in the summary at the top of the form."""

from __future__ import annotations

import re
from pathlib import Path

import uptake

TEMPLATES = Path(uptake.__file__).parent / "templates"
FORM = re.compile(r"<form\b([^>]*)>(.*?)</form>", re.S)
# What puts a field on the page: a shared field template, or an input written by hand.
TAKES_INPUT = re.compile(
    r"form_fields\.html|_field\.html|bilingual_fields\.html|<textarea|<select"
    r"|<input(?![^>]*type=\"hidden\")"
)


def _forms_taking_input() -> list[tuple[str, str]]:
    found = []
    for path in sorted(TEMPLATES.rglob("*.html")):
        for attributes, body in FORM.findall(path.read_text(encoding="utf-8")):
            if 'method="post"' in attributes and TAKES_INPUT.search(body):
                found.append((str(path.relative_to(TEMPLATES)), attributes))
    return found


def test_every_form_that_takes_input_is_checked_by_the_server_alone():
    forms = _forms_taking_input()
    assert len(forms) > 20  # the pattern finds the forms it is meant to
    unchecked = [path for path, attributes in forms if "novalidate" not in attributes]
    assert unchecked == []
