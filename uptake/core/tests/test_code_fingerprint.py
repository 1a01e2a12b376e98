"""Cached results and pages are keyed on the code that made them, not only its version number."""

from __future__ import annotations

from pathlib import Path

from uptake.core.caching import code_fingerprint


def _package(root: Path) -> Path:
    files = {
        "views.py": "def page(): ...\n",
        "templates/page.html": "<p>{{ text }}</p>\n",
        "locale/fr/LC_MESSAGES/django.mo": "catalogue",
        "static/site.css": "p { margin: 0 }\n",
        "tests/test_page.py": "def test_page(): ...\n",
        "__pycache__/views.cpython-311.pyc": "bytecode",
    }
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    return root


def test_the_same_files_give_the_same_fingerprint_wherever_they_lie(tmp_path) -> None:
    first = _package(tmp_path / "server-a" / "uptake")
    second = _package(tmp_path / "server-b" / "uptake")

    assert code_fingerprint(first) == code_fingerprint(second)


def test_any_change_to_code_templates_catalogues_or_static_files_changes_it(tmp_path) -> None:
    package = _package(tmp_path / "uptake")
    seen = {code_fingerprint(package)}
    for name in ("views.py", "templates/page.html", "locale/fr/LC_MESSAGES/django.mo"):
        with (package / name).open("a") as changed:
            changed.write("# upgraded\n")
        seen.add(code_fingerprint(package))
    (package / "templates" / "new.html").write_text("<p>new</p>")
    seen.add(code_fingerprint(package))
    (package / "static" / "site.css").rename(package / "static" / "layout.css")
    seen.add(code_fingerprint(package))

    assert len(seen) == 6


def test_tests_and_bytecode_do_not_change_it(tmp_path) -> None:
    package = _package(tmp_path / "uptake")
    before = code_fingerprint(package)

    (package / "tests" / "test_page.py").write_text("def test_other(): ...\n")
    (package / "__pycache__" / "caching.cpython-311.pyc").write_text("more bytecode")

    assert code_fingerprint(package) == before
