"""The grammar of published management responses: text in, ParsedDocument out.

A document is a preamble (title, links, a table header) followed by recommendation blocks.
Each block opens with a numbered statement and holds the response in one of two shapes:
- narrative: labelled sections (Commitments, Actions, Responsibility centre, Target date);
- tabular: table cells run into lines (pipes, tabs, spaces or no separator at all), read
  as a stream of typed pieces (agreement, itemised action, deliverable, unit, date).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .agreement import (
    DISAGREE,
    detect_agreement,
    fold,
    is_bare_agreement,
    split_trailing_agreement,
)
from .dates import DateHit, date_in_cell, find_column_dates, is_date_only
from .lexicon import header_columns, section_heading, strip_metadata
from .model import (
    ParsedAction,
    ParsedDocument,
    ParsedRecommendation,
    ParsedResponse,
    UnplacedText,
)
from .normalise import normalise_text
from .title import propose_program, split_title
from .units import ACRONYM_RE, acronyms, loosely_same, same_unit, split_units, unit_like

# --- recommendation starts -------------------------------------------------------------------

_NUM = r"\d{1,2}(?:\.\d{1,2})*"
# "Recommendation 3: ...", "Recommandation no 2 -", "Recommendation 2 a) ..."
_EXPLICIT = re.compile(
    rf"^\s*(?:[#*]+\s*)?(?:recommendation|recommandation)\s*(?:no\.?|n[o°º]\.?|#|number|numéro)?"
    rf"\s*(?P<num>{_NUM}(?:\s?[a-z]\))?)(?![\d.]\d)\s*(?:[:.)\-–—]\s*|\s+|$)(?P<rest>.*)$",
    re.IGNORECASE,
)
# "1. Recommendation: ..." (UN evaluation resource centre)
_NUMBERED_LABEL = re.compile(
    rf"^\s*(?P<num>{_NUM})\s*[.)]?\s*(?:recommendation|recommandation)\s*(?:[:.\-–—]\s*|\s+|$)"
    rf"(?P<rest>.*)$",
    re.IGNORECASE,
)
# "1 | statement" or "1<TAB>statement": a table row
_CELL_ROW = re.compile(r"^\s*\|?\s*(?P<num>\d{1,2})\s*[.)]?\s*[|\t]\s*(?P<rest>.*)$")
# "1. Heading", "1) The Vice-President should ..."
_NUMBERED = re.compile(r"^\s*(?P<num>\d{1,2})\s*(?P<punct>[.)])\s+(?P<rest>\S.*)$")
# "1 PHAC should ..." (a table whose cells were joined by spaces)
_BARE = re.compile(r"^\s*(?P<num>\d{1,2})\s+(?P<rest>[A-ZÀ-Ý].*)$")


@dataclass
class _Start:
    line: int
    number: str
    rest: str
    kind: str


def _start_candidates(lines: list[str]) -> list[_Start]:
    out = []
    for i, raw in enumerate(lines):
        line = raw.strip()
        if not line:
            continue
        for kind, rx in (
            ("explicit", _EXPLICIT),
            ("label", _NUMBERED_LABEL),
            ("cell", _CELL_ROW),
            ("numbered", _NUMBERED),
            ("bare", _BARE),
        ):
            m = rx.match(line)
            if m:
                if kind == "numbered":
                    kind = "numbered" + m.group("punct")
                number = re.sub(r"\s+", " ", m.group("num")).strip()
                out.append(_Start(i, number, m.group("rest").strip(), kind))
                break
    return out


def _select_starts(cands: list[_Start]) -> list[_Start]:
    """Keep the starts that follow one numbering style in sequence."""
    explicit = [c for c in cands if c.kind in ("explicit", "label")]
    if explicit:
        return explicit
    # Implicit numbering: the style of the first "1", then 2, 3 ... in that same style, so that
    # footnotes ("1. All opinions ...") or a numbered list in a cell do not open blocks.
    chosen: list[_Start] = []
    for c in cands:
        if not chosen:
            if c.number == "1":
                chosen.append(c)
            continue
        if c.kind == chosen[0].kind and c.number == str(int(chosen[-1].number) + 1):
            chosen.append(c)
    return chosen


# --- pieces of a tabular block ---------------------------------------------------------------

_ITEM = re.compile(
    r"^\s*(?:(?P<num>\d{1,2}(?:\.\d{1,2})+)\.?|\(?(?P<letter>[a-z]|[ivx]{1,4})\)|"
    r"(?P<bullet>[-–—•▪◦*·●○■□➢►]))\s*(?=\S)"
)
_DASH_SPLIT = re.compile(r"\s+[-–—]\s+(?=\S)")
_SENTENCE_END = re.compile(
    r"(?<![A-Z])(?<!\b[A-Za-z])(?<!\bDr)(?<!\bMr)(?<!\bMs)(?<!\bSt)(?<!\bNo)(?<!\bvs)"
    r"[.!?;:]\s+(?=[A-ZÀ-Ý(«\"“])"
)
_SENTENCE_END_LOOSE = re.compile(r"(?<!\b[A-Za-z])[.!?;]\s+(?=[A-ZÀ-Ý(«\"“])")
_RECOMMENDING = re.compile(
    r"\b(?:should|must|recommend\w*|ought|devrait|devraient|doit|doivent|recommand\w*|"
    r"il\s+est\s+recommand\w*)\b",
    re.IGNORECASE,
)
_MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"


def _unglue(line: str) -> list[str]:
    """Put back the cell breaks an HTML-to-text copy dropped ("recommendation1.1GAC ...")."""
    line = re.sub(r"(?<=[a-z)])(?=\d{1,2}\.\d{1,2}\s?[A-Z])", "\n", line)
    line = re.sub(r"(?m)^(\d{1,2}\.\d{1,2})(?=[A-Z])", r"\1 ", line)
    line = re.sub(r"(?<=[a-z0-9)][.;])(?=[A-Z][A-Za-z])", " ", line)
    line = re.sub(rf"(?<=[A-Z])(?=(?:{_MONTHS})\s+\d)", " ", line)
    return [p for p in line.split("\n") if p.strip()]


def _sentences(text: str) -> list[str]:
    parts = _SENTENCE_END_LOOSE.split(text)
    return [p.strip() for p in parts if p.strip()]


def _split_statement(text: str) -> tuple[str, str]:
    """Split a cell into the recommendation statement and the response prose that follows."""
    sents = [s for s in re.split(r"(?<=[.!?])\s+(?=[A-ZÀ-Ý])", text) if s.strip()]
    if len(sents) <= 1:
        return text.strip(), ""
    last = 0
    for i, s in enumerate(sents[:4]):
        if _RECOMMENDING.search(s):
            last = i
    return " ".join(sents[: last + 1]).strip(), " ".join(sents[last + 1 :]).strip()


def _trailing_unit(text: str, itemised: bool) -> tuple[str, str]:
    """Split "action text. Unit name" into the text and the unit named at its end."""
    text = text.strip()
    cuts = [m.end() for m in _SENTENCE_END.finditer(text)]
    if cuts:
        head, tail = text[: cuts[-1]].strip(), text[cuts[-1] :].strip()
        if unit_like(tail):
            return head, tail.rstrip(" .")
        return text, ""
    if not itemised and unit_like(text):
        return "", text.rstrip(" .")
    if itemised:
        # "Develop the plan DSO": the unit is the trailing run of acronyms or capitalised words
        m = re.search(r"((?:\s+(?:[A-Z][A-Z0-9-]+|[A-Z][a-z]+|and|of|the|,))+)$", " " + text)
        if m and ACRONYM_RE.search(m.group(1)) and len(m.group(1).split()) < len(text.split()):
            tail = m.group(1).strip(" ,")
            if unit_like(tail):
                return text[: len(text) - len(tail)].strip(), tail
    return text, ""


def _heading_like(line: str) -> bool:
    """A short line without closing punctuation that names who acts, above its paragraphs."""
    t = line.strip()
    if not t or t[-1] in ".:;!?" or len(t.split()) > 12 or detect_agreement(t) is not None:
        return False
    return _standalone_unit(t) or (t[:1].isupper() and not re.search(r"\b(?:will|va|sera)\b", t))


def _standalone_unit(text: str) -> bool:
    """A cell or line that is only a unit name."""
    t = text.strip()
    if not t or t.endswith((":", "?")) or len(t.split()) > 25:
        return False
    if t.endswith(".") and len(t.split()) > 12:
        return False
    if not unit_like(t) or detect_agreement(t) is not None:
        return False
    words = [w for w in re.findall(r"[\w’'-]+", t) if len(w) > 3]
    first = fold(t.split()[0].strip(",")) if t.split() else ""
    from .units import _UNIT_WORDS  # local: the role words are part of units' vocabulary

    if _UNIT_WORDS.fullmatch(first):
        return True
    acr = acronyms(t)
    if acr and all(ACRONYM_RE.fullmatch(w) for w in re.findall(r"[\w-]+", t)):
        return True
    caps = sum(1 for w in words if w[:1].isupper())
    ratio = caps / len(words) if words else 0.0
    if ratio >= 0.75 and (_UNIT_WORDS.search(t) or acr):
        return True
    return bool(acr and len(t.split()) <= 8 and ratio >= 0.5)


@dataclass
class _Record:
    """One row of an action plan: an action (or a prose response), its units and its date."""

    text: str = ""
    itemised: bool = False
    units: list[str] = field(default_factory=list)
    date: DateHit | None = None
    deliverable: str | None = None
    notes: list[str] = field(default_factory=list)


@dataclass
class _Columns:
    roles: list[str]
    # one role per cell when the header row had cell separators
    cells: list[str | None] = field(default_factory=list)
    leading_pipe: bool = False

    def before(self, a: str, b: str) -> bool | None:
        if a in self.roles and b in self.roles:
            return self.roles.index(a) < self.roles.index(b)
        return None

    @property
    def unit_first(self) -> bool | None:
        return self.before("unit", "date")

    @property
    def has_accountability(self) -> bool:
        return "accountability" in self.roles and self.before("unit", "accountability") is True

    @property
    def has_deliverable(self) -> bool:
        return "deliverable" in self.roles


class _BlockState:
    """Collects a recommendation's parts while its pieces are read in order."""

    def __init__(self, columns: _Columns) -> None:
        self.columns = columns
        self.statement = ""
        self.body: list[str] = []
        self.sub_points: list[str] = []
        self.agreement: str | None = None
        self.commitment: list[str] = []
        self.records: list[_Record] = []
        self.notes: list[str] = []
        self.in_response = False
        # set while the dash-separated segment after an action is its deliverable
        self.expect_deliverable = False
        self.units_closed = False

    @property
    def current(self) -> _Record | None:
        return self.records[-1] if self.records else None

    def new_record(self, text: str = "", itemised: bool = False) -> _Record:
        rec = _Record(text=text, itemised=itemised)
        self.records.append(rec)
        self.units_closed = False
        return rec

    def set_agreement(self, text: str) -> None:
        value = detect_agreement(text)
        if value and self.agreement is None:
            self.agreement = value
        self.in_response = True

    def add_units(self, names: list[str]) -> None:
        rec = self.current
        if rec is None or (rec.units and rec.date is not None and self.units_closed):
            rec = self.new_record()
        if rec.units and self.columns.has_accountability:
            # a second unit cell after the responsibility column: the accountable executive
            rec.notes.extend(names)
            return
        if self.columns.has_accountability and len(names) > 1 and not rec.units:
            rec.units.extend(names[:-1])
            rec.notes.append(names[-1])
        else:
            rec.units.extend(names)
        self.in_response = True
        if rec.date is not None:
            self.units_closed = True

    def add_date(self, hit: DateHit) -> None:
        rec = self.current
        if rec is None or rec.date is not None:
            rec = self.new_record()
        rec.date = hit
        self.in_response = True
        if rec.units:
            self.units_closed = True

    def add_text(self, text: str) -> None:
        text = text.strip()
        if not text:
            return
        rec = self.current
        if self.expect_deliverable and rec is not None and rec.deliverable is None:
            rec.deliverable = text
            self.expect_deliverable = False
            return
        if not self.in_response:
            if _ITEM.match(text) or re.match(r"^\s*(?:[a-z]|[ivx]+|\d{1,2})[.)]\s", text):
                self.sub_points.append(text)
            elif self.agreement is None and detect_agreement(_sentences(text)[0] if text else ""):
                self.set_agreement(text)
                self.commitment.append(text)
            else:
                self.body.append(text)
            return
        if self.agreement is None and not self.records and len(text.split()) <= 40:
            value = detect_agreement(_sentences(text)[0])
            if value:
                self.agreement = value
        if rec is not None and rec.itemised and rec.date is None and not rec.units:
            # a continuation line of the action's text
            rec.text = (rec.text + " " + text).strip()
        elif self.records:
            self.notes.append(text)
        else:
            self.commitment.append(text)


