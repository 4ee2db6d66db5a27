"""How the API reads datetimes, dates and numbers from the wire (SPEC §4): a datetime
without an offset is wall-clock time in the practice's time zone, and one that does not
exist there is a 400; dates are YYYY-MM-DD; numbers in the query string are ASCII digits."""

import json
from datetime import UTC, datetime

import pytest

from practice.tests.test_permission_matrix import api_for, database_snapshot, path_values
from scheduling.models import Appointment

pytestmark = pytest.mark.django_db


def _book(api, world, starts_at: str, ends_at: str):
    body = {"clientId": str(world.client.pk), "startsAt": starts_at, "endsAt": ends_at}
    return api.post("/api/appointments", body, format="json")


def test_a_datetime_without_an_offset_is_the_practices_wall_clock_time(world):
    # The world's practice is in Amsterdam: 10:00 there in April is 08:00 UTC, not 10:00 UTC.
    response = _book(api_for(world, "owner"), world, "2028-04-14T10:00:00", "2028-04-14T10:50")
    assert response.status_code == 201, response.content
    appointment = Appointment.objects.get(pk=response.json()["data"]["id"])
    assert appointment.starts_at == datetime(2028, 4, 14, 8, 0, tzinfo=UTC)
    assert appointment.ends_at == datetime(2028, 4, 14, 8, 50, tzinfo=UTC)
    assert response.json()["data"]["start_time"] == "10:00:00"


def test_a_datetime_with_an_offset_is_that_instant(world):
    response = _book(api_for(world, "owner"), world, "2028-04-14T10:00:00Z", "2028-04-14t12:50:00+02:00")
    assert response.status_code == 201, response.content
    appointment = Appointment.objects.get(pk=response.json()["data"]["id"])
    assert appointment.starts_at == datetime(2028, 4, 14, 10, 0, tzinfo=UTC)
    assert appointment.ends_at == datetime(2028, 4, 14, 10, 50, tzinfo=UTC)


def test_a_wall_clock_time_inside_the_dst_gap_is_a_400(world):
    # Amsterdam skips 02:00-03:00 on 26 March 2028.
    api = api_for(world, "owner")
    before = database_snapshot()
    response = _book(api, world, "2028-03-26T02:30:00", "2028-03-26T03:30:00")
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "startsAt"
    assert "does not exist" in response.json()["errors"][0]["message"]
    assert database_snapshot() == before


NOT_A_DATETIME = [
    "20280414T100000",
    "2028-4-14T10:00:00",
    "2028-04-14T10",
    "2028-04-14",
    "\u0661\u0660\u0662\u0668-04-14T10:00:00",
    "0999-04-14T10:00Z",
]


def test_a_datetime_that_is_not_iso_8601_is_a_400(world):
    api = api_for(world, "owner")
    for value in NOT_A_DATETIME:
        response = _book(api, world, value, "2028-04-14T10:50:00Z")
        assert response.status_code == 400, value
        assert response.json()["errors"][0]["field"] == "startsAt"


NOT_A_DATE = [
    "2027-1-1",
    "20270101",
    "2027-W01-1",
    "\u0662\u0660\u0662\u0667-01-01",
    "1899-12-31",
    "3000-01-01",
    "2027-02-30",
]


def test_a_date_that_is_not_yyyy_mm_dd_between_1900_and_2999_is_a_400(world):
    api = api_for(world, "owner")
    values = path_values(world)
    before = database_snapshot()
    wrong = []
    for value in NOT_A_DATE:
        cases = [
            ("POST", "/api/appointments/{upcoming}/recurring", {"pattern": "weekly", "endDate": value}, "endDate"),
            ("POST", "/api/clients/{client}/therapy-goals", {"goal": "Sleep", "targetDate": value}, "targetDate"),
            ("POST", "/api/surveys/{survey}/assign", {"clientId": str(world.client.pk), "dueDate": value}, "dueDate"),
            ("GET", f"/api/appointments?startDate={value}", None, "startDate"),
            ("GET", f"/api/therapists/{{owner}}/session-stats?endDate={value}", None, "endDate"),
        ]
        for method, path, body, field in cases:
            data = json.dumps(body) if body else ""
            response = api.generic(method, path.format(**values), data, "application/json")
            fields = [error["field"] for error in response.json().get("errors", [])]
            if response.status_code != 400 or field not in fields:
                wrong.append(f"{method} {path}: {response.status_code}")
    assert not wrong
    assert database_snapshot() == before


@pytest.mark.parametrize("value", ["\u0661", "\u0662", " 2", "+2", "2_0", "2.0"])
@pytest.mark.parametrize("name", ["page", "limit"])
def test_page_and_limit_are_ascii_digits(api, client_record, name, value):
    response = api.get("/api/clients", {name: value})
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == name
