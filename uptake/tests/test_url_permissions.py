"""Every URL the project defines, asked by every role, answers as declared here.

A new URL without a rule in RULES fails `test_every_url_has_a_rule`: decide who may use it
before it ships. GET and POST are checked separately; a POST that a role may make is only
checked not to be refused (what it does is tested beside the view).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from conftest import build_approved_evaluation, build_units, make_user, written_day
from uptake.accounts.models import Role
from uptake.api.services import token_create
from uptake.evaluations import services
from uptake.evaluations.models import Action, Evaluation
from uptake.followup import services as followup
from uptake.followup.models import DateRevision, Evidence, ProgressUpdate
from uptake.importer.models import ImportSession
from uptake.publishing.services import publication_publish
from uptake.reporting import services as reporting
from uptake.results.tests.world import results_objects

# Revised dates asked for here must lie ahead of the day they are asked for: that day is the
# one the tests were written on (conftest.WRITTEN_ON), whatever the calendar says.
pytestmark = pytest.mark.usefixtures("asked_on_written_day")

ROLES = ("anonymous", "viewer", "focal", "outsider", "evaluator", "committee", "admin")
SIGNED_IN = ROLES[1:]
LOGIN = "login"  # a redirect to the sign-in page
MOVED = "moved"  # any other redirect


def answers(default: object, **by_role: object) -> dict[str, object]:
    """The answer for each role: DEFAULT for signed-in people unless named; anonymous people
    are sent to sign in unless named."""
    table: dict[str, object] = dict.fromkeys(SIGNED_IN, default)
    table["anonymous"] = LOGIN
    table.update(by_role)
    return table


def only(allowed: tuple[str, ...], yes: object = 200) -> dict[str, object]:
    return answers(403, **dict.fromkeys(allowed, yes))


EU = ("evaluator", "admin")
COMMITTEE = ("committee", "admin")
NOT_GET = answers(405)
REPORTERS = ("focal", "outsider", "evaluator", "admin")


def api(default: object, **by_role: object) -> dict[str, object]:
    """The API answers anonymous callers 401 instead of sending them to sign in."""
    return answers(default, anonymous=401, **by_role)


def api_only(allowed: tuple[str, ...], yes: object) -> dict[str, object]:
    return api(403, **dict.fromkeys(allowed, yes))


PUBLIC = answers(200, anonymous=200)


@dataclass
class Rule:
    get: dict[str, object]
    post: dict[str, object]
    obj: str = ""  # which fixture object fills the URL's <pk>


RULES: dict[str, Rule] = {
    "healthz": Rule(answers(200, anonymous=200), answers(405, anonymous=405)),
    "login": Rule(answers(200, anonymous=200), answers(200, anonymous=200)),
    # Signing out sends everyone to the sign-in page.
    "logout": Rule(answers(405), answers(LOGIN, **dict.fromkeys(SIGNED_IN, LOGIN))),
    "profile": Rule(answers(200), answers(405)),
    # Anyone signed in keeps their own language; an empty form shows the profile again.
    "profile_language": Rule(answers(405), answers(200)),
    "password_change": Rule(answers(200), answers(200)),
    # Choosing the interface's language: anyone, then back to the page (a GET changes nothing).
    "set_language": Rule(answers(MOVED, anonymous=MOVED), answers(MOVED, anonymous=MOVED)),
    "admin_login": Rule(only(("admin",), MOVED), only(("admin",), MOVED)),
    "admin:index": Rule(answers(MOVED, admin=200), answers(MOVED, admin=200)),
    "evaluations:home": Rule(answers(MOVED), answers(405)),
    "evaluations:list": Rule(answers(200), answers(405)),
    "evaluations:create": Rule(only(EU), only(EU)),
    "evaluations:detail": Rule(answers(200), answers(405), "followed"),
    "evaluations:edit": Rule(only(EU), only(EU), "followed"),
    "evaluations:history": Rule(answers(200), answers(405), "followed"),
    "evaluations:quality_check": Rule(answers(200), answers(405), "draft"),
    "evaluations:submit": Rule(NOT_GET, only(EU, MOVED), "draft"),
    "evaluations:approve": Rule(NOT_GET, only(COMMITTEE, MOVED), "submitted"),
    "evaluations:return": Rule(NOT_GET, only(COMMITTEE, MOVED), "submitted"),
    "evaluations:recommendation_create": Rule(only(EU), only(EU), "draft"),
    "evaluations:recommendation_edit": Rule(only(EU), only(EU), "draft_recommendation"),
    "evaluations:recommendation_delete": Rule(NOT_GET, only(EU, MOVED), "draft_recommendation"),
    "evaluations:recommendation_close": Rule(
        only((*EU, "committee")), only((*EU, "committee")), "followed_recommendation"
    ),
    "evaluations:recommendation_reopen": Rule(
        NOT_GET, only(COMMITTEE, MOVED), "closed_recommendation"
    ),
    "evaluations:response_create": Rule(only(EU), only(EU), "draft_recommendation"),
    "evaluations:response_edit": Rule(only(EU), only(EU), "draft_response"),
    "evaluations:response_delete": Rule(NOT_GET, only(EU, MOVED), "draft_response"),
    "evaluations:action_create": Rule(only(EU), only(EU), "draft_response"),
    "evaluations:action_edit": Rule(only(EU), only(EU), "draft_action"),
    "evaluations:action_delete": Rule(NOT_GET, only(EU, MOVED), "draft_action"),
    "evaluations:action_withdraw": Rule(only(EU), only(EU), "followed_action"),
    "evaluations:check_target_date": Rule(answers(200), answers(405)),
    "followup:my_actions": Rule(answers(200), answers(405)),
    "followup:action": Rule(answers(200), answers(405), "followed_action"),
    "followup:update_create": Rule(only((*EU, "focal")), only((*EU, "focal")), "followed_action"),
    "followup:validation_queue": Rule(only(EU), answers(405)),
    "followup:update_validate": Rule(NOT_GET, only(EU, MOVED), "pending_update"),
    # Returning without a comment re-renders the queue with the error at that update.
    "followup:update_return": Rule(NOT_GET, only(EU, 200), "pending_update"),
    "followup:approval_queue": Rule(only(COMMITTEE), answers(405)),
    "followup:revision_approve": Rule(NOT_GET, only(COMMITTEE, MOVED), "pending_revision"),
    # Refusing without a comment re-renders the queue with the error at that request.
    "followup:revision_reject": Rule(NOT_GET, only(COMMITTEE, 200), "pending_revision"),
    "followup:evidence_download": Rule(answers(200), answers(405), "evidence_file"),
    "importer:upload": Rule(only(EU), only(EU)),
    "importer:review": Rule(only(EU), only(EU), "import_session"),
    "reporting:dashboard": Rule(answers(200), answers(405)),
    "reporting:rounds": Rule(only((*EU, "committee")), only(EU)),
    "reporting:round": Rule(only((*EU, "committee")), answers(405), "round"),
    "reporting:round_close": Rule(NOT_GET, only(EU, MOVED), "round"),
    "reporting:pack_pdf": Rule(only((*EU, "committee")), answers(405), "round"),
    "reporting:pack_docx": Rule(only((*EU, "committee")), answers(405), "round"),
    "reporting:export_evaluations": Rule(answers(200), answers(405)),
    "reporting:export_recommendations": Rule(answers(200), answers(405)),
    "reporting:export_actions": Rule(answers(200), answers(405)),
    "reporting:export_updates": Rule(answers(200), answers(405)),
    # Update links: the evaluation unit issues them; the link's page works for anyone with it,
    # and an empty POST re-renders the form with errors (200) without using the link up.
    "reporting:update_link_create": Rule(only(EU), only(EU), "followed_action"),
    "reporting:update_link_revoke": Rule(NOT_GET, only(EU, MOVED), "update_link"),
    "reporting:update_link_form": Rule(
        answers(200, anonymous=200), answers(200, anonymous=200), "update_link_secret"
    ),
    "reporting:update_link_thanks": Rule(answers(200, anonymous=200), answers(405, anonymous=405)),
    # Calendar feeds: everyone signed in has their own; unit feeds are the evaluation unit's.
    "reporting:calendar_feed_create": Rule(answers(405), answers(200)),
    "reporting:calendar_unit_feeds": Rule(only(EU), answers(405)),
    "reporting:calendar_unit_feed_create": Rule(NOT_GET, only(EU), "unit"),
    "reporting:calendar_feed_revoke": Rule(NOT_GET, only(EU, MOVED), "unit_feed"),
    "reporting:calendar_feed": Rule(
        answers(200, anonymous=200), answers(405, anonymous=405), "calendar_feed_secret"
    ),
    "api:unit_list": Rule(api(200), api(405)),
    "api:unit_detail": Rule(api(200), api(405), "unit"),
    # An empty POST from a role that may write is refused by validation: 400.
    "api:evaluation_list": Rule(api(200), api_only(EU, 400)),
    "api:evaluation_detail": Rule(api(200), api(405), "followed"),
    "api:evaluation_plan": Rule(api(200), api(405), "followed"),
    "api:evaluation_submit": Rule(api(405), api_only(EU, 200), "draft"),
    "api:evaluation_approve": Rule(api(405), api_only(COMMITTEE, 200), "submitted"),
    "api:evaluation_return": Rule(api(405), api_only(COMMITTEE, 400), "submitted"),
    "api:recommendation_list": Rule(api(200), api_only(EU, 400)),
    "api:recommendation_detail": Rule(api(200), api(405), "followed_recommendation"),
    "api:recommendation_close": Rule(
        api(405), api_only((*EU, "committee"), 400), "followed_recommendation"
    ),
    "api:recommendation_reopen": Rule(api(405), api_only(COMMITTEE, 400), "closed_recommendation"),
    "api:response_list": Rule(api(200), api_only(EU, 400)),
    "api:response_detail": Rule(api(200), api(405), "draft_response"),
    "api:action_list": Rule(api(200), api_only(EU, 400)),
    "api:action_detail": Rule(api(200), api(405), "followed_action"),
    "api:action_withdraw": Rule(api(405), api_only(EU, 400), "followed_action"),
    "api:action_update_create": Rule(api(405), api_only((*EU, "focal"), 400), "followed_action"),
    "api:update_list": Rule(api(200), api(405)),
    "api:update_detail": Rule(api(200), api(405), "pending_update"),
    "api:update_validate": Rule(api(405), api_only(EU, 200), "pending_update"),
    "api:update_return": Rule(api(405), api_only(EU, 400), "pending_update"),
    "api:revision_list": Rule(api(200), api(405)),
    "api:revision_detail": Rule(api(200), api(405), "pending_revision"),
    "api:revision_approve": Rule(api(405), api_only(COMMITTEE, 200), "pending_revision"),
    "api:revision_reject": Rule(api(405), api_only(COMMITTEE, 400), "pending_revision"),
    "api:evidence_download": Rule(api(200), api(405), "evidence_file"),
    "api:public_publication_list": Rule(PUBLIC, answers(405, anonymous=405)),
    # The followed evaluation is not published: nobody finds it among public responses.
    "api:public_publication_detail": Rule(
        answers(404, anonymous=404), answers(405, anonymous=405), "followed"
    ),
    "api:schema": Rule(PUBLIC, answers(405, anonymous=405)),
    "api:docs": Rule(PUBLIC, answers(405, anonymous=405)),
    "api:root": Rule(PUBLIC, answers(405, anonymous=405)),
    "api:root_redirect": Rule(answers(MOVED, anonymous=MOVED), answers(405, anonymous=405)),
    "api:not_found": Rule(
        answers(404, anonymous=404), answers(404, anonymous=404), "unknown_api_address"
    ),
    "api:token_create": Rule(answers(405), answers(MOVED)),
    # Only the token's owner finds it; everyone else gets 404.
    "api:token_revoke": Rule(answers(405), answers(404, evaluator=MOVED), "api_token"),
    # Results frameworks (uptake/results): strategies, logic models, PMFs, actuals, links.
    "results:strategy_list": Rule(answers(200), answers(405)),
    "results:strategy_create": Rule(only(EU), only(EU)),
    "results:import_template": Rule(answers(200), answers(405)),
    "results:actual_queue": Rule(only(EU), answers(405)),
    "results:strategy_detail": Rule(answers(200), answers(405), "strategy"),
    "results:strategy_edit": Rule(only(EU), only(EU), "strategy"),
    "results:strategy_approve": Rule(NOT_GET, only(COMMITTEE, MOVED), "strategy"),
    "results:strategy_publish": Rule(NOT_GET, only(EU, MOVED), "strategy"),
    "results:diagram_svg": Rule(answers(200), answers(405), "strategy"),
    "results:diagram_png": Rule(answers(200), answers(405), "strategy"),
    "results:export_xlsx": Rule(answers(200), answers(405), "strategy"),
    "results:export_docx": Rule(answers(200), answers(405), "strategy"),
    "results:export_iati": Rule(answers(200), answers(405), "strategy"),
    "results:framework_import": Rule(only(EU), only(EU), "strategy"),
    "results:section_create": Rule(only(EU), only(EU), "strategy"),
    "results:section_edit": Rule(only(EU), only(EU), "section"),
    "results:section_delete": Rule(NOT_GET, only(EU, MOVED), "section"),
    "results:investment_create": Rule(only(EU), only(EU), "strategy"),
    "results:investment_edit": Rule(only(EU), only(EU), "investment"),
    "results:investment_delete": Rule(NOT_GET, only(EU, MOVED), "investment"),
    "results:result_create": Rule(only(EU), only(EU), "strategy"),
    "results:period_create": Rule(only(EU), only(EU), "strategy"),
    "results:period_edit": Rule(only(EU), only(EU), "period"),
    "results:period_lock": Rule(NOT_GET, only(EU, MOVED), "period"),
    "results:period_unlock": Rule(NOT_GET, only(EU, MOVED), "period"),
    "results:result_detail": Rule(answers(200), answers(405), "result"),
    "results:result_edit": Rule(only(EU), only(EU), "result"),
    "results:result_move": Rule(only(EU), only(EU), "result"),
    "results:result_delete": Rule(NOT_GET, only(EU, MOVED), "result"),
    "results:result_create_child": Rule(only(EU), only(EU), "result"),
    "results:indicator_create": Rule(only(EU), only(EU), "result"),
    "results:link_create": Rule(NOT_GET, only(EU, MOVED), "result"),
    "results:action_unlink": Rule(NOT_GET, only(EU, MOVED), "action_link"),
    "results:recommendation_unlink": Rule(NOT_GET, only(EU, MOVED), "recommendation_link"),
    "results:indicator_detail": Rule(answers(200), answers(405), "indicator"),
    "results:indicator_edit": Rule(only(EU), only(EU), "indicator"),
    "results:indicator_delete": Rule(NOT_GET, only(EU, MOVED), "indicator"),
    "results:targets_edit": Rule(only(EU), only(EU), "indicator"),
    # Focal points (any unit) and the evaluation unit report actuals.
    "results:actual_create": Rule(only(REPORTERS), only(REPORTERS), "reported_indicator"),
    "results:actual_edit": Rule(only(REPORTERS), only(REPORTERS), "draft_actual"),
    "results:actual_submit": Rule(NOT_GET, only(REPORTERS, MOVED), "draft_actual"),
    "results:actual_approve": Rule(NOT_GET, only(EU, MOVED), "submitted_actual"),
    "results:actual_return": Rule(NOT_GET, only(EU, MOVED), "submitted_actual"),
    # Publishing: the evaluation unit publishes; everyone, signed in or not, reads the result.
    "publishing:manage": Rule(only(EU), only(EU), "followed"),
    "publishing:unpublish": Rule(NOT_GET, only(EU, MOVED), "publication"),
    "publishing:translate": Rule(only(EU), only(EU), "followed"),
    "public:index": Rule(answers(200, anonymous=200), answers(405, anonymous=405)),
    "public:response": Rule(
        answers(200, anonymous=200), answers(405, anonymous=405), "published_evaluation"
    ),
    "public:pdf": Rule(
        answers(200, anonymous=200), answers(405, anonymous=405), "published_evaluation"
    ),
    "public:docx": Rule(
        answers(200, anonymous=200), answers(405, anonymous=405), "published_evaluation"
    ),
    "public:json": Rule(
        answers(200, anonymous=200), answers(405, anonymous=405), "published_evaluation"
    ),
    "public:csv": Rule(
        answers(200, anonymous=200), answers(405, anonymous=405), "published_evaluation"
    ),
}


def project_url_names() -> set[str]:
    """Every named URL in the project, with its namespace; Django admin's own pages apart
    from its index are Django's, not ours."""
    names: set[str] = set()

    def walk(patterns: list[URLPattern | URLResolver], prefix: str) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                namespace = f"{prefix}{pattern.namespace}:" if pattern.namespace else prefix
                if pattern.namespace == "admin":
                    names.add("admin:index")
                    continue
                walk(pattern.url_patterns, namespace)
            elif pattern.name:
                names.add(prefix + pattern.name)
            else:
                names.add(f"<unnamed {pattern.pattern}>")

    walk(get_resolver().url_patterns, "")
    return names


