"""GET /api/therapists/{id}/session-stats (SPEC §6), on a small dataset whose every figure is
computed by hand below, and against an independent SQL query on a random one."""

import datetime
import random

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from analytics.selectors.statistics import session_stats_window
from clinical.tests.factories import SessionFactory
from conftest import authenticated_client
from practice.errors import ValidationFailed
from practice.tests.factories import ClientFactory, StaffFactory, TherapistFactory
from scheduling.tests.factories import AppointmentFactory

from .conftest import local

pytestmark = pytest.mark.django_db

MARCH = "startDate=2026-03-01&endDate=2026-03-31"


def _url(therapist, query: str = "") -> str:
    return f"/api/therapists/{therapist.pk}/session-stats" + (f"?{query}" if query else "")


def _appointment(therapist, client, starts_at, status="completed", minutes=50, **kwargs):
    return AppointmentFactory(
        therapist=therapist,
        client=client,
        starts_at=starts_at,
        ends_at=starts_at + datetime.timedelta(minutes=minutes),
        status=status,
        **kwargs,
    )


def _session(appointment, started_at, ended_at, status="completed"):
    return SessionFactory(appointment=appointment, started_at=started_at, ended_at=ended_at, status=status)


@pytest.fixture
def march(practice, therapist, other_therapist):
    """The therapist's appointments around March 2026, by client:

    - A: completed 1 March 00:30 local (the window's first minutes; session 45 min) and
      10 March (no session: scheduled 50 min). Two in the window: a repeat client.
    - B: completed 31 March 23:30 local (the window's last minutes; scheduled 50, session
      60 min), and 15 January, before the window: a repeat client.
    - C: completed 15 March (60 min scheduled, session still open: scheduled length);
      a no-show with this therapist and a completed one with a colleague before, a
      completed one on 1 April 00:30 local, after: seen once, not a repeat client.
    - D: cancelled 20 March, no-show 21 March, scheduled 22 March: counted, never seen.
    - E: completed 28 February 23:30 local, one hour before the window: not counted.

    In the window: 7 appointments, 4 completed (45 + 50 + 60 + 60 = 215 minutes, mean
    53.75 -> 53.8), 1 cancelled, 1 no-show; clients seen A, B, C, of whom A and B repeat:
    2 / 3 = 66.7 %."""
    a, b, c, d, e = (ClientFactory(practice=practice, therapists=[therapist]) for _ in range(5))
    first = _appointment(therapist, a, local(2026, 3, 1, 0, 30))
    _session(first, local(2026, 3, 1, 0, 35), local(2026, 3, 1, 1, 20))
    _appointment(therapist, a, local(2026, 3, 10))
    last = _appointment(therapist, b, local(2026, 3, 31, 23, 30))
    _session(last, local(2026, 3, 31, 23, 30), local(2026, 4, 1, 0, 30))
    _appointment(therapist, b, local(2026, 1, 15))
    open_session = _appointment(therapist, c, local(2026, 3, 15), minutes=60)
    _session(open_session, local(2026, 3, 15), None, status="in_progress")
    _appointment(therapist, c, local(2026, 2, 10), status="no_show")
    _appointment(other_therapist, c, local(2026, 2, 12))
    _appointment(therapist, c, local(2026, 4, 1, 0, 30))
    _appointment(therapist, d, local(2026, 3, 20), status="cancelled")
    _appointment(therapist, d, local(2026, 3, 21), status="no_show")
    _appointment(therapist, d, local(2026, 3, 22), status="scheduled")
    _appointment(therapist, e, local(2026, 2, 28, 23, 30))
    # A colleague's busy March changes nothing for this therapist.
    for day in range(2, 30):
        _appointment(other_therapist, a, local(2026, 3, day, 14))


