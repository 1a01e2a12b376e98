"""Demo data: an invented evaluation of an invented water program, walked through every state.

Everything is written through the same services the pages use, so the demo also shows that
the rules hold: the history names the demo people, and the quality check, approval and
two-key closure all happen as they would for real. Target dates are set relative to today so
that "due soon" and "overdue" mean something whenever the demo is loaded.
"""

from __future__ import annotations

import datetime
import os
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Case, DateTimeField, ExpressionWrapper, F, When
from django.utils import timezone

from uptake.accounts.models import Role, Unit, UnitKind, User
from uptake.followup import services as followup
from uptake.followup.models import DateRevision, ProgressUpdate, ReviewState

from . import services
from .models import (
    Action,
    ActionStatus,
    ClosureReason,
    Evaluation,
    Recommendation,
    Response,
    SubPoint,
)

DEMO_TITLE = "Evaluation of the Highland Water and Sanitation Program (2017-18 to 2022-23)"

UNITS = [
    # code, English, French, kind, parent
    ("GPB", "Global Partnerships Branch", "Direction générale des partenariats mondiaux", UnitKind.BRANCH, None),
    ("WSB", "Water and Sanitation Bureau", "Direction de l'eau et de l'assainissement", UnitKind.BUREAU, "GPB"),
    ("HWP", "Highland Water Program", "Programme de l'eau des hautes terres", UnitKind.DIVISION, "WSB"),
    ("QTO-DA", "Development Section, Embassy in Quito", "Section du développement, ambassade à Quito", UnitKind.MISSION, "HWP"),
    ("PRS", "Results and Strategic Planning Division", "Direction des résultats et de la planification stratégique", UnitKind.DIVISION, "GPB"),
    # The evaluations' own unit: named by the evaluations, so their French pages name it in French.
    ("EVD", "Evaluation Division", "Direction de l'évaluation", UnitKind.DIVISION, "PRS"),
]  # fmt: skip


@dataclass
class DemoPeople:
    admin: User
    evaluator: User
    committee: User
    viewer: User
    focal: dict[str, User]


def demo_password() -> str:
    return os.environ.get("UPTAKE_DEMO_PASSWORD") or "demo"


def _user(
    username: str,
    role: str,
    first: str,
    last: str,
    *,
    units: list[Unit] = (),  # type: ignore[assignment]
    language: str = "",
) -> User:
    user, created = User.objects.get_or_create(
        username=username,
        defaults={
            "role": role,
            "first_name": first,
            "last_name": last,
            "email": f"{username}@example.org",
            "language": language,
        },
    )
    if created:
        user.set_password(demo_password())
        if role == Role.ADMINISTRATOR:
            user.is_staff = user.is_superuser = True
        user.save()
        user.units.set(units)
    return user


def _month_text(today: datetime.date, months_ahead: int) -> str:
    month_index = today.month - 1 + months_ahead
    year, month = today.year + month_index // 12, month_index % 12 + 1
    return datetime.date(year, month, 1).strftime("%B %Y")


def _fiscal_text(today: datetime.date, years_ahead: int) -> str:
    start = (today.year if today.month >= 4 else today.year - 1) + years_ahead
    return f"{start}-{str(start + 1)[2:]}"


def people() -> DemoPeople:
    units = {}
    for code, en, fr, kind, parent in UNITS:
        units[code], _ = Unit.objects.get_or_create(
            code=code,
            defaults={"name_en": en, "name_fr": fr, "kind": kind, "parent": units.get(parent)},
        )
    return DemoPeople(
        admin=_user("admin", Role.ADMINISTRATOR, "Ada", "Admin"),
        evaluator=_user("evaluator", Role.EVALUATION_UNIT, "Esther", "Okafor"),
        committee=_user("committee", Role.COMMITTEE, "Claude", "Tremblay"),
        viewer=_user("viewer", Role.VIEWER, "Victor", "Lam"),
        focal={
            code: _user(
                f"focal-{code.lower()}",
                Role.FOCAL_POINT,
                "Focal point",
                code,
                units=[unit],
                # The mission's focal point works in French: pages and e-mails follow.
                language="fr" if code == "QTO-DA" else "",
            )
            for code, unit in units.items()
        },
    )


