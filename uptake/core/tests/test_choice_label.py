"""`choice_label` (the `label` filter) shows what `get_FIELD_display()` shows, in each language."""

from __future__ import annotations

import pytest
from django.template import Context, Template
from django.utils import translation

from uptake.core.i18n import choice_label
from uptake.evaluations.models import Action, ActionStatus, Response


@pytest.mark.parametrize("language", ["en", "fr", "es"])
@pytest.mark.parametrize("status", ActionStatus.values)
def test_the_label_is_the_one_django_shows_in_the_active_language(language, status):
    action = Action(status=status)
    with translation.override(language):
        assert choice_label(action, "status") == action.get_status_display()


def test_the_label_follows_the_language_of_each_page():
    action = Action(status=ActionStatus.IN_PROGRESS)
    with translation.override("fr"):
        french = choice_label(action, "status")
    with translation.override("en"):
        english = choice_label(action, "status")
    assert (english, french) == ("In progress", "En cours")


def test_a_value_outside_the_choices_is_shown_as_stored():
    assert choice_label(Response(agreement="partly"), "agreement") == "partly"


def test_the_filter_escapes_like_any_value():
    html = Template('{% load uptake_i18n %}{{ action|label:"status" }}').render(
        Context({"action": Action(status="<b>odd</b>")})
    )
    assert html == "&lt;b&gt;odd&lt;/b&gt;"


def test_the_person_signed_in_shows_their_role(client, evaluator):
    client.force_login(evaluator)
    with translation.override("en"):
        expected = evaluator.get_role_display()
    assert f"({expected})" in client.get("/profile/").content.decode()
