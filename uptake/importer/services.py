"""Turn a parsed management response into an evaluation, through the evaluation services.

The console command and the review screen both end here: `import_plan` creates the
evaluation, its recommendations, each unit's response and its actions with the same
functions people use on the pages, inside one transaction, so that a refusal anywhere
leaves nothing behind. Text the parser could not place is kept as a note on the nearest
recommendation, never dropped.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field, replace
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from uptake.accounts.models import Unit, User
from uptake.accounts.permissions import can_manage_evaluations
from uptake.accounts.selectors import unit_find
from uptake.accounts.services import unit_create
from uptake.core.search import fold, name_key
from uptake.errors import ServiceError
from uptake.evaluations import services as evaluations
from uptake.evaluations.models import Agreement, Evaluation, EvaluationState

from .models import ImportSession
from .parsing import ParsedAction, ParsedDocument, ParsedRecommendation, ParsedResponse
from .parsing.units import same_unit

# An action whose document gives no date still needs one "as written": the quality check
# flags this text until someone enters the real date.
MISSING_DATE = "Not stated"
SESSION_LIFETIME = datetime.timedelta(days=7)

# "Director, Fisheries Directorate (FD)": the part before the comma is a role, not a unit.
_ROLE = re.compile(
    r"\b(?:director|directeur|directrice|manager|gestionnaire|chief|head|chef|minister|"
    r"ministre|president|président|officer|coordinator|coordonnateur|lead|executive|"
    r"sous-ministre|e\.\s?d\.?|dg|adm|sma|vp)\b",
    re.IGNORECASE,
)
_UNIT_WORD = re.compile(
    r"\b(?:branch|directorate|division|bureau|office|centre|center|program|programme|section|"
    r"unit|unité|secretariat|secrétariat|agency|agence|direction|service|mission|embassy)\b",
    re.IGNORECASE,
)
_PARENS_CODE = re.compile(r"\(([A-Za-z][A-Za-z0-9\-]{1,39})\)")
_ACRONYM = re.compile(r"\b([A-Z][A-Z0-9]+(?:-[A-Z0-9]+)*)\b")
_CODE_LENGTH = 40  # Unit.code's max_length, and the longest code in parentheses above

# Where a unit is written with its code and the code of the place it sits in:
# "Name (CODE) PLACE", "Name CODE (PLACE)", "Name (CODE)", "CODE (PLACE)", "CODE".
_C = r"[A-Z][A-Z0-9]+(?:[-/][A-Z0-9]+)*"
_CODE_SHAPES = [
    re.compile(rf"^(?P<name>.*?)\s*\((?P<code>{_C})\)\s+(?P<place>{_C})$"),
    re.compile(rf"^(?P<name>(?:.*\s)?)(?P<code>{_C})\s*\((?P<place>{_C})\)$"),
    re.compile(rf"^(?P<name>.*?)\s*\((?P<code>{_C})\)$"),
    re.compile(rf"^(?P<name>)(?P<code>{_C})$"),
]
# A role written after the unit's name: "Peru Development Program Director NDP".
_ROLE_AFTER = re.compile(
    r"^(?P<name>.+?)[\s,]+(?P<role>(?:(?:deputy|assistant|associate|senior|executive|acting|"
    r"regional)\s+)*(?:director(?:[\s-]general)?|directeur(?:\s+g[ée]n[ée]ral)?|"
    r"directrice(?:\s+g[ée]n[ée]rale)?|manager|gestionnaire|head|chief|chef|lead|"
    r"coordinator|coordonnat(?:eur|rice)))$",
    re.IGNORECASE,
)
# A role in parentheses after the name: "Centre for Evaluation (Head of Evaluation)".
_ROLE_IN_PARENS = re.compile(r"\s*\((?P<role>[^()]+)\)$")
# Partners named after the unit are not part of it: "KSI with the support of SGS".
_PARTNERS = re.compile(
    r"\s+(?:in\s+(?:coordination|collaboration|consultation)\s+with|"
    r"with\s+(?:the\s+)?(?:support|help|assistance)\s+of|"
    r"en\s+(?:coordination|collaboration|consultation)\s+avec|avec\s+l[’']appui\s+d)\b.*$",
    re.IGNORECASE,
)
# Words left out of a code made of initials.
_MINOR_WORDS = frozenset(
    "a an and at by for from in of on the to with au aux d de des du en et l la le les "
    "pour sur".split()
)


# Units -------------------------------------------------------------------------------------


def split_role(text: str) -> tuple[str, str]:
    """("Director", "Fisheries Directorate (FD)") from "Director, Fisheries Directorate (FD)"."""
    text = " ".join((text or "").split())
    head, sep, rest = text.partition(",")
    if sep and rest.strip():
        bare = _PARENS_CODE.sub(" ", head)
        if _ROLE.search(bare) and not _UNIT_WORD.search(bare):
            return head.strip(), rest.strip()
    return "", text


@dataclass(frozen=True)
class Centre:
    """A responsibility centre as written, read into its parts."""

    role: str  # "Director"
    name: str  # "Peru Development Program"
    code: str  # "NDP", written in the text, or ""
    place: str  # "LIMA-DA": the code of where the unit sits, or ""


def read_centre(text: str) -> Centre:
    """The role, unit name, unit code and place code in a responsibility centre as written:
    "Peru Development Program Director NDP (LIMA-DA)" is the Director of the Peru Development
    Program (NDP), which sits in LIMA-DA."""
    role, rest = split_role(text)
    rest = _PARTNERS.sub("", rest).strip(" ,;:-–")
    roles = [role] if role else []
    name, code, place = rest, "", ""
    for shape in _CODE_SHAPES:
        match = shape.match(rest)
        if match and len(match["code"]) <= _CODE_LENGTH:
            name, code = match["name"].strip(" ,;:-–"), match["code"]
            place = match.groupdict().get("place") or ""
            break
    else:
        in_parens = _ROLE_IN_PARENS.search(name)
        if in_parens and _ROLE.search(in_parens["role"].split()[0]):
            roles.append(in_parens["role"].strip())
            name = name[: in_parens.start()].strip()
        # A code written elsewhere in a name that is not all capitals ("UN Agencies and …").
        if any(c.islower() for c in name):
            code = next((a for a in _ACRONYM.findall(name) if len(a) <= _CODE_LENGTH), "")
    after = _ROLE_AFTER.match(name)
    if after and len(after["name"].split()) >= 2 and (code or _UNIT_WORD.search(after["name"])):
        roles.append(after["role"])
        name = after["name"].strip(" ,;:-–")
    elif code and _ROLE_AFTER.match(f"x {name}"):
        roles.append(name)  # "Director NDP (LIMA-DA)": the role and the unit's code only
        name = ""
    return Centre(role=", ".join(roles), name=name or code, code=code, place=place)


def initials_code(name: str) -> str:
    """A short code for a unit known only by its name: the initials of its significant words
    ("International Assistance Policy Coordination" → "IAPC"), from the first part of a name
    that lists where the unit sits after commas."""
    first = name.split(",")[0]
    words = [
        w.split("’")[-1].split("'")[-1] for w in re.findall(r"[^\W\d_]+(?:['’][^\W\d_]+)?", first)
    ]
    significant = [w for w in words if w and fold(w) not in _MINOR_WORDS]
    if len(significant) >= 2:
        code = "".join(fold(w[0]) for w in significant).upper()
    elif significant:
        word = fold(significant[0]).upper()
        code = word if len(word) <= 12 else word[:3]
    else:
        code = "UNIT"
    return code[:_CODE_LENGTH]


@dataclass(frozen=True)
class UnitProposal:
    """A unit the document names that Uptake does not know yet, as it would be created."""

    key: str  # the proposed code, upper case: spellings that share it are one unit
    code: str
    name: str
    texts: tuple[str, ...] = ()
    role: str = ""  # kept on the actions, not in the unit's name
    place: str = ""  # the code written for where it sits ("LIMA-DA")
    parent: Unit | None = None  # the existing unit that code names
    written: bool = True  # False for a code made of the name's initials


def propose_unit(text: str) -> UnitProposal:
    """A code and an English name for a new unit, from the text that names it: the code
    written in it, else the initials of its name; a role is left out of the name."""
    centre = read_centre(text)
    code = centre.code or initials_code(centre.name)
    return UnitProposal(
        key=code.upper(),
        code=code,
        name=(centre.name or code)[:300],
        texts=(text,),
        role=centre.role,
        place=centre.place,
        written=bool(centre.code),
    )


def unit_match(text: str) -> Unit | None:
    """The existing unit TEXT names, with or without a role before it. A unit found only by
    the code of the place it sits in ("… NDP (LIMA-DA)" where only LIMA-DA is known) is that
    unit's parent, not the unit."""
    centre = read_centre(text)
    if centre.code:
        unit = Unit.objects.filter(code__iexact=centre.code).first()
        if unit is not None:
            return unit
    _, rest = split_role(text)
    for candidate in dict.fromkeys((rest, text, centre.name)):
        unit = unit_find(candidate)
        if unit is not None and not (centre.place and unit.code.lower() == centre.place.lower()):
            return unit
    return None