def _approval_date(today: datetime.date) -> datetime.date:
    """The main evaluation was approved early in the year three years back: its actions fall
    due across the years since, and were done on time, late, or are still open."""
    return datetime.date(today.year - 3, 2, 14)


class _Timeline:
    """Dates what the demo writes as if it had happened over the years.

    The services stamp rows and their history with the real time. Each step of the story
    first calls `at(day)`; `apply()` then moves every timestamp written during that step to
    that day (keeping their order within the step), and what derives from those timestamps:
    the completion dates and the closed round's snapshot."""

    def __init__(self) -> None:
        self.steps: list[tuple[datetime.datetime, datetime.datetime]] = []
        self.deadlines: dict[int, datetime.date] = {}

    def at(self, day: datetime.date, hour: int = 10) -> None:
        real = timezone.now()
        story = timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))
        # A demo loaded for a day still to come never dates anything after the real now.
        self.steps.append((real, min(story, real)))

    def _shifted(self, name: str, end: datetime.datetime) -> Case:
        stops = [start for start, _ in self.steps[1:]] + [end]
        return Case(
            *(
                When(
                    **{f"{name}__gte": start, f"{name}__lt": stop},
                    then=ExpressionWrapper(F(name) + (story - start), output_field=DateTimeField()),
                )
                for (start, story), stop in zip(self.steps, stops, strict=True)
            ),
            default=F(name),
            output_field=DateTimeField(),
        )

    def apply(self) -> None:
        from uptake.reporting.models import ActionSnapshot, FollowUpRound

        end = timezone.now()
        began = self.steps[0][0]
        evaluations = list(
            Evaluation.objects.filter(created_at__gte=began).values_list("pk", flat=True)
        )
        rounds = list(
            FollowUpRound.objects.filter(opened_at__gte=began).values_list("pk", flat=True)
        )
        shifted: list[tuple[type[Any], str, tuple[str, ...], bool]] = [
            (Evaluation, "pk__in", ("created_at", "updated_at"), True),
            (Recommendation, "evaluation__in", ("created_at", "updated_at", "closed_at"), True),
            (SubPoint, "recommendation__evaluation__in", ("created_at", "updated_at"), True),
            (Response, "recommendation__evaluation__in", ("created_at", "updated_at"), True),
            (Action, "response__recommendation__evaluation__in", ("created_at", "updated_at"), True),
            (ProgressUpdate, "action__response__recommendation__evaluation__in",
             ("created_at", "reviewed_at"), True),
            (DateRevision, "action__response__recommendation__evaluation__in",
             ("requested_at", "decided_at"), True),
            (FollowUpRound, "pk__in", ("opened_at", "closed_at"), False),
        ]  # fmt: skip
        for model, path, fields, has_history in shifted:
            ids = list(
                model.objects.filter(
                    **{path: rounds if model is FollowUpRound else evaluations}
                ).values_list("pk", flat=True)
            )
            model.objects.filter(pk__in=ids).update(
                **{name: self._shifted(name, end) for name in fields}
            )
            if has_history:
                model.history.model.objects.filter(id__in=ids).update(
                    **{name: self._shifted(name, end) for name in (*fields, "history_date")}
                )
        for pk, deadline in self.deadlines.items():
            FollowUpRound.objects.filter(pk=pk).update(deadline=deadline)

        # A validated action was completed on the day its accepted claim was made.
        for action in Action.objects.filter(
            response__recommendation__evaluation__in=evaluations, completed_on__isnull=False
        ):
            claim = action.updates.filter(
                status=ActionStatus.COMPLETED, review_state=ReviewState.ACCEPTED
            ).latest("created_at")
            day = timezone.localdate(claim.created_at)
            Action.objects.filter(pk=action.pk).update(completed_on=day)
            Action.history.model.objects.filter(id=action.pk, completed_on__isnull=False).update(
                completed_on=day
            )

        # A closed round's snapshot counted what was due and overdue on the day it closed.
        for round_ in FollowUpRound.objects.filter(pk__in=rounds, closed_at__isnull=False):
            day = timezone.localdate(round_.closed_at)
            snapshots = list(ActionSnapshot.objects.filter(round=round_))
            for snap in snapshots:
                snap.due = bool(not snap.excluded and snap.due_date and snap.due_date <= day)
                snap.overdue = bool(snap.overdue and snap.due_date and snap.due_date < day)
                snap.days_overdue = (day - snap.due_date).days if snap.overdue else 0  # type: ignore[operator]
            ActionSnapshot.objects.bulk_update(snapshots, ["due", "overdue", "days_overdue"])


