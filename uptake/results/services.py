"""Every change to strategies, logic models and PMFs goes through here.

Pages, the console, the spreadsheet import and the demo call these functions; each checks who
is asking, validates, saves, and (where the model keeps history) records the person.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import IO, Any, TypeVar

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from uptake.accounts.models import User
from uptake.core.versions import claim_version, conflict
from uptake.errors import ServiceError
from uptake.evaluations.models import Action, Recommendation

from .models import (
    ActionLink,
    ActualState,
    ActualUpdate,
    Indicator,
    InvestmentLine,
    Measure,
    NarrativeSection,
    Period,
    RecommendationLink,
    Result,
    ResultLevel,
    Strategy,
    StrategyState,
    Target,
    placement_rule,
    variance,
)
from .permissions import can_approve_strategy, can_manage_results, can_report_actuals

M = TypeVar("M", bound=models.Model)

MAX_CHILDREN = 9  # one digit of the code per level

STRATEGY_FIELDS = (
    "kind",
    "title_en",
    "title_fr",
    "subject",
    "country_code",
    "start_year",
    "end_year",
)
SECTION_FIELDS = ("position", "heading_en", "heading_fr", "body_en", "body_fr")
INVESTMENT_FIELDS = ("position", "description", "amount", "currency", "fiscal_year")
INDICATOR_FIELDS = (
    "text_en",
    "text_fr",
    "measure",
    "ascending",
    "cumulative",
    "baseline_value",
    "baseline_text",
    "baseline_year",
    "data_sources",
    "collection_method",
    "frequency",
    "responsibility",
)
PERIOD_FIELDS = ("name", "start", "end")


def _require(allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionDenied(message)


def _require_manager(by: User) -> None:
    _require(
        can_manage_results(by), _("Only the evaluation unit changes strategies and their results.")
    )


def _save(obj: M, *, by: User | None) -> M:
    """Validate, then save with the person recorded in the history entry (where kept)."""
    obj._history_user = by  # type: ignore[attr-defined]
    try:
        obj.full_clean()
    except ValidationError as exc:
        field, messages = next(iter(exc.message_dict.items()))
        raise ServiceError(" ".join(messages), field=None if field == "__all__" else field) from exc
    obj.save()
    return obj


def _apply(obj: Any, fields: dict[str, Any], allowed: tuple[str, ...]) -> None:
    for name, value in fields.items():
        if name in allowed:
            setattr(obj, name, value)


def _require_draft(strategy: Strategy) -> None:
    # Locked: an edit must not pass this check while the strategy is being approved, then
    # save its stale copy (state included) over the approval.
    state = (
        Strategy.objects.select_for_update()
        .filter(pk=strategy.pk)
        .values_list("state", flat=True)
        .first()
    )
    if state is not None:
        strategy.state = state
    if not strategy.is_draft:
        raise ServiceError(
            _(
                "This strategy is “%(state)s”: its logic model and indicators can no longer be "
                "changed."
            )
            % {"state": strategy.get_state_display()}
        )


# Strategies --------------------------------------------------------------------------------


def _check_strategy(strategy: Strategy) -> None:
    if (
        strategy.start_year is not None
        and strategy.end_year is not None
        and strategy.end_year < strategy.start_year
    ):
        raise ServiceError(
            _("The last fiscal year cannot come before the first one."), field="end_year"
        )
    strategy.country_code = (strategy.country_code or "").strip().upper()


@transaction.atomic
def strategy_create(*, by: User, **fields: Any) -> Strategy:
    _require_manager(by)
    strategy = Strategy()
    _apply(strategy, fields, STRATEGY_FIELDS)
    _check_strategy(strategy)
    return _save(strategy, by=by)


@transaction.atomic
def strategy_update(
    *, strategy: Strategy, by: User, expected_version: int | None = None, **fields: Any
) -> Strategy:
    _require_manager(by)
    _require_draft(strategy)
    claim_version(strategy, expected_version, _("strategy"))
    _apply(strategy, fields, STRATEGY_FIELDS)
    _check_strategy(strategy)
    return _save(strategy, by=by)


@transaction.atomic
def strategy_approve(*, strategy: Strategy, by: User) -> Strategy:
    """The committee approves a draft strategy with at least one expected result."""
    _require(can_approve_strategy(by), _("Only the committee approves strategies."))
    strategy.refresh_from_db(from_queryset=Strategy.objects.select_for_update())
    if not strategy.is_draft:
        raise ServiceError(_("Only a draft strategy can be approved."))
    if not strategy.results.exists():
        raise ServiceError(_("A strategy needs at least one expected result to be approved."))
    strategy.state = StrategyState.APPROVED
    strategy.approved_by = by
    strategy.approved_at = timezone.now()
    strategy.version += 1  # a form opened before the approval no longer saves
    return _save(strategy, by=by)


@transaction.atomic
def strategy_publish(*, strategy: Strategy, by: User) -> Strategy:
    _require_manager(by)
    strategy.refresh_from_db(from_queryset=Strategy.objects.select_for_update())
    if strategy.state != StrategyState.APPROVED:
        raise ServiceError(_("Only an approved strategy can be published."))
    strategy.state = StrategyState.PUBLISHED
    strategy.published_at = timezone.now()
    strategy.version += 1
    return _save(strategy, by=by)


# Narrative sections and the investment plan -----------------------------------------------


def _next_position(queryset: models.QuerySet[Any]) -> int:
    last = queryset.aggregate(m=models.Max("position"))["m"]
    return int(last or 0) + 1


@transaction.atomic
def section_create(*, strategy: Strategy, by: User, **fields: Any) -> NarrativeSection:
    _require_manager(by)
    _require_draft(strategy)
    section = NarrativeSection(strategy=strategy)
    _apply(section, fields, SECTION_FIELDS)
    if not fields.get("position"):
        section.position = _next_position(strategy.sections.all())
    return _save(section, by=by)


@transaction.atomic
def section_update(
    *, section: NarrativeSection, by: User, expected_version: int | None = None, **fields: Any
) -> NarrativeSection:
    _require_manager(by)
    _require_draft(section.strategy)
    claim_version(section, expected_version, _("section"))
    _apply(section, fields, SECTION_FIELDS)
    return _save(section, by=by)


@transaction.atomic
def section_delete(
    *, section: NarrativeSection, by: User, expected_version: int | None = None
) -> None:
    _require_manager(by)
    _require_draft(section.strategy)
    claim_version(section, expected_version, _("section"))
    section.delete()


def _check_investment(line: InvestmentLine) -> None:
    line.currency = (line.currency or "").strip().upper()
    if len(line.currency) != 3 or not line.currency.isalpha():
        raise ServiceError(
            _("Write the currency as its three-letter code, for example CAD."), field="currency"
        )
    strategy = line.strategy
    if line.fiscal_year is not None and not (
        strategy.start_year <= line.fiscal_year <= strategy.end_year
    ):
        raise ServiceError(
            _("The fiscal year must fall within the strategy's period (%(period)s).")
            % {"period": strategy.period_label},
            field="fiscal_year",
        )


@transaction.atomic
def investment_create(*, strategy: Strategy, by: User, **fields: Any) -> InvestmentLine:
    _require_manager(by)
    _require_draft(strategy)
    line = InvestmentLine(strategy=strategy)
    _apply(line, fields, INVESTMENT_FIELDS)
    if not fields.get("position"):
        line.position = _next_position(strategy.investments.all())
    _check_investment(line)
    return _save(line, by=by)


@transaction.atomic
def investment_update(
    *, line: InvestmentLine, by: User, expected_version: int | None = None, **fields: Any
) -> InvestmentLine:
    _require_manager(by)
    _require_draft(line.strategy)
    claim_version(line, expected_version, _("investment plan line"))
    _apply(line, fields, INVESTMENT_FIELDS)
    _check_investment(line)
    return _save(line, by=by)


@transaction.atomic
def investment_delete(
    *, line: InvestmentLine, by: User, expected_version: int | None = None
) -> None:
    _require_manager(by)
    _require_draft(line.strategy)
    claim_version(line, expected_version, _("investment plan line"))
    line.delete()


# The logic model ---------------------------------------------------------------------------


def result_code(parent_code: int | None, level: int, position: int) -> int:
    """1000 for the first ultimate outcome, 1200 for its second intermediate outcome, 1210 for
    that one's first immediate outcome, 1213 for the third output under it."""
    return int((parent_code or 0) + position * 10 ** (ResultLevel.OUTPUT - level))


