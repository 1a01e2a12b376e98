"""Turn django-simple-history records into lines a person can read: who, when, what changed."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db import models
from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

# Fields that change on every save and would drown the real changes, and derived copies
# (search_text) that history does not keep.
_NOISE = {"id", "version", "updated_at", "created_at", "sort_key", "search_text"}


@dataclass
class Change:
    field: str
    old: str
    new: str


@dataclass
class HistoryEntry:
    when: datetime
    who: str
    kind: str
    what: str
    changes: list[Change] = field(default_factory=list)


def _tracked_fields(model: type[models.Model]) -> list[models.Field[Any, Any]]:
    return [
        f
        for f in model._meta.concrete_fields
        if f.name not in _NOISE and not f.name.startswith("history_")
    ]


def _display(model_field: models.Field[Any, Any], value: Any, related: dict[Any, Any]) -> str:
    if value is None or value == "":
        return "—"
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if model_field.is_relation:
        return str(related.get((model_field.related_model, value), f"#{value}"))
    if isinstance(value, datetime):
        return localtime(value).strftime("%Y-%m-%d %H:%M")
    return str(value)


def _related_objects(pairs: set[tuple[Any, Any]]) -> dict[Any, Any]:
    """Fetch the people and units named in foreign keys: one query per kind of object."""
    wanted: dict[Any, set[Any]] = {}
    for model, pk in pairs:
        wanted.setdefault(model, set()).add(pk)
    found: dict[Any, Any] = {}
    for model, pks in wanted.items():
        for pk, obj in model._default_manager.in_bulk(pks).items():
            found[(model, pk)] = obj
    return found


def history_entries(
    records: Iterable[Any], describe: Any, *, earlier: Iterable[Any] = ()
) -> list[HistoryEntry]:
    """One entry per historical record, listing the fields that differ from the object's
    previous record. DESCRIBE(record) names the object ("Recommendation 2").

    EARLIER holds records that only give the state before the oldest of RECORDS (when only
    the newest records are read): they make no entry of their own.
    Records must come with `history_user` selected; no further query is made.
    """
    by_object: dict[Any, list[Any]] = {}
    earlier_ids: set[Any] = set()
    for record in earlier:
        earlier_ids.add(record.history_id)
        by_object.setdefault(record.id, []).append(record)
    for record in records:
        by_object.setdefault(record.id, []).append(record)
    pending: list[tuple[HistoryEntry, models.Field[Any, Any], Any, Any]] = []
    entries: list[HistoryEntry] = []
    # A context of their own: French and Spanish name the event ("modification"), where a
    # participle after the object's name would have to agree with its gender.
    kinds = {
        "+": pgettext("history", "created"),
        "~": pgettext("history", "changed"),
        "-": pgettext("history", "deleted"),
    }
    for object_records in by_object.values():
        object_records.sort(key=lambda r: (r.history_date, r.history_id))
        previous = None
        for record in object_records:
            if record.history_id in earlier_ids:
                previous = record
                continue
            fields = _tracked_fields(record.instance_type)
            entry = HistoryEntry(
                when=record.history_date,
                who=str(record.history_user) if record.history_user_id else _("the system"),
                kind=kinds.get(record.history_type, kinds["~"]),
                what=describe(record),
            )
            if previous is not None and record.history_type == "~":
                for f in fields:
                    old, new = getattr(previous, f.attname), getattr(record, f.attname)
                    if old != new:
                        pending.append((entry, f, old, new))
                if not pending or pending[-1][0] is not entry:
                    previous = record
                    continue
            entries.append(entry)
            previous = record
    related = _related_objects(
        {(f.related_model, v) for _e, f, *values in pending if f.is_relation for v in values if v}
    )
    for entry, f, old, new in pending:
        entry.changes.append(
            Change(str(f.verbose_name), _display(f, old, related), _display(f, new, related))
        )
    entries.sort(key=lambda e: e.when, reverse=True)
    return entries