def _unit_texts(parsed: ParsedDocument) -> list[str]:
    texts: list[str] = []
    for rec in parsed.recommendations:
        for resp in rec.responses:
            texts.append(resp.unit or "")
            texts.extend(a.responsibility_centre or "" for a in resp.actions)
    return [t.strip() for t in dict.fromkeys(texts) if t and t.strip()]


def _free_code(code: str, taken: set[str]) -> str:
    """CODE, or CODE with the first digit that makes it unused by a unit or a proposal."""
    candidate, n = code, 1
    while candidate.upper() in taken or Unit.objects.filter(code__iexact=candidate).exists():
        n += 1
        candidate = f"{code[: _CODE_LENGTH - len(str(n))]}{n}"
    return candidate


def unit_proposals(parsed: ParsedDocument) -> list[UnitProposal]:
    """The units the document names that match no existing unit: one per unit, however
    many ways it is written ("Roads Office (RO)", "RO", "Roads Office"). A code made of
    initials is unique among existing units and the other proposals."""
    found: dict[str, UnitProposal] = {}
    for text in _unit_texts(parsed):
        if unit_match(text) is not None:
            continue
        proposal = propose_unit(text)
        old = next((p for p in found.values() if any(same_unit(text, t) for t in p.texts)), None)
        if old is None and proposal.written:
            old = found.get(proposal.key)
        if old is None and not proposal.written:
            # Spellings of one name ("Domestic Policy Directorate in coordination with …")
            old = next(
                (p for p in found.values() if name_key(p.name) == name_key(proposal.name)),
                None,
            )
        if old is not None:
            found[old.key] = replace(
                old,
                texts=(*old.texts, text),
                role=old.role or proposal.role,
                place=old.place or proposal.place,
            )
            continue
        if not proposal.written:
            code = _free_code(proposal.code, set(found))
            proposal = replace(proposal, key=code.upper(), code=code)
        found[proposal.key] = proposal
    places = {p.place.lower() for p in found.values() if p.place}
    parents = {u.code.lower(): u for u in Unit.objects.filter(code__in=places)} if places else {}
    if len(parents) < len(places):
        for place in places - set(parents):
            unit = Unit.objects.filter(code__iexact=place).first()
            if unit is not None:
                parents[place] = unit
    return [replace(p, parent=parents.get(p.place.lower())) for p in found.values()]


