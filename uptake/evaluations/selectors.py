"""Reads about evaluations, recommendations, responses and actions, shaped for the pages."""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import (
    BooleanField,
    Case,
    Count,
    Exists,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from uptake.accounts.models import Unit, User
from uptake.accounts.selectors import user_unit_ids
from uptake.core.history import HistoryEntry, history_entries
from uptake.core.search import fold, search_words

from .models import (
    CLOSED_ACTION_STATUSES,
    FOLLOWED_STATES,
    NOT_OVERDUE_STATUSES,
    Action,
    Agreement,
    Evaluation,
    Recommendation,
    Response,
    TargetKind,
)


def _late_q(today: datetime.date | None = None) -> Q:
    """Actions whose current due date has passed and whose unit has not claimed completion."""
    today = today or timezone.localdate()
    return Q(due_date__lt=today) & ~Q(status__in=NOT_OVERDUE_STATUSES)


def overdue_q(today: datetime.date | None = None) -> Q:
    """Overdue actions: late (`_late_q`) in a plan that was approved. A draft's dates are
    proposals, so its actions are never overdue, as the dashboard has always counted."""
    return _late_q(today) & Q(response__recommendation__evaluation__state__in=FOLLOWED_STATES)


def with_overdue(actions: QuerySet[Action], today: datetime.date | None = None) -> QuerySet[Action]:
    """ACTIONS with `overdue`, as `overdue_q` decides it. The plan's state is read by a scalar
    subquery, one row per action shown: a join would stay in the list's COUNT(*) (on 185,000
    actions, a few milliseconds became 180), and PostgreSQL answers an EXISTS here by hashing
    every approved response first (90 ms for a page of 50)."""
    plan_state = Response.objects.filter(pk=OuterRef("response_id")).values(
        "recommendation__evaluation__state"
    )[:1]
    return actions.alias(plan_state=Subquery(plan_state)).annotate(
        overdue=Case(
            When(_late_q(today) & Q(plan_state__in=FOLLOWED_STATES), then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        )
    )


def _count(rows: QuerySet[Any], outer: str) -> Coalesce:
    """How many of ROWS (filtered on OuterRef("pk") through OUTER) there are, as a subquery."""
    counted = rows.order_by().values(outer).annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted), Value(0))


# FTS5 answers LIKE from its trigram index only for a pattern with 3 or more characters in a
# row and only in the two-argument form: a word with LIKE's wildcards (% _), which `contains`
# escapes with an ESCAPE clause, would read the whole table through it.
_SQLITE_INDEXED_WORD = re.compile(r"[^%_\\]{3,}")


def _in_statements(word: str) -> Q | Exists:
    """Evaluations with a recommendation whose folded statements contain WORD (folded, see
    `uptake.core.search`), through the substring index of migration evaluations 0006 where
    it applies.

    PostgreSQL: the matching recommendations' evaluations as one uncorrelated subquery, which
    the trigram index serves (an EXISTS per evaluation is planned the same way there).

    SQLite: the folded statements are looked up in the FTS5 trigram table with a LIKE, which
    FTS5 answers from the index and checks against the text: exactly `contains`' answer.
    Other words keep the correlated EXISTS: without an index, it lets a page of 25 stop at
    its 25th match instead of reading every statement first."""
    recommendations = Recommendation.objects.order_by()
    if connection.vendor != "sqlite":
        return Q(pk__in=recommendations.filter(search_text__contains=word).values("evaluation_id"))
    if _SQLITE_INDEXED_WORD.fullmatch(word):
        found = RawSQL(
            "SELECT rowid FROM evaluations_recommendation_search WHERE search_text LIKE %s",
            [f"%{word}%"],
        )
        return Q(pk__in=recommendations.filter(pk__in=found).values("evaluation_id"))
    return Exists(recommendations.filter(evaluation_id=OuterRef("pk"), search_text__contains=word))


def _programs_containing(text: str) -> list[str]:
    """The programs (as written on evaluations) that contain TEXT, whatever its case and
    accents. There are far fewer programs than evaluations, so they are folded as read."""
    wanted = fold(text.strip())
    programs = Evaluation.objects.order_by().values_list("program", flat=True).distinct()
    return [name for name in programs if wanted in fold(name)]