def _read_segment(state: _BlockState, seg: str) -> None:
    """Read one cell or one dash-separated segment of a line."""
    seg = seg.strip()
    if not seg or re.fullmatch(r"[-:|\s]+", seg):
        return
    if is_bare_agreement(seg):
        state.set_agreement(seg)
        state.expect_deliverable = False
        return
    if is_date_only(seg):
        hit = date_in_cell(seg)
        if hit:
            state.add_date(hit)
            state.expect_deliverable = False
            return
    if state.in_response and _standalone_unit(seg) and not _ITEM.match(seg):
        state.add_units(split_units(seg))
        state.expect_deliverable = False
        return
    # a date run into the segment: split it from the text and the unit around it
    hit = _pick_date(seg, state.columns)
    if hit is not None:
        before, after = seg[: hit.start].strip(), seg[hit.end :].strip(" .,;")
        unit_first = state.columns.unit_first
        units: list[str] = []
        after_units = bool(after) and unit_first is not True and _after_is_unit(after)
        if after_units:
            units = split_units(after)
            after = ""
        item = bool(_ITEM.match(before))
        if not units and before and unit_first is not False:
            before, tail = _trailing_unit(before, itemised=item)
            if tail:
                units = [tail]
        if before:
            _read_text(state, before)
        if units:
            state.add_units(units)
        state.add_date(hit)
        if after and state.current is not None:
            state.current.notes.append(after)  # status or comment columns after the date
        state.expect_deliverable = False
        return
    _read_text(state, seg)


