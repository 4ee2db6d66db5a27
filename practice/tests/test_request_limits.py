"""Request limits: pagination values out of range, empty filter values, and bodies over the
size limit on every write route of the permission matrix."""

import json

import pytest

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
