"""The parsed structure of a management response, as plain dataclasses."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .title import propose_program, split_title


@dataclass
class ParsedAction:
    text: str
    responsibility_centre: str | None = None
    target_date: str | None = None  # as written
    deliverable: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "responsibility_centre": self.responsibility_centre,
            "target_date": self.target_date,
            "deliverable": self.deliverable,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ParsedAction:
        return cls(
            text=data.get("text") or "",
            responsibility_centre=data.get("responsibility_centre"),
            target_date=data.get("target_date"),
            deliverable=data.get("deliverable"),
        )


@dataclass
class ParsedResponse:
    unit: str | None
    agreement: str | None = None  # 'agree' | 'partially_agree' | 'disagree' | None
    commitment: str = ""
    rationale: str = ""
    actions: list[ParsedAction] = field(default_factory=list)
    target_dates: list[str] = field(default_factory=list)  # as written, each once
    notes: list[str] = field(default_factory=list)

    def add_date(self, written: str | None) -> None:
        if written and written not in self.target_dates:
            self.target_dates.append(written)

    def to_dict(self) -> dict[str, Any]:
        return {
            "unit": self.unit,
            "agreement": self.agreement,
            "commitment": self.commitment,
            "rationale": self.rationale,
            "actions": [a.to_dict() for a in self.actions],
            "target_dates": list(self.target_dates),
            "notes": list(self.notes),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ParsedResponse:
        return cls(
            unit=data.get("unit"),
            agreement=data.get("agreement"),
            commitment=data.get("commitment") or "",
            rationale=data.get("rationale") or "",
            actions=[ParsedAction.from_dict(a) for a in data.get("actions") or []],
            target_dates=list(data.get("target_dates") or []),
            notes=list(data.get("notes") or []),
        )


@dataclass
class ParsedRecommendation:
    number: str | None
    text: str  # the whole statement
    body: str = ""
    sub_points: list[str] = field(default_factory=list)
    responses: list[ParsedResponse] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    line_span: tuple[int, int] = (0, 0)  # 1-based, inclusive
    # None where the document does not itemise actions (a prose response only)
    action_count: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "number": self.number,
            "text": self.text,
            "body": self.body,
            "sub_points": list(self.sub_points),
            "responses": [r.to_dict() for r in self.responses],
            "action_count": self.action_count,
            "notes": list(self.notes),
            "line_span": list(self.line_span),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ParsedRecommendation:
        span = data.get("line_span") or (0, 0)
        return cls(
            number=data.get("number"),
            text=data.get("text") or "",
            body=data.get("body") or "",
            sub_points=list(data.get("sub_points") or []),
            responses=[ParsedResponse.from_dict(r) for r in data.get("responses") or []],
            notes=list(data.get("notes") or []),
            line_span=(int(span[0]), int(span[1])),
            action_count=data.get("action_count"),
        )


@dataclass
class UnplacedText:
    """Source text that fits no field, kept so that the review screen can show it."""

    text: str
    line_span: tuple[int, int]

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "line_span": list(self.line_span)}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> UnplacedText:
        span = data.get("line_span") or (0, 0)
        return cls(text=data.get("text") or "", line_span=(int(span[0]), int(span[1])))


@dataclass
class ParsedDocument:
    title: str | None
    language: str
    recommendations: list[ParsedRecommendation] = field(default_factory=list)
    unplaced: list[UnplacedText] = field(default_factory=list)
    source_lines: list[str] = field(default_factory=list)
    source_name: str = "<text>"
    # Proposed from TITLE, the response's own title (parsing.title.split_title).
    evaluation_title: str | None = None
    period: str = ""
    # The program or country the evaluation is about (parsing.title.propose_program), or "".
    program: str = ""

    def to_dict(self) -> dict[str, Any]:
        """The score_import.py format, plus body, notes, line spans and unplaced text."""
        return {
            "title": self.title,
            "evaluation_title": self.evaluation_title,
            "period": self.period,
            "program": self.program,
            "language": self.language,
            "source": self.source_name,
            "recommendations": [r.to_dict() for r in self.recommendations],
            "unplaced": [u.to_dict() for u in self.unplaced],
        }

    @classmethod
    def from_dict(
        cls, data: dict[str, Any], source_lines: list[str] | None = None
    ) -> ParsedDocument:
        """The inverse of to_dict; the source lines travel separately (they are long)."""
        title = data.get("title")
        if "evaluation_title" in data:
            evaluation_title, period = data["evaluation_title"], data.get("period") or ""
        else:  # kept before the title was read for its parts
            parts = split_title(title, data.get("language") or "en")
            evaluation_title, period = parts.title or None, parts.period
        return cls(
            title=title,
            evaluation_title=evaluation_title,
            period=period,
            # Kept before the program was proposed: propose it now.
            program=data["program"] if "program" in data else propose_program(evaluation_title),
            language=data.get("language") or "en",
            recommendations=[
                ParsedRecommendation.from_dict(r) for r in data.get("recommendations") or []
            ],
            unplaced=[UnplacedText.from_dict(u) for u in data.get("unplaced") or []],
            source_lines=list(source_lines or []),
            source_name=data.get("source") or "<text>",
        )
