"""Synthetic data at government scale, written fast with bulk inserts (`uptake generate`).

For benchmarks and load tests: N evaluations spread over 2012 to today in every state, about
6 recommendations each, one or two responding units per recommendation, about 3 actions per
recommendation and about 5.5 progress updates per action, with revised dates, evidence links,
a hierarchy of ~150 units, ~300 focal points and one closed and one open follow-up round.

Why it bypasses the services: they write one row at a time with its history entry, which
would take hours for a million updates. Instead every row is built coherent by construction
(the states, statuses, review states and timestamps follow the rules the services enforce)
and inserted with `bulk_create`. No history rows are written: `bulk_create_with_history`
would double the rows and the time, and a benchmark measures the pages, not the audit trail
of invented data. The primary keys come back from the database (RETURNING, on PostgreSQL and
SQLite 3.35+), so sequences stay right and the app creates new rows afterwards as usual.

Memory stays bounded: evaluations are generated and inserted a few dozen at a time, each with
its own random generator seeded from (seed, its index), so the same seed gives the same data
whatever the batch size. The wording is invented, built by combining short fragments.
"""

from __future__ import annotations

import calendar
import datetime
import random
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, fields
from typing import Any, Protocol, cast

from django.contrib.auth.hashers import make_password
from django.db import connection, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from uptake.accounts.models import Role, Unit, UnitKind, User
from uptake.core.database import refresh_planner_statistics
from uptake.core.models import SearchableModel
from uptake.errors import ServiceError
from uptake.followup.models import DateRevision, Evidence, ProgressUpdate, ReviewState
from uptake.followup.models import RevisionDecision as Decision

from .models import (
    CLOSED_ACTION_STATUSES,
    Action,
    ActionStatus,
    Agreement,
    ClosureReason,
    Evaluation,
    EvaluationState,
    EvaluationType,
    Recommendation,
    RecommendationStatus,
    Response,
    SubPoint,
    TargetKind,
)
from .services import recommendation_sort_key

DEFAULT_PASSWORD = "synthetic"  # noqa: S105 -- invented people on a benchmark database
DEFAULT_SEED = 1
DEFAULT_BATCH_SIZE = 5000
FIRST_DAY = datetime.date(2012, 1, 15)

REFUSE_NON_EMPTY = (
    "The database already holds %(count)d evaluation(s); generated data would be mixed with "
    "them. Use an empty database (run migrate on a new one), or pass --add to add to it anyway."
)


class _Writer(Protocol):
    def write(self, msg: str) -> Any: ...


@dataclass
class GeneratedCounts:
    """What one run created, and who to sign in as to look at it."""

    units: int = 0
    users: int = 0
    evaluations: int = 0
    recommendations: int = 0
    sub_points: int = 0
    responses: int = 0
    actions: int = 0
    updates: int = 0
    evidence: int = 0
    date_revisions: int = 0
    rounds: int = 0
    snapshots: int = 0
    focal_point_username: str = ""
    evaluator_username: str = ""
    seconds: float = 0.0

    def rows(self) -> list[tuple[str, int]]:
        return [
            (f.name, getattr(self, f.name))
            for f in fields(self)
            if f.type in (int, "int")  # annotations are strings under `from __future__`
        ]


# Units and people ---------------------------------------------------------------------------

# Ten branches: (code, English name, French name, bureaus). Geographic branches get missions.
BRANCHES: list[tuple[str, str, str, list[str]]] = [
    ("GHN", "Global Health and Nutrition Branch", "Direction générale de la santé et de la nutrition", ["Maternal Health", "Nutrition", "Infectious Disease", "Health Systems"]),
    ("IGB", "Inclusive Growth Branch", "Direction générale de la croissance inclusive", ["Financial Inclusion", "Small Enterprise", "Trade Facilitation"]),
    ("CEB", "Climate and Environment Branch", "Direction générale du climat et de l'environnement", ["Climate Adaptation", "Clean Energy", "Forests and Oceans", "Water Resources"]),
    ("ESB", "Education and Skills Branch", "Direction générale de l'éducation et des compétences", ["Basic Education", "Vocational Skills", "Higher Learning"]),
    ("GRB", "Governance and Rights Branch", "Direction générale de la gouvernance et des droits", ["Public Finance", "Justice Reform", "Democratic Institutions", "Human Rights"]),
    ("HOB", "Humanitarian Operations Branch", "Direction générale des opérations humanitaires", ["Emergency Response", "Refugee Protection", "Disaster Preparedness"]),
    ("AMB", "Americas Branch", "Direction générale des Amériques", ["Andean Region", "Central America", "Caribbean"]),
    ("AFB", "Africa Branch", "Direction générale de l'Afrique", ["West Africa", "East Africa", "Southern Africa", "Sahel"]),
    ("APB", "Asia-Pacific Branch", "Direction générale de l'Asie-Pacifique", ["South Asia", "Southeast Asia", "Pacific Islands"]),
    ("SPB", "Strategic Policy Branch", "Direction générale de la politique stratégique", ["Results and Evaluation", "Policy Coherence", "Partnership Policy", "Digital Services"]),
]  # fmt: skip
DIVISION_SUFFIXES = ["Programming", "Policy", "Operations", "Partnerships", "Results"]
MISSION_CITIES = {
    "AMB": ["Lima", "Bogota", "La Paz", "Tegucigalpa", "Guatemala City", "Port-au-Prince", "Kingston", "Managua", "Quito", "Asuncion"],
    "AFB": ["Dakar", "Accra", "Nairobi", "Addis Ababa", "Maputo", "Lusaka", "Bamako", "Niamey", "Kigali", "Dar es Salaam"],
    "APB": ["Dhaka", "Kathmandu", "Hanoi", "Manila", "Jakarta", "Phnom Penh", "Islamabad", "Colombo", "Suva", "Yangon"],
}  # fmt: skip
FIRST_NAMES = ["Amina", "Bruno", "Chantal", "Dev", "Elif", "Farid", "Grace", "Hugo", "Ines", "Jonas", "Kofi", "Lena", "Marc", "Nadia", "Omar", "Priya", "Quentin", "Rosa", "Samuel", "Tala", "Ugo", "Vera", "Wen", "Yara", "Zoé"]  # fmt: skip
LAST_NAMES = ["Abebe", "Bouchard", "Castillo", "Diallo", "Eriksen", "Fortin", "Gagnon", "Haddad", "Ibrahim", "Joshi", "Kowalski", "Lavoie", "Mensah", "Nguyen", "Okoye", "Pelletier", "Quispe", "Roy", "Singh", "Tremblay", "Umar", "Vasquez", "Wong", "Yilmaz", "Zhou"]  # fmt: skip