# Choices and report ------------------------------------------------------------------------


@dataclass
class UnitDecision:
    """What to do with one unknown unit: map it to an existing unit, or create it."""

    unit: Unit | None = None
    code: str = ""
    name: str = ""
    parent: Unit | None = None  # of the unit to create


@dataclass
class ImportChoices:
    # By UnitProposal.key. Unknown units without a decision are created as proposed,
    # unless create_units is off, in which case the import is refused.
    units: dict[str, UnitDecision] = field(default_factory=dict)
    default_agreement: str | None = None
    create_units: bool = True


@dataclass
class ImportReport:
    """What an import did, for the console's summary."""

    recommendations: int = 0
    responses: int = 0
    actions: int = 0
    units_matched: list[str] = field(default_factory=list)
    units_created: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    unplaced: int = 0


# Checks before anything is written ---------------------------------------------------------


def _numbers(parsed: ParsedDocument) -> list[str]:
    """Each recommendation's number, a missing one replaced by the first free integer."""
    written = [(r.number or "").strip() for r in parsed.recommendations]
    taken = {n for n in written if n}
    numbers: list[str] = []
    for number in written:
        if not number:
            candidate = 1
            while str(candidate) in taken:
                candidate += 1
            number = str(candidate)
            taken.add(number)
        numbers.append(number)
    return numbers


