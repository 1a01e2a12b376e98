import json
import re
from io import StringIO

from django.core.management import call_command
from django.test import Client

from uptake.api.management.commands import openapi_snapshot


def test_the_live_schema_equals_the_committed_snapshot(db):
    response = Client().get("/api/openapi.json")
    assert response.status_code == 200
    committed = json.loads(openapi_snapshot.SNAPSHOT.read_text())
    assert response.json() == committed, (
        "The API changed: run `uptake openapi_snapshot` and review the diff of "
        "uptake/api/openapi.json."
    )


def test_the_schema_is_openapi_3_with_bearer_auth_and_every_resource(db):
    schema = Client().get("/api/openapi.json").json()
    assert schema["openapi"].startswith("3.")
    assert schema["components"]["securitySchemes"]["bearerAuth"] == {
        "type": "http",
        "scheme": "bearer",
    }
    for plural in (
        "units",
        "evaluations",
        "recommendations",
        "responses",
        "actions",
        "updates",
        "revisions",
    ):
        assert f"/api/v1/{plural}/" in schema["paths"]
        assert f"/api/v1/{plural}/{{id}}/" in schema["paths"]
    error = {"$ref": "#/components/schemas/Error"}
    patch = schema["paths"]["/api/v1/actions/{id}/"]["patch"]["responses"]
    assert patch["409"]["content"]["application/json"]["schema"] == error


def test_the_snapshot_command_rewrites_the_file(tmp_path, monkeypatch, db):
    target = tmp_path / "openapi.json"
    target.write_text("{}")
    monkeypatch.setattr(openapi_snapshot, "SNAPSHOT", target)
    out = StringIO()
    call_command("openapi_snapshot", stdout=out)
    assert "rewritten" in out.getvalue()
    assert json.loads(target.read_text()) == Client().get("/api/openapi.json").json()
    call_command("openapi_snapshot", stdout=out)
    assert "unchanged" in out.getvalue()


def test_the_docs_page_loads_nothing_from_outside_and_has_no_inline_code(db):
    response = Client().get("/api/docs")
    assert response.status_code == 200
    page = response.content.decode()
    sources = re.findall(r'(?:src|href)="([^"]+)"', page)
    assert sources, page
    assert all(not s.startswith(("http:", "https:", "//")) for s in sources), sources
    assert any("swagger-ui-bundle.js" in s for s in sources)
    assert re.search(r"<script>", page) is None  # every script has a src
    assert "<style" not in page and "style=" not in page
    for source in sources:
        assert Client().get(source).status_code == 200, source


def test_the_docs_start_up_script_points_at_the_schema(db):
    response = Client().get("/api/docs?script=")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/javascript")
    assert "/api/openapi.json" in response.content.decode()