def _after_is_unit(after: str) -> bool:
    after = re.sub(r"^\(?[^)]*\)\s*", "", after) if after.startswith("(") else after
    return bool(after) and (unit_like(after) or _standalone_unit(after))


def _pick_date(seg: str, columns: _Columns) -> DateHit | None:
    hits = find_column_dates(seg)
    if not hits:
        return None
    unit_first = columns.unit_first
    for h in hits:
        before, after = seg[: h.start].strip(), seg[h.end :].strip(" .,;")
        at_end = not after or is_date_only(seg[h.start :])
        if unit_first is not False and before:
            if _trailing_unit(before, itemised=bool(_ITEM.match(before)))[1]:
                return h
        if unit_first is not True and after and _after_is_unit(after):
            return h
        if at_end:
            return h
    return None


def _read_text(state: _BlockState, text: str) -> None:
    m = _ITEM.match(text)
    if m and (state.in_response or m.group("num")):
        rest = text[m.end() :].strip()
        state.new_record(rest, itemised=True)
        state.in_response = True
        state.expect_deliverable = state.columns.has_deliverable
        return
    state.add_text(text)


def _read_line(state: _BlockState, line: str) -> None:
    """Read one line of a tabular block whose cells were joined by spaces or nothing."""
    for part in _unglue(line):
        segs = _DASH_SPLIT.split(part)
        if len(segs) > 1 or part.lstrip().startswith(("- ", "– ", "— ")):
            # dash-separated cells: an agreement or statement, then action, deliverable, ...
            first = segs[0].strip()
            lead = re.match(r"^\s*[-–—]\s+", first)
            if lead:
                first = first[lead.end() :]
                state.new_record(first, itemised=True)
                state.in_response = True
                state.expect_deliverable = state.columns.has_deliverable
                first = ""
            if first:
                _read_segment(state, first)
            for seg in segs[1:]:
                if state.expect_deliverable and state.current is not None:
                    _read_segment(state, seg)
                    continue
                # a further dash cell is another bulleted action
                state.in_response = True
                _read_segment(state, "- " + seg)
        else:
            _read_segment(state, part)