def _check_numbers(numbers: list[str]) -> None:
    seen: set[str] = set()
    for number in numbers:
        if number in seen:
            raise ServiceError(
                _(
                    "The document numbers two recommendations %(number)s. Give each "
                    "recommendation its own number."
                )
                % {"number": number},
                field="number",
            )
        seen.add(number)


def undetermined_agreements(parsed: ParsedDocument) -> list[str]:
    """Where the document does not say whether the unit agrees: "Recommendation 2 (FCD)"."""
    missing: list[str] = []
    for number, rec in zip(_numbers(parsed), parsed.recommendations, strict=True):
        for resp in rec.responses:
            if resp.unit and resp.unit.strip() and resp.agreement not in Agreement.values:
                missing.append(
                    _("Recommendation %(number)s (%(unit)s)")
                    % {"number": number, "unit": resp.unit.strip()}
                )
    return missing


# The import --------------------------------------------------------------------------------


class _Units:
    """Resolves unit texts to units once per import, creating new ones as decided."""

    def __init__(self, *, by: User, choices: ImportChoices, parsed: ParsedDocument) -> None:
        self.by = by
        self.choices = choices
        self.language = parsed.language
        # Which proposal (and so which decision) each spelling of an unknown unit belongs to.
        self.proposal_of = {t: p for p in unit_proposals(parsed) for t in p.texts}
        self.cache: dict[str, Unit] = {}
        self.created: dict[str, Unit] = {}
        self.matched: dict[str, Unit] = {}

    def get(self, text: str) -> Unit:
        text = text.strip()
        if text in self.cache:
            return self.cache[text]
        proposal = self.proposal_of.get(text) or propose_unit(text)
        decision = self.choices.units.get(proposal.key)
        unit = decision.unit if decision and decision.unit else None
        if unit is None and decision is None:
            unit = unit_match(text)
            if unit is not None:
                self.matched[unit.code] = unit
        if unit is None:
            if decision is None and not self.choices.create_units:
                raise ServiceError(
                    _("No unit matches “%(text)s”. Map it to an existing unit or create it.")
                    % {"text": text},
                    field="unit",
                )
            code = (decision.code if decision and decision.code else proposal.code).strip()
            name = (decision.name if decision and decision.name else proposal.name).strip()
            parent = decision.parent if decision else proposal.parent
            unit = self.created.get(code.upper())
            if unit is None:
                unit = unit_create(
                    by=self.by,
                    code=code,
                    name_en=name,
                    name_fr=name if self.language == "fr" else "",
                    parent=parent,
                )
                self.created[code.upper()] = unit
        self.cache[text] = unit
        return unit


@dataclass
class _Response:
    unit: Unit
    written: str
    agreement: str | None
    commitment: list[str] = field(default_factory=list)
    rationale: list[str] = field(default_factory=list)
    actions: list[ParsedAction] = field(default_factory=list)


def _join(parts: list[str]) -> str:
    return "\n\n".join(dict.fromkeys(p.strip() for p in parts if p and p.strip()))


def _merge_responses(rec: ParsedRecommendation, units: _Units, notes: list[str]) -> list[_Response]:
    """One response per unit: two spellings of one unit in a recommendation become one."""
    merged: dict[int, _Response] = {}
    for resp in rec.responses:
        written = (resp.unit or "").strip()
        if not written:
            notes.append(_unitless_note(resp))
            continue
        unit = units.get(written)
        current = merged.get(unit.pk)
        if current is None:
            current = merged[unit.pk] = _Response(
                unit=unit, written=written, agreement=resp.agreement
            )
        elif resp.agreement and current.agreement and resp.agreement != current.agreement:
            notes.append(
                _("%(unit)s is written with two different agreements; “%(kept)s” was kept.")
                % {"unit": unit.code, "kept": current.agreement}
            )
        current.agreement = current.agreement or resp.agreement
        current.commitment.append(resp.commitment)
        current.rationale.append(resp.rationale)
        current.actions.extend(resp.actions)
        notes.extend(f"{unit.code}: {n}" for n in resp.notes if n.strip())
        if resp.target_dates and not resp.actions:
            notes.append(
                _("Target completion date given for %(unit)s without an action: %(dates)s")
                % {"unit": unit.code, "dates": "; ".join(resp.target_dates)}
            )
    return list(merged.values())