def test_statistics_match_the_definitions(api, therapist, march):
    response = api.get(_url(therapist, MARCH))
    assert response.status_code == 200
    assert response.json() == {
        "success": True,
        "data": {
            "startDate": "2026-03-01",
            "endDate": "2026-03-31",
            "totalSessions": 7,
            "completedSessions": 4,
            "cancelledSessions": 1,
            "noShows": 1,
            "averageSessionDuration": 53.8,
            "clientRetentionRate": 66.7,
        },
    }


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        # 00:30 local on 1 March is 23:30 UTC on 28 February; 28 February 23:30 local is not 1 March.
        ("2026-03-01", {"totalSessions": 1, "averageSessionDuration": 45.0}),
        ("2026-02-28", {"totalSessions": 1, "averageSessionDuration": 50.0}),
        # 23:30 local on 31 March (summer time) is 21:30 UTC; 00:30 on 1 April belongs to 1 April.
        ("2026-03-31", {"totalSessions": 1, "averageSessionDuration": 60.0}),
        ("2026-04-01", {"totalSessions": 1, "averageSessionDuration": 50.0}),
        ("2026-03-30", {"totalSessions": 0, "averageSessionDuration": 0.0}),
    ],
)
def test_a_day_is_the_practices_local_day(api, therapist, march, day, expected):
    data = api.get(_url(therapist, f"startDate={day}&endDate={day}")).json()["data"]
    assert {key: data[key] for key in expected} == expected


def test_retention_counts_history_up_to_the_end_of_the_window_only(api, therapist, march):
    # C's completed appointment on 1 April makes C a repeat client from 1 April on.
    assert api.get(_url(therapist, "startDate=2026-03-15&endDate=2026-03-31")).json()["data"][
        "clientRetentionRate"
    ] == pytest.approx(50.0)  # B (January) yes, C no
    assert api.get(_url(therapist, "startDate=2026-03-15&endDate=2026-04-01")).json()["data"][
        "clientRetentionRate"
    ] == pytest.approx(100.0)  # B and C


def test_a_client_seen_once_is_not_retained_and_twice_is(api, practice, therapist):
    once, twice = (ClientFactory(practice=practice, therapists=[therapist]) for _ in range(2))
    _appointment(therapist, once, local(2026, 3, 2))
    _appointment(therapist, once, local(2026, 3, 3), status="cancelled")
    _appointment(therapist, once, local(2026, 3, 4), status="no_show")
    _appointment(therapist, twice, local(2026, 3, 5))
    _appointment(therapist, twice, local(2026, 3, 6))
    data = api.get(_url(therapist, MARCH)).json()["data"]
    assert data["clientRetentionRate"] == 50.0


def test_a_therapist_without_appointments_gets_zeros(api, therapist):
    data = api.get(_url(therapist, MARCH)).json()["data"]
    assert data == {
        "startDate": "2026-03-01",
        "endDate": "2026-03-31",
        "totalSessions": 0,
        "completedSessions": 0,
        "cancelledSessions": 0,
        "noShows": 0,
        "averageSessionDuration": 0.0,
        "clientRetentionRate": 0.0,
    }


def test_only_cancelled_and_no_shows_give_zero_duration_and_retention(api, practice, therapist):
    client = ClientFactory(practice=practice, therapists=[therapist])
    _appointment(therapist, client, local(2026, 3, 2), status="cancelled")
    _appointment(therapist, client, local(2026, 3, 3), status="no_show")
    data = api.get(_url(therapist, MARCH)).json()["data"]
    assert (data["totalSessions"], data["cancelledSessions"], data["noShows"]) == (2, 1, 1)
    assert (data["averageSessionDuration"], data["clientRetentionRate"]) == (0.0, 0.0)


def test_duration_rounds_half_up(api, practice, therapist):
    client = ClientFactory(practice=practice, therapists=[therapist])
    _appointment(therapist, client, local(2026, 3, 2), minutes=50)
    appointment = _appointment(therapist, client, local(2026, 3, 3), minutes=50)
    _session(appointment, local(2026, 3, 3), local(2026, 3, 3) + datetime.timedelta(minutes=50, seconds=30))
    # (50 + 50.5) / 2 = 50.25 -> 50.3
    assert api.get(_url(therapist, MARCH)).json()["data"]["averageSessionDuration"] == 50.3


# --- The window ---------------------------------------------------------------------------


def _get_at(moment: datetime.datetime, user, url: str):
    # Tokens are issued inside the travel: a token issued "in the future" is rejected.
    with time_machine.travel(moment, tick=False):
        return authenticated_client(user).get(url)


