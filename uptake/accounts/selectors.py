"""Reads about people and units."""

from __future__ import annotations

import re

from django.db.models import Q, QuerySet

from .models import Role, Unit, User


def unit_ids_within(unit_ids: set[int]) -> set[int]:
    """The given units and every unit below them in the hierarchy."""
    found = set(unit_ids)
    frontier = set(unit_ids)
    while frontier:
        children = set(Unit.objects.filter(parent_id__in=frontier).values_list("id", flat=True))
        frontier = children - found
        found |= frontier
    return found


def user_unit_ids(user: User) -> set[int]:
    """The units whose actions a focal point answers for: their own and every sub-unit."""
    cached = getattr(user, "_uptake_unit_ids", None)
    if cached is None:
        cached = unit_ids_within(set(user.units.values_list("id", flat=True)))
        user._uptake_unit_ids = cached  # type: ignore[attr-defined]
    return cached


_CODE_IN_PARENS = re.compile(r"\(([A-Za-z][A-Za-z0-9\-]{1,39})\)")
_CODE_TOKEN = re.compile(r"\b([A-Z][A-Z0-9]{1,}(?:-[A-Z0-9]+)*)\b")


def _normalise(name: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"[^\w\s]", " ", name.lower())).strip()


def unit_find(text: str) -> Unit | None:
    """The unit that TEXT names, written as documents write it.

    "International Assistance Operations (DPD)", "DPD" and "International Assistance
    Operations" all name the same unit. A code in parentheses wins over a bare acronym, and
    a full name over a partial one; nothing is guessed when two units fit equally well.
    """
    text = (text or "").strip()
    if not text:
        return None
    codes = _CODE_IN_PARENS.findall(text) or ([text] if " " not in text else [])
    for code in codes:
        unit = Unit.objects.filter(code__iexact=code).first()
        if unit:
            return unit
    name = _CODE_IN_PARENS.sub(" ", text)
    wanted = _normalise(name)
    if wanted:
        exact = [
            u
            for u in Unit.objects.filter(
                Q(name_en__iexact=name.strip()) | Q(name_fr__iexact=name.strip())
            )
        ]
        if len(exact) == 1:
            return exact[0]
        candidates = [
            u
            for u in Unit.objects.all()
            if wanted in (_normalise(u.name_en), _normalise(u.name_fr))
        ]
        if len(candidates) == 1:
            return candidates[0]
    tokens = [t for t in _CODE_TOKEN.findall(text)]
    matches = list(Unit.objects.filter(code__in=tokens))
    if len(matches) == 1:
        return matches[0]
    if matches:
        # "Peru Development Program NDP (LIMA-DA)": the first code written is the unit itself.
        by_code = {u.code: u for u in matches}
        for token in tokens:
            if token in by_code:
                return by_code[token]
    return None


def focal_points_for_unit(unit: Unit) -> QuerySet[User]:
    return User.objects.filter(role=Role.FOCAL_POINT, units=unit, is_active=True)