EVALUATORS = 6
COMMITTEE = 4
FOCAL_POINTS_PER_UNIT = 2


def _acronym(name: str) -> str:
    skip = {"and", "of", "the", "in", "de", "la"}
    return "".join(w[0] for w in name.replace("-", " ").split() if w.lower() not in skip).upper()


def _unit_specs() -> list[tuple[str, str, str, str, str | None]]:
    """The fixed hierarchy (code, English, French, kind, parent code): ~150 units."""
    specs: list[tuple[str, str, str, str, str | None]] = []
    taken: set[str] = set()

    def add(code: str, en: str, fr: str, kind: str, parent: str | None) -> str:
        unique, n = code, 2
        while unique.lower() in taken:
            unique, n = f"{code}{n}", n + 1
        taken.add(unique.lower())
        specs.append((unique, en, fr, kind, parent))
        return unique

    structure = random.Random("units")  # noqa: S311 -- reproducible, not secret  # the same hierarchy whatever the seed
    for code, en, fr, bureaus in BRANCHES:
        branch = add(code, en, fr, UnitKind.BRANCH, None)
        bureau_codes = []
        for topic in bureaus:
            bureau = add(_acronym(topic) + "B", f"{topic} Bureau", "", UnitKind.BUREAU, branch)
            bureau_codes.append(bureau)
            for suffix in structure.sample(DIVISION_SUFFIXES, structure.randint(1, 3)):
                name = f"{topic} {suffix} Division"
                add(_acronym(name), name, "", UnitKind.DIVISION, bureau)
        for city in MISSION_CITIES.get(code, []):
            add(
                city.replace(" ", "")[:3].upper() + "-DA",
                f"Development Section, Embassy in {city}",
                f"Section du développement, ambassade à {city}",
                UnitKind.MISSION,
                structure.choice(bureau_codes),
            )
    return specs


@dataclass
class People:
    units: list[Unit]
    branches: list[Unit]
    subtree: dict[int, list[Unit]]  # branch pk -> its units below it
    children: dict[int, list[Unit]]
    focal: dict[int, list[int]]  # unit pk -> focal point pks
    evaluators: list[int]
    committee: list[int]
    created_users: int


def _ensure_units() -> tuple[list[Unit], int]:
    by_code: dict[str, Unit] = {u.code.lower(): u for u in Unit.objects.all()}
    created = 0
    specs = _unit_specs()
    for code, en, fr, kind, parent in specs:
        if code.lower() in by_code:
            continue
        unit = Unit(
            code=code, name_en=en, name_fr=fr, kind=kind, parent=by_code.get((parent or "").lower())
        )
        # One at a time because each parent's key is needed by its children; 150 rows.
        Unit.objects.bulk_create([unit])
        by_code[code.lower()] = unit
        created += 1
    return [by_code[spec[0].lower()] for spec in specs], created


def _ensure_people(units: list[Unit], password: str) -> People:
    hashed = make_password(password)  # once: hashing is deliberately slow
    names = random.Random("people")  # noqa: S311 -- reproducible, not secret
    wanted: list[tuple[User, list[Unit]]] = []

    def person(username: str, role: str, unit_list: list[Unit]) -> None:
        user = User(
            username=username,
            password=hashed,
            role=role,
            first_name=names.choice(FIRST_NAMES),
            last_name=names.choice(LAST_NAMES),
            email=f"{username}@example.org",
        )
        wanted.append((user, unit_list))

    for i in range(1, EVALUATORS + 1):
        person(f"eval-{i:02d}", Role.EVALUATION_UNIT, [])
    for i in range(1, COMMITTEE + 1):
        person(f"committee-{i:02d}", Role.COMMITTEE, [])
    person("viewer-01", Role.VIEWER, [])
    for unit in units:
        for i in range(1, FOCAL_POINTS_PER_UNIT + 1):
            person(f"fp-{unit.code.lower()}-{i}", Role.FOCAL_POINT, [unit])
    present = set(User.objects.values_list("username", flat=True))
    new = [(u, us) for u, us in wanted if u.username not in present]
    User.objects.bulk_create([u for u, _us in new], batch_size=1000)
    Through = User.units.through
    Through.objects.bulk_create(
        [Through(user_id=u.pk, unit_id=unit.pk) for u, us in new for unit in us], batch_size=1000
    )
    pks = dict(
        User.objects.filter(username__in=[u.username for u, _us in wanted]).values_list(
            "username", "pk"
        )
    )
    focal: dict[int, list[int]] = {}
    for user, unit_list in wanted:
        for unit in unit_list:
            focal.setdefault(unit.pk, []).append(pks[user.username])
    by_pk = {u.pk: u for u in units}
    children: dict[int, list[Unit]] = {}
    subtree: dict[int, list[Unit]] = {}
    for unit in units:
        if unit.parent_id in by_pk:
            children.setdefault(unit.parent_id, []).append(unit)
        top = unit
        while top.parent_id in by_pk:
            top = by_pk[top.parent_id]
        if top is not unit:
            subtree.setdefault(top.pk, []).append(unit)
    return People(
        units=units,
        branches=[u for u in units if u.parent_id is None],
        subtree=subtree,
        children=children,
        focal=focal,
        evaluators=[pks[f"eval-{i:02d}"] for i in range(1, EVALUATORS + 1)],
        committee=[pks[f"committee-{i:02d}"] for i in range(1, COMMITTEE + 1)],
        created_users=len(new),
    )