def test_default_window_is_the_last_30_local_days(therapist, march):
    moment = datetime.datetime(2026, 3, 31, 21, 0, tzinfo=datetime.UTC)
    data = _get_at(moment, therapist, _url(therapist)).json()["data"]
    # 23:00 on 31 March in Amsterdam: 2 to 31 March, so A's 1 March appointment is out.
    assert (data["startDate"], data["endDate"]) == ("2026-03-02", "2026-03-31")
    assert (data["totalSessions"], data["completedSessions"]) == (6, 3)
    assert data["averageSessionDuration"] == 56.7  # (50 + 60 + 60) / 3


def test_today_is_the_practices_today(therapist):
    # Still 31 March in UTC, already 1 April in Amsterdam.
    moment = datetime.datetime(2026, 3, 31, 22, 30, tzinfo=datetime.UTC)
    data = _get_at(moment, therapist, _url(therapist, "_t=1711922400000")).json()["data"]
    assert (data["startDate"], data["endDate"]) == ("2026-03-03", "2026-04-01")


def test_one_bound_given(therapist):
    moment = datetime.datetime(2026, 3, 31, 12, 0, tzinfo=datetime.UTC)
    only_start = _get_at(moment, therapist, _url(therapist, "startDate=2026-03-20")).json()["data"]
    assert (only_start["startDate"], only_start["endDate"]) == ("2026-03-20", "2026-03-31")
    only_end = _get_at(moment, therapist, _url(therapist, "endDate=2026-02-28")).json()["data"]
    assert (only_end["startDate"], only_end["endDate"]) == ("2026-01-30", "2026-02-28")


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("startDate=2026-04-01&endDate=2026-03-31", "startDate"),
        ("startDate=2026-13-01&endDate=2026-03-31", "startDate"),
        ("startDate=yesterday", "startDate"),
        ("startDate=2026-03-01&endDate=2026-02-30", "endDate"),
        ("startDate=2021-03-01&endDate=2026-03-01", "endDate"),
        ("startDate=2024-02-29&endDate=2029-02-28", "endDate"),
        ("startDate=0001-01-01&endDate=0001-01-02", "startDate"),
        ("startDate=9999-12-30&endDate=9999-12-31", "startDate"),
    ],
)
def test_invalid_windows_are_a_400_naming_the_field(api, therapist, query, field):
    response = api.get(_url(therapist, query))
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "validation_error"
    assert field in [error["field"] for error in body["errors"]]


@pytest.mark.parametrize(
    "query", ["startDate=2021-03-01&endDate=2026-02-28", "startDate=2024-02-29&endDate=2029-02-27"]
)
def test_five_years_is_the_longest_window(api, therapist, query):
    assert api.get(_url(therapist, query)).status_code == 200


def test_an_empty_parameter_means_not_given(therapist):
    moment = datetime.datetime(2026, 3, 31, 12, 0, tzinfo=datetime.UTC)
    data = _get_at(moment, therapist, _url(therapist, "startDate=&endDate=")).json()["data"]
    assert (data["startDate"], data["endDate"]) == ("2026-03-02", "2026-03-31")


def test_a_future_start_without_an_end_is_a_400(therapist):
    moment = datetime.datetime(2026, 3, 31, 12, 0, tzinfo=datetime.UTC)
    response = _get_at(moment, therapist, _url(therapist, "startDate=2026-04-01"))
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "startDate"


def test_window_rule():
    today = datetime.date(2026, 3, 31)
    window = session_stats_window(start_date=None, end_date=None, today=today)
    assert (window.start_date, window.end_date) == (datetime.date(2026, 3, 2), today)
    one_day = session_stats_window(start_date=today, end_date=today, today=today)
    assert one_day.start_date == one_day.end_date == today
    # A missing start follows the given end, whatever today is.
    window = session_stats_window(start_date=None, end_date=datetime.date(2031, 3, 31), today=today)
    assert window.start_date == datetime.date(2031, 3, 2)
    with pytest.raises(ValidationFailed):
        session_stats_window(start_date=datetime.date(2031, 3, 1), end_date=None, today=today)