def _statement_from_first_line(state: _BlockState, first: str, cells: bool) -> None:
    """The block's opening line: its statement, then whatever response ran into it."""
    if cells:
        parts = [p.strip() for p in re.split(r"[|\t]", first)]
        parts = [p for p in parts if p]
        if parts:
            state.statement = parts[0]
            for p in parts[1:]:
                state.in_response = True
                _read_segment(state, p)
        return
    segs = _DASH_SPLIT.split(first, maxsplit=1)
    head = segs[0]
    rest = segs[1] if len(segs) > 1 else ""
    split = split_trailing_agreement(head)
    if split:
        head, word = split
    hit = None if split else _pick_date(head, state.columns)
    tail_text = ""
    if hit is not None:
        tail_text = head[hit.start :]
        head = head[: hit.start]
        head, unit = _trailing_unit(head, itemised=False)
        tail_text = ((unit + " ") if unit else "") + tail_text
    statement, response = _split_statement(head.strip())
    state.statement = statement
    if response:
        state.in_response = True
        state.add_text(response)
    if split:
        state.set_agreement(word)
    if tail_text.strip():
        state.in_response = True
        _read_segment(state, tail_text)
    if rest:
        _read_line(state, "- " + rest if split else rest)


# --- narrative blocks -------------------------------------------------------------------------


