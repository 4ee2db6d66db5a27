"""Response headers every page carries: a Content-Security-Policy (admin and docs included,
allowing what they load: their own static files), no-store on the API's responses, which
may carry health data, and Cross-Origin-Opener-Policy on the docs."""

import re

import pytest
from django.contrib.staticfiles import finders

pytestmark = pytest.mark.django_db

PAGES = ["/admin/login/", "/api/docs/", "/api/redoc/", "/api/schema/", "/api/health", "/api/no-such-route"]


def _policy(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in header.split(";") if part.strip()}


@pytest.mark.parametrize("path", PAGES)
def test_every_page_has_a_content_security_policy_without_inline_script(client, path):
    response = client.get(path)
    assert response.status_code in (200, 404)
    policy = _policy(response)
    assert policy["script-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]


@pytest.mark.parametrize("path", ["/admin/login/", "/api/docs/", "/api/redoc/"])
def test_the_pages_load_only_what_the_policy_allows(client, path):
    # Every script is a file of this app's (no inline script, nothing from another origin),
    # and every stylesheet and script it names exists among the static files.
    html = client.get(path).content.decode()
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", html, re.S)
    assert scripts
    for attributes, body in scripts:
        assert 'src="' in attributes and not body.strip(), f"inline script on {path}"
    for url in re.findall(r'(?:src|href)="([^"]+)"', html):
        assert not url.startswith(("http:", "https:", "//")), f"{path} loads {url} from another origin"
        if url.startswith("/static/"):
            assert finders.find(url.removeprefix("/static/")), url


def test_the_swagger_start_up_script_is_served_by_the_app(client):
    html = client.get("/api/docs/").content.decode()
    script = re.search(r'<script src="(/api/docs/\?[^"]+)"', html).group(1).replace("&amp;", "&")
    response = client.get(script)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/javascript")
    assert b"SwaggerUIBundle" in response.content


@pytest.mark.parametrize("path", ["/api/docs/", "/api/redoc/"])
def test_the_docs_have_a_cross_origin_opener_policy(client, path):
    assert client.get(path)["Cross-Origin-Opener-Policy"] == "same-origin"


def test_api_responses_are_not_stored(api, client_record, anon_api):
    for response in (
        api.get("/api/clients"),
        api.get(f"/api/clients/{client_record.pk}/medical-history"),
        anon_api.get("/api/health"),
        anon_api.get("/api/clients"),
        api.get("/api/no-such-route"),
    ):
        assert response["Cache-Control"] == "no-store", response.wsgi_request.path


def test_the_public_schema_may_be_cached(client):
    assert "no-store" not in client.get("/api/schema/").get("Cache-Control", "")


def test_no_server_header_names_a_version(client):
    # The app sends none; gunicorn sends "gunicorn" and nginx "nginx" (server_tokens off), see
    # practice/tests/test_production_shape.py.
    assert "Server" not in client.get("/api/health")
