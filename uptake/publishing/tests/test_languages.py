from uptake.publishing.languages import content_language, pick


def test_it_gives_the_readers_language_when_the_field_has_it() -> None:
    value = pick({"en": "Repair", "fr": "Réparer"}, "fr")
    assert (value.text, value.lang, value.fell_back) == ("Réparer", "fr", False)


def test_it_falls_back_to_english_and_says_so() -> None:
    value = pick({"en": "Repair", "fr": ""}, "fr")
    assert (value.text, value.lang, value.fell_back) == ("Repair", "en", True)


def test_a_language_content_is_never_written_in_falls_back_to_english() -> None:
    value = pick({"en": "Repair", "fr": "Réparer"}, "es")
    assert (value.text, value.lang, value.fell_back) == ("Repair", "en", True)
    assert content_language("es") == "en"
    assert content_language("fr-ca") == "fr"


def test_an_empty_field_is_not_a_fallback() -> None:
    value = pick({"en": "", "fr": ""}, "fr")
    assert not value.fell_back
    assert not value


def test_english_readers_never_fall_back() -> None:
    assert not pick({"en": "Repair", "fr": ""}, "en").fell_back