def _parse_sectioned(
    state: _BlockState, lines: list[tuple[int, str]], columns: _Columns
) -> tuple[list[ParsedResponse], int | None]:
    section = "body"
    commits: list[tuple[str | None, str]] = []  # (unit heading, statement)
    commit_unit: str | None = None
    action_unit: str | None = None
    actions: list[_Record] = []
    action_rows: list[_Record] = []
    pending: list[str] = []
    resp_units: list[str] = []
    dates: list[tuple[str | None, DateHit]] = []
    date_label: str | None = None
    local_cols: _Columns | None = None
    itemised = False

    def flush_pending_row() -> None:
        if pending:
            action_rows.append(_Record(text=" ".join(pending), itemised=True))
            pending.clear()

    for _, raw in lines:
        line = strip_metadata(raw)
        if not line:
            continue
        cols = header_columns(line)
        if cols and section in ("actions", "response", "body"):
            local_cols = _Columns(cols)
            section = "actions"
            continue
        head = section_heading(line)
        if head:
            section, value = head
            if section == "actions":
                itemised = True
            if not value:
                continue
            line = value
        if section == "body":
            if re.match(r"^\s*(?:[a-z]|[ivx]+)[.)]\s|^\s*[-•▪◦*·●]\s", line):
                state.sub_points.append(line)
            else:
                state.body.append(line)
        elif section == "response":
            agreement = detect_agreement(_sentences(line)[0])
            if agreement is None and _standalone_unit(line) and not line.endswith("."):
                commit_unit = line
                continue
            commits.append((commit_unit, line))
            if agreement and state.agreement is None:
                state.agreement = agreement
        elif section == "actions":
            if local_cols is not None:
                # a small table: action text lines, then "unit date status" rows
                hit = _pick_date(line, local_cols)
                before = line[: hit.start].strip() if hit else ""
                if hit is not None and (not before or _standalone_unit(before)):
                    rec = _Record(text=" ".join(pending), itemised=True)
                    pending.clear()
                    if before:
                        rec.units = split_units(before)
                    rec.date = hit
                    after = line[hit.end :].strip()
                    if after:
                        rec.notes.append(after)
                    action_rows.append(rec)
                elif _standalone_unit(line) and pending:
                    rec = _Record(text=" ".join(pending), itemised=True, units=split_units(line))
                    pending.clear()
                    action_rows.append(rec)
                else:
                    pending.append(line)
                continue
            if _heading_like(line):
                action_unit = line
                continue
            actions.append(
                _Record(text=line, itemised=True, units=[action_unit] if action_unit else [])
            )
        elif section == "unit":
            resp_units.extend(split_units(line))
        elif section == "date":
            hit = date_in_cell(line) if is_date_only(line) else None
            if hit is None:
                found = find_column_dates(line)
                if found and _standalone_unit(line[: found[0].start]):
                    dates.append((line[: found[0].start].strip(), found[0]))
                    continue
                date_label = line
                continue
            dates.append((date_label, hit))
            date_label = None
        elif section == "deliverable":
            if actions:
                actions[-1].deliverable = line
            else:
                state.notes.append(line)
        else:
            state.notes.append(line)
    if pending:
        flush_pending_row()
    actions.extend(action_rows)

    # one response per unit named as responsible; failing that, per unit that committed
    units: list[str] = []
    for u in resp_units or [u for r in actions for u in r.units]:
        if not any(same_unit(u, v) for v in units):
            units.append(u)
    if not units:
        for cu, _ in commits:
            if cu and not any(same_unit(cu, v) for v in units):
                units.append(cu)
    responses = [ParsedResponse(unit=u) for u in units]
    if not responses and (commits or actions or dates):
        responses = [ParsedResponse(unit=None)]
    used: set[int] = set()
    for resp in responses:
        mine = [
            i for i, (cu, _) in enumerate(commits)
            if cu and resp.unit and loosely_same(cu, resp.unit)
        ]  # fmt: skip
        picked = mine or (
            list(range(len(commits)))
            if len(responses) == 1 or not any(cu for cu, _ in commits)
            else []
        )
        used.update(picked)
        texts = [commits[i][1] for i in picked]
        resp.commitment = "\n".join(texts)
        for t in texts:
            agreed = detect_agreement(_sentences(t)[0])
            if agreed:
                resp.agreement = agreed
                break
        if resp.agreement is None:
            resp.agreement = state.agreement
    # A unit that committed but is not named as responsible gets no response of its own;
    # its commitment is kept as a note on the recommendation rather than dropped.
    for i, (cu, t) in enumerate(commits):
        if i not in used:
            state.notes.append(f"{cu}: {t}" if cu else t)
    _assign_dates(responses, dates)
    for rec in actions:
        targets = [
            r for r in responses if any(r.unit and loosely_same(u, r.unit) for u in rec.units)
        ]
        if not targets:
            targets = responses[:1] if len(responses) == 1 or not rec.units else []
        if not targets and rec.units:
            targets = [
                r for r in responses if r.unit and any(same_unit(u, r.unit) for u in rec.units)
            ]
        for r in targets or responses[:1]:
            written = rec.date.written if rec.date and rec.date.is_date else None
            if rec.date is None and len(r.target_dates) == 1:
                written = r.target_dates[0]  # one date for the unit covers each of its actions
            r.actions.append(
                ParsedAction(
                    text=rec.text,
                    responsibility_centre=r.unit or (rec.units[0] if rec.units else None),
                    target_date=written,
                    deliverable=rec.deliverable,
                )
            )
            r.add_date(written)
            r.notes.extend(rec.notes)
    count = len(actions) if (itemised and actions) else None
    return responses, count


