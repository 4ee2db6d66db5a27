"""Request limits: pagination values out of range and empty filter values."""

import pytest

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