def test_every_url_has_a_rule() -> None:
    missing = project_url_names() - set(RULES)
    assert not missing, f"URLs without a declared permission rule: {sorted(missing)}"
    stale = set(RULES) - project_url_names()
    assert not stale, f"Rules for URLs that no longer exist: {sorted(stale)}"


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """One object of every kind a URL can point at, built once for the module.

    Building it takes far longer than one request, and there are thousands of requests: it is
    made inside a transaction that each test's own (rolled back) transaction nests in, the way
    Django's TestCase.setUpTestData works, and rolled back when the module ends.
    """
    with django_db_blocker.unblock(), transaction.atomic():
        with written_day():  # its revised date must lie ahead of the day it is asked for
            built = _build_world()
        yield built
        transaction.set_rollback(True)


def _build_world():
    units = build_units()
    evaluator = make_user("evaluator", Role.EVALUATION_UNIT)
    committee = make_user("committee", Role.COMMITTEE)
    viewer = make_user("viewer", Role.VIEWER)
    admin_user = make_user("admin", Role.ADMINISTRATOR)
    focal = make_user("focal", Role.FOCAL_POINT, [units["HWP"]])
    outsider = make_user("outsider", Role.FOCAL_POINT, [units["PRS"]])
    approved_evaluation = build_approved_evaluation(evaluator, committee, units)
    people = {
        "viewer": viewer,
        "focal": focal,
        "outsider": outsider,
        "evaluator": evaluator,
        "committee": committee,
        "admin": admin_user,
    }
    followed = approved_evaluation
    action = Action.objects.filter(response__recommendation__evaluation=followed).order_by("id")[0]
    update = followup.update_submit(
        action=action,
        by=focal,
        status="in_progress",
        narrative="Under way.",
        files=[SimpleUploadedFile("report.pdf", b"%PDF-1.4 test", "application/pdf")],
        revised_date_text="March 2031",
        revised_date_justification="Partners asked for more time.",
    )
    draft = services.evaluation_create(by=evaluator, title_en="Draft evaluation")
    draft_rec = services.recommendation_create(
        evaluation=draft, by=evaluator, number="1", statement="Do better."
    )
    draft_resp = services.response_create(
        recommendation=draft_rec, by=evaluator, unit=units["PRS"], agreement="agree",
        commitment="We will.",
    )  # fmt: skip
    draft_action = services.action_create(
        response=draft_resp, by=evaluator, text="Act.", target_date_text="June 2030",
        deliverable="Report",
    )  # fmt: skip
    submitted = services.evaluation_create(by=evaluator, title_en="Submitted evaluation")
    sub_rec = services.recommendation_create(
        evaluation=submitted, by=evaluator, number="1", statement="Publish criteria."
    )
    sub_resp = services.response_create(
        recommendation=sub_rec, by=evaluator, unit=units["GPB"], agreement="agree",
        commitment="We will publish.",
    )  # fmt: skip
    services.action_create(
        response=sub_resp, by=evaluator, text="Publish.", target_date_text="June 2030",
        deliverable="Page",
    )  # fmt: skip
    services.evaluation_submit_for_approval(evaluation=submitted, by=evaluator)
    # A second followed evaluation whose only recommendation is closed by decision.
    other = services.evaluation_create(by=evaluator, title_en="Closed evaluation")
    other_rec = services.recommendation_create(
        evaluation=other, by=evaluator, number="1", statement="Stop doing X."
    )
    services.response_create(
        recommendation=other_rec, by=evaluator, unit=units["HWP"], agreement="disagree",
        commitment="No.", rationale="X is required by law.",
    )  # fmt: skip
    services.evaluation_submit_for_approval(evaluation=other, by=evaluator)
    services.evaluation_approve_response(evaluation=other, by=committee)
    services.recommendation_close(
        recommendation=other_rec, by=committee, reason="not_accepted", note="Not accepted."
    )
    objects = {
        "followed": followed,
        "followed_recommendation": followed.recommendations.get(),
        "followed_action": action,
        "pending_update": update,
        "pending_revision": DateRevision.objects.get(update=update),
        "evidence_file": Evidence.objects.get(update=update),
        "draft": draft,
        "draft_recommendation": draft_rec,
        "draft_response": draft_resp,
        "draft_action": draft_action,
        "submitted": Evaluation.objects.get(pk=submitted.pk),
        "closed_recommendation": other_rec,
        "import_session": ImportSession.objects.create(
            created_by=evaluator,
            file_name="plan.txt",
            parsed={"recommendations": []},
            source_text="",
        ),
    }
    objects["unit"] = units["HWP"]
    objects["api_token"] = token_create(user=evaluator, by=evaluator, name="Script")[0]
    objects["round"] = reporting.round_open(
        by=evaluator, name="Fall round", deadline=timezone.localdate() + datetime.timedelta(days=9)
    )
    objects["published_evaluation"] = other
    link, objects["update_link_secret"] = reporting.update_link_issue(
        action=action, by=evaluator, recipient_name="A partner"
    )
    objects["update_link"] = link
    objects["calendar_feed_secret"] = reporting.calendar_feed_create(by=focal, user=focal)[1]
    objects["unit_feed"] = reporting.calendar_feed_create(by=evaluator, unit=units["HWP"])[0]
    objects["publication"] = publication_publish(evaluation=other, by=evaluator)
    objects["unknown_api_address"] = "v1/nothing-here/"  # under /api/, answered 404
    assert ProgressUpdate.objects.count() == 1
    objects.update(
        results_objects(evaluator=evaluator, committee=committee, focal=focal, action=action)
    )
    return people, objects