def _assign_dates(responses: list[ParsedResponse], dates: list[tuple[str | None, DateHit]]) -> None:
    if not responses or not dates:
        return
    unlabelled = []
    for label, hit in dates:
        written = hit.written if hit.is_date else None
        target = None
        if label:
            target = next((r for r in responses if r.unit and loosely_same(label, r.unit)), None)
        if target is not None:
            target.add_date(written)
            continue
        unlabelled.append(written)
    if not unlabelled:
        return
    if len(unlabelled) == len(responses) and len(responses) > 1:
        for r, d in zip(responses, unlabelled, strict=True):
            r.add_date(d)
    else:
        for r in responses:
            for d in unlabelled:
                r.add_date(d)


def _responses_from_records(state: _BlockState) -> tuple[list[ParsedResponse], int | None]:
    responses: list[ParsedResponse] = []
    last_units: list[str] = []
    itemised = 0
    for rec in state.records:
        units = rec.units or last_units
        last_units = units
        if rec.itemised:
            itemised += 1
        for name in units or [None]:  # type: ignore[list-item]
            resp = None
            if name is not None:
                resp = next((r for r in responses if r.unit and same_unit(r.unit, name)), None)
            else:
                resp = next((r for r in responses if r.unit is None), None)
            if resp is None:
                resp = ParsedResponse(unit=name, agreement=state.agreement)
                responses.append(resp)
            written = rec.date.written if rec.date and rec.date.is_date else None
            resp.add_date(written)
            if rec.itemised or rec.text:
                resp.actions.append(
                    ParsedAction(
                        text=rec.text,
                        responsibility_centre=name,
                        target_date=written,
                        deliverable=rec.deliverable,
                    )
                )
            resp.notes.extend(rec.notes)
    if not responses and (state.agreement or state.commitment):
        responses.append(ParsedResponse(unit=None, agreement=state.agreement))
    commitment = "\n".join(state.commitment)
    for r in responses:
        r.commitment = commitment
    return responses, (itemised or None)


# --- document ---------------------------------------------------------------------------------

