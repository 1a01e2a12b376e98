"""The interface catalogues are complete: every string has a French and a Spanish translation
that nobody has left marked fuzzy, with the same placeholders as the English."""

from __future__ import annotations

import re
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.utils import translation

LOCALE = Path(settings.BASE_DIR) / "locale"
PLACEHOLDER = re.compile(r"%\(\w+\)[-#0 +]*\d*(?:\.\d+)?[sdif]")


@pytest.fixture(params=["fr", "es"])
def catalogue(request) -> polib.POFile:
    return polib.pofile(str(LOCALE / request.param / "LC_MESSAGES" / "django.po"))


def test_every_string_is_translated(catalogue) -> None:
    untranslated = [e.msgid for e in catalogue.untranslated_entries()]
    assert not untranslated, f"{len(untranslated)} untranslated, first: {untranslated[:5]}"


def test_no_translation_is_fuzzy(catalogue) -> None:
    fuzzy = [e.msgid for e in catalogue.fuzzy_entries()]
    assert not fuzzy, f"{len(fuzzy)} fuzzy, first: {fuzzy[:5]}"
    assert not catalogue.metadata_is_fuzzy


def test_translations_keep_the_placeholders(catalogue) -> None:
    wrong = []
    for entry in catalogue.translated_entries():
        pairs = (
            [(entry.msgid, entry.msgstr)]
            if not entry.msgid_plural
            else [(entry.msgid, entry.msgstr_plural[0])]
            + [(entry.msgid_plural, s) for k, s in entry.msgstr_plural.items() if k]
        )
        wrong += [
            source
            for source, text in pairs
            if sorted(PLACEHOLDER.findall(source)) != sorted(PLACEHOLDER.findall(text))
        ]
    assert not wrong, wrong[:5]


def test_every_plural_has_all_the_forms_its_language_counts(catalogue) -> None:
    """Spanish counts three forms (the second for exact millions): a text with two of them
    shows English for 0, 2, 3…, and `msgfmt -c` refuses the catalogue."""
    forms = int(re.search(r"nplurals=(\d+)", catalogue.metadata["Plural-Forms"]).group(1))
    short = [
        e.msgid
        for e in catalogue
        if e.msgid_plural
        and sorted(k for k, text in e.msgstr_plural.items() if text) != list(range(forms))
    ]
    assert not short, f"{len(short)} plurals without {forms} forms, first: {short[:3]}"


def test_a_spanish_count_other_than_one_reads_spanish() -> None:
    with translation.override("es"):
        for count in (0, 2, 15):
            text = translation.ngettext("%(count)d action", "%(count)d actions", count)
            assert text == "%(count)d acciones", (count, text)


def test_the_compiled_catalogues_are_current() -> None:
    for code in ("fr", "es"):
        po = LOCALE / code / "LC_MESSAGES" / "django.po"
        mo = LOCALE / code / "LC_MESSAGES" / "django.mo"
        assert mo.exists(), f"{mo} is missing: run `uptake compilemessages`"
        compiled = polib.mofile(str(mo))
        source = polib.pofile(str(po))
        assert {e.msgid for e in compiled} == {e.msgid for e in source.translated_entries()}, (
            f"{mo} is older than {po}: run `uptake compilemessages`"
        )


def test_the_interface_speaks_french_and_spanish() -> None:
    with translation.override("fr"):
        assert translation.gettext("Translation not available") == "Traduction non disponible"
    with translation.override("es"):
        assert translation.gettext("Translation not available") == "Traducción no disponible"
