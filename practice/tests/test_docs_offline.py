"""The API docs work without the internet, every operation has a summary, and /api/
answers what it is."""

import re

import pytest
import yaml
from django.core.management import call_command

pytestmark = pytest.mark.django_db

URL = re.compile(r"""https?://[^\s"'<>)]+""")


@pytest.mark.parametrize("path", ["/api/redoc/", "/api/docs/"])
def test_docs_pages_name_no_other_server(anon_api, path):
    response = anon_api.get(path)
    assert response.status_code == 200
    page = response.content.decode()
    foreign = [url for url in URL.findall(page) if not url.startswith("http://testserver/")]
    assert foreign == []
    assert "fonts.googleapis" not in page
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "img-src 'self' data:" in policy


def test_every_operation_has_a_summary_not_its_id(tmp_path):
    target = tmp_path / "schema.yaml"
    call_command("spectacular", "--file", str(target))
    schema = yaml.safe_load(target.read_text())
    operations = [op for ops in schema["paths"].values() for op in ops.values()]
    assert len(operations) > 80
    missing = [op["operationId"] for op in operations if not op.get("summary")]
    raw = [op["operationId"] for op in operations if op.get("summary") in (op["operationId"], None)]
    assert missing == [] and raw == []
    description = schema["info"]["description"]
    for convention in ("pagination", "snake_case", "camelCase", "ISO 8601", "Retry-After", "Content-Language"):
        assert convention in description


def test_the_api_root_says_what_it_is(anon_api):
    response = anon_api.get("/api/")
    assert response.status_code == 200
    data = response.json()["data"]
    assert data["name"] == "Practice API"
    assert data["docs"] == "http://testserver/api/docs/"
    assert data["schema"] == "http://testserver/api/schema/"
    assert data["health"] == "http://testserver/api/health"
