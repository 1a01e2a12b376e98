from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from rest_framework.test import APIClient

from uptake.api.models import ApiToken


def test_it_prints_a_working_token_on_its_last_line(evaluator):
    out, err = StringIO(), StringIO()
    call_command("token", "evaluator", "--name", "Nightly export", stdout=out, stderr=err)
    raw = out.getvalue().strip().splitlines()[-1]
    token = ApiToken.objects.get(user=evaluator)
    assert token.name == "Nightly export"
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert client.get("/api/v1/evaluations/").status_code == 200
    assert "not shown again" in err.getvalue()


def test_it_names_the_token_console_by_default(viewer):
    call_command("token", "viewer", stdout=StringIO(), stderr=StringIO())
    assert ApiToken.objects.get(user=viewer).name == "Console"


def test_it_refuses_an_unknown_user(db):
    with pytest.raises(CommandError, match="nobody"):
        call_command("token", "nobody", stdout=StringIO(), stderr=StringIO())
    assert not ApiToken.objects.exists()
