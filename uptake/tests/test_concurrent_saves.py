"""Two people save the same object at the same moment, over real HTTP to a threaded server:
one save wins, the other gets a conflict, and nothing either of them sent is silently lost.

The requests really overlap: both are released together by a barrier, and the server handles
them in two threads with two database connections. On PostgreSQL the losing UPDATE waits for
the winner's row lock and then finds the version it expected gone; on SQLite the write lock
serialises them. Each scenario is repeated, so that the overlap happens many times.
"""

from __future__ import annotations

import json
import re
import threading
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client

from conftest import build_draft_evaluation, build_units, make_user
from uptake.accounts.models import Role, User
from uptake.api.services import token_create
from uptake.evaluations.models import Evaluation

ROUNDS = 8

pytestmark = pytest.mark.django_db(transaction=True)


def _at_once(*calls: Callable[[], tuple[int, str]]) -> list[tuple[int, str]]:
    """Run CALLS in threads released together; their (status, body) in call order."""
    barrier = threading.Barrier(len(calls))
    results: list[tuple[int, str] | None] = [None] * len(calls)

    def run(i: int, call: Callable[[], tuple[int, str]]) -> None:
        barrier.wait()
        results[i] = call()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert all(r is not None for r in results), "a request never came back"
    return results  # type: ignore[return-value]


def _send(request: urllib.request.Request) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(request, timeout=30) as answer:  # noqa: S310 - the live server
            return answer.status, answer.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


@pytest.fixture
def evaluation_and_people() -> tuple[Evaluation, User, User]:
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        pytest.skip(
            "SQLite's in-memory test database shares one cache between threads, and that cache "
            "fails at once instead of waiting for a lock, where a file database (what Uptake "
            "runs on) waits; bench/load.py covers SQLite under concurrent writes."
        )
    units = build_units()
    first = make_user("amara", Role.EVALUATION_UNIT)
    second = make_user("bruno", Role.EVALUATION_UNIT)
    return build_draft_evaluation(first, units), first, second


def test_two_api_saves_of_one_version_give_one_success_and_one_conflict(
    live_server, evaluation_and_people
):
    evaluation, first, second = evaluation_and_people
    tokens = [token_create(user=u, by=u, name="concurrency test")[1] for u in (first, second)]
    url = f"{live_server.url}/api/v1/evaluations/{evaluation.pk}/"

    def patch(token: str, program: str, version: int) -> Callable[[], tuple[int, str]]:
        body = json.dumps({"version": version, "program": program}).encode()
        request = urllib.request.Request(  # noqa: S310 - the live server's own URL
            url,
            data=body,
            method="PATCH",
            headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
        )
        return lambda: _send(request)

    for round_ in range(ROUNDS):
        evaluation.refresh_from_db()
        version = evaluation.version
        history_before = evaluation.history.count()
        wanted = {f"Program A{round_}", f"Program B{round_}"}
        a, b = sorted(wanted)
        results = _at_once(patch(tokens[0], a, version), patch(tokens[1], b, version))

        statuses = sorted(status for status, _ in results)
        assert statuses == [200, 409], results
        winner = next(json.loads(body) for status, body in results if status == 200)
        loser = next(json.loads(body) for status, body in results if status == 409)
        assert "Someone else changed" in loser["message"]
        evaluation.refresh_from_db()
        # The database holds exactly what the winner was told it holds: nothing half-merged,
        # and the version moved by one.
        assert evaluation.program == winner["program"]
        assert evaluation.program in wanted
        assert evaluation.version == version + 1 == winner["version"]
        assert evaluation.history.count() == history_before + 1


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        return None


class _Browser:
    """Just enough of a browser for a form: keeps its cookies, does not follow redirects."""

    def __init__(self, user: User) -> None:
        signed_in = Client()
        signed_in.force_login(user)
        name = settings.SESSION_COOKIE_NAME
        self.cookies = {name: signed_in.cookies[name].value}
        self.opener = urllib.request.build_opener(_NoRedirect())

    def request(
        self, url: str, fields: dict[str, str] | None = None
    ) -> Callable[[], tuple[int, str]]:
        """The request, ready to send: a GET, or a POST of FIELDS."""
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()), "Referer": url}
        data = urllib.parse.urlencode(fields).encode() if fields is not None else None
        request = urllib.request.Request(url, data=data, headers=headers)  # noqa: S310

        def send() -> tuple[int, str]:
            try:
                answer = self.opener.open(request, timeout=30)
            except urllib.error.HTTPError as error:
                answer = error
            with answer:
                for header in answer.headers.get_all("Set-Cookie") or []:
                    name, _, rest = header.partition("=")
                    self.cookies[name] = rest.split(";", 1)[0]
                return answer.status if hasattr(
                    answer, "status"
                ) else answer.code, answer.read().decode()

        return send


def _form_fields(html: str) -> dict[str, str]:
    """The text inputs and hidden inputs of the page's form, as a browser would post them."""
    fields = {}
    for tag in re.findall(r"<input\b[^>]*>", html):
        name = re.search(r'\bname="([^"]+)"', tag)
        if not name:
            continue
        value = re.search(r'\bvalue="([^"]*)"', tag)
        fields[name.group(1)] = value.group(1) if value else ""
    for name, options in re.findall(
        r'<select\b[^>]*name="([^"]+)"[^>]*>(.*?)</select>', html, re.S
    ):
        chosen = re.search(r'<option value="([^"]*)"[^>]*selected', options)
        fields[name] = chosen.group(1) if chosen else ""
    return fields


def test_two_people_saving_the_edit_form_at_once_one_is_told_and_keeps_their_text(
    live_server, evaluation_and_people
):
    evaluation, first, second = evaluation_and_people
    url = f"{live_server.url}/evaluations/{evaluation.pk}/edit/"
    people = [_Browser(first), _Browser(second)]

    for round_ in range(ROUNDS // 2):
        # Both open the form on the same version, then both press Save together.
        pages = [person.request(url)() for person in people]
        assert [status for status, _ in pages] == [200, 200]
        typed = [f"Typed by Amara, round {round_}", f"Typed by Bruno, round {round_}"]
        posts = []
        for person, (_, html), text in zip(people, pages, typed, strict=True):
            fields = _form_fields(html)
            fields["program"] = text
            posts.append(person.request(url, fields))
        results = _at_once(*posts)

        statuses = sorted(status for status, _ in results)
        assert statuses == [200, 302], results
        evaluation.refresh_from_db()
        saved = evaluation.program
        assert saved in typed
        (loser_text,) = [t for t in typed if t != saved]
        loser_page = next(body for status, body in results if status == 200)
        # The one who lost is told why, and the form still holds what they typed.
        assert "Someone else changed" in loser_page
        assert loser_text in loser_page