@transaction.atomic
def load_demo(today: datetime.date | None = None) -> bool:
    """Load the demo once. Returns False when it is already there."""
    today = today or timezone.localdate()
    who = people()
    if Evaluation.objects.filter(title_en=DEMO_TITLE).exists():
        return False
    ev = who.evaluator
    units = {u.code: u for u in Unit.objects.all()}
    timeline = _Timeline()
    timeline.at(_approval_date(today) - datetime.timedelta(days=70))

    evaluation = services.evaluation_create(
        by=ev,
        title_en=DEMO_TITLE,
        title_fr="Évaluation du Programme d'eau et d'assainissement des hautes terres (2017-2018 à 2022-2023)",
        program="Highland Water Program",
        program_fr="Programme de l'eau des hautes terres",
        period="2017-18 to 2022-23",
        evaluation_type="program",
        evaluation_unit="Evaluation Division",
        approval_date=_approval_date(today),
        report_url="https://example.org/evaluations/highland-water/report",
        summary_url="https://example.org/evaluations/highland-water/summary",
    )
    recs = [
        ("1", "Concentrate support on the operation and maintenance of rural water systems, not only on their construction.",
         "Systems built early in the program were often idle within three years because no one paid for repairs. Future investments should:",
         ["a) fund community water boards' training in tariff setting", "b) set aside maintenance funds in every new project", "c) track functionality, not only coverage"]),
        ("2", "Adopt a single results framework for the program, with indicators that partners report against every year.",
         "Partners reported on different indicators, so results could not be added up across projects.", []),
        ("3", "Make gender equality an explicit objective of sanitation projects.",
         "Women carry most of the burden of unsafe sanitation but were rarely consulted in design.", []),
        ("4", "Strengthen the monitoring capacity of the field team.",
         "Monitoring visits fell by half during the period, and reports arrived late.", []),
        ("5", "Phase out direct delivery of household filters in favour of market-based supply.",
         "Free distribution crowded out local suppliers in two provinces.", []),
    ]  # fmt: skip
    r = {}
    for number, statement, body, points in recs:
        r[number] = services.recommendation_create(
            evaluation=evaluation,
            by=ev,
            number=number,
            statement=statement,
            body=body,
            sub_points=points,
        )

    def respond(
        rec: str, unit: str, agreement: str, commitment: str, rationale: str = ""
    ) -> object:
        return services.response_create(
            recommendation=r[rec], by=ev, unit=units[unit], agreement=agreement,
            commitment=commitment, rationale=rationale,
        )  # fmt: skip

    def act(
        resp: object,
        text: str,
        date: str,
        deliverable: str,
        unit: str | None = None,
        role: str = "",
    ) -> Action:
        return services.action_create(
            response=resp, by=ev, text=text, target_date_text=date, deliverable=deliverable,  # type: ignore[arg-type]
            unit=units[unit] if unit else None, role=role,
        )  # fmt: skip

    past = datetime.date(today.year - 1, 6, 1).strftime("%B %Y")  # overdue by months
    long_past = f"Q3 {today.year - 3}-{str(today.year - 2)[2:]}"  # overdue by years
    soon = _month_text(today, 1)
    later = _month_text(today, 8)

    resp1 = respond(
        "1", "HWP", "agree", "The program agrees and will make maintenance a condition of funding."
    )
    a1 = act(
        resp1,
        "Add a maintenance fund requirement to the program's project design template.",
        long_past,
        "Revised design template",
        role="Program Director",
    )
    a2 = act(
        resp1,
        "Train community water boards in three provinces on tariff setting.",
        past,
        "Training reports and attendance lists",
        unit="QTO-DA",
        role="Head of Development",
    )
    a3 = act(
        resp1,
        "Report system functionality rates in the annual program report.",
        soon,
        "Annual program report with functionality table",
    )
    resp2 = respond(
        "2", "PRS", "agree", "The division will build and maintain the framework with the program."
    )
    a4 = act(
        resp2,
        "Draft a program-level logic model and performance measurement framework.",
        long_past,
        "Approved logic model and PMF",
    )
    a5 = act(
        resp2,
        "Require partners to report on the common indicators in new agreements.",
        _fiscal_text(today, 0),
        "Standard reporting clause in agreements",
    )
    resp2b = respond(
        "2", "HWP", "agree", "The program will align existing projects with the new framework."
    )
    a6 = act(
        resp2b, "Amend active agreements to add the common indicators.", later, "Signed amendments"
    )
    resp3 = respond(
        "3",
        "WSB",
        "partially_agree",
        "The bureau will integrate gender analysis in sanitation design.",
        rationale="A stand-alone gender objective in every project would duplicate the "
        "departmental gender policy; the bureau will instead require a gender analysis.",
    )
    a7 = act(
        resp3,
        "Require a gender analysis for every new sanitation project.",
        past,
        "Gender analyses on file for new projects",
    )
    a8 = act(
        resp3,
        "Hold consultations with women's organisations before project design.",
        "Ongoing",
        "Consultation records",
    )
    resp4 = respond("4", "QTO-DA", "agree", "The mission will restore its monitoring schedule.")
    a9 = act(
        resp4,
        "Recruit a locally engaged monitoring officer.",
        long_past,
        "Staffing action completed",
    )
    a10 = act(
        resp4, "Adopt a quarterly monitoring visit plan.", past, "Visit plan and visit reports"
    )
    resp5 = respond(
        "5",
        "HWP",
        "disagree",
        "The program will keep direct delivery in remote areas.",
        rationale="In the most remote districts there is no market to supply filters; "
        "direct delivery will continue there while market supply is tested elsewhere.",
    )
    a11 = act(
        resp5,
        "Test market-based filter supply in two districts with active suppliers.",
        later,
        "Pilot assessment report",
    )
    a12 = act(
        resp5,
        "Publish the criteria that decide where direct delivery continues.",
        soon,
        "Published criteria",
    )

    actions = {
        "a1": a1, "a2": a2, "a3": a3, "a4": a4, "a5": a5, "a6": a6,
        "a7": a7, "a9": a9, "a10": a10, "a11": a11, "a12": a12,
    }  # fmt: skip
    del a8  # not started: it stays as the plan wrote it
    _follow_up(who, evaluation, r, actions, timeline, today)
    timeline.apply()
    _results_strategy(who, today)
    _publish_in_french_and_english(who)
    return True