_BOILERPLATE = re.compile(
    r"^(?:language\s+selection|search|menu|skip\s+to\s+.*|success\s+message|error\s+message|"
    r"warn(?:ing)?\s+message|info\s+message|home|accueil|s[ée]lection\s+de\s+la\s+langue|"
    r"recherche|this\s+page\s+has\s+been\s+archived|cette\s+page\s+a\s+[ée]t[ée]\s+archiv[ée]e|"
    r"pdf\s+version.*|version\s+pdf.*|table\s+of\s+contents|table\s+des\s+mati[èe]res|"
    r"date\s+modified:?.*|date\s+de\s+modification:?.*)$",
    re.IGNORECASE,
)
_ARCHIVED = re.compile(r"^\s*(?:archived|archiv[ée]e?s?)\s*[-–—:]\s*", re.IGNORECASE)
_FR_WORDS = re.compile(
    r"\b(?:le|la|les|des|du|et|est|une|pour|dans|sur|avec|recommandation|direction|mesures)\b"
)
_EN_WORDS = re.compile(r"\b(?:the|and|of|to|is|for|with|should|will|recommendation|management)\b")


def guess_language(text: str) -> str:
    sample = text[:20000].lower()
    fr = len(_FR_WORDS.findall(sample))
    en = len(_EN_WORDS.findall(sample))
    return "fr" if fr > en else "en"


def _title(lines: list[str], stop: int) -> tuple[str | None, int | None]:
    for i, line in enumerate(lines[:stop]):
        t = line.strip().strip("#*").strip()
        if len(t) < 4 or _BOILERPLATE.match(t) or header_columns(t):
            continue
        return _ARCHIVED.sub("", t).strip() or None, i
    return None, None


def _is_complete(rec: ParsedRecommendation) -> bool:
    """A response names who acts or when; a bare statement is a copy cut short."""
    if any(r.unit or r.target_dates for r in rec.responses):
        return True
    return any(r.agreement == DISAGREE for r in rec.responses)


def parse_lines(lines: list[str], language: str | None, source_name: str) -> ParsedDocument:
    text = "\n".join(lines)
    language = language or guess_language(text)
    starts = _select_starts(_start_candidates(lines))
    first = starts[0].line if starts else len(lines)
    title, title_line = _title(lines, first if starts else min(len(lines), 10))
    parts = split_title(title, language)
    doc = ParsedDocument(
        title=title,
        language=language,
        source_lines=lines,
        source_name=source_name,
        evaluation_title=parts.title or None,
        period=parts.period,
        program=propose_program(parts.title),
    )

    columns = _Columns([])
    for i, line in enumerate(lines[:first]):
        cols = header_columns(line)
        if cols:
            columns = _Columns(cols, _cell_roles(line), line.lstrip().startswith("|"))
        elif i != title_line and re.search(r"\w", line) and not _BOILERPLATE.match(line.strip()):
            # (a line of rules, "---|---|", holds no text to keep)
            doc.unplaced.append(UnplacedText(line.strip(), (i + 1, i + 1)))

    recs: list[ParsedRecommendation] = []
    for k, st in enumerate(starts):
        end = starts[k + 1].line if k + 1 < len(starts) else len(lines)
        recs.append(_parse_block(lines, st, end, columns))

    # A number met twice (a summary list, then the action plan): keep the fuller one.
    kept: dict[str, ParsedRecommendation] = {}
    for rec in recs:
        key = rec.number or ""
        old = kept.get(key)
        if old is None or (not _is_complete(old) and _is_complete(rec)):
            if old is not None:
                doc.unplaced.append(UnplacedText(old.text, old.line_span))
            kept[key] = rec
        else:
            doc.unplaced.append(UnplacedText(rec.text, rec.line_span))
    recs = list(kept.values())
    # A copy that stops part-way leaves a last statement without its response.
    while recs and not _is_complete(recs[-1]):
        cut = recs.pop()
        body = "\n".join([cut.text, cut.body, *cut.sub_points]).strip()
        doc.unplaced.append(UnplacedText(body, cut.line_span))
    doc.recommendations = recs
    return doc


def _cell_roles(line: str) -> list[str | None]:
    if "|" not in line and "\t" not in line:
        return []
    parts = _split_cells(line, line.lstrip().startswith("|"))
    roles: list[str | None] = []
    for part in parts:
        found = header_columns(part + " x y", min_roles=1)
        roles.append(found[0] if found else None)
    return roles


