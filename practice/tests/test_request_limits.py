"""Request limits: pagination values out of range, empty filter values, and bodies over the
size limit, nested too deeply or holding text that is not Unicode, on every write route of
the permission matrix."""

import inspect
import io
import json
import sys

import pytest
from django.conf import settings
from rest_framework.exceptions import ValidationError

from practice.api.exceptions import api_exception_handler
from practice.api.parsers import MAX_JSON_DEPTH, CamelCaseJSONParser, _check_structure
from practice.api.renderers import EnvelopeJSONRenderer
from practice.tests.test_permission_matrix import MATRIX, api_for, database_snapshot, path_values

pytestmark = pytest.mark.django_db


def test_a_page_number_above_the_maximum_is_a_400(api, client_record):
    response = api.get("/api/clients?page=10000001")
    assert response.status_code == 400
    assert response.json()["errors"] == [{"field": "page", "message": "Must be 10000000 or less."}]


def test_a_page_number_with_thousands_of_digits_is_a_400(api, client_record):
    response = api.get("/api/clients?page=" + "9" * 5000)
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "page"


def test_the_highest_page_number_is_an_empty_page(api, client_record):
    body = api.get("/api/clients?page=10000000").json()
    assert body["data"] == []
    assert body["pagination"]["page"] == 10000000
    assert body["pagination"]["total"] == 1


def test_empty_filter_and_pagination_values_mean_not_given(api, client_record):
    # A frontend sends a cleared filter as an empty value.
    body = api.get("/api/clients?status=&therapistId=&search=&page=&limit=").json()
    assert [item["id"] for item in body["data"]] == [str(client_record.pk)]
    assert body["pagination"]["page"] == 1
    assert body["pagination"]["limit"] == 20


@pytest.mark.parametrize(
    "path",
    [
        "/api/appointments?startDate=&endDate=&status=&therapistId=&clientId=&page=&limit=",
        "/api/sessions?clientId=&status=&startDate=&endDate=",
        "/api/therapists/{owner}/session-stats?startDate=&endDate=",
        "/api/clients/{client}/therapy-goals?status=",
    ],
)
def test_every_optional_query_parameter_sent_empty_means_not_given(path, world):
    api = api_for(world, "owner")
    url = path.format(**path_values(world))
    response = api.get(url)
    assert response.status_code == 200
    unfiltered = api.get(url.split("?")[0])
    assert unfiltered.status_code == 200
    # The same answer as sending no parameter at all, and not an empty one.
    assert response.json() == unfiltered.json()
    assert response.json()["data"]


# JSON bodies; the multipart uploads have their own tests (practice/tests/test_profile_photo.py).
WRITE_ROWS = [row for row in MATRIX if row.method in ("POST", "PUT", "PATCH") and row.owner < 400 and not row.multipart]


@pytest.mark.parametrize("row", WRITE_ROWS, ids=str)
def test_a_body_over_the_size_limit_is_a_413_on_every_write_route(row, world, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 2000
    body = {**(row.body(world) if row.body else {}), "padding": "x" * 2000}
    api = api_for(world, "owner")
    before = database_snapshot()
    response = api.generic(row.method, row.path.format(**path_values(world)), json.dumps(body), "application/json")
    assert response.status_code == 413
    assert response.json()["code"] == "payload_too_large"
    assert database_snapshot() == before


def _nested(depth: int) -> str:
    return "[" * depth + "]" * depth


def test_nesting_deeper_than_the_limit_is_a_400_on_every_write_route(world):
    # Deep arrays used to pass the JSON parser and overflow the stack of the key conversion
    # after it (a 500), on every route that reads a body: login included.
    api = api_for(world, "owner")
    before = database_snapshot()
    wrong = []
    for row in WRITE_ROWS:
        path = row.path.format(**path_values(world))
        for body in (_nested(MAX_JSON_DEPTH + 1), _nested(600), '{"a":' * 900 + "1" + "}" * 900):
            response = api.generic(row.method, path, body, "application/json")
            if response.status_code != 400 or response.json()["code"] != "parse_error":
                wrong.append(f"{row}: {response.status_code}")
    assert not wrong
    assert database_snapshot() == before


def test_nesting_up_to_the_limit_is_parsed(api, client_record):
    body = {"allergies": ["Latex"], "extra": json.loads(_nested(MAX_JSON_DEPTH - 1))}
    response = api.put(f"/api/clients/{client_record.pk}/medical-history", body, format="json")
    assert response.status_code == 200


def test_the_depth_check_walks_a_body_at_the_size_limit_without_recursion():
    # A megabyte of small objects and one branch nested 60 deep (within the limit), checked
    # with 20 frames of stack to spare: a recursive walk would need 60; the check keeps its
    # own stack. (Its speed is for the benchmark, not a timed test.)
    deep = "x"
    for _ in range(60):
        deep = [deep]
    raw = json.dumps([deep, *[{"a": [1, {"b": "x"}]}] * 45_000], separators=(",", ":")).encode()
    assert 900_000 < len(raw) <= settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    data = json.loads(raw)
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(len(inspect.stack()) + 20)
    try:
        _check_structure(data, raw)
    finally:
        sys.setrecursionlimit(limit)
    assert CamelCaseJSONParser().parse(io.BytesIO(raw), parser_context={}) == data


LONE_SURROGATES = [
    ("PATCH", "/api/appointments/{upcoming}", "appointmentType"),
    ("PATCH", "/api/appointments/{upcoming}", "mode"),
    ("PATCH", "/api/appointments/{upcoming}", "status"),
    ("POST", "/api/appointments/{upcoming}/recurring", "pattern"),
    ("PATCH", "/api/clients/{client}/therapy-goals/{goal}", "status"),
    ("POST", "/api/auth/login", "email"),
]


def test_a_lone_surrogate_is_a_400_on_every_write_route(world):
    # "\ud800" is valid JSON but not Unicode: echoed in an enum's error message it could not
    # be encoded (a 500); no database stores it either.
    api = api_for(world, "owner")
    bodies = {(row.method, row.path): row.body(world) if row.body else {"x": 1} for row in WRITE_ROWS}
    cases = [(m, p, {**bodies[m, p], f: "\ud800"}) for m, p, f in LONE_SURROGATES]
    cases += [(m, p, {**body, key: "\ud800"}) for (m, p), body in bodies.items() for key in body]
    before = database_snapshot()
    wrong = []
    for method, path, body in cases:
        response = api.generic(method, path.format(**path_values(world)), json.dumps(body), "application/json")
        if response.status_code != 400 or response.json()["code"] != "parse_error":
            wrong.append(f"{method} {path} {body}: {response.status_code}")
    assert not wrong
    assert database_snapshot() == before


def test_an_error_message_echoing_a_lone_surrogate_is_rendered():
    view = type("View", (), {"atomic_request": False})()
    response = api_exception_handler(ValidationError({"mode": ['"\ud800" is not a valid choice.']}), {"view": view})
    rendered = EnvelopeJSONRenderer().render(response.data)
    assert json.loads(rendered)["errors"] == [{"field": "mode", "message": '"\\ud800" is not a valid choice.'}]