def renumber(strategy: Strategy) -> None:
    """Give every result of STRATEGY positions 1, 2, 3… among its siblings (keeping their
    order) and the code that follows from its place in the tree."""
    results = list(Result.objects.filter(strategy=strategy).order_by("position", "id"))
    codes_before = {result.pk: result.code for result in results}
    children: dict[int | None, list[Result]] = defaultdict(list)
    for result in results:
        children[result.parent_id].append(result)

    def walk(parent_id: int | None, parent_code: int | None) -> None:
        for position, result in enumerate(children[parent_id], start=1):
            result.position = position
            result.code = result_code(parent_code, result.level, position)
            walk(result.pk, result.code)

    walk(None, None)
    # Two steps, so that no code is ever held by two rows at once (the unique constraint
    # is checked per statement on most databases).
    Result.objects.filter(strategy=strategy).update(code=-models.F("id"))
    Result.objects.bulk_update(results, ["position", "code"])
    # A form opened before shows the old code in its title: it must not save as if current.
    renumbered = [result.pk for result in results if result.code != codes_before[result.pk]]
    Result.objects.filter(pk__in=renumbered).update(version=models.F("version") + 1)


def _check_room(strategy: Strategy, parent: Result | None, *, moving: Result | None = None) -> int:
    siblings = Result.objects.filter(strategy=strategy, parent=parent)
    if moving is not None:
        siblings = siblings.exclude(pk=moving.pk)
    count = siblings.count()
    if count >= MAX_CHILDREN:
        if parent is None:
            raise ServiceError(
                _("A logic model can have at most %(max)d ultimate outcomes.")
                % {"max": MAX_CHILDREN}
            )
        raise ServiceError(
            _("Result %(code)s already has %(max)d results under it, the most a code can number.")
            % {"code": parent.code, "max": MAX_CHILDREN}
        )
    return count


