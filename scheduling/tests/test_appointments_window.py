"""What GET /api/appointments returns without a date window (the appointments page and the
calendar send none), and the session page's ``date`` filter."""

from datetime import UTC, datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from scheduling.tests.factories import AppointmentFactory

pytestmark = pytest.mark.django_db

# 10 March 2026, 00:30 in Amsterdam (still 9 March in UTC).
NOW = datetime(2026, 3, 9, 23, 30, tzinfo=UTC)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def history(therapist, client_record):
    def at(when):
        return AppointmentFactory(therapist=therapist, client=client_record, starts_at=when)

    return {
        "years_ago": at(datetime(2022, 1, 10, 9, tzinfo=UTC)),
        "yesterday": at(datetime(2026, 3, 9, 9, tzinfo=UTC)),
        "early_today": at(datetime(2026, 3, 9, 23, 15, tzinfo=UTC)),  # 00:15 local, today
        "later_today": at(datetime(2026, 3, 10, 13, tzinfo=UTC)),
        "next_week": at(datetime(2026, 3, 17, 9, tzinfo=UTC)),
    }


def _ids(response):
    return [item["id"] for item in response.json()["data"]]


def test_without_a_window_the_list_starts_today(api, history):
    response = api.get("/api/appointments")
    assert response.status_code == 200
    assert _ids(response) == [str(history[k].pk) for k in ("early_today", "later_today", "next_week")]


def test_a_window_still_reaches_the_history(api, history):
    response = api.get("/api/appointments?startDate=2022-01-01&endDate=2026-03-09")
    assert _ids(response) == [str(history[k].pk) for k in ("years_ago", "yesterday")]


def test_date_is_one_local_day(api, history):
    response = api.get("/api/appointments?date=2026-03-10&status=scheduled")
    assert _ids(response) == [str(history[k].pk) for k in ("early_today", "later_today")]


@pytest.mark.parametrize("value", ["10-03-2026", "2026-02-30", "today"])
def test_a_bad_date_is_a_400(api, history, value):
    response = api.get(f"/api/appointments?date={value}")
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "date"


def test_an_empty_date_means_not_given(api, history):
    assert len(_ids(api.get("/api/appointments?date=&_t=1700000000000"))) == 3


def test_a_date_outside_1900_2999_is_a_400_like_every_date(api, history):
    response = api.get("/api/appointments?date=0001-01-01")
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "date"


def test_pages_count_the_appointments_the_filters_leave(api, history):
    with CaptureQueriesContext(connection) as captured:
        first = api.get("/api/appointments?limit=2")
    assert first.json()["pagination"] == {
        "page": 1,
        "limit": 2,
        "total": 3,
        "totalPages": 2,
        "hasNext": True,
        "hasPrev": False,
    }
    # The total is counted on the appointments alone, not through the joins that fill the items.
    (count,) = [q["sql"] for q in captured.captured_queries if q["sql"].startswith("SELECT COUNT(")]
    assert "JOIN" not in count
    last = api.get("/api/appointments?limit=2&page=2")
    assert _ids(last) == [str(history["next_week"].pk)]
    assert last.json()["pagination"]["total"] == 3 and last.json()["pagination"]["hasNext"] is False
    window = api.get("/api/appointments?limit=1&startDate=2022-01-01&endDate=2026-03-09")
    assert window.json()["pagination"]["total"] == 2 and _ids(window) == [str(history["years_ago"].pk)]
    history["later_today"].status = "confirmed"
    history["later_today"].save(update_fields=["status"])
    today = api.get("/api/appointments?limit=1&date=2026-03-10&status=scheduled")
    assert today.json()["pagination"]["total"] == 1 and _ids(today) == [str(history["early_today"].pk)]
