"""Creating, revoking and using personal API tokens."""

from __future__ import annotations

import datetime
import hashlib
import secrets

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from uptake.accounts.models import User
from uptake.errors import ServiceError
from uptake.evaluations.services import _save

from .models import ApiToken

# The prefix lets secret scanners and people recognise an Uptake token in a leaked file.
TOKEN_PREFIX = "upt_"  # noqa: S105 (a prefix, not a secret)
# Recording every use would make every API call a write; once a minute is enough to tell
# which tokens are still in use.
LAST_USED_RESOLUTION = datetime.timedelta(minutes=1)


def token_hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


@transaction.atomic
def token_create(*, user: User, by: User, name: str) -> tuple[ApiToken, str]:
    """A new token for USER. Returns the row and the token itself, which is never stored:
    the caller shows it once."""
    if by.pk != user.pk and not by.is_administrator:
        raise PermissionDenied(_("You can create API tokens only for yourself."))
    if not user.is_active:
        raise ServiceError(
            _("%(user)s is not an active user and cannot have API tokens.")
            % {"user": user.username}
        )
    name = name.strip()
    if not name:
        raise ServiceError(_("Name the token after what will use it."), field="name")
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = _save(ApiToken(user=user, name=name, key_hash=token_hash(raw)), by=by)
    return token, raw


@transaction.atomic
def token_revoke(*, token: ApiToken, by: User) -> ApiToken:
    """Stop TOKEN working, for good. The row stays so its owner sees what was revoked when."""
    if by.pk != token.user_id and not by.is_administrator:
        raise PermissionDenied(_("You can revoke only your own API tokens."))
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.is_revoked:
        raise ServiceError(_("This token is already revoked."))
    token.revoked_at = timezone.now()
    return _save(token, by=by)


def token_mark_used(*, token: ApiToken) -> None:
    """Record that TOKEN was just used (at most once per LAST_USED_RESOLUTION)."""
    now = timezone.now()
    if token.last_used_at is not None and now - token.last_used_at < LAST_USED_RESOLUTION:
        return
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    token.last_used_at = now