def _child_level(parent: Result | None) -> int:
    if parent is None:
        return ResultLevel.ULTIMATE
    if parent.level >= ResultLevel.OUTPUT:
        raise ServiceError(_("Outputs are the last level: nothing can be placed under an output."))
    return parent.level + 1


def _check_statement(statement_en: str) -> None:
    if not statement_en.strip():
        raise ServiceError(_("Write the expected result in English."), field="statement_en")


@transaction.atomic
def result_create(
    *,
    strategy: Strategy,
    by: User,
    statement_en: str,
    statement_fr: str = "",
    parent: Result | None = None,
) -> Result:
    """Add an expected result under PARENT (an ultimate outcome when there is none), last
    among its siblings; its level is the one below its parent's."""
    _require_manager(by)
    _require_draft(strategy)
    _check_statement(statement_en)
    if parent is not None and parent.strategy_id != strategy.pk:
        raise ServiceError(_("The parent result belongs to another strategy."), field="parent")
    level = _child_level(parent)
    count = _check_room(strategy, parent)
    result = Result(
        strategy=strategy,
        parent=parent,
        level=level,
        position=count + 1,
        code=result_code(parent.code if parent else None, level, count + 1),
        statement_en=statement_en.strip(),
        statement_fr=statement_fr.strip(),
    )
    _save(result, by=by)
    return result


@transaction.atomic
def result_update(
    *,
    result: Result,
    by: User,
    statement_en: str,
    statement_fr: str = "",
    expected_version: int | None = None,
) -> Result:
    _require_manager(by)
    _require_draft(result.strategy)
    _check_statement(statement_en)
    claim_version(result, expected_version, _("result"))
    result.statement_en = statement_en.strip()
    result.statement_fr = statement_fr.strip()
    return _save(result, by=by)


