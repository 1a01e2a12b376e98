"""Schemathesis against the live OpenAPI document, on the demo data, as the evaluator.

Every operation gets a bounded number of generated requests (a fixed seed, so a run repeats
exactly): no answer may be a server error, and every answer must match the document (status
code, content type, body and headers).
"""

from __future__ import annotations

import time
from collections import Counter

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from uptake.accounts.models import Unit, User
from uptake.api.services import token_create
from uptake.evaluations.demo import load_demo
from uptake.evaluations.models import Action, Evaluation, Recommendation, Response
from uptake.followup.models import DateRevision, Evidence, ProgressUpdate
from uptake.publishing.selectors import live_publications
from uptake.wsgi import application

EXAMPLES_PER_OPERATION = 12
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    response_headers_conformance,
]
# Which rows a path's {id} may name: real ones, so that more than the 404 path is exercised.
MODELS = {
    "units": Unit,
    "evaluations": Evaluation,
    "recommendations": Recommendation,
    "responses": Response,
    "actions": Action,
    "updates": ProgressUpdate,
    "revisions": DateRevision,
    "evidence": Evidence,
}


def _real_values(path: str) -> tuple[str, list[object]]:
    """The path parameter of PATH and values that name existing rows."""
    if path.startswith("/api/v1/public/publications/{key}"):
        return "key", list(live_publications().values_list("slug", flat=True))
    if "{id}" not in path:
        return "", []
    model = MODELS[path.removeprefix("/api/v1/").split("/")[0]]
    rows = model.objects.exclude(file="") if model is Evidence else model.objects.all()
    return "id", list(rows.order_by("pk").values_list("pk", flat=True))


@pytest.fixture
def keep_the_test_connection():
    """Requests here go through the real WSGI handler, whose end-of-request signal closes a
    connection that is inside a transaction (as the test's is); Django's own test client
    disconnects that handler for the same reason. SQLite's in-memory test database ignores the
    close, PostgreSQL's does not."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.mark.django_db(transaction=False)
def test_the_api_answers_generated_requests_as_its_schema_says(keep_the_test_connection) -> None:
    load_demo()
    evaluator = User.objects.get(username="evaluator")
    _token, raw = token_create(user=evaluator, by=evaluator, name="schemathesis")
    headers = {"Authorization": f"Bearer {raw}"}
    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", application)
    failures: list[str] = []
    operations = 0
    statuses: Counter[int] = Counter()
    succeeded: set[str] = set()
    reads: set[str] = set()
    started = time.monotonic()
    for result in schema.get_all_operations():
        operation = result.ok()
        operations += 1
        if operation.method.upper() == "GET":
            reads.add(f"GET {operation.path}")
        name, values = _real_values(operation.path)

        @settings(
            max_examples=EXAMPLES_PER_OPERATION,
            derandomize=True,
            deadline=None,
            database=None,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        @given(case=operation.as_strategy(), real=st.sampled_from([None, *values]))
        def run(case, real) -> None:  # type: ignore[no-untyped-def]
            if real is not None:
                case.path_parameters = {**(case.path_parameters or {}), name: real}
            response = case.call(headers=headers)
            statuses[response.status_code] += 1
            if response.status_code < 300:
                succeeded.add(f"{case.method} {case.path}")
            case.validate_response(response, headers=headers, checks=CHECKS)

        try:
            run()
        except Exception as exc:  # noqa: BLE001 (collect every operation's failure)
            failures.append(f"{operation.method.upper()} {operation.path}: {exc}")
    elapsed = time.monotonic() - started
    summary = (
        f"{sum(statuses.values())} requests in {elapsed:.0f} s: {dict(sorted(statuses.items()))}"
    )
    assert operations >= 30
    assert not failures, "\n\n".join(failures)
    # Not only refusals: every read answered with data at least once, and writes went through.
    unread = {r for r in reads if r not in succeeded}
    if not Evidence.objects.exclude(file="").exists():
        unread.discard("GET /api/v1/evidence/{id}/download/")  # the demo may hold no files
    assert not unread, f"{sorted(unread)}; {summary}"
    assert len(succeeded - reads) >= 3, f"{sorted(succeeded)}; {summary}"
    assert elapsed < 90, summary