def _follow_up(
    who: DemoPeople,
    evaluation: Evaluation,
    r: dict[str, Recommendation],
    a: dict[str, Action],
    timeline: _Timeline,
    today: datetime.date,
) -> None:
    """Approval, three years of follow-up and two rounds, in the order they happened: a
    closed round freezes what stood when it closed, so the story is told in time."""
    from uptake.reporting import services as reporting

    ev, f, at = who.evaluator, who.focal, timeline.at
    approved_on = _approval_date(today)
    # The end of a fiscal quarter three years back, and the end of June last year.
    long_due = a["a9"].original_due_date or datetime.date(today.year - 3, 12, 31)
    past_due = a["a10"].original_due_date or datetime.date(today.year - 1, 6, 30)
    spring_closed = today - datetime.timedelta(days=182)

    at(approved_on - datetime.timedelta(days=10))
    services.evaluation_submit_for_approval(evaluation=evaluation, by=ev)
    at(approved_on + datetime.timedelta(days=28))
    services.evaluation_approve_response(
        evaluation=evaluation,
        by=who.committee,
        comment="Approved at the committee's spring meeting.",
    )

    # Recommendation 4: both actions done ahead of their dates, validated, then closed.
    evidence = [followup.EvidenceLink("https://example.org/evidence/monitoring", "Monitoring file")]
    for action, due in ((a["a9"], long_due), (a["a10"], past_due)):
        at(due - datetime.timedelta(days=75))
        upd = followup.update_submit(
            action=action,
            by=f["QTO-DA"],
            status="completed",
            narrative="Done; the evidence is attached.",
            links=evidence,
        )
        at(due - datetime.timedelta(days=63))
        followup.update_validate(update=upd, by=ev)
    # Recommendation 1: the template, done four months after its date.
    at(long_due + datetime.timedelta(days=130))
    upd = followup.update_submit(
        action=a["a1"],
        by=f["HWP"],
        status="completed",
        narrative="The template now requires a costed maintenance plan.",
    )
    at(long_due + datetime.timedelta(days=144))
    followup.update_validate(update=upd, by=ev, comment="Template checked.")
    at(past_due - datetime.timedelta(days=56))
    services.recommendation_close(recommendation=r["4"], by=ev, reason=ClosureReason.IMPLEMENTED)

    # The spring round, closed about six months ago: three answers, one claim returned.
    at(spring_closed - datetime.timedelta(days=30))
    spring = reporting.round_open(
        by=ev,
        name="Spring round",
        period=_month_text(spring_closed, -1),
        deadline=timezone.localdate(),
    )
    at(spring_closed - datetime.timedelta(days=27))
    survey = followup.update_submit(
        action=a["a3"],
        by=f["HWP"],
        status="in_progress",
        narrative="Functionality survey under way in all districts.",
    )
    at(spring_closed - datetime.timedelta(days=24))
    guidance = followup.update_submit(
        action=a["a7"],
        by=f["WSB"],
        status="in_progress",
        narrative="Drafting of the gender analysis guidance has started.",
    )
    at(spring_closed - datetime.timedelta(days=21))
    claim = followup.update_submit(
        action=a["a2"],
        by=f["QTO-DA"],
        status="completed",
        narrative="Two provinces trained; the third was postponed.",
    )
    # Revised dates are asked "now", and a date already passed is refused: count from the
    # later of the demo's day and the real one.
    asked = max(today, timezone.localdate())
    at(spring_closed - datetime.timedelta(days=18))
    model = followup.update_submit(
        action=a["a4"],
        by=f["PRS"],
        status="in_progress",
        narrative="The logic model is drafted; indicators need partner review.",
        revised_date_text=_month_text(asked, 3),
        revised_date_justification="Partners asked for a second consultation round.",
    )
    at(spring_closed - datetime.timedelta(days=15))
    followup.update_return(
        update=claim,
        by=ev,
        comment="Only two of the three provinces are done: report it as in progress.",
    )
    at(spring_closed - datetime.timedelta(days=13))
    followup.update_validate(update=survey, by=ev)
    followup.update_validate(update=guidance, by=ev)
    at(spring_closed - datetime.timedelta(days=10))
    followup.revision_approve(
        revision=DateRevision.objects.get(update=model),
        by=who.committee,
        comment="Reasonable: partner buy-in matters more than speed.",
    )
    at(spring_closed - datetime.timedelta(days=8))
    followup.update_validate(update=model, by=ev)
    at(spring_closed)
    reporting.round_close(round_=spring, by=ev)
    timeline.deadlines[spring.pk] = spring_closed - datetime.timedelta(days=7)

    # Recommendation 5: the criteria published early, the pilot superseded, and the
    # recommendation closed by decision.
    at(today - datetime.timedelta(days=100))
    upd = followup.update_submit(
        action=a["a12"],
        by=f["HWP"],
        status="completed",
        narrative="Criteria published on the program page.",
    )
    at(today - datetime.timedelta(days=93))
    followup.update_validate(update=upd, by=ev)
    at(today - datetime.timedelta(days=60))
    services.action_withdraw(
        action=a["a11"],
        by=ev,
        status="superseded",
        reason="Replaced by the bureau-wide market systems study.",
    )
    at(today - datetime.timedelta(days=55))
    services.recommendation_close(
        recommendation=r["5"],
        by=who.committee,
        reason=ClosureReason.SUPERSEDED,
        note="Superseded by the bureau-wide market systems study.",
    )
    # Recommendation 2: one action overtaken by events.
    at(today - datetime.timedelta(days=40))
    services.action_withdraw(
        action=a["a6"],
        by=ev,
        status="cancelled",
        reason="The agreements ended before they could be amended.",
    )

    # The current round, open three weeks: half the actions answered so far.
    at(today - datetime.timedelta(days=21))
    reporting.round_open(
        by=ev,
        name="Fall round",
        period=_month_text(today, 0),
        deadline=max(today, timezone.localdate()) + datetime.timedelta(days=9),
    )
    at(today - datetime.timedelta(days=16))
    followup.update_submit(
        action=a["a5"],
        by=f["PRS"],
        status="completed",
        narrative="The clause is in the standard agreement template since April.",
        links=[followup.EvidenceLink("https://example.org/evidence/clause", "Standard clause")],
    )
    # Recommendation 3: a revised date awaiting the committee's decision.
    at(today - datetime.timedelta(days=9))
    followup.update_submit(
        action=a["a7"],
        by=f["WSB"],
        status="in_progress",
        narrative="Guidance drafted; two projects have completed analyses.",
        revised_date_text=_month_text(asked, 5),
        revised_date_justification="The guidance waits for the new departmental policy.",
    )
    at(today - datetime.timedelta(days=4))
    followup.update_submit(
        action=a["a3"],
        by=f["HWP"],
        status="completed",
        narrative="The annual report now carries the functionality table.",
    )
    at(today - datetime.timedelta(days=50))
    _second_evaluation(who)
    at(today - datetime.timedelta(days=35))
    _third_evaluation(who, today, timeline)