@transaction.atomic
def result_move(
    *,
    result: Result,
    new_parent: Result | None,
    position: int,
    by: User,
    expected_version: int | None = None,
) -> Result:
    """Move RESULT (with everything under it) to POSITION (1 = first) among NEW_PARENT's
    results, then renumber the logic model. A result keeps its level, so its new parent must
    sit on the level just above it (none for an ultimate outcome)."""
    _require_manager(by)
    strategy = result.strategy
    _require_draft(strategy)
    if new_parent is not None:
        if new_parent.strategy_id != strategy.pk:
            raise ServiceError(_("The new parent belongs to another strategy."), field="parent")
        ancestor: Result | None = new_parent
        while ancestor is not None:
            if ancestor.pk == result.pk:
                raise ServiceError(
                    _("A result cannot be moved under itself or one of its own results."),
                    field="parent",
                )
            ancestor = ancestor.parent
    expected = _child_level(new_parent)
    if expected != result.level:
        raise ServiceError(placement_rule(result.level), field="parent")
    count = _check_room(strategy, new_parent, moving=result)
    position = max(1, min(position, count + 1))
    siblings = list(
        Result.objects.filter(strategy=strategy, parent=new_parent)
        .exclude(pk=result.pk)
        .order_by("position", "id")
    )
    siblings.insert(position - 1, result)
    claim_version(result, expected_version, _("result"))
    result.parent = new_parent
    result.save(update_fields=["parent"])
    for index, sibling in enumerate(siblings, start=1):
        sibling.position = index
    Result.objects.bulk_update(siblings, ["position"])
    renumber(strategy)
    result.refresh_from_db()
    return result


@transaction.atomic
def result_delete(*, result: Result, by: User, expected_version: int | None = None) -> None:
    """Delete RESULT, everything under it and their indicators, then renumber."""
    _require_manager(by)
    strategy = result.strategy
    _require_draft(strategy)
    if ActualUpdate.objects.filter(indicator__result__in=_subtree_ids(result)).exists():
        raise ServiceError(_("Actuals were reported against this result: it cannot be deleted."))
    claim_version(result, expected_version, _("result"))
    result.delete()
    renumber(strategy)


def _subtree_ids(result: Result) -> set[int]:
    found = {result.pk}
    frontier = {result.pk}
    while frontier:
        frontier = (
            set(Result.objects.filter(parent_id__in=frontier).values_list("id", flat=True)) - found
        )
        found |= frontier
    return found


# Indicators --------------------------------------------------------------------------------


def _check_number(indicator: Indicator, value: Decimal | None, field: str) -> None:
    if value is None:
        return
    if indicator.measure == Measure.PERCENTAGE and not (0 <= value <= 100):
        raise ServiceError(_("A percentage lies between 0 and 100."), field=field)


def _check_indicator(indicator: Indicator) -> None:
    if not (indicator.text_en or "").strip():
        raise ServiceError(_("Write the indicator in English."), field="text_en")
    if indicator.is_qualitative:
        if indicator.baseline_value is not None:
            raise ServiceError(
                _("A qualitative indicator's baseline is written as text, not a number."),
                field="baseline_value",
            )
    elif indicator.baseline_text:
        raise ServiceError(
            _("Only a qualitative indicator takes a baseline in words; give a number."),
            field="baseline_text",
        )
    _check_number(indicator, indicator.baseline_value, "baseline_value")
    has_baseline = indicator.baseline_value is not None or bool(indicator.baseline_text)
    if has_baseline and indicator.baseline_year is None:
        raise ServiceError(_("Say in which year the baseline was measured."), field="baseline_year")


@transaction.atomic
def indicator_create(*, result: Result, by: User, **fields: Any) -> Indicator:
    _require_manager(by)
    _require_draft(result.strategy)
    indicator = Indicator(result=result, position=_next_position(result.indicators.all()))
    _apply(indicator, fields, INDICATOR_FIELDS)
    _check_indicator(indicator)
    return _save(indicator, by=by)


@transaction.atomic
def indicator_update(
    *, indicator: Indicator, by: User, expected_version: int | None = None, **fields: Any
) -> Indicator:
    _require_manager(by)
    _require_draft(indicator.result.strategy)
    claim_version(indicator, expected_version, _("indicator"))
    _apply(indicator, fields, INDICATOR_FIELDS)
    _check_indicator(indicator)
    if indicator.is_qualitative and indicator.targets.filter(value__isnull=False).exists():
        raise ServiceError(
            _("Its targets are numbers: a qualitative indicator takes targets in words."),
            field="measure",
        )
    return _save(indicator, by=by)