def _check(client, world, name: str, role: str, method: str) -> None:
    people, objects = world
    rule = RULES[name]
    expected = (rule.get if method == "get" else rule.post)[role]
    obj = objects[rule.obj] if rule.obj else None
    args = [] if obj is None else [obj if isinstance(obj, str) else obj.pk]  # str: a secret
    url = reverse(name, args=args)
    if role != "anonymous":
        client.force_login(people[role])
    if method == "get":
        response = client.get(url)
    elif url.startswith("/api/"):
        response = client.post(url, {}, content_type="application/json")  # the API reads JSON
    else:
        response = client.post(url, {})
    what = f"{method.upper()} {url} as {role}"
    if expected == LOGIN:
        assert response.status_code == 302, what
        # The admin sends people to its own login address first, which forwards to ours.
        final = client.get(response["Location"], follow=True).redirect_chain
        location = final[-1][0] if final else response["Location"]
        assert location.startswith(reverse("login")), what
    elif expected == MOVED:
        assert response.status_code == 302, what
        assert not response["Location"].startswith(reverse("login")), what
    else:
        assert response.status_code == expected, what


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", sorted(RULES))
def test_get(db, client, world, name: str, role: str) -> None:
    _check(client, world, name, role, "get")


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", sorted(RULES))
def test_post(db, client, world, name: str, role: str) -> None:
    _check(client, world, name, role, "post")


def test_each_request_left_the_shared_world_as_it_found_it(db, world) -> None:
    """Runs last in this module: the POSTs above deleted, approved and closed things, and each
    must have been rolled back with its own test, or the answers above would depend on order."""
    _people, objects = world
    for key in ("draft_recommendation", "draft_response", "draft_action"):
        assert type(objects[key]).objects.filter(pk=objects[key].pk).exists(), key
    assert Evaluation.objects.get(pk=objects["submitted"].pk).state == "response_submitted"
    assert ProgressUpdate.objects.get(pk=objects["pending_update"].pk).review_state == "pending"