# --- Who may read ---------------------------------------------------------------------------


def test_permission_matrix(
    therapist, march, api, other_therapist_api, staff_api, other_practice_api, anon_api, other_practice
):
    foreign_staff_api = authenticated_client(StaffFactory(practice=other_practice))
    expectations = [
        (api, 200),  # their own
        (staff_api, 200),  # staff of the practice
        (other_therapist_api, 404),  # a colleague
        (other_practice_api, 404),
        (foreign_staff_api, 404),
        (anon_api, 401),
    ]
    for client, status in expectations:
        response = client.get(_url(therapist, MARCH))
        assert response.status_code == status, client
        if status == 200:
            assert response.json()["data"]["totalSessions"] == 7
        else:
            assert response.json()["success"] is False


def test_only_therapists_have_statistics(staff_api, staff, practice):
    inactive = TherapistFactory(practice=practice, is_active=False)
    assert staff_api.get(_url(staff)).status_code == 404
    assert staff_api.get(_url(inactive)).status_code == 404
    assert staff_api.get("/api/therapists/6f1c1d5e-0000-4000-8000-000000000000/session-stats").status_code == 404


def test_the_404_comes_before_input_checks_of_the_window(other_therapist_api, therapist):
    assert other_therapist_api.get(_url(therapist, "startDate=2026-04-01&endDate=2026-03-01")).status_code == 404


# --- In the database -------------------------------------------------------------------------


def _seed_history(therapist, clients, days: int, start=datetime.date(2026, 1, 1)):
    for offset in range(days):
        day = start + datetime.timedelta(days=offset)
        appointment = _appointment(
            therapist, clients[offset % len(clients)], local(day.year, day.month, day.day), status="completed"
        )
        _session(appointment, appointment.starts_at, appointment.ends_at)


def test_two_aggregate_statements_whatever_the_history(api, practice, therapist):
    clients = [ClientFactory(practice=practice, therapists=[therapist]) for _ in range(3)]
    _seed_history(therapist, clients, 3)
    with CaptureQueriesContext(connection) as small:
        assert api.get(_url(therapist, "startDate=2026-01-01&endDate=2026-12-31")).status_code == 200
    _seed_history(therapist, clients, 60, start=datetime.date(2026, 2, 1))
    with CaptureQueriesContext(connection) as large:
        data = api.get(_url(therapist, "startDate=2026-01-01&endDate=2026-12-31")).json()["data"]
    assert data["totalSessions"] == 63
    assert len(small) == len(large)
    # The counts and durations, then the retention per client: two aggregates, no loop.
    appointment_queries = [q["sql"] for q in large if "scheduling_appointment" in q["sql"]]
    assert len(appointment_queries) == 2
    assert all(sql.startswith("SELECT COUNT(") for sql in appointment_queries)