@transaction.atomic
def indicator_delete(
    *, indicator: Indicator, by: User, expected_version: int | None = None
) -> None:
    _require_manager(by)
    result = indicator.result
    _require_draft(result.strategy)
    if indicator.actuals.exists():
        raise ServiceError(_("Actuals were reported against this indicator: it cannot be deleted."))
    claim_version(indicator, expected_version, _("indicator"))
    indicator.delete()
    for position, other in enumerate(result.indicators.order_by("position", "id"), start=1):
        if other.position != position:
            other.position = position
            other.save(update_fields=["position"])


# Periods and targets -----------------------------------------------------------------------


def _require_unlocked(period: Period) -> None:
    # A row lock: a period cannot be locked between this check and the caller's save, and a
    # lock waits for this transaction (see period_lock, which counts actuals awaiting approval).
    locked = (
        Period.objects.select_for_update()
        .filter(pk=period.pk)
        .values_list("locked", flat=True)
        .first()
    )
    if locked:
        raise ServiceError(
            _("The period %(name)s is locked: nothing in it can change until it is unlocked.")
            % {"name": period.name}
        )


@transaction.atomic
def period_create(*, strategy: Strategy, by: User, **fields: Any) -> Period:
    _require_manager(by)
    period = Period(strategy=strategy)
    _apply(period, fields, PERIOD_FIELDS)
    _check_period(period)
    return _save(period, by=by)


@transaction.atomic
def period_update(
    *, period: Period, by: User, expected_version: int | None = None, **fields: Any
) -> Period:
    _require_manager(by)
    _require_unlocked(period)
    claim_version(period, expected_version, _("period"))
    _apply(period, fields, PERIOD_FIELDS)
    _check_period(period)
    return _save(period, by=by)


def _check_period(period: Period) -> None:
    if period.start and period.end and period.end < period.start:
        raise ServiceError(_("A period cannot end before it starts."), field="end")
    clash = Period.objects.filter(strategy=period.strategy, name=period.name).exclude(pk=period.pk)
    if clash.exists():
        raise ServiceError(
            _("This strategy already has a period named %(name)s.") % {"name": period.name},
            field="name",
        )


@transaction.atomic
def period_lock(*, period: Period, by: User) -> Period:
    """Freeze a reported period: its targets and actuals no longer change."""
    _require(can_manage_results(by), _("Only the evaluation unit locks periods."))
    period.refresh_from_db(from_queryset=Period.objects.select_for_update())
    _require_no_actual_awaiting(period)
    period.locked, period.locked_by, period.locked_at = True, by, timezone.now()
    period.version += 1  # a form opened before the lock no longer saves
    return _save(period, by=by)


def _require_no_actual_awaiting(period: Period) -> None:
    # Once locked, a submitted actual could be neither approved nor returned: it would be
    # stranded in the queue.
    waiting = list(
        ActualUpdate.objects.filter(period=period, state=ActualState.SUBMITTED)
        .select_related("indicator__result")
        .order_by("indicator__result__code", "indicator__position")
    )
    if not waiting:
        return
    labels = list(dict.fromkeys(update.indicator.label for update in waiting))
    indicators = ngettext("indicator %(labels)s", "indicators %(labels)s", len(labels)) % {
        "labels": ", ".join(labels)
    }
    raise ServiceError(
        ngettext(
            "%(count)d actual of %(period)s awaits approval (%(indicators)s): approve or "
            "return it before locking the period.",
            "%(count)d actuals of %(period)s await approval (%(indicators)s): approve or "
            "return them before locking the period.",
            len(waiting),
        )
        % {"count": len(waiting), "period": period.name, "indicators": indicators}
    )


@transaction.atomic
def period_unlock(*, period: Period, by: User) -> Period:
    _require(can_manage_results(by), _("Only the evaluation unit unlocks periods."))
    period.refresh_from_db(from_queryset=Period.objects.select_for_update())
    period.locked, period.locked_by, period.locked_at = False, None, None
    period.version += 1
    return _save(period, by=by)


def _same_strategy(indicator: Indicator, period: Period) -> None:
    if indicator.result.strategy_id != period.strategy_id:
        raise ServiceError(_("This period belongs to another strategy."), field="period")