def _second_evaluation(who: DemoPeople) -> None:
    """A response still being drafted, with gaps the quality check will name."""
    ev = who.evaluator
    units = {u.code: u for u in Unit.objects.all()}
    evaluation = services.evaluation_create(
        by=ev,
        title_en="Evaluation of Technical Assistance to Municipal Utilities (2019-20 to 2023-24)",
        title_fr="Évaluation de l'assistance technique aux services publics municipaux (2019-2020 à 2023-2024)",
        program="Water and Sanitation Bureau",
        program_fr="Direction de l'eau et de l'assainissement",
        period="2019-20 to 2023-24",
        evaluation_type="thematic",
        evaluation_unit="Evaluation Division",
    )
    rec1 = services.recommendation_create(
        evaluation=evaluation, by=ev, number="1",
        statement="Link technical assistance to utilities' own performance improvement plans.",
    )  # fmt: skip
    services.recommendation_create(
        evaluation=evaluation, by=ev, number="2",
        statement="Share lessons between utilities through a peer network.",
    )  # fmt: skip
    resp = services.response_create(
        recommendation=rec1, by=ev, unit=units["WSB"], agreement="partially_agree",
        commitment="The bureau will align new assistance with utility plans.",
        rationale="Some utilities have no plan yet; assistance will help them write one first.",
    )  # fmt: skip
    services.action_create(
        response=resp, by=ev, text="Map each utility's improvement plan against current assistance.",
        target_date_text="after the next planning cycle", deliverable="",
    )  # fmt: skip