def _independent_stats(therapist_id, starts_from, ends_before):
    """The definitions of SPEC §6 as plain SQL, written apart from the ORM query."""
    if connection.vendor == "postgresql":
        minutes = "EXTRACT(EPOCH FROM ({end} - {start})) / 60"
        ids = {"t": therapist_id, "lo": starts_from, "hi": ends_before}
    else:
        minutes = "(julianday({end}) - julianday({start})) * 1440"
        fmt = "%Y-%m-%d %H:%M:%S"
        ids = {"t": therapist_id.hex, "lo": starts_from.strftime(fmt), "hi": ends_before.strftime(fmt)}
    session_minutes = minutes.format(end="s.ended_at", start="s.started_at")
    scheduled_minutes = minutes.format(end="a.ends_at", start="a.starts_at")
    sql = f"""
        SELECT
          (SELECT COUNT(*) FROM scheduling_appointment a
            WHERE a.therapist_id = %(t)s AND a.starts_at >= %(lo)s AND a.starts_at < %(hi)s),
          (SELECT COUNT(*) FROM scheduling_appointment a
            WHERE a.therapist_id = %(t)s AND a.starts_at >= %(lo)s AND a.starts_at < %(hi)s
              AND a.status = 'completed'),
          (SELECT COUNT(*) FROM scheduling_appointment a
            WHERE a.therapist_id = %(t)s AND a.starts_at >= %(lo)s AND a.starts_at < %(hi)s
              AND a.status = 'cancelled'),
          (SELECT COUNT(*) FROM scheduling_appointment a
            WHERE a.therapist_id = %(t)s AND a.starts_at >= %(lo)s AND a.starts_at < %(hi)s
              AND a.status = 'no_show'),
          (SELECT AVG(CASE WHEN s.ended_at IS NOT NULL THEN {session_minutes} ELSE {scheduled_minutes} END)
             FROM scheduling_appointment a LEFT JOIN clinical_session s ON s.appointment_id = a.id
            WHERE a.therapist_id = %(t)s AND a.starts_at >= %(lo)s AND a.starts_at < %(hi)s
              AND a.status = 'completed'),
          (SELECT COUNT(*) FROM (
             SELECT a.client_id FROM scheduling_appointment a
              WHERE a.therapist_id = %(t)s AND a.starts_at >= %(lo)s AND a.starts_at < %(hi)s
                AND a.status = 'completed' GROUP BY a.client_id) seen),
          (SELECT COUNT(*) FROM (
             SELECT h.client_id FROM scheduling_appointment h
              WHERE h.therapist_id = %(t)s AND h.status = 'completed' AND h.starts_at < %(hi)s
                AND h.client_id IN (
                  SELECT a.client_id FROM scheduling_appointment a
                   WHERE a.therapist_id = %(t)s AND a.starts_at >= %(lo)s AND a.starts_at < %(hi)s
                     AND a.status = 'completed')
              GROUP BY h.client_id HAVING COUNT(*) >= 2) repeat_clients)
    """  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, ids)
        return cursor.fetchone()


def test_statistics_agree_with_an_independent_query_on_random_history(api, practice, therapist, other_therapist):
    rng = random.Random(20260301)
    clients = [ClientFactory(practice=practice, therapists=[therapist, other_therapist]) for _ in range(60)]
    statuses = ["completed"] * 6 + ["cancelled", "no_show", "scheduled", "confirmed"]
    for who in (therapist, other_therapist):
        moment = local(2025, 10, 1, 8)
        for _ in range(160):
            moment += datetime.timedelta(hours=rng.choice([2, 3, 5, 13, 22, 26]))
            status = rng.choice(statuses)
            minutes = rng.choice([45, 50, 60])
            appointment = _appointment(who, rng.choice(clients), moment, status=status, minutes=minutes)
            if status == "completed" and rng.random() < 0.7:
                started = moment + datetime.timedelta(minutes=rng.randint(0, 10))
                ended = started + datetime.timedelta(minutes=rng.randint(20, 70), seconds=rng.randint(0, 59))
                _session(appointment, started, ended if rng.random() < 0.9 else None)

    totals = []
    for start, end in [("2025-10-01", "2026-03-31"), ("2025-11-10", "2025-12-24"), ("2025-12-01", "2025-12-01")]:
        data = api.get(_url(therapist, f"startDate={start}&endDate={end}")).json()["data"]
        first = datetime.date.fromisoformat(start)
        last = datetime.date.fromisoformat(end) + datetime.timedelta(days=1)
        total, completed, cancelled, no_shows, minutes, seen, repeat = _independent_stats(
            therapist.pk,
            local(first.year, first.month, first.day, 0).astimezone(datetime.UTC),
            local(last.year, last.month, last.day, 0).astimezone(datetime.UTC),
        )
        assert (data["totalSessions"], data["completedSessions"], data["cancelledSessions"], data["noShows"]) == (
            total,
            completed,
            cancelled,
            no_shows,
        )
        assert data["averageSessionDuration"] == pytest.approx(float(minutes or 0), abs=0.05)
        assert data["clientRetentionRate"] == pytest.approx(100 * repeat / seen if seen else 0, abs=0.05)
        totals.append((total, completed, seen, repeat))
    assert totals[0][0] == 160  # the whole history
    assert all(seen > repeat > 0 for _total, _completed, seen, repeat in totals[:2])