def _check_value(indicator: Indicator, value: Decimal | None, text: str, field: str) -> None:
    if indicator.is_qualitative:
        if value is not None:
            raise ServiceError(
                _("This indicator is qualitative: write the value in words."), field=field
            )
        if not text.strip():
            raise ServiceError(_("Write the value in words."), field=field)
    else:
        if text.strip():
            raise ServiceError(
                _("This indicator is measured in numbers: give a number, not words."), field=field
            )
        if value is None:
            raise ServiceError(_("Give a number."), field=field)
        _check_number(indicator, value, field)


@transaction.atomic
def target_set(
    *,
    indicator: Indicator,
    period: Period,
    by: User,
    value: Decimal | None = None,
    text: str = "",
    expected_version: int | None = None,
) -> Target | None:
    """Set (or, given neither a value nor text, clear) the target for one period.

    EXPECTED_VERSION is the version of the target the form showed, 0 when it showed none:
    a target set, changed or cleared by someone else since is not overwritten.
    """
    _require_manager(by)
    _same_strategy(indicator, period)
    _require_unlocked(period)
    existing = _target_for(indicator, period)
    if existing is not None:
        claim_version(existing, expected_version, _("target"))
    elif expected_version:
        raise conflict(_("target"))
    if value is None and not text.strip():
        if existing:
            existing.delete()
        return None
    _check_value(indicator, value, text, "value")
    target = existing or Target(indicator=indicator, period=period)
    target.value, target.text = value, text.strip()
    return _save(target, by=by)


@dataclass(frozen=True)
class TargetEntry:
    """One period's target as a form sent it, with the version of the target it showed."""

    period: Period
    value: Decimal | None = None
    text: str = ""
    expected_version: int | None = None


class TargetsLockedError(ServiceError):
    """A form changed the target of periods locked since: it names them (PERIODS)."""

    def __init__(self, periods: list[Period]) -> None:
        names = ", ".join(period.name for period in periods)
        super().__init__(
            ngettext(
                "The period %(periods)s has been locked, so its target can no longer change: "
                "nothing was saved.",
                "The periods %(periods)s have been locked, so their targets can no longer "
                "change: nothing was saved.",
                len(periods),
            )
            % {"periods": names}
        )
        self.periods = periods


def _same_target(stored: Target | None, entry: TargetEntry) -> bool:
    if stored is None:
        return entry.value is None and not entry.text.strip()
    return stored.value == entry.value and stored.text == entry.text.strip()


@transaction.atomic
def targets_set(*, indicator: Indicator, by: User, entries: list[TargetEntry]) -> Indicator:
    """Set the targets of several periods at once: all of them, or (on any refusal) none.

    An entry for a locked period is fine if it repeats the stored target (a form opened
    after the lock, an untouched field); one that changes it refuses the whole set, naming
    every such period.
    """
    _require_manager(by)
    # Row locks, so that a period cannot be locked between this check and the saves below.
    rows = (
        Period.objects.select_for_update()
        .filter(pk__in=[entry.period.pk for entry in entries])
        .order_by("pk")
        .values_list("pk", "locked")
    )
    locked = {pk for pk, is_locked in rows if is_locked}
    stored = {t.period_id: t for t in Target.objects.filter(indicator=indicator)}
    changed = [
        entry.period
        for entry in entries
        if entry.period.pk in locked and not _same_target(stored.get(entry.period.pk), entry)
    ]
    if changed:
        raise TargetsLockedError(changed)
    for entry in entries:
        if entry.period.pk in locked:
            continue
        target_set(
            indicator=indicator,
            period=entry.period,
            by=by,
            value=entry.value,
            text=entry.text,
            expected_version=entry.expected_version,
        )
    return indicator


# Actuals -----------------------------------------------------------------------------------


def _target_for(indicator: Indicator, period: Period) -> Target | None:
    return Target.objects.filter(indicator=indicator, period=period).first()


def _require_variance_explained(update: ActualUpdate) -> None:
    gap = variance(update.indicator, _target_for(update.indicator, update.period), update.value)
    if gap and not update.variance_explanation.strip():
        raise ServiceError(
            _(
                "The actual differs from the target by %(gap)s: explain the variance before "
                "submitting it."
            )
            % {"gap": f"{gap.normalize():+f}"},
            field="variance_explanation",
        )