def evaluation_list(
    *, search: str = "", state: str = "", program: str = ""
) -> QuerySet[Evaluation]:
    """Evaluations, newest approval first, each with its counts of recommendations and actions.
    SEARCH is words, found whatever their case and accents (`uptake.core.search`).

    The counts are subqueries, not joins: a page of 25 evaluations computes 25 sets of counts,
    and counting the matching evaluations for the pager reads the evaluations table alone,
    however many actions there are."""
    evaluations = Evaluation.objects.all()
    # Each word must be in the titles, the program or a recommendation's statement.
    for word in search_words(search):
        evaluations = evaluations.filter(Q(search_text__contains=word) | _in_statements(word))
    if state:
        evaluations = evaluations.filter(state=state)
    if program.strip():
        evaluations = evaluations.filter(program__in=_programs_containing(program))
    recommendations = Recommendation.objects.filter(evaluation_id=OuterRef("pk"))
    actions = Action.objects.filter(response__recommendation__evaluation_id=OuterRef("pk"))
    by_evaluation = "response__recommendation__evaluation_id"
    # Explicit ordering, with the id last: pages of a query without a total order repeat and
    # skip rows.
    return evaluations.annotate(
        recommendation_count=_count(recommendations, "evaluation_id"),
        open_recommendation_count=_count(recommendations.filter(status="open"), "evaluation_id"),
        action_count=_count(actions, by_evaluation),
        # The state is the listed evaluation's own: testing it here spares the count a join.
        overdue_count=Case(
            When(state__in=FOLLOWED_STATES, then=_count(actions.filter(_late_q()), by_evaluation)),
            default=Value(0),
        ),
    ).order_by("-approval_date", "-id")


def evaluation_with_plan(evaluation_id: int) -> Evaluation:
    """One evaluation with everything its response page shows, in a fixed number of queries."""
    actions = with_overdue(Action.objects.select_related("unit")).order_by("position", "id")
    return Evaluation.objects.prefetch_related(
        Prefetch(
            "recommendations",
            queryset=Recommendation.objects.select_related("closed_by")
            .prefetch_related(
                "sub_points",
                Prefetch(
                    "responses",
                    queryset=Response.objects.select_related("unit").prefetch_related(
                        Prefetch("actions", queryset=actions)
                    ),
                ),
            )
            .order_by("sort_key", "id"),
        )
    ).get(pk=evaluation_id)


@dataclass(frozen=True)
class Problem:
    """Something the quality check found missing, and where."""

    where: str
    message: str
    anchor: str


def plan_recommendations(evaluation: Evaluation) -> list[Recommendation]:
    """EVALUATION's recommendations with their responses and actions, as the quality check
    reads them; pass the list to both `response_plan_problems` and `response_plan_warnings`."""
    return list(
        Recommendation.objects.filter(evaluation_id=evaluation.pk)
        .prefetch_related(
            Prefetch(
                "responses",
                queryset=Response.objects.select_related("unit").prefetch_related("actions"),
            )
        )
        .order_by("sort_key", "id")
    )


def response_plan_problems(
    evaluation: Evaluation, recommendations: Iterable[Recommendation] | None = None
) -> list[Problem]:
    """What stops the response from going for approval: the quality check.

    RECOMMENDATIONS, when given, are the evaluation's with their responses and actions already
    loaded (as `evaluation_with_plan` loads them), so the page that shows both reads them once.
    A response that agrees commits to something; one that agrees in part or disagrees gives
    its reason, and one that disagrees owes neither a commitment nor actions.
    """
    problems: list[Problem] = []
    if recommendations is None:
        recommendations = plan_recommendations(evaluation)
    recommendations = list(recommendations)
    if not recommendations:
        problems.append(
            Problem(_("Evaluation"), _("The evaluation has no recommendations."), "recommendations")
        )
    for rec in recommendations:
        where = _("Recommendation %(number)s") % {"number": rec.number}
        anchor = f"rec-{rec.pk}"
        responses = list(rec.responses.all())
        if not responses:
            problems.append(Problem(where, _("No unit has responded to it."), anchor))
        for response in responses:
            rwhere = f"{where}, {response.unit.code}"
            ranchor = f"response-{response.pk}"
            if response.agreement != Agreement.AGREES and not response.rationale.strip():
                problems.append(
                    Problem(
                        rwhere, _("The unit does not fully agree but gives no reason."), ranchor
                    )
                )
            actions = list(response.actions.all())
            if response.agreement != Agreement.DISAGREES and not actions:
                problems.append(Problem(rwhere, _("The response commits to no action."), ranchor))
            if response.agreement != Agreement.DISAGREES and not response.commitment.strip():
                problems.append(Problem(rwhere, _("The response states no commitment."), ranchor))
            for index, action in enumerate(actions, start=1):
                awhere = _("%(where)s, action %(index)d") % {"where": rwhere, "index": index}
                aanchor = f"action-{action.pk}"
                if action.target_kind == TargetKind.UNPARSED:
                    problems.append(
                        Problem(
                            awhere,
                            _("The target date “%(text)s” is not a date Uptake can follow.")
                            % {"text": action.target_date_text},
                            aanchor,
                        )
                    )
                if not action.deliverable.strip():
                    problems.append(
                        Problem(awhere, _("No deliverable or evidence is named."), aanchor)
                    )
    return problems


