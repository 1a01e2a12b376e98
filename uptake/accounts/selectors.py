"""Reads about people and units."""

from __future__ import annotations

import re

from django.db.models import Q, QuerySet

from uptake.core.search import name_key

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


def unit_find(text: str) -> Unit | None:
    """The unit that TEXT names, written as documents write it.

    "International Assistance Operations (DPD)", "DPD" and "International Assistance
    Operations" all name the same unit. In "Peru Development Program Director NDP (LIMA-DA)"
    the unit is the program (NDP); the code in parentheses says where it sits. So a code
    written in the text wins over one in parentheses, which wins over a name; nothing is
    guessed when two units fit equally well.
    """
    text = re.sub(r"\s+", " ", (text or "")).strip()
    if not text:
        return None
    if " " not in text:
        unit = Unit.objects.filter(code__iexact=text).first()
        if unit:
            return unit
    outside = _CODE_IN_PARENS.sub(" ", text)
    candidates = _CODE_TOKEN.findall(outside) + _CODE_IN_PARENS.findall(text)
    if candidates:
        by_code = {u.code.lower(): u for u in Unit.objects.filter(code__in=candidates)}
        if len(by_code) < len(set(candidates)):
            # Codes are stored in one case; catch "Lima-DA" written differently.
            for code in candidates:
                if code.lower() not in by_code:
                    unit = Unit.objects.filter(code__iexact=code).first()
                    if unit:
                        by_code[code.lower()] = unit
        for code in candidates:
            if code.lower() in by_code:
                return by_code[code.lower()]
    name = outside.strip(" ,;-")
    exact = list(Unit.objects.filter(Q(name_en__iexact=name) | Q(name_fr__iexact=name))[:2])
    if len(exact) == 1:
        return exact[0]
    wanted = name_key(name)
    if not wanted:
        return None
    matches = [
        u for u in Unit.objects.all() if wanted in (name_key(u.name_en), name_key(u.name_fr))
    ]
    return matches[0] if len(matches) == 1 else None


def focal_points_for_unit(unit: Unit) -> QuerySet[User]:
    return User.objects.filter(role=Role.FOCAL_POINT, units=unit, is_active=True)
