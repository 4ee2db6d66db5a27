"""The API conventions every endpoint shares (SPEC §4)."""

import pytest
from django.core.cache import cache
from django.db import OperationalError, connection
from django.test.utils import CaptureQueriesContext

from practice.tests.factories import ClientFactory

pytestmark = pytest.mark.django_db


def test_unknown_api_path_is_the_json_404_envelope(api):
    for method in ("get", "post", "delete"):
        response = getattr(api, method)("/api/does-not-exist")
        assert response.status_code == 404
        assert response["Content-Type"] == "application/json"
        assert response.json() == {
            "success": False,
            "statusCode": 404,
            "code": "not_found",
            "message": "Not found.",
            "errors": [],
        }


def test_non_uuid_id_in_path_is_a_404(api):
    response = api.get("/api/clients/12345")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_nul_byte_in_query_is_a_400(api):
    response = api.get("/api/clients?search=%00abc")
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_request"


def test_method_not_allowed_is_a_405_envelope(api, client_record):
    response = api.delete(f"/api/clients/{client_record.pk}")
    assert response.status_code == 405
    assert response.json()["code"] == "method_not_allowed"


def test_malformed_json_is_a_400_envelope(anon_api):
    response = anon_api.post("/api/auth/login", data='{"email": "a@b.c", "password": ', content_type="application/json")
    assert response.status_code == 400
    body = response.json()
    assert body["success"] is False
    assert body["code"] == "parse_error"


def test_nan_is_not_json(anon_api):
    response = anon_api.post("/api/auth/login", data='{"email": NaN}', content_type="application/json")
    assert response.status_code == 400
    assert response.json()["code"] == "parse_error"


def test_unsupported_media_type_is_a_415_envelope(anon_api):
    response = anon_api.post("/api/auth/login", data="email=a", content_type="application/x-www-form-urlencoded")
    assert response.status_code == 415
    assert response.json()["code"] == "unsupported_media_type"


def test_oversized_body_is_a_413_envelope(anon_api, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    payload = '{"email": "a@b.c", "password": "' + "x" * 2000 + '"}'
    response = anon_api.post("/api/auth/login", data=payload, content_type="application/json")
    assert response.status_code == 413
    assert response.json()["code"] == "payload_too_large"


def test_camel_case_in_and_out(anon_api, therapist):
    # Input keys arrive camelCase and are understood (refreshToken -> refresh_token).
    response = anon_api.post("/api/auth/refresh-token", {"refreshToken": "x"}, format="json")
    assert response.status_code == 401  # understood, then rejected as an invalid token
    missing = anon_api.post("/api/auth/refresh-token", {"refresh_token_typo": "x"}, format="json")
    assert missing.json()["errors"][0]["field"] == "refreshToken"


def test_list_envelope_with_pagination(api, practice, therapist):
    ClientFactory.create_batch(25, practice=practice, therapists=[therapist])
    response = api.get("/api/clients?page=2&limit=10&_t=1700000000")
    assert response.status_code == 200
    body = response.json()
    assert body["success"] is True
    assert len(body["data"]) == 10
    assert body["pagination"] == {
        "page": 2,
        "limit": 10,
        "total": 25,
        "totalPages": 3,
        "hasNext": True,
        "hasPrev": True,
    }
    assert set(body["data"][0]) >= {"id", "first_name", "last_name", "profile_photo_url", "date_of_birth"}


def test_pagination_defaults_and_cap(api, practice, therapist):
    ClientFactory.create_batch(105, practice=practice, therapists=[therapist])
    default = api.get("/api/clients").json()
    assert default["pagination"]["limit"] == 20
    assert len(default["data"]) == 20
    capped = api.get("/api/clients?limit=1000000").json()
    assert capped["pagination"]["limit"] == 100
    assert len(capped["data"]) == 100


def test_page_past_the_end_is_empty_not_an_error(api, client_record):
    body = api.get("/api/clients?page=99").json()
    assert body["data"] == []
    assert body["pagination"]["total"] == 1
    assert body["pagination"]["hasNext"] is False


def _counts(queries) -> int:
    return sum("COUNT(" in query["sql"].upper() for query in queries)


@pytest.mark.parametrize(
    ("query", "items", "counted"),
    [
        # A page with fewer rows than the limit is the last: its rows give the total.
        ("limit=10", 7, False),
        ("page=2&limit=5", 2, False),
        # A full page may have more after it, and a page past the end shows none: counted.
        ("limit=7", 7, True),
        ("page=3&limit=5", 0, True),
    ],
)
def test_page_total_is_right_and_counted_only_when_the_page_cannot_tell(
    api, practice, therapist, query, items, counted
):
    ClientFactory.create_batch(7, practice=practice, therapists=[therapist])
    with CaptureQueriesContext(connection) as queries:
        body = api.get(f"/api/clients?{query}").json()
    assert len(body["data"]) == items
    assert body["pagination"]["total"] == 7
    assert body["pagination"]["hasNext"] is False
    assert _counts(queries.captured_queries) == int(counted)


@pytest.mark.parametrize("query", ["page=0", "page=-1", "page=abc", "limit=0", "limit=x"])
def test_bad_pagination_values_are_a_400(api, query):
    response = api.get(f"/api/clients?{query}")
    assert response.status_code == 400
    assert response.json()["code"] == "validation_error"


def test_health_is_public(anon_api):
    response = anon_api.get("/api/health")
    assert response.status_code == 200
    assert response.json()["data"]["status"] == "ok"


def test_unexpected_errors_are_a_500_envelope_without_internals(api, monkeypatch):
    from practice import views

    def explode(**kwargs):
        raise RuntimeError("secret internals: password=hunter2")

    monkeypatch.setattr(views.selectors, "client_list", explode)
    response = api.get("/api/clients")
    assert response.status_code == 500
    body = response.json()
    assert body["code"] == "server_error"
    assert "hunter2" not in response.content.decode()


def test_health_answers_503_in_the_envelope_when_the_database_does_not(anon_api, monkeypatch):
    # The database unreachable: every new cursor fails, as with a server that is down (the
    # request's transaction, opened before any view code, would fail the same way).
    def unreachable(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(connection, "cursor", unreachable)
    response = anon_api.get("/api/health")
    assert response.status_code == 503
    body = response.json()
    assert body["success"] is False
    assert body["code"] == "service_unavailable"
    assert body["data"] == {"database": "unavailable"}


def test_health_answers_503_when_the_cache_does_not(anon_api, monkeypatch):
    def unreachable(*args, **kwargs):
        raise ConnectionError("cache down")

    monkeypatch.setattr(cache, "get", unreachable)
    response = anon_api.get("/api/health")
    assert response.status_code == 503
    assert response.json()["data"] == {"cache": "unavailable"}