def _third_evaluation(who: DemoPeople, today: datetime.date, timeline: _Timeline) -> None:
    """A complete response waiting for the committee's approval."""
    ev = who.evaluator
    units = {u.code: u for u in Unit.objects.all()}
    evaluation = services.evaluation_create(
        by=ev,
        title_en="Evaluation of the Water Governance Fund (2018-19 to 2022-23)",
        title_fr="Évaluation du Fonds pour la gouvernance de l'eau (2018-2019 à 2022-2023)",
        program="Global Partnerships Branch",
        program_fr="Direction générale des partenariats mondiaux",
        period="2018-19 to 2022-23",
        evaluation_type="program",
        evaluation_unit="Evaluation Division",
    )
    rec = services.recommendation_create(
        evaluation=evaluation, by=ev, number="1",
        statement="Publish the fund's selection criteria and decisions.",
        body="Applicants could not tell why proposals were accepted or declined.",
    )  # fmt: skip
    resp = services.response_create(
        recommendation=rec, by=ev, unit=units["GPB"], agreement="agree",
        commitment="The branch will publish criteria and a yearly list of decisions.",
    )  # fmt: skip
    services.action_create(
        response=resp, by=ev, text="Publish the selection criteria on the fund's page.",
        target_date_text=f"Q4 {_fiscal_text(today, 0)}", deliverable="Web page with criteria",
        role="Director General",
    )  # fmt: skip
    timeline.at(today - datetime.timedelta(days=6))
    services.evaluation_submit_for_approval(evaluation=evaluation, by=ev)


