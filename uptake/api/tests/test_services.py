import datetime
import hashlib

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from uptake.api import selectors
from uptake.api.models import ApiToken
from uptake.api.services import token_create, token_mark_used, token_revoke
from uptake.errors import ServiceError


def test_token_create_stores_only_the_sha256_of_the_token(evaluator):
    token, raw = token_create(user=evaluator, by=evaluator, name="Power BI")
    row = ApiToken.objects.get(pk=token.pk)
    assert row.key_hash == hashlib.sha256(raw.encode()).hexdigest()
    assert raw not in {getattr(row, f.attname) for f in ApiToken._meta.concrete_fields}
    assert row.name == "Power BI" and row.user == evaluator and row.revoked_at is None


def test_token_create_makes_a_different_long_token_each_time(evaluator):
    _t1, raw1 = token_create(user=evaluator, by=evaluator, name="a")
    _t2, raw2 = token_create(user=evaluator, by=evaluator, name="b")
    assert raw1 != raw2
    assert len(raw1) >= 40


def test_token_create_requires_a_name(evaluator):
    with pytest.raises(ServiceError) as exc:
        token_create(user=evaluator, by=evaluator, name="  ")
    assert exc.value.field == "name"
    assert not ApiToken.objects.exists()


def test_token_create_for_someone_else_is_refused_unless_administrator(
    evaluator, viewer, admin_user
):
    with pytest.raises(PermissionDenied):
        token_create(user=evaluator, by=viewer, name="x")
    token, _raw = token_create(user=evaluator, by=admin_user, name="x")
    assert token.user == evaluator


def test_token_create_refuses_an_inactive_user(viewer):
    viewer.is_active = False
    viewer.save()
    with pytest.raises(ServiceError):
        token_create(user=viewer, by=viewer, name="x")


def test_token_revoke_stops_the_token_being_found(evaluator):
    token, raw = token_create(user=evaluator, by=evaluator, name="x")
    assert selectors.token_find(raw) == token
    token_revoke(token=token, by=evaluator)
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert selectors.token_find(raw) is None


def test_token_revoke_twice_is_refused(evaluator):
    token, _raw = token_create(user=evaluator, by=evaluator, name="x")
    token_revoke(token=token, by=evaluator)
    with pytest.raises(ServiceError):
        token_revoke(token=token, by=evaluator)


def test_token_revoke_of_someone_elses_token_is_refused_unless_administrator(
    evaluator, viewer, admin_user
):
    token, _raw = token_create(user=evaluator, by=evaluator, name="x")
    with pytest.raises(PermissionDenied):
        token_revoke(token=token, by=viewer)
    token_revoke(token=token, by=admin_user)
    token.refresh_from_db()
    assert token.is_revoked


def test_token_mark_used_records_the_time_at_most_once_a_minute(evaluator):
    token, _raw = token_create(user=evaluator, by=evaluator, name="x")
    token_mark_used(token=token)
    first = ApiToken.objects.get(pk=token.pk).last_used_at
    assert first is not None and timezone.now() - first < datetime.timedelta(seconds=5)
    token_mark_used(token=token)
    assert ApiToken.objects.get(pk=token.pk).last_used_at == first
    token.last_used_at = first - datetime.timedelta(minutes=2)
    token_mark_used(token=token)
    assert ApiToken.objects.get(pk=token.pk).last_used_at > first