def _require_reportable(indicator: Indicator, period: Period) -> None:
    _same_strategy(indicator, period)
    strategy = indicator.result.strategy
    strategy.refresh_from_db(fields=["state"])
    if strategy.is_draft:
        raise ServiceError(_("Actuals are reported once the strategy is approved."))
    _require_unlocked(period)
    _require_started(period)


def _require_started(period: Period) -> None:
    if period.start > timezone.localdate():
        raise ServiceError(
            _("The period %(name)s starts on %(start)s: its actual can be reported from then.")
            % {"name": period.name, "start": period.start.isoformat()},
            field="period",
        )


@transaction.atomic
def actual_save(
    *,
    indicator: Indicator,
    period: Period,
    by: User,
    value: Decimal | None = None,
    text: str = "",
    variance_explanation: str = "",
    submit: bool = False,
    update: ActualUpdate | None = None,
    expected_version: int | None = None,
) -> ActualUpdate:
    """Record an actual as a draft (or edit a draft or returned one, as it was at
    EXPECTED_VERSION); with SUBMIT, send it for approval at once."""
    _require(can_report_actuals(by), _("Only the evaluation unit and focal points report actuals."))
    _require_reportable(indicator, period)
    if update is None:
        update = ActualUpdate(indicator=indicator, created_by=by)
    else:
        update.refresh_from_db(from_queryset=ActualUpdate.objects.select_for_update())
        if not update.is_editable:
            raise ServiceError(_("Only a draft or returned actual can be changed."))
        claim_version(update, expected_version, _("actual"))
    _check_value(indicator, value, text, "value")
    update.period = period
    update.value, update.text = value, text.strip()
    update.variance_explanation = variance_explanation.strip()
    if submit:
        _require_variance_explained(update)
        update.state = ActualState.SUBMITTED
        update.submitted_by, update.submitted_at = by, timezone.now()
    elif update.state == ActualState.RETURNED:
        update.state = ActualState.DRAFT
    return _save(update, by=by)


@transaction.atomic
def actual_submit(*, update: ActualUpdate, by: User) -> ActualUpdate:
    _require(can_report_actuals(by), _("Only the evaluation unit and focal points report actuals."))
    update.refresh_from_db(from_queryset=ActualUpdate.objects.select_for_update())
    if not update.is_editable:
        raise ServiceError(_("Only a draft or returned actual can be submitted."))
    _require_reportable(update.indicator, update.period)
    _require_variance_explained(update)
    update.state = ActualState.SUBMITTED
    update.submitted_by, update.submitted_at = by, timezone.now()
    update.version += 1  # a form opened before the submission no longer saves
    return _save(update, by=by)


def _require_second_key(update: ActualUpdate, by: User) -> None:
    # Two keys: whoever recorded or submitted an actual never approves or returns it.
    if by.pk in (update.created_by_id, update.submitted_by_id):
        raise ServiceError(
            _(
                "You recorded or submitted this actual yourself: another member of the "
                "evaluation unit must review it."
            )
        )


@transaction.atomic
def actual_approve(*, update: ActualUpdate, by: User, comment: str = "") -> ActualUpdate:
    _require(can_manage_results(by), _("Only the evaluation unit approves actuals."))
    update.refresh_from_db(from_queryset=ActualUpdate.objects.select_for_update())
    if update.state != ActualState.SUBMITTED:
        raise ServiceError(_("Only a submitted actual can be approved."))
    _require_second_key(update, by)
    _require_unlocked(update.period)
    _require_started(update.period)
    _require_variance_explained(update)
    update.state = ActualState.APPROVED
    update.decided_by, update.decided_at = by, timezone.now()
    update.decision_comment = comment.strip()
    update.version += 1
    return _save(update, by=by)


@transaction.atomic
def actual_return(*, update: ActualUpdate, by: User, comment: str) -> ActualUpdate:
    _require(can_manage_results(by), _("Only the evaluation unit returns actuals."))
    if not comment.strip():
        raise ServiceError(
            _("Say what must change before the actual can be approved."), field="comment"
        )
    update.refresh_from_db(from_queryset=ActualUpdate.objects.select_for_update())
    if update.state != ActualState.SUBMITTED:
        raise ServiceError(_("Only a submitted actual can be returned."))
    _require_second_key(update, by)
    _require_unlocked(update.period)
    update.state = ActualState.RETURNED
    update.decided_by, update.decided_at = by, timezone.now()
    update.decision_comment = comment.strip()
    update.version += 1
    return _save(update, by=by)