def _results_strategy(who: DemoPeople, today: datetime.date) -> None:
    """A country strategy with its logic model and PMF, linked to this evaluation's actions."""
    from uptake.results.demo import load_strategy_demo

    load_strategy_demo(
        evaluator=who.evaluator,
        committee=who.committee,
        reporter=who.focal["HWP"],
        evaluation_title=DEMO_TITLE,
        today=today,
    )


# French versions of the main evaluation's content, keyed by the English text.
DEMO_FRENCH = {
    # Recommendations: statements and bodies.
    "Concentrate support on the operation and maintenance of rural water systems, not only on their construction.":
        "Axer le soutien sur l'exploitation et l'entretien des réseaux d'eau ruraux, et pas seulement sur leur construction.",
    "Systems built early in the program were often idle within three years because no one paid for repairs. Future investments should:":
        "Les réseaux construits au début du programme étaient souvent à l'arrêt en moins de trois ans, faute de financement des réparations. Les investissements futurs devraient :",
    "Adopt a single results framework for the program, with indicators that partners report against every year.":
        "Adopter un cadre de résultats unique pour le programme, avec des indicateurs sur lesquels les partenaires rendent compte chaque année.",
    "Partners reported on different indicators, so results could not be added up across projects.":
        "Les partenaires rendaient compte d'indicateurs différents, de sorte que les résultats ne pouvaient pas être additionnés d'un projet à l'autre.",
    "Make gender equality an explicit objective of sanitation projects.":
        "Faire de l'égalité des genres un objectif explicite des projets d'assainissement.",
    "Women carry most of the burden of unsafe sanitation but were rarely consulted in design.":
        "Les femmes portent l'essentiel du fardeau d'un assainissement déficient, mais elles ont rarement été consultées lors de la conception.",
    "Strengthen the monitoring capacity of the field team.":
        "Renforcer la capacité de suivi de l'équipe sur le terrain.",
    "Monitoring visits fell by half during the period, and reports arrived late.":
        "Les visites de suivi ont diminué de moitié pendant la période, et les rapports arrivaient en retard.",
    "Phase out direct delivery of household filters in favour of market-based supply.":
        "Abandonner progressivement la distribution directe de filtres domestiques au profit d'un approvisionnement par le marché.",
    "Free distribution crowded out local suppliers in two provinces.":
        "La distribution gratuite a évincé les fournisseurs locaux dans deux provinces.",
    # Sub-points.
    "fund community water boards' training in tariff setting": "financer la formation des comités de l'eau à la fixation des tarifs",
    "set aside maintenance funds in every new project": "réserver des fonds d'entretien dans chaque nouveau projet",
    "track functionality, not only coverage": "suivre le fonctionnement des réseaux, et pas seulement la couverture",
    # Commitments and rationales.
    "The program agrees and will make maintenance a condition of funding.":
        "Le programme est d'accord et fera de l'entretien une condition du financement.",
    "The division will build and maintain the framework with the program.":
        "La direction élaborera et tiendra à jour le cadre avec le programme.",
    "The program will align existing projects with the new framework.":
        "Le programme harmonisera les projets en cours avec le nouveau cadre.",
    "The bureau will integrate gender analysis in sanitation design.":
        "Le bureau intégrera l'analyse comparative entre les genres dans la conception des projets d'assainissement.",
    "A stand-alone gender objective in every project would duplicate the departmental gender policy; the bureau will instead require a gender analysis.":
        "Un objectif distinct d'égalité des genres dans chaque projet ferait double emploi avec la politique ministérielle ; le bureau exigera plutôt une analyse comparative entre les genres.",
    "The mission will restore its monitoring schedule.": "La mission rétablira son calendrier de suivi.",
    "The program will keep direct delivery in remote areas.":
        "Le programme maintiendra la distribution directe dans les régions éloignées.",
    "In the most remote districts there is no market to supply filters; direct delivery will continue there while market supply is tested elsewhere.":
        "Dans les districts les plus éloignés, aucun marché ne peut fournir de filtres ; la distribution directe s'y poursuivra pendant que l'approvisionnement par le marché est mis à l'essai ailleurs.",
    # Actions, deliverables and roles.
    "Add a maintenance fund requirement to the program's project design template.":
        "Ajouter l'exigence d'un fonds d'entretien au modèle de conception de projet du programme.",
    "Revised design template": "Modèle de conception révisé",
    "Program Director": "Directeur du programme",
    "Train community water boards in three provinces on tariff setting.":
        "Former les comités de l'eau de trois provinces à la fixation des tarifs.",
    "Training reports and attendance lists": "Rapports de formation et listes de présence",
    "Head of Development": "Chef de la coopération au développement",
    "Report system functionality rates in the annual program report.":
        "Présenter les taux de fonctionnement des réseaux dans le rapport annuel du programme.",
    "Annual program report with functionality table": "Rapport annuel du programme avec tableau du fonctionnement",
    "Draft a program-level logic model and performance measurement framework.":
        "Rédiger un modèle logique et un cadre de mesure du rendement pour l'ensemble du programme.",
    "Approved logic model and PMF": "Modèle logique et CMR approuvés",
    "Require partners to report on the common indicators in new agreements.":
        "Exiger dans les nouvelles ententes que les partenaires rendent compte des indicateurs communs.",
    "Standard reporting clause in agreements": "Clause type de rapport dans les ententes",
    "Amend active agreements to add the common indicators.":
        "Modifier les ententes en vigueur pour y ajouter les indicateurs communs.",
    "Signed amendments": "Modifications signées",
    "Require a gender analysis for every new sanitation project.":
        "Exiger une analyse comparative entre les genres pour chaque nouveau projet d'assainissement.",
    "Gender analyses on file for new projects": "Analyses comparatives versées au dossier des nouveaux projets",
    "Hold consultations with women's organisations before project design.":
        "Consulter les organisations de femmes avant la conception des projets.",
    "Consultation records": "Comptes rendus des consultations",
    "Recruit a locally engaged monitoring officer.": "Recruter un agent de suivi recruté sur place.",
    "Staffing action completed": "Dotation terminée",
    "Adopt a quarterly monitoring visit plan.": "Adopter un plan trimestriel de visites de suivi.",
    "Visit plan and visit reports": "Plan de visites et rapports de visite",
    "Test market-based filter supply in two districts with active suppliers.":
        "Mettre à l'essai l'approvisionnement en filtres par le marché dans deux districts où des fournisseurs sont actifs.",
    "Pilot assessment report": "Rapport d'évaluation du projet pilote",
    "Publish the criteria that decide where direct delivery continues.":
        "Publier les critères qui déterminent où la distribution directe se poursuit.",
    "Published criteria": "Critères publiés",
}  # fmt: skip