def _unitless_note(resp: ParsedResponse) -> str:
    parts = [
        _("A response that names no unit"),
        resp.agreement or "",
        resp.commitment,
        resp.rationale,
        *(a.text for a in resp.actions),
        "; ".join(resp.target_dates),
    ]
    return ": ".join([parts[0], " ".join(p.strip() for p in parts[1:] if p and p.strip())])


def _with_notes(body: str, notes: list[str]) -> str:
    notes = [n.strip() for n in dict.fromkeys(notes) if n and n.strip()]
    if not notes:
        return body
    block = _("Imported notes:") + "\n" + "\n".join(f"- {n}" for n in notes)
    return f"{body.strip()}\n\n{block}" if body.strip() else block


def _unplaced_by_recommendation(parsed: ParsedDocument) -> dict[int, list[str]]:
    """Each piece of unplaced text goes to the recommendation it follows (or the first)."""
    placed: dict[int, list[str]] = {}
    for item in parsed.unplaced:
        index = 0
        for i, rec in enumerate(parsed.recommendations):
            if rec.line_span[0] and rec.line_span[0] <= item.line_span[0]:
                index = i
        start, end = item.line_span
        where = (
            _("line %(line)d") % {"line": start}
            if start == end
            else _("lines %(start)d–%(end)d") % {"start": start, "end": end}
        )
        placed.setdefault(index, []).append(f"({where}) {item.text}")
    return placed


def imported_state(parsed: ParsedDocument) -> EvaluationState:
    """The state importing PARSED leaves the evaluation in: recording a unit's response starts
    the management response, so any response that names a unit means "response in
    preparation"; with none the evaluation stays a draft."""
    if any((resp.unit or "").strip() for rec in parsed.recommendations for resp in rec.responses):
        return EvaluationState.RESPONSE_IN_PREPARATION
    return EvaluationState.DRAFT


def import_plan(
    *,
    parsed: ParsedDocument,
    by: User,
    choices: ImportChoices | None = None,
    report: ImportReport | None = None,
) -> Evaluation:
    """Create an evaluation with everything PARSED holds, or nothing at all; its state is
    imported_state(PARSED).

    Raises ServiceError (nothing written) for two recommendations with one number, a
    response whose agreement the document does not state (unless CHOICES gives a default),
    or anything the evaluation services refuse.
    """
    if not can_manage_evaluations(by):
        raise PermissionDenied(_("Only the evaluation unit imports management responses."))
    choices = choices or ImportChoices()
    report = report if report is not None else ImportReport()
    default = choices.default_agreement
    if default is not None and default not in Agreement.values:
        raise ServiceError(
            _("The default agreement must be agree, partially_agree or disagree."),
            field="agreement",
        )
    if not parsed.recommendations:
        raise ServiceError(_("The document holds no recommendation to import."))
    numbers = _numbers(parsed)
    _check_numbers(numbers)
    missing = undetermined_agreements(parsed)
    if missing and default is None:
        raise ServiceError(
            _(
                "The document does not say whether the unit agrees for: %(where)s. Choose "
                "the agreement for each, or give a default agreement."
            )
            % {"where": "; ".join(missing)},
            field="agreement",
        )
    with transaction.atomic():
        return _import(parsed, by, choices, report, numbers)