# Wording: fragments combined --------------------------------------------------------------

SECTORS = ["Maternal Health", "Rural Water", "Basic Education", "Climate Adaptation", "Food Security", "Financial Inclusion", "Vocational Training", "Public Financial Management", "Humanitarian Logistics", "Renewable Energy", "Small Business Growth", "Justice Sector Reform", "Child Nutrition", "Land Tenure", "Disaster Preparedness", "Youth Employment", "Digital Government", "Women's Economic Empowerment", "Refugee Protection", "Forest Stewardship"]  # fmt: skip
QUALIFIERS = ["Regional", "National", "Coastal", "Highland", "Urban", "Cross-Border", "Community", "Northern", "Southern", "Inclusive"]  # fmt: skip
VEHICLES = ["Program", "Initiative", "Fund", "Partnership", "Facility", "Project Portfolio"]
COUNTRIES = ["Peru", "Bolivia", "Honduras", "Haiti", "Senegal", "Ghana", "Mali", "Ethiopia", "Mozambique", "Tanzania", "Bangladesh", "Vietnam", "Nepal", "Indonesia", "Philippines", "Jordan", "Ukraine", "Colombia"]  # fmt: skip

REC_VERBS = ["Strengthen", "Clarify", "Develop", "Update", "Establish", "Review", "Integrate", "Streamline", "Expand", "Formalise", "Simplify", "Prioritise"]  # fmt: skip
REC_OBJECTS = ["the monitoring of partner results", "the roles of headquarters and field staff", "a risk management approach for the portfolio", "the program's theory of change", "guidance on gender-responsive design", "the collection of data on people reached", "coordination with other donors", "the sustainability plans of funded projects", "its approach to local procurement", "the sharing of lessons across missions", "the selection criteria for new partners", "its reporting on environmental safeguards", "the use of evaluation findings in planning", "support to local civil society organisations", "the exit strategies of multi-year projects"]  # fmt: skip
REC_TAILS = ["", " to support decision making", " before the next funding cycle", " in fragile contexts", " with partner governments", " across all regions", " within existing resources"]  # fmt: skip
FINDINGS = ["Results were reported against different indicators from one year to the next", "Field staff were unsure which decisions belonged to headquarters", "Several projects ended without a plan to keep services running", "Partners received late feedback on their annual reports", "Women and young people were rarely consulted during design", "Monitoring visits were cancelled when budgets tightened", "Data on people reached could not be broken down by sex or age", "Lessons from completed projects seldom informed new ones", "Procurement rules added months to small purchases", "Coordination meetings with other donors were irregular"]  # fmt: skip
BRIDGES = ["The evaluation team heard this from most partners it interviewed.", "The pattern held across all regions visited.", "Documents reviewed confirm it for most of the period.", "This limited what the program could learn from its own results."]  # fmt: skip
SUB_POINTS = ["clear responsibilities for each step", "a realistic timeline with milestones", "resources set aside in the budget", "regular reporting to senior management", "consultation with affected communities", "indicators broken down by sex and age", "a review after the first year"]  # fmt: skip

COMMIT_OPENINGS: dict[str, list[str]] = {
    Agreement.AGREES: ["The %(unit)s agrees with this recommendation and will", "The %(unit)s agrees and will", "Management agrees; the %(unit)s will"],
    Agreement.AGREES_IN_PART: ["The %(unit)s agrees in part and will", "The %(unit)s partially agrees; it will"],
    Agreement.DISAGREES: ["The %(unit)s does not agree, but will still", "While it disagrees, the %(unit)s will"],
}  # fmt: skip
COMMIT_BODIES = ["build on existing tools rather than create new ones", "adjust its procedures within the current planning cycle", "work with partners to agree on a shared approach", "assign a lead for each step and report on progress twice a year", "test the approach in two countries before extending it"]  # fmt: skip
RATIONALES = ["Part of what is recommended is already required by departmental policy.", "The resources needed exceed what the program can reallocate in the period.", "The context has changed since the evaluation was conducted.", "A different unit is better placed to lead part of this work."]  # fmt: skip
ACTION_VERBS = ["Prepare", "Adopt", "Publish", "Deliver", "Revise", "Launch", "Complete", "Carry out", "Roll out", "Set up"]  # fmt: skip
ACTION_OBJECTS = [("a costed plan for monitoring visits", "Approved monitoring plan"), ("guidance for staff on partner selection", "Guidance note on the intranet"), ("training for field staff on results reporting", "Training records and attendance lists"), ("a standard results framework template", "Template in use in new agreements"), ("a review of active agreements", "Review report with recommendations"), ("a community consultation protocol", "Signed protocol and consultation records"), ("a dashboard of project results", "Dashboard shared with senior management"), ("an exit strategy for each multi-year project", "Exit strategies on file"), ("a lessons-learned session with partners", "Session report"), ("revised procurement thresholds", "Updated procurement directive")]  # fmt: skip
ACTION_TAILS = ["", " for all new projects", " in every mission concerned", " with the regional partners", " before the mid-term review"]  # fmt: skip
ROLES = ["", "", "Director General", "Program Director", "Head of Cooperation", "Deputy Director", "Senior Program Manager"]  # fmt: skip
NOT_STARTED_NOTES = ["Work has not begun; the team is identifying resources.", "Scheduled to start once the new fiscal year's budget is confirmed.", "Planning has not started because of competing priorities."]  # fmt: skip
PROGRESS_NOTES = ["A first draft is with the management team for comment.", "Consultations with partners are under way in most countries.", "Half of the planned sessions have been delivered.", "The working group met twice and agreed on a workplan.", "Data collection is complete; analysis is under way.", "The approach is being tested in two pilot projects."]  # fmt: skip
NEXT_STEPS = ["Next step: approval by the director.", "Next step: share the draft with missions.", "Remaining work is planned for next quarter.", "", ""]  # fmt: skip
DONE_NOTES = ["The work is finished and the deliverable is attached.", "Completed as planned; the final version was approved.", "All planned steps are done; see the evidence provided.", "Completed, with minor changes to the original scope."]  # fmt: skip
RETURN_COMMENTS = ["The evidence does not show the deliverable: attach the final version.", "Only part of the work is described; report the remaining steps as in progress.", "Please explain how the action answers the recommendation."]  # fmt: skip
JUSTIFICATIONS = ["Partners asked for more time to consult their own networks.", "Staffing changes delayed the work by several months.", "The work now depends on a departmental policy still under review.", "Security conditions prevented field visits."]  # fmt: skip
DECISION_NOTES: dict[str, str] = {
    ClosureReason.PARTLY_IMPLEMENTED: "The remaining steps no longer justify a separate action.",
    ClosureReason.NO_LONGER_APPLICABLE: "The program ended before the action could be completed.",
    ClosureReason.SUPERSEDED: "Replaced by commitments in a later evaluation.",
    ClosureReason.NOT_ACCEPTED: "Management did not accept this recommendation.",
}