def response_plan_warnings(
    evaluation: Evaluation,
    recommendations: Iterable[Recommendation] | None = None,
    *,
    today: datetime.date | None = None,
) -> list[Problem]:
    """What the quality check asks people to review without blocking the approval: actions
    still owed whose due date has already passed, which approval would make overdue at once.
    An imported old plan legitimately has such dates, and the committee may approve knowingly.

    RECOMMENDATIONS as for `response_plan_problems`.
    """
    today = today or timezone.localdate()
    if recommendations is None:
        recommendations = plan_recommendations(evaluation)
    warnings: list[Problem] = []
    for rec in recommendations:
        where = _("Recommendation %(number)s") % {"number": rec.number}
        for response in rec.responses.all():
            rwhere = f"{where}, {response.unit.code}"
            for index, action in enumerate(response.actions.all(), start=1):
                if (
                    action.due_date is None
                    or action.due_date >= today
                    or action.status in NOT_OVERDUE_STATUSES
                ):
                    continue
                warnings.append(
                    Problem(
                        _("%(where)s, action %(index)d") % {"where": rwhere, "index": index},
                        _(
                            "The target date “%(text)s” (%(date)s) has already passed: "
                            "approving the response makes this action overdue at once."
                        )
                        % {"text": action.target_date_text, "date": action.due_date.isoformat()},
                        f"action-{action.pk}",
                    )
                )
    return warnings


def in_units(unit_ids: Iterable[int], *, via: str = "") -> Q:
    """The condition for actions that the units UNIT_IDS answer for: their responsibility
    centre is one of them. VIA reaches the action from another model, for example "action__"."""
    return Q(**{f"{via}unit_id__in": list(unit_ids)})


def actions_for_user(user: User) -> QuerySet[Action]:
    """The actions a person answers for: those of their units and sub-units."""
    return Action.objects.filter(in_units(user_unit_ids(user)))


# The lists `my_actions` gives, by the name pages and exports pass as `show`.
MY_ACTION_SHOWS = ("open", "due_soon", "overdue", "all")


def my_actions(user: User, *, show: str = "open") -> QuerySet[Action]:
    """A focal point's actions on approved responses: open, due soon, overdue, or all."""
    today = timezone.localdate()
    actions = with_overdue(actions_for_user(user), today).filter(
        response__recommendation__evaluation__state__in=FOLLOWED_STATES
    )
    if show == "overdue":
        actions = actions.filter(overdue_q(today))
    elif show == "due_soon":
        actions = actions.filter(
            due_date__gte=today, due_date__lte=today + datetime.timedelta(days=90)
        ).exclude(status__in=NOT_OVERDUE_STATUSES)
    elif show == "open":
        actions = actions.exclude(status__in=CLOSED_ACTION_STATUSES)
    return actions.select_related(
        "unit", "response__unit", "response__recommendation__evaluation"
    ).order_by("due_date", "id")