def _import(
    parsed: ParsedDocument,
    by: User,
    choices: ImportChoices,
    report: ImportReport,
    numbers: list[str],
) -> Evaluation:
    title = (parsed.evaluation_title or parsed.title or "").strip() or parsed.source_name
    evaluation = evaluations.evaluation_create(
        by=by,
        title_en=title[:500],
        title_fr=title[:500] if parsed.language == "fr" else "",
        period=(parsed.period or "").strip()[:100],
        program=(parsed.program or "").strip()[:300],
    )
    units = _Units(by=by, choices=choices, parsed=parsed)
    unplaced = _unplaced_by_recommendation(parsed)
    report.unplaced = len(parsed.unplaced)
    for index, (number, rec) in enumerate(zip(numbers, parsed.recommendations, strict=True)):
        notes = list(rec.notes) + unplaced.get(index, [])
        responses = _merge_responses(rec, units, notes)
        plans: list[tuple[_Response, str, str]] = []
        for resp in responses:
            agreement = resp.agreement
            if agreement not in Agreement.values:
                agreement = str(choices.default_agreement)
                notes.append(
                    _(
                        "The document does not say whether %(unit)s agrees; “%(agreement)s” "
                        "was recorded at import."
                    )
                    % {"unit": resp.unit.code, "agreement": agreement}
                )
            rationale = _join(resp.rationale)
            if agreement != Agreement.AGREES and not rationale:
                rationale = _join(resp.commitment) or _("No reason is given in the document.")
                notes.append(
                    _(
                        "The document gives no separate reason for %(unit)s's answer; its "
                        "commitment is used as the rationale."
                    )
                    % {"unit": resp.unit.code}
                )
            plans.append((resp, agreement, rationale))
        statement = rec.text.strip() or _("Recommendation %(number)s") % {"number": number}
        recommendation = evaluations.recommendation_create(
            evaluation=evaluation,
            by=by,
            number=number,
            statement=statement,
            body=_with_notes(rec.body, notes),
            sub_points=rec.sub_points,
        )
        report.recommendations += 1
        report.notes.extend(f"{number}: {n}" for n in dict.fromkeys(notes) if n.strip())
        for resp, agreement, rationale in plans:
            response = evaluations.response_create(
                recommendation=recommendation,
                by=by,
                unit=resp.unit,
                agreement=agreement,
                commitment=_join(resp.commitment),
                rationale=rationale,
            )
            report.responses += 1
            for action in resp.actions:
                if not action.text.strip():
                    continue
                centre = (action.responsibility_centre or "").strip()
                role = read_centre(centre).role[:300] if centre else ""
                unit = units.get(centre) if centre else None
                evaluations.action_create(
                    response=response,
                    by=by,
                    text=action.text,
                    target_date_text=(action.target_date or "").strip()[:100] or MISSING_DATE,
                    deliverable=action.deliverable or "",
                    unit=unit,
                    role=role,
                    role_fr=role if parsed.language == "fr" else "",
                )
                report.actions += 1
    report.units_created = sorted(u.code for u in units.created.values())
    report.units_matched = sorted(
        {u.code for u in units.cache.values()} - set(report.units_created)
    )
    evaluation.refresh_from_db()
    return evaluation


# Uploads awaiting review -------------------------------------------------------------------


@transaction.atomic
def import_session_create(
    *, by: User, file_name: str, parsed: dict[str, Any], source_text: str
) -> ImportSession:
    """Keep an upload until it is reviewed; uploads older than a week are removed."""
    if not can_manage_evaluations(by):
        raise PermissionDenied(_("Only the evaluation unit imports management responses."))
    ImportSession.objects.filter(created_at__lt=timezone.now() - SESSION_LIFETIME).delete()
    return ImportSession.objects.create(
        created_by=by, file_name=file_name[:255], parsed=parsed, source_text=source_text
    )


@transaction.atomic
def import_session_confirm(
    *,
    session: ImportSession,
    parsed: ParsedDocument,
    by: User,
    choices: ImportChoices,
    report: ImportReport | None = None,
) -> Evaluation:
    """Import the reviewed document and forget the upload, in one transaction."""
    # Locked first, so that two reviewers confirming the same upload import it once.
    if not ImportSession.objects.select_for_update().filter(pk=session.pk).first():
        raise ServiceError(
            _(
                "This upload has already been imported, or has expired. Look for the "
                "evaluation in the list, or upload the document again."
            )
        )
    evaluation = import_plan(parsed=parsed, by=by, choices=choices, report=report)
    ImportSession.objects.filter(pk=session.pk).delete()
    return evaluation