# Links from recommendations and actions ----------------------------------------------------


def _link_target(
    result: Result | None, indicator: Indicator | None
) -> tuple[Result, Indicator | None]:
    if indicator is not None:
        if result is not None and indicator.result_id != result.pk:
            raise ServiceError(_("This indicator measures another result."), field="indicator")
        return indicator.result, indicator
    if result is None:
        raise ServiceError(_("Choose a result or an indicator to link to."), field="result")
    return result, None


@transaction.atomic
def action_link(
    *,
    action: Action,
    by: User,
    result: Result | None = None,
    indicator: Indicator | None = None,
) -> ActionLink:
    """Record that ACTION serves RESULT (or moves INDICATOR, and so its result)."""
    _require(can_manage_results(by), _("Only the evaluation unit links actions to results."))
    result, indicator = _link_target(result, indicator)
    if ActionLink.objects.filter(action=action, result=result, indicator=indicator).exists():
        raise ServiceError(_("This action is already linked there."))
    return _save(
        ActionLink(action=action, result=result, indicator=indicator, created_by=by), by=by
    )


@transaction.atomic
def action_unlink(*, link: ActionLink, by: User) -> None:
    _require(can_manage_results(by), _("Only the evaluation unit links actions to results."))
    link.delete()


@transaction.atomic
def recommendation_link(
    *,
    recommendation: Recommendation,
    by: User,
    result: Result | None = None,
    indicator: Indicator | None = None,
) -> RecommendationLink:
    _require(
        can_manage_results(by), _("Only the evaluation unit links recommendations to results.")
    )
    result, indicator = _link_target(result, indicator)
    exists = RecommendationLink.objects.filter(
        recommendation=recommendation, result=result, indicator=indicator
    ).exists()
    if exists:
        raise ServiceError(_("This recommendation is already linked there."))
    return _save(
        RecommendationLink(
            recommendation=recommendation, result=result, indicator=indicator, created_by=by
        ),
        by=by,
    )


@transaction.atomic
def recommendation_unlink(*, link: RecommendationLink, by: User) -> None:
    _require(
        can_manage_results(by), _("Only the evaluation unit links recommendations to results.")
    )
    link.delete()


# Import from a workbook ---------------------------------------------------------------------


@transaction.atomic
def framework_import(*, strategy: Strategy, file: IO[bytes], by: User) -> dict[str, int]:
    """Create a draft strategy's logic model and PMF from an XLSX workbook (see the template).

    The whole workbook is read and checked first; if any row is wrong, FrameworkImportError
    lists every problem by sheet, row and column, and nothing is saved. The counts returned
    include "actuals_left": the rows of an Actuals sheet, which are never imported.
    """
    from .spreadsheets import read_framework

    _require_manager(by)
    _require_draft(strategy)
    if strategy.results.exists():
        raise ServiceError(
            _("This strategy already has a logic model: import into a strategy without one."),
            field="file",
        )
    framework = read_framework(file, strategy)
    created: dict[str, Result] = {}
    for row in sorted(framework.results, key=lambda r: r.level):
        created[row.code] = result_create(
            strategy=strategy,
            by=by,
            statement_en=row.statement_en,
            statement_fr=row.statement_fr,
            parent=created[row.parent_code] if row.parent_code else None,
        )
    periods = {p.name: p for p in Period.objects.filter(strategy=strategy)}
    for name, start, end in framework.periods:
        periods[name] = period_create(strategy=strategy, by=by, name=name, start=start, end=end)
    indicators: dict[tuple[str, int], Indicator] = {}
    for ind in framework.indicators:
        indicators[(ind.result_code, ind.number)] = indicator_create(
            result=created[ind.result_code], by=by, **ind.fields
        )
    for target in framework.targets:
        target_set(
            indicator=indicators[(target.result_code, target.number)],
            period=periods[target.period],
            by=by,
            value=target.value,
            text=target.text,
        )
    return {
        "results": len(framework.results),
        "periods": len(framework.periods),
        "indicators": len(framework.indicators),
        "targets": len(framework.targets),
        "actuals_left": framework.actuals_left,
    }
