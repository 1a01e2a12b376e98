"""Changes to units and to people's own settings. Pages, the console and the importer call these
functions."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from uptake.errors import ServiceError

from .models import Unit, UnitKind, User, is_offered_language, language_choices
from .permissions import can_manage_evaluations


@transaction.atomic
def unit_create(
    *,
    by: User,
    code: str,
    name_en: str,
    name_fr: str = "",
    kind: str = UnitKind.OTHER,
    parent: Unit | None = None,
) -> Unit:
    """Record a new unit. Only the evaluation unit (and administrators) add units."""
    if not can_manage_evaluations(by):
        raise PermissionDenied(_("Only the evaluation unit adds units."))
    code = code.strip()
    name_en = name_en.strip()
    if not code:
        raise ServiceError(_("Give the unit a code, for example HWP."), field="code")
    if Unit.objects.filter(code__iexact=code).exists():
        raise ServiceError(
            _("A unit with the code %(code)s already exists.") % {"code": code}, field="code"
        )
    unit = Unit(code=code, name_en=name_en or code, name_fr=name_fr.strip(), kind=kind)
    unit.parent = parent
    unit._history_user = by  # type: ignore[attr-defined]
    try:
        unit.full_clean()
    except ValidationError as exc:
        field, messages = next(iter(exc.message_dict.items()))
        raise ServiceError(" ".join(messages), field=None if field == "__all__" else field) from exc
    unit.save()
    return unit


def require_offered_language(language: str) -> None:
    """Refuse a LANGUAGE the interface does not speak, naming those it does."""
    if not is_offered_language(language):
        raise ServiceError(
            _("Choose one of the languages offered: %(languages)s.")
            % {"languages": ", ".join(name for _code, name in language_choices())},
            field="language",
        )


def user_language_set(*, user: User, by: User, language: str) -> User:
    """Keep LANGUAGE as USER's own: their e-mails are written in it, and pages open in it when
    they sign in. People choose their own; administrators may choose for anyone."""
    if by.pk != user.pk and not by.is_administrator:
        raise PermissionDenied(_("You can choose only your own language."))
    require_offered_language(language)
    if user.language != language:
        user.language = language
        user.save(update_fields=["language"])
    return user