def _split_cells(line: str, leading_pipe: bool) -> list[str]:
    parts = [p.strip() for p in re.split(r"[|\t]", line)]
    if parts and not parts[-1]:
        parts.pop()
    if leading_pipe and parts and not parts[0]:
        parts.pop(0)
    return parts


def _row_cells(line: str, columns: _Columns, opening: bool = False) -> list[str] | None:
    """The cells of a complete table row, or None when the line is not one."""
    if not columns.cells or ("|" not in line and "\t" not in line):
        return None
    parts = _split_cells(line, columns.leading_pipe and not opening)
    if opening and len(parts) == len(columns.cells) - 1 and columns.cells[0] is None:
        parts.insert(0, "")  # the number sat in its own "No." column
    if len(parts) != len(columns.cells):
        return None
    return parts


# A table row's cells are read in this order so that the action opens its record first.
_ROW_ORDER = ["recommendation", "response", "action", "deliverable", "unit", "date"]


def _read_row(state: _BlockState, cells: list[str], columns: _Columns, opening: bool) -> None:
    """Read a row whose cells line up with the header: each cell's role is its column's."""
    pairs = list(zip(columns.cells, cells, strict=True))
    pairs.sort(key=lambda rc: _ROW_ORDER.index(rc[0]) if rc[0] in _ROW_ORDER else 99)
    for role, cell in pairs:
        if not cell:
            continue
        if role == "recommendation":
            if opening and not state.statement:
                state.statement = cell
            else:
                state.body.append(cell)
        elif role == "response":
            state.set_agreement(_sentences(cell)[0])
            state.commitment.append(cell)
        elif role == "action":
            for part in _unglue(cell):
                m = _ITEM.match(part)
                state.new_record(part[m.end() :] if m else part, itemised=True)
            state.in_response = True
        elif role == "deliverable" and state.current is not None:
            state.current.deliverable = cell
        elif role == "unit":
            state.add_units(split_units(cell))
        elif role == "date":
            hit = date_in_cell(cell) if is_date_only(cell) else None
            hits = [hit] if hit else find_column_dates(cell)
            if hits and hits[0] is not None:
                state.add_date(hits[0])
            else:
                state.notes.append(cell)
        else:
            state.notes.append(cell)


def _parse_block(lines: list[str], st: _Start, end: int, columns: _Columns) -> ParsedRecommendation:
    block = [(i, lines[i]) for i in range(st.line + 1, end)]
    state = _BlockState(columns)
    narrative = any(section_heading(t) for _, t in block if t.strip())
    cells = st.kind == "cell" or any(
        ("|" in t or "\t" in t) for t in [st.rest] + [t for _, t in block]
    )
    first = st.rest
    rest_lines = [(i, t) for i, t in block if t.strip()]
    if not strip_metadata(first) and rest_lines and not section_heading(rest_lines[0][1]):
        first = rest_lines.pop(0)[1]
    if narrative:
        state.statement = strip_metadata(first).strip(" |")
        responses, count = _parse_sectioned(state, rest_lines, columns)
    else:
        if cells and _row_cells(first, columns, opening=True) is not None:
            _read_row(state, _row_cells(first, columns, opening=True) or [], columns, opening=True)
        else:
            _statement_from_first_line(state, first, cells)
        for _, t in rest_lines:
            row = _row_cells(t, columns) if cells else None
            if row is not None:
                _read_row(state, row, columns, opening=False)
            elif cells:
                for part in re.split(r"[|\t]", t):
                    if part.strip():
                        for p in _unglue(part):
                            _read_segment(state, p)
            else:
                _read_line(state, t)
        responses, count = _responses_from_records(state)
    last = max([st.line] + [i for i, _ in block if lines[i].strip()])
    rec = ParsedRecommendation(
        number=st.number,
        text=state.statement.strip(),
        body="\n".join(state.body),
        sub_points=state.sub_points,
        responses=responses,
        notes=state.notes,
        line_span=(st.line + 1, last + 1),
        action_count=count,
    )
    return rec


def parse_text_lines(text: str, language: str | None, source_name: str) -> ParsedDocument:
    return parse_lines(normalise_text(text).split("\n"), language, source_name)
