"""Reads from (and adds a little to) the benchmark database, for bench/harness.py.

    python bench/fixture.py counts    row counts, as JSON
    python bench/fixture.py fixture   sessions, a token and ids for the load, as JSON

Runs in the benchmark's environment (harness.bench_environment), so it sees the same
database and secret key as the server it prepares for.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "uptake.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY  # noqa: E402
from django.contrib.sessions.backends.db import SessionStore  # noqa: E402
from django.db.models import Count  # noqa: E402

from uptake.accounts.models import Role, User  # noqa: E402
from uptake.api.services import token_create  # noqa: E402
from uptake.evaluations.models import CLOSED_ACTION_STATUSES, Action, Evaluation  # noqa: E402
from uptake.followup.models import ProgressUpdate  # noqa: E402
from uptake.publishing.models import Publication  # noqa: E402
from uptake.publishing.services import publication_publish  # noqa: E402
from uptake.reporting.selectors import FOLLOWED_STATES  # noqa: E402


def counts() -> dict[str, int]:
    return {
        "evaluations": Evaluation.objects.count(),
        "actions": Action.objects.count(),
        "updates": ProgressUpdate.objects.count(),
    }


def session_cookie(user: User) -> str:
    """A signed-in session for USER, as the Cookie header a browser would send."""
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.set_expiry(7 * 24 * 3600)
    session.create()
    return f"{settings.SESSION_COOKIE_NAME}={session.session_key}"


def fixture() -> dict[str, object]:
    evaluator = (
        User.objects.filter(role=Role.EVALUATION_UNIT, is_active=True).order_by("pk").first()
    )
    if evaluator is None:
        raise SystemExit("the benchmark database has no evaluation-unit user: run uptake generate")
    committee = User.objects.filter(role=Role.COMMITTEE, is_active=True).order_by("pk").first()
    if committee is None:
        raise SystemExit("the benchmark database has no committee member: run uptake generate")
    open_actions = Action.objects.filter(
        response__recommendation__evaluation__state__in=FOLLOWED_STATES,
        response__recommendation__status="open",
    ).exclude(status__in=CLOSED_ACTION_STATUSES)
    # The focal point of the unit with the most open actions: the busiest person in the
    # fortnight before a committee, and the largest "my actions" page.
    busiest = (
        User.objects.filter(role=Role.FOCAL_POINT, is_active=True, units__isnull=False)
        .values("pk", "units")
        .annotate(n=Count("units__responses__actions"))
        .order_by("-n")
        .first()
    )
    if busiest is None:
        raise SystemExit("the benchmark database has no focal point: run uptake generate")
    focal = User.objects.get(pk=busiest["pk"])
    mine = list(
        open_actions.filter(response__unit_id=busiest["units"]).values_list("pk", flat=True)[:500]
    )
    if not mine:
        raise SystemExit("the busiest focal point has no open action to report on")
    # The action page measured: one with the median number of updates among them. `make load`
    # adds updates to a few of these actions at every run; the median stays typical.
    updates = dict(
        ProgressUpdate.objects.filter(action_id__in=mine)
        .values("action_id")
        .annotate(n=Count("pk"))
        .values_list("action_id", "n")
    )
    typical = sorted(mine, key=lambda pk: (updates.get(pk, 0), pk))[len(mine) // 2]
    _, token = token_create(user=focal, by=focal, name="benchmark load")

    # A typical evaluation: the median number of actions among followed ones.
    sizes = list(
        Evaluation.objects.filter(state__in=FOLLOWED_STATES)
        .annotate(n=Count("recommendations__responses__actions"))
        .order_by("n")
        .values_list("pk", flat=True)
    )
    evaluation_id = sizes[len(sizes) // 2]
    # Spread over the whole range, for the mixed load.
    sample = sizes[:: max(1, len(sizes) // 50)][:50]
    publication = Publication.objects.filter(unpublished_at__isnull=True).order_by("pk").first()
    if publication is None:
        admin = User.objects.filter(role=Role.EVALUATION_UNIT).order_by("pk").first()
        publication = publication_publish(
            evaluation=Evaluation.objects.get(pk=evaluation_id), by=admin, show_status=True
        )
    return {
        **counts(),
        "evaluator_cookie": session_cookie(evaluator),
        "focal_cookie": session_cookie(focal),
        "committee_cookie": session_cookie(committee),
        "focal_token": token,
        "evaluation_id": evaluation_id,
        "evaluation_ids": sample,
        "action_id": typical,
        "unit_id": busiest["units"],
        "open_action_ids": mine,
        "publication_key": publication.slug,
    }


if __name__ == "__main__":
    what = sys.argv[1] if len(sys.argv) > 1 else ""
    if what == "counts":
        print(json.dumps(counts()))
    elif what == "fixture":
        print(json.dumps(fixture()))
    else:
        sys.exit(__doc__)
