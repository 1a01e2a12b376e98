"""`uptake remind`: one digest per focal point per day, through a real SMTP server."""

from __future__ import annotations

import email
import email.policy
import io
import re
import socket

import pytest
from aiosmtpd.controller import Controller
from django.core.management import call_command
from django.utils import timezone, translation

from conftest import make_user
from uptake.accounts.models import Role
from uptake.reporting import services
from uptake.reporting.models import ReminderLog

pytestmark = pytest.mark.django_db


class Inbox:
    def __init__(self) -> None:
        self.messages: list[email.message.EmailMessage] = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
        self.messages.append(
            email.message_from_bytes(envelope.content, policy=email.policy.default)
        )
        return "250 OK"


@pytest.fixture
def smtp(settings):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_USE_TLS = False
    settings.UPTAKE_BASE_URL = "https://uptake.example.org"
    yield inbox
    controller.stop()


@pytest.fixture
def people(world, focal, outsider, units):
    focal.email, outsider.email = "focal@example.org", "outsider@example.org"
    focal.save()
    outsider.save()
    return focal, outsider


def _run(*args) -> str:
    out = io.StringIO()
    call_command("remind", *args, stdout=out)
    return out.getvalue()


def _parts(message):
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    return text, html


def test_each_focal_point_gets_one_digest_with_links(smtp, people, world, evaluator):
    focal, outsider = people
    services.round_open(by=evaluator, name="Fall round", deadline=timezone.localdate())
    _run()
    by_rcpt = {m["To"]: m for m in smtp.messages}
    assert sorted(by_rcpt) == ["focal@example.org"]  # PRS has nothing open: no message
    text, html = _parts(by_rcpt["focal@example.org"])
    for key in ("a2", "a3"):  # overdue actions of HWP and its sub-unit
        url = f"https://uptake.example.org{world.a[key].get_absolute_url()}"
        assert url in text and f'href="{url}"' in html
    assert "Action a2." in text and "OWED IN THE ROUND" in text
    assert f"/actions/{world.a['a4'].pk}/update/" in text  # owed in the open round
    assert "Action a5." not in text  # another unit's
    assert ReminderLog.objects.filter(user=focal, day=timezone.localdate()).count() == 1


def test_a_second_run_the_same_day_sends_nothing(smtp, people):
    _run()
    first = len(smtp.messages)
    output = _run()
    assert first == 1 and len(smtp.messages) == 1
    assert "already reminded today: focal" in output


def test_dry_run_sends_and_records_nothing(smtp, people):
    output = _run("--dry-run")
    assert "would send: focal" in output
    assert smtp.messages == [] and not ReminderLog.objects.exists()


def _in(language: str, singular: str, plural: str, count: int) -> str:
    with translation.override(language):
        return translation.ngettext(singular, plural, count) % {"count": count}


def test_each_digest_is_written_in_its_recipients_language(smtp, people, world, units):
    focal, _outsider = people
    colleague = make_user("colleague", Role.FOCAL_POINT, [units["HWP"]])
    colleague.email, colleague.language = "colleague@example.org", "fr"
    colleague.save()
    a2 = world.a["a2"]
    a2.text_fr = "Mesure a2, en français."
    a2.save()

    _run()

    by_rcpt = {m["To"]: m for m in smtp.messages}
    english, french = by_rcpt["focal@example.org"], by_rcpt["colleague@example.org"]
    count = int(re.search(r"\d+", english["Subject"]).group(0))
    words = ("Uptake: %(count)d action needs your attention",
             "Uptake: %(count)d actions need your attention", count)  # fmt: skip
    assert english["Subject"] == _in("en", *words)
    assert french["Subject"] == _in("fr", *words) != english["Subject"]
    english_text, english_html = _parts(english)
    french_text, french_html = _parts(french)
    assert "Action a2." in english_text and "Mesure a2" not in english_text
    assert "Mesure a2, en français." in french_text and "Mesure a2, en français." in french_html
    with translation.override("fr"):
        hello = translation.gettext("Hello %(name)s,") % {"name": colleague}
    assert french_text.startswith(hello) and not english_text.startswith(hello)
    assert '<html lang="fr">' in french_html and '<html lang="en">' in english_html