def evaluation_history(evaluation: Evaluation, limit: int = 500) -> list[HistoryEntry]:
    """Every recorded change to the evaluation and everything under it, newest first."""
    from uptake.followup.models import DateRevision, ProgressUpdate

    rec_history = Recommendation.history.filter(evaluation_id=evaluation.pk).select_related(
        "history_user"
    )
    # Each entry is labelled with the object's latest number or unit, whatever it had when the
    # change was made: the history comes newest first, so it is read oldest first for the
    # newest to win.
    rec_numbers = {r.id: r.number for r in list(rec_history)[::-1]}
    resp_history = Response.history.filter(recommendation_id__in=rec_numbers).select_related(
        "history_user"
    )
    unit_codes = dict(Unit.objects.values_list("id", "code"))
    responses = {
        r.id: (r.recommendation_id, unit_codes.get(r.unit_id, "?"))
        for r in list(resp_history)[::-1]
    }
    action_history = Action.history.filter(response_id__in=responses).select_related("history_user")
    action_ids = {a.id for a in action_history}

    def rec_label(r: object) -> str:
        return _("Recommendation %(number)s") % {"number": rec_numbers.get(r.id, "?")}  # type: ignore[attr-defined]

    def response_label(r: object) -> str:
        rec_id, code = responses.get(r.id, (None, "?"))  # type: ignore[attr-defined]
        return _("Response of %(unit)s to recommendation %(number)s") % {
            "unit": code,
            "number": rec_numbers.get(rec_id, "?"),
        }

    def action_label(r: object) -> str:
        return _("Action “%(text)s”") % {"text": Truncator(r.text).chars(60)}  # type: ignore[attr-defined]

    entries = [
        *history_entries(
            evaluation.history.select_related("history_user"), lambda r: _("Evaluation")
        ),
        *history_entries(rec_history, rec_label),
        *history_entries(resp_history, response_label),
        *history_entries(action_history, action_label),
        *history_entries(
            ProgressUpdate.history.filter(action_id__in=action_ids).select_related("history_user"),
            lambda r: _("Progress update on action #%(id)s") % {"id": r.action_id},
        ),
        *history_entries(
            DateRevision.history.filter(action_id__in=action_ids).select_related("history_user"),
            lambda r: _("Revised date “%(text)s”") % {"text": r.requested_text},
        ),
    ]
    entries.sort(key=lambda e: e.when, reverse=True)
    return entries[:limit]


def _newest_records(records: QuerySet[Any], limit: int | None) -> tuple[list[Any], list[Any]]:
    """The newest LIMIT history records (all when None), and the record just before the oldest
    one read of each object: what that record changed is measured against it."""
    newest = list(records.order_by("-history_date", "-history_id")[:limit])
    if limit is None:
        return newest, []
    oldest: dict[Any, Any] = {}
    for record in newest:  # newest first: the last one seen of each object is its oldest
        oldest[record.id] = record
    changed = [r.history_id for r in oldest.values() if r.history_type == "~"]
    if not changed:
        return newest, []
    model = records.model
    before = (
        model.objects.filter(id=OuterRef("id"))
        .filter(
            Q(history_date__lt=OuterRef("history_date"))
            | Q(history_date=OuterRef("history_date"), history_id__lt=OuterRef("history_id"))
        )
        .order_by("-history_date", "-history_id")
        .values("history_id")[:1]
    )
    previous_ids = (
        model.objects.filter(history_id__in=changed).annotate(p=Subquery(before)).values("p")
    )
    return newest, list(records.filter(history_id__in=previous_ids))


def action_history(action: Action, limit: int | None = None) -> list[HistoryEntry]:
    """The action's recorded changes, its updates' and its revised dates', newest first;
    only the newest LIMIT when given, reading no more than LIMIT records of each kind."""
    from uptake.followup.models import DateRevision, ProgressUpdate

    kinds: list[tuple[QuerySet[Any], Any]] = [
        (action.history.all(), lambda r: _("Action")),
        (ProgressUpdate.history.filter(action_id=action.pk), lambda r: _("Progress update")),
        (
            DateRevision.history.filter(action_id=action.pk),
            lambda r: _("Revised date “%(text)s”") % {"text": r.requested_text},
        ),
    ]
    entries: list[HistoryEntry] = []
    for records, describe in kinds:
        newest, earlier = _newest_records(records.select_related("history_user"), limit)
        entries += history_entries(newest, describe, earlier=earlier)
    entries.sort(key=lambda e: e.when, reverse=True)
    return entries if limit is None else entries[:limit]


def action_history_count(action: Action) -> int:
    """How many history records the action page would list in all (one query)."""
    from uptake.followup.models import DateRevision, ProgressUpdate

    counts: list[QuerySet[Any]] = [
        action.history.all(),
        ProgressUpdate.history.filter(action_id=action.pk),
        DateRevision.history.filter(action_id=action.pk),
    ]
    first, *others = [qs.order_by().values("history_id") for qs in counts]
    return first.union(*others, all=True).count()