# Dates ---------------------------------------------------------------------------------------


def _month_end(year: int, month: int) -> datetime.date:
    return datetime.date(year, month, calendar.monthrange(year, month)[1])


def _add_months(day: datetime.date, months: int) -> datetime.date:
    index = day.year * 12 + day.month - 1 + months
    return _month_end(index // 12, index % 12 + 1)


def _fiscal(start_year: int) -> str:
    return f"{start_year}-{str(start_year + 1)[2:]}"


def _target(rng: random.Random, around: datetime.date) -> tuple[str, str, datetime.date | None]:
    """A target date written as plans write it, its kind, and the due date that text means
    (built by construction; the tests check it against the parser)."""
    roll = rng.random()
    if roll < 0.09:
        return "Ongoing", TargetKind.ONGOING, None
    if roll < 0.12:
        return "Completed", TargetKind.COMPLETED, None
    year, month = around.year, around.month
    fy = year if month >= 4 else year - 1  # fiscal years start on 1 April
    if roll < 0.45:
        return f"{calendar.month_name[month]} {year}", TargetKind.DATE, _month_end(year, month)
    if roll < 0.55:
        due = _month_end(year, month)
        return f"{calendar.month_name[month]} {due.day}, {year}", TargetKind.DATE, due
    if roll < 0.75:
        quarter = ((month - 4) % 12) // 3 + 1
        end_month = {1: 6, 2: 9, 3: 12, 4: 3}[quarter]
        due = _month_end(fy + 1 if quarter == 4 else fy, end_month)
        return f"Q{quarter} {_fiscal(fy)}", TargetKind.DATE, due
    if roll < 0.88:
        return _fiscal(fy), TargetKind.DATE, datetime.date(fy + 1, 3, 31)
    # Seasons end with the month they end in: spring June, summer September, fall December,
    # winter March (of the year written).
    season, end_month = [("Winter", 3), ("Spring", 6), ("Summer", 9), ("Fall", 12)][
        ((month - 1) // 3) % 4
    ]
    return f"{season} {year}", TargetKind.DATE, _month_end(year, end_month)


# Evaluations ---------------------------------------------------------------------------------

# State weights by the evaluation's age in years: recent ones are still being responded to,
# old ones mostly closed.
STATE_WEIGHTS: list[tuple[float, dict[str, int]]] = [
    (1, {EvaluationState.DRAFT: 22, EvaluationState.RESPONSE_IN_PREPARATION: 20, EvaluationState.RESPONSE_SUBMITTED: 14, EvaluationState.RESPONSE_APPROVED: 12, EvaluationState.PUBLISHED: 12, EvaluationState.IN_FOLLOW_UP: 20}),
    (3, {EvaluationState.RESPONSE_APPROVED: 3, EvaluationState.PUBLISHED: 5, EvaluationState.IN_FOLLOW_UP: 84, EvaluationState.CLOSED: 8}),
    (6, {EvaluationState.IN_FOLLOW_UP: 65, EvaluationState.CLOSED: 35}),
    (99, {EvaluationState.IN_FOLLOW_UP: 30, EvaluationState.CLOSED: 70}),
]  # fmt: skip
FOLLOWED = (EvaluationState.IN_FOLLOW_UP, EvaluationState.CLOSED)
DRAFTING = (EvaluationState.DRAFT, EvaluationState.RESPONSE_IN_PREPARATION)


def _pick(rng: random.Random, weights: Mapping[str, int]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _at(day: datetime.date, rng: random.Random) -> datetime.datetime:
    """A moment during office hours (Ottawa) on DAY, as an aware UTC datetime."""
    return datetime.datetime(
        day.year, day.month, day.day, rng.randint(13, 21), rng.randint(0, 59), tzinfo=datetime.UTC
    )


@dataclass(slots=True)
class _UpdateRow:
    """A progress update before insertion: a million of them would be slow as model objects."""

    action: Action
    author_id: int
    created_at: datetime.datetime
    status: str
    previous_status: str
    narrative: str
    review_state: str = ReviewState.PENDING
    review_comment: str = ""
    reviewed_by_id: int | None = None
    reviewed_at: datetime.datetime | None = None
    pk: int | None = None


# The columns written for each progress update, in _UpdateRow's attribute names.
UPDATE_COLUMNS = ["action_id", "author_id", "created_at", "status", "previous_status", "narrative", "review_state", "review_comment", "reviewed_by_id", "reviewed_at"]  # fmt: skip


@dataclass
class _Batch:
    evaluations: list[Evaluation]
    recommendations: list[Recommendation]
    sub_points: list[SubPoint]
    responses: list[Response]
    actions: list[Action]
    updates: list[_UpdateRow]
    evidence: list[tuple[_UpdateRow, Evidence]]
    revisions: list[tuple[_UpdateRow, DateRevision]]


class _Builder:
    """Builds the rows of one batch of evaluations, coherent by construction."""

    def __init__(self, people: People, seed: int, today: datetime.date) -> None:
        self.people = people
        self.seed = seed
        self.today = today
        # Midnight UTC of TODAY: never in the future, and the same all day (determinism).
        self.now = datetime.datetime(today.year, today.month, today.day, tzinfo=datetime.UTC)
        self.span_days = (today - datetime.timedelta(days=7) - FIRST_DAY).days

    def batch(self, indexes: range) -> _Batch:
        self.b = _Batch([], [], [], [], [], [], [], [])
        for index in indexes:
            self._evaluation(index, random.Random(f"{self.seed}:{index}"))  # noqa: S311
        return self.b

    def _evaluation(self, index: int, rng: random.Random) -> None:
        approval = FIRST_DAY + datetime.timedelta(days=rng.randint(0, self.span_days))
        age_years = (self.today - approval).days / 365.25
        state = _pick(rng, next(w for limit, w in STATE_WEIGHTS if age_years < limit))
        created = _at(approval - datetime.timedelta(days=rng.randint(20, 90)), rng)
        # The management response is approved a few weeks after the report.
        follow_start = min(
            _at(approval + datetime.timedelta(days=rng.randint(20, 60)), rng),
            self.now - datetime.timedelta(days=3),
        )
        country = rng.random() < 0.3
        if country:
            place = rng.choice(COUNTRIES)
            title = f"Evaluation of the {place} Development Program"
            title_fr = f"Évaluation du programme de développement – {place}"
            kind, program = EvaluationType.COUNTRY, place
        else:
            program = f"{rng.choice(QUALIFIERS)} {rng.choice(SECTORS)} {rng.choice(VEHICLES)}"
            title, title_fr = f"Evaluation of the {program}", ""
            kind = rng.choice(
                [EvaluationType.PROGRAM] * 4 + [EvaluationType.THEMATIC, EvaluationType.HORIZONTAL]
            )
        last_fy = approval.year - 1 if approval.month >= 4 else approval.year - 2
        period = f"{_fiscal(last_fy - rng.randint(3, 6))} to {_fiscal(last_fy)}"
        slug = f"e{self.seed}-{index}"
        evaluation = Evaluation(
            title_en=f"{title} ({period})",
            title_fr=f"{title_fr} ({period})" if title_fr else "",
            program=program,
            period=period,
            evaluation_type=kind,
            evaluation_unit="Evaluation Division",
            approval_date=None
            if state == EvaluationState.DRAFT and rng.random() < 0.5
            else approval,
            report_url=f"https://example.org/evaluations/{slug}/report",
            summary_url=f"https://example.org/evaluations/{slug}/summary"
            if rng.random() < 0.7
            else "",
            state=state,
            created_at=created,
            updated_at=follow_start if state not in DRAFTING else created,
        )
        self.b.evaluations.append(evaluation)
        branch = rng.choice(self.people.branches)
        pool = self.people.subtree.get(branch.pk) or [branch]
        last_event = created
        recommendations = []
        for number in range(1, rng.randint(3, 9) + 1):
            rec, rec_last = self._recommendation(
                evaluation, number, state, pool, follow_start, created, rng
            )
            recommendations.append(rec)
            last_event = max(last_event, rec_last)
        if state == EvaluationState.IN_FOLLOW_UP:
            if all(r.status == RecommendationStatus.CLOSED for r in recommendations):
                evaluation.state = EvaluationState.CLOSED
            elif last_event == created:  # no update yet: the follow-up has not started
                evaluation.state = EvaluationState.RESPONSE_APPROVED
        if evaluation.state == EvaluationState.CLOSED:
            closed = [r.closed_at for r in recommendations if r.closed_at]
            evaluation.updated_at = max(closed, default=follow_start)
        elif evaluation.state in FOLLOWED:
            evaluation.updated_at = last_event

    def _recommendation(
        self,
        evaluation: Evaluation,
        number: int,
        state: str,
        pool: list[Unit],
        follow_start: datetime.datetime,
        created: datetime.datetime,
        rng: random.Random,
    ) -> tuple[Recommendation, datetime.datetime]:
        finding = rng.choice(FINDINGS)
        rec = Recommendation(
            evaluation=evaluation,
            number=str(number),
            sort_key=recommendation_sort_key(str(number)),
            statement=f"{rng.choice(REC_VERBS)} {rng.choice(REC_OBJECTS)}{rng.choice(REC_TAILS)}.",
            body=f"{finding}. {rng.choice(BRIDGES)}",
            created_at=created,
            updated_at=created,
        )
        self.b.recommendations.append(rec)
        if rng.random() < 0.25:
            rec.body += " The approach should include:"
            for position, text in enumerate(rng.sample(SUB_POINTS, rng.randint(2, 4))):
                label = f"{'abcd'[position]})"
                self.b.sub_points.append(
                    SubPoint(recommendation=rec, position=position, label=label, text=text)
                )
        if state == EvaluationState.DRAFT and rng.random() < 0.5:
            return rec, created  # no response drafted yet
        units = rng.sample(pool, 2 if rng.random() < 0.1 and len(pool) > 1 else 1)
        actions: list[Action] = []
        disagrees = False
        for unit in units:
            agreement = _pick(
                rng,
                {Agreement.AGREES: 85, Agreement.AGREES_IN_PART: 12, Agreement.DISAGREES: 3},
            )
            disagrees = disagrees or agreement == Agreement.DISAGREES
            short = unit.name_en.split(",")[0].lower()
            response = Response(
                recommendation=rec,
                unit=unit,
                agreement=agreement,
                commitment=f"{rng.choice(COMMIT_OPENINGS[agreement]) % {'unit': short}} "
                f"{rng.choice(COMMIT_BODIES)}.",
                rationale="" if agreement == Agreement.AGREES else rng.choice(RATIONALES),
                created_at=created,
                updated_at=created,
            )
            self.b.responses.append(response)
            count = rng.randint(1, 5) if len(units) == 1 else rng.randint(1, 3)
            for position in range(count):
                actions.append(self._action(response, position, state, follow_start, created, rng))
        last = max([a.updated_at for a in actions], default=created)
        if state == EvaluationState.CLOSED or (
            state == EvaluationState.IN_FOLLOW_UP
            and actions
            and all(a.status in CLOSED_ACTION_STATUSES for a in actions)
            and rng.random() < 0.75
        ):
            done = actions and all(a.status in CLOSED_ACTION_STATUSES for a in actions)
            reason: str
            if done:
                reason = ClosureReason.IMPLEMENTED
            elif disagrees:
                reason = ClosureReason.NOT_ACCEPTED
            else:
                reason = _pick(
                    rng,
                    {
                        ClosureReason.PARTLY_IMPLEMENTED: 6,
                        ClosureReason.NO_LONGER_APPLICABLE: 3,
                        ClosureReason.SUPERSEDED: 1,
                    },
                )
            rec.status = RecommendationStatus.CLOSED
            rec.closure_reason = reason
            rec.closure_note = "" if done else DECISION_NOTES[reason]
            rec.closed_by_id = rng.choice(self.people.evaluators if done else self.people.committee)
            rec.closed_at = min(
                max(last, follow_start) + datetime.timedelta(days=rng.randint(10, 90)),
                self.now - datetime.timedelta(hours=1),
            )
            rec.updated_at = rec.closed_at
            last = max(last, rec.closed_at)
        return rec, last

    def _action(
        self,
        response: Response,
        position: int,
        state: str,
        follow_start: datetime.datetime,
        created: datetime.datetime,
        rng: random.Random,
    ) -> Action:
        unit = response.unit
        below = self.people.children.get(unit.pk)
        if below and rng.random() < 0.25:
            unit = rng.choice(below)
        obj, deliverable = rng.choice(ACTION_OBJECTS)
        around = (follow_start + datetime.timedelta(days=rng.randint(120, 900))).date()
        text, kind, due = _target(rng, around)
        action = Action(
            response=response,
            position=position,
            text=f"{rng.choice(ACTION_VERBS)} {obj}{rng.choice(ACTION_TAILS)}.",
            deliverable=deliverable,
            unit=unit,
            role=rng.choice(ROLES),
            target_date_text=text,
            target_kind=kind,
            original_due_date=due,
            due_date=due,
            status=ActionStatus.COMPLETED if kind == TargetKind.COMPLETED else "",
            created_at=created,
            updated_at=created,
        )
        self.b.actions.append(action)
        if state not in FOLLOWED:
            action.status = action.status or ActionStatus.NOT_STARTED
            return action
        final = self._final_status(kind, due, state, rng)
        self._follow_up(action, final, follow_start, rng)
        return action

    def _final_status(
        self, kind: str, due: datetime.date | None, state: str, rng: random.Random
    ) -> str:
        S = ActionStatus
        if kind == TargetKind.COMPLETED:
            return (
                S.VALIDATED
                if state == EvaluationState.CLOSED or rng.random() < 0.8
                else S.COMPLETED
            )
        weights: dict[str, int]
        if state == EvaluationState.CLOSED:
            weights = {S.VALIDATED: 84, S.CANCELLED: 7, S.SUPERSEDED: 4, S.IN_PROGRESS: 5}
        elif due is not None and due < self.today:
            weights = {S.VALIDATED: 52, S.COMPLETED: 10, S.IN_PROGRESS: 24, S.NOT_STARTED: 4, S.CANCELLED: 6, S.SUPERSEDED: 4}  # fmt: skip
        else:
            weights = {S.VALIDATED: 12, S.COMPLETED: 8, S.IN_PROGRESS: 55, S.NOT_STARTED: 20, S.CANCELLED: 3, S.SUPERSEDED: 2}  # fmt: skip
        return _pick(rng, weights)

    def _follow_up(
        self, action: Action, final: str, start: datetime.datetime, rng: random.Random
    ) -> None:
        """The action's progress updates, from the response's approval to its final status."""
        S = ActionStatus
        finished = final in (S.VALIDATED, S.COMPLETED, S.CANCELLED, S.SUPERSEDED)
        latest = self.now - datetime.timedelta(days=1)
        if finished:
            target = (
                action.due_date or (start + datetime.timedelta(days=rng.randint(180, 1200))).date()
            )
            end = _at(target + datetime.timedelta(days=rng.randint(-90, 240)), rng)
            end = min(max(end, start + datetime.timedelta(days=20)), latest)
        else:
            end = max(start, latest - datetime.timedelta(days=rng.randint(0, 150)))
        span = end - start
        most = max(1, span.days // 60)
        if action.target_kind == TargetKind.COMPLETED:
            count = 1 if final == S.VALIDATED or rng.random() < 0.5 else 0
            if final == S.COMPLETED:
                count = 0  # claimed in the plan itself; awaiting the first validation
        elif final == S.NOT_STARTED:
            count = min(most, rng.randint(0, 3))
        else:
            count = min(most, rng.randint(2, 12))
        if final in (S.VALIDATED,) and count == 0:
            count = 1
        moments = sorted(rng.random() for _ in range(count - 1)) + [1.0] if count else []
        current: str = S.COMPLETED if action.target_kind == TargetKind.COMPLETED else S.NOT_STARTED
        authors = self.people.focal[action.unit_id]  # type: ignore[index]
        when = start
        revision_at = (
            rng.randrange(count) if count and action.due_date and rng.random() < 0.06 else -1
        )
        for i, fraction in enumerate(moments):
            last = i == count - 1
            when = max(start + span * fraction, when + datetime.timedelta(minutes=7))
            following = start + span * moments[i + 1] if not last else self.now
            premature = not last and final != S.NOT_STARTED and rng.random() < 0.05
            if last and final in (S.VALIDATED, S.COMPLETED):
                status = S.COMPLETED
            elif premature:
                status = S.COMPLETED
            elif final == S.NOT_STARTED or (i == 0 and not last and rng.random() < 0.2):
                status = S.NOT_STARTED
            else:
                status = S.IN_PROGRESS
            if status == S.COMPLETED:
                narrative = rng.choice(DONE_NOTES)
            elif status == S.IN_PROGRESS:
                narrative = f"{rng.choice(PROGRESS_NOTES)} {rng.choice(NEXT_STEPS)}".strip()
            else:
                narrative = rng.choice(NOT_STARTED_NOTES)
            update = _UpdateRow(
                action=action,
                author_id=rng.choice(authors),
                created_at=when,
                status=status,
                previous_status=current,
                narrative=narrative,
            )
            recent = (self.now - when).days < 100
            if last and (
                final == S.COMPLETED
                or (final not in CLOSED_ACTION_STATUSES and recent and rng.random() < 0.6)
            ):
                pass  # awaiting review: the validation queue
            else:
                returned = premature or (status != S.COMPLETED and rng.random() < 0.03)
                update.review_state = ReviewState.RETURNED if returned else ReviewState.ACCEPTED
                update.review_comment = rng.choice(RETURN_COMMENTS) if returned else ""
                update.reviewed_by_id = rng.choice(self.people.evaluators)
                gap = min(
                    datetime.timedelta(days=rng.randint(2, 40)),
                    (min(following, self.now) - when) / 2,
                )
                update.reviewed_at = when + gap
            self.b.updates.append(update)
            # What the services would do to the action's status.
            current = status
            if update.review_state == ReviewState.RETURNED and status == S.COMPLETED:
                previous = update.previous_status
                current = previous if previous != S.COMPLETED else S.IN_PROGRESS
            elif update.review_state == ReviewState.ACCEPTED and status == S.COMPLETED:
                current = S.VALIDATED
                # What update_validate records: the local day of the accepted claim.
                action.completed_on = timezone.localdate(when)
            if status == S.COMPLETED and rng.random() < 0.5 or rng.random() < 0.02:
                url = f"https://example.org/evidence/{rng.randint(1000, 999999)}"
                self.b.evidence.append((update, Evidence(url=url, label=action.deliverable)))
            if i == revision_at:
                self._revision(action, update, last, following, rng)
        if final in (S.CANCELLED, S.SUPERSEDED):
            action.status_reason = rng.choice(
                ["Overtaken by a reorganisation of the program.", "Replaced by a broader initiative.", "The partner agreement ended early."]
            )  # fmt: skip
            current = final
            when = min(when + datetime.timedelta(days=rng.randint(5, 60)), latest)
        if current != final:  # the walk above must end where the plan said
            raise AssertionError((current, final, count))
        action.status = final
        action.version = 1 + count
        action.updated_at = max(when, action.created_at)  # type: ignore[type-var]

    def _revision(
        self,
        action: Action,
        update: _UpdateRow,
        last: bool,
        following: datetime.datetime,
        rng: random.Random,
    ) -> None:
        base = max(action.due_date or update.created_at.date(), update.created_at.date())  # type: ignore[type-var]
        due = _add_months(base, rng.randint(3, 12))
        revision = DateRevision(
            action=action,
            requested_text=f"{calendar.month_name[due.month]} {due.year}",
            requested_due_date=due,
            justification=rng.choice(JUSTIFICATIONS),
            requested_by_id=update.author_id,
            requested_at=update.created_at,
        )
        if last and rng.random() < 0.4:
            self.b.revisions.append((update, revision))  # still awaiting the committee
            return
        revision.decision = Decision.APPROVED if rng.random() < 0.75 else Decision.REJECTED
        revision.decided_by_id = rng.choice(self.people.committee)
        gap = min(
            datetime.timedelta(days=rng.randint(5, 45)),
            (min(following, self.now) - update.created_at) / 2,
        )
        revision.decided_at = update.created_at + gap
        if revision.decision == Decision.APPROVED:
            action.due_date = due
            action.revised_target_text = revision.requested_text
        else:
            revision.decision_comment = "The original date stands: the delay is not justified."
        self.b.revisions.append((update, revision))


@contextmanager
def _own_timestamps() -> Iterator[None]:
    """Let bulk_create keep the invented creation times instead of stamping "now"."""
    stamped: list[models.DateTimeField[Any, Any]] = [
        model._meta.get_field(name)  # type: ignore[misc]
        for model, name in [
            (Evaluation, "created_at"), (Evaluation, "updated_at"),
            (Recommendation, "created_at"), (Recommendation, "updated_at"),
            (Response, "created_at"), (Response, "updated_at"),
            (Action, "created_at"), (Action, "updated_at"),
            (ProgressUpdate, "created_at"), (DateRevision, "requested_at"),
        ]
    ]  # fmt: skip
    saved = [(f, f.auto_now, f.auto_now_add) for f in stamped]
    try:
        for f in stamped:
            f.auto_now = f.auto_now_add = False
        yield
    finally:
        for f, auto_now, auto_now_add in saved:
            f.auto_now, f.auto_now_add = auto_now, auto_now_add


def _insert(model: type[models.Model], rows: Sequence[models.Model], size: int) -> int:
    if issubclass(model, SearchableModel):
        # bulk_create does not pass through save(), which keeps the folded copy.
        for row in rows:
            row.refresh_search_text()
    model._default_manager.bulk_create(rows, batch_size=size)
    return len(rows)


def _reserve_ids(model: type[models.Model], count: int) -> list[int]:
    """COUNT new primary keys for MODEL, taken from its sequence on PostgreSQL (so it stays
    right), or above the highest one elsewhere (SQLite: the write transaction holds the lock,
    and it moves its own AUTOINCREMENT counter past explicit keys)."""
    table = model._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                [table, count],
            )
            return [row[0] for row in cursor.fetchall()]
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {connection.ops.quote_name(table)}")  # noqa: S608
        top = cursor.fetchone()[0]
    return list(range(top + 1, top + 1 + count))


def _insert_updates(rows: list[_UpdateRow], size: int) -> int:
    """Progress updates with plain multi-row INSERTs: bulk_create's per-field preparation
    costs more than the database itself at a million rows."""
    if not rows:
        return 0
    for row, pk in zip(rows, _reserve_ids(ProgressUpdate, len(rows)), strict=True):
        row.pk = pk
    meta = ProgressUpdate._meta
    q = connection.ops.quote_name
    columns = ", ".join(
        q(cast("models.Field[Any, Any]", meta.get_field(c.removesuffix("_id"))).column)
        for c in UPDATE_COLUMNS
    )
    stamp: Any = connection.ops.adapt_datetimefield_value
    if connection.vendor == "sqlite":
        # What Django writes for an aware UTC datetime, without its per-value time zone work.
        def stamp(value: datetime.datetime | None) -> str | None:
            return (
                None if value is None else str(value.astimezone(datetime.UTC).replace(tzinfo=None))
            )

    per_insert = max(1, min(size, 30000 // (len(UPDATE_COLUMNS) + 1)))  # SQLite's variable limit
    # Table and column names come from the model, quoted; every value is a parameter.
    insert = f"INSERT INTO {q(meta.db_table)} ({q('id')}, {columns})"  # noqa: S608
    placeholders = "(" + ", ".join(["%s"] * (len(UPDATE_COLUMNS) + 1)) + ")"
    with connection.cursor() as cursor:
        for start in range(0, len(rows), per_insert):
            chunk = rows[start : start + per_insert]
            params: list[Any] = []
            for r in chunk:
                params += [
                    r.pk, r.action.pk, r.author_id, stamp(r.created_at), str(r.status),
                    str(r.previous_status), r.narrative, str(r.review_state), r.review_comment,
                    r.reviewed_by_id, stamp(r.reviewed_at),
                ]  # fmt: skip
            values = ", ".join([placeholders] * len(chunk))
            cursor.execute(f"{insert} VALUES {values}", params)
    return len(rows)


def _insert_linked(pairs: list[tuple[_UpdateRow, Any]], size: int) -> int:
    """Evidence or revised dates, once the updates they belong to have their keys."""
    for update, obj in pairs:
        obj.update_id = update.pk
    return _insert(type(pairs[0][1]), [obj for _u, obj in pairs], size) if pairs else 0


def _rounds(people: People, counts: GeneratedCounts) -> None:
    """A round closed today (its snapshot of every action frozen) after six months open, and
    the next one open, through the same services the pages use. Only on a database with no
    round yet: one round may be open at a time."""
    from uptake.reporting import services as reporting
    from uptake.reporting.models import ActionSnapshot, FollowUpRound

    if FollowUpRound.objects.exists():
        return
    evaluator = User.objects.get(pk=people.evaluators[0])
    today = timezone.localdate()
    past = reporting.round_open(
        by=evaluator, name=_("Spring round"), period=str(today.year), deadline=today
    )
    FollowUpRound.objects.filter(pk=past.pk).update(
        opened_at=timezone.now() - datetime.timedelta(days=182),
        deadline=today - datetime.timedelta(days=120),
    )
    reporting.round_close(round_=past, by=evaluator)
    reporting.round_open(
        by=evaluator,
        name=_("Fall round"),
        period=str(today.year),
        deadline=today + datetime.timedelta(days=30),
    )
    counts.rounds = 2
    counts.snapshots = ActionSnapshot.objects.filter(round=past).count()


def generate(
    *,
    evaluations: int,
    seed: int = DEFAULT_SEED,
    batch_size: int = DEFAULT_BATCH_SIZE,
    password: str = DEFAULT_PASSWORD,
    add: bool = False,
    rounds: bool = True,
    today: datetime.date | None = None,
    out: _Writer | None = None,
) -> GeneratedCounts:
    """Create EVALUATIONS synthetic evaluations with everything under them, plus the units
    and people they need (created once, shared by every run; all share PASSWORD).

    Refuses a database that already holds evaluations unless ADD. The same SEED and TODAY
    give the same data. Progress lines go to OUT.
    """
    if evaluations < 1:
        raise ServiceError(_("Ask for at least one evaluation."), field="evaluations")
    if batch_size < 100:
        raise ServiceError(_("The batch size must be at least 100 rows."), field="batch_size")
    existing = Evaluation.objects.count()
    if existing and not add:
        raise ServiceError(_(REFUSE_NON_EMPTY) % {"count": existing})
    started = time.monotonic()
    today = today or timezone.localdate()
    counts = GeneratedCounts()
    with transaction.atomic():
        units, counts.units = _ensure_units()
        people = _ensure_people(units, password)
        counts.users = people.created_users
    builder = _Builder(people, seed, today)
    # About 100 rows per evaluation, so a batch of evaluations fills about one insert batch.
    step = max(1, batch_size // 100)
    with _own_timestamps():
        for first in range(0, evaluations, step):
            b = builder.batch(range(first, min(first + step, evaluations)))
            with transaction.atomic():
                counts.evaluations += _insert(Evaluation, b.evaluations, batch_size)
                counts.recommendations += _insert(Recommendation, b.recommendations, batch_size)
                counts.sub_points += _insert(SubPoint, b.sub_points, batch_size)
                counts.responses += _insert(Response, b.responses, batch_size)
                counts.actions += _insert(Action, b.actions, batch_size)
                counts.updates += _insert_updates(b.updates, batch_size)
                counts.evidence += _insert_linked(b.evidence, batch_size)
                counts.date_revisions += _insert_linked(b.revisions, batch_size)
            if out is not None and (first // step) % 20 == 19:
                out.write(
                    f"{counts.evaluations} evaluations, {counts.updates} updates "
                    f"({time.monotonic() - started:.0f} s)\n"
                )
    if rounds:
        _rounds(people, counts)
    refresh_planner_statistics(connection)
    counts.focal_point_username = (
        ProgressUpdate.objects.order_by("-created_at", "-pk")
        .values_list("author__username", flat=True)
        .first()
        or ""
    )
    counts.evaluator_username = "eval-01"
    counts.seconds = time.monotonic() - started
    return counts
