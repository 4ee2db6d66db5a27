import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db


def test_schema_builds_without_warnings(tmp_path):
    # --fail-on-warn turns every drf-spectacular warning into a failure.
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yaml"))
    assert (tmp_path / "schema.yaml").stat().st_size > 1000


def test_schema_and_docs_are_served(anon_api):
    schema = anon_api.get("/api/schema/?format=json")
    assert schema.status_code == 200
    spec = schema.json()
    login = spec["paths"]["/api/auth/login"]["post"]
    assert "accessToken" in str(spec["components"]["schemas"]["AuthTokens"])
    assert login["responses"]["401"]["content"]["application/json"]["schema"]["$ref"].endswith("/ErrorEnvelope")
    clients = spec["paths"]["/api/clients"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    assert "pagination" in str(spec["components"]["schemas"][clients["$ref"].rsplit("/", 1)[1]])
    me = spec["paths"]["/api/auth/me"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    assert set(me["properties"]) == {"success", "data", "message"}
    docs = anon_api.get("/api/docs/")
    assert docs.status_code == 200
    assert b"cdn." not in docs.content
    asset = anon_api.get("/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js")
    assert asset.status_code == 200