def _publish_in_french_and_english(who: DemoPeople) -> None:
    """The main evaluation, translated into French after approval, then published in both
    languages with each action's status as of today."""
    from uptake.publishing.services import publication_publish

    ev = who.evaluator
    evaluation = Evaluation.objects.get(title_en=DEMO_TITLE)
    fr = DEMO_FRENCH.get
    for rec in Recommendation.objects.filter(evaluation=evaluation):
        services.translation_update(
            obj=rec, by=ev, statement_fr=fr(rec.statement, ""), body_fr=fr(rec.body, "")
        )
    for point in SubPoint.objects.filter(recommendation__evaluation=evaluation):
        services.translation_update(obj=point, by=ev, text_fr=fr(point.text, ""))
    for response in Response.objects.filter(recommendation__evaluation=evaluation):
        services.translation_update(
            obj=response,
            by=ev,
            commitment_fr=fr(response.commitment, ""),
            rationale_fr=fr(response.rationale, ""),
        )
    for action in Action.objects.filter(response__recommendation__evaluation=evaluation):
        services.translation_update(
            obj=action,
            by=ev,
            text_fr=fr(action.text, ""),
            deliverable_fr=fr(action.deliverable, ""),
            role_fr=fr(action.role, ""),
        )
    publication_publish(evaluation=evaluation, by=ev, languages=["en", "fr"], show_status=True)
