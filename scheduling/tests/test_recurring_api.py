"""POST and DELETE /api/appointments/{id}/recurring, as the frontend calls them."""

import threading
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext, override_settings

from clinical.tests.factories import SessionFactory
from conftest import authenticated_client
from practice.tests.factories import ClientFactory
from scheduling.models import Appointment, RecurringSeries
from scheduling.tests.factories import AppointmentFactory

pytestmark = pytest.mark.django_db

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
# Monday 2 March 2026, 08:00 in Amsterdam; summer time starts on 29 March.
NOW = datetime(2026, 3, 2, 7, 0, tzinfo=UTC)
FIRST_START = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)  # 09:00 local
SERIES_KEYS = {
    "id",
    "firstAppointmentId",
    "therapistId",
    "clientId",
    "pattern",
    "startDate",
    "endDate",
    "exceptions",
    "timezone",
    "localStartTime",
    "durationMinutes",
    "generatedUntil",
    "isActive",
}


@pytest.fixture(autouse=True)
def frozen_clock():
    # Autouse, so the API clients' tokens are issued at the frozen time too.
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def first_appointment(therapist, client_record):
    return AppointmentFactory(
        therapist=therapist, client=client_record, starts_at=FIRST_START, ends_at=FIRST_START + timedelta(minutes=50)
    )


def url(appointment) -> str:
    return f"/api/appointments/{appointment.pk}/recurring"


def post(api, appointment, **body):
    payload = {"pattern": "weekly", "endDate": "2026-07-31", "exceptions": []} | body
    return api.post(url(appointment), payload, format="json")


def occurrences_of(series_id) -> list[Appointment]:
    return list(Appointment.objects.filter(series_id=series_id).order_by("occurrence_date"))


def snapshot():
    return (
        list(RecurringSeries.objects.values_list("id", "pattern", "end_date", "exceptions", "is_active")),
        list(Appointment.objects.order_by("id").values_list("id", "series_id", "status", "starts_at", "updated_at")),
    )


# --- Creating a series ----------------------------------------------------------------------


def test_weekly_series_until_next_summer_fills_twelve_weeks_at_0900_local_skipping_holidays(api, first_appointment):
    response = post(api, first_appointment, endDate="2027-06-30", exceptions=["2026-04-06", "2026-04-27"])

    assert response.status_code == 201
    body = response.json()
    assert body["success"] is True
    data = body["data"]
    assert set(data) == {"series", "occurrences", "conflicts"}
    series = data["series"]
    assert set(series) == SERIES_KEYS
    assert series["firstAppointmentId"] == str(first_appointment.pk)
    assert series["pattern"] == "weekly"
    assert series["startDate"] == "2026-03-02"
    assert series["endDate"] == "2027-06-30"
    assert series["exceptions"] == ["2026-04-06", "2026-04-27"]
    assert series["timezone"] == "Europe/Amsterdam"
    assert series["localStartTime"] == "09:00"
    assert series["durationMinutes"] == 50
    assert series["generatedUntil"] == "2026-05-25"  # 12 weeks ahead
    assert series["isActive"] is True
    assert data["conflicts"] == []

    # 12 Mondays from 9 March to 25 May, minus the two holidays.
    occurrences = data["occurrences"]
    assert len(occurrences) == 10
    assert set(occurrences[0]) == {"id", "occurrenceDate", "startsAt", "endsAt", "status"}
    assert "2026-04-06" not in {o["occurrenceDate"] for o in occurrences}
    assert occurrences[2] == {
        "id": occurrences[2]["id"],
        "occurrenceDate": "2026-03-23",
        "startsAt": "2026-03-23T08:00:00Z",
        "endsAt": "2026-03-23T08:50:00Z",
        "status": "scheduled",
    }
    assert occurrences[3]["occurrenceDate"] == "2026-03-30"
    assert occurrences[3]["startsAt"] == "2026-03-30T07:00:00Z"  # summer time: the UTC instant moves
    stored = occurrences_of(series["id"])
    assert len(stored) == 11  # the first appointment is the series' first occurrence
    assert {a.starts_at.astimezone(AMSTERDAM).time() for a in stored} == {time(9, 0)}
    assert {(a.therapist_id, a.client_id, a.appointment_type) for a in stored} == {
        (first_appointment.therapist_id, first_appointment.client_id, first_appointment.appointment_type)
    }
    # Generated rows carry updated_at == created_at: that is how a later edit is recognised.
    assert all(a.updated_at == a.created_at for a in stored if a.pk != first_appointment.pk)
    first_appointment.refresh_from_db()
    assert first_appointment.occurrence_date == date(2026, 3, 2)


def test_monthly_series_on_the_31st_falls_on_month_ends(api, therapist, client_record, frozen_clock):
    frozen_clock.move_to(datetime(2027, 1, 30, 12, 0, tzinfo=UTC))
    api = authenticated_client(therapist)
    start = datetime(2027, 1, 31, 13, 0, tzinfo=UTC)
    appointment = AppointmentFactory(
        therapist=therapist, client=client_record, starts_at=start, ends_at=start + timedelta(minutes=60)
    )
    with override_settings(RECURRING_HORIZON_WEEKS=20):
        response = post(api, appointment, pattern="monthly", endDate="2027-05-31")
    assert response.status_code == 201
    occurrences = response.json()["data"]["occurrences"]
    # The end date is inclusive: 31 May is the last one.
    assert [o["occurrenceDate"] for o in occurrences] == ["2027-02-28", "2027-03-31", "2027-04-30", "2027-05-31"]
    assert [o["startsAt"] for o in occurrences] == [
        "2027-02-28T13:00:00Z",
        "2027-03-31T12:00:00Z",  # 14:00 summer time
        "2027-04-30T12:00:00Z",
        "2027-05-31T12:00:00Z",
    ]


def test_staff_may_make_a_therapists_appointment_recurring(staff_api, first_appointment):
    response = post(staff_api, first_appointment, pattern="biweekly")
    assert response.status_code == 201
    assert [o["occurrenceDate"] for o in response.json()["data"]["occurrences"]][:2] == ["2026-03-16", "2026-03-30"]


def test_only_the_future_is_materialised_when_the_first_appointment_is_past(api, therapist, client_record):
    start = datetime(2026, 2, 2, 8, 0, tzinfo=UTC)
    past = AppointmentFactory(
        therapist=therapist,
        client=client_record,
        starts_at=start,
        ends_at=start + timedelta(minutes=50),
        status=Appointment.Status.COMPLETED,
    )
    response = post(api, past)
    assert response.status_code == 201
    # 2 March 09:00 local is still ahead; the four Mondays of February are not created.
    assert response.json()["data"]["occurrences"][0]["occurrenceDate"] == "2026-03-02"
    assert Appointment.objects.filter(starts_at__lt=NOW).count() == 1


# --- Validation -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"endDate": "2026-03-01"}, "endDate"),  # before the first occurrence
        ({"endDate": "2026-03-02"}, "endDate"),  # on the first occurrence
        ({"endDate": "2028-03-03"}, "endDate"),  # more than two years after it
        ({"endDate": "2026-02-30"}, "endDate"),  # no such date
        ({"endDate": "next summer"}, "endDate"),
        ({"endDate": None}, "endDate"),
        ({"pattern": "daily"}, "pattern"),
        ({"pattern": 7}, "pattern"),
        ({"exceptions": ["2026-03-10"]}, "exceptions.0"),  # a Tuesday: not on the pattern
        ({"exceptions": ["2026-08-03", "2026-03-09"]}, "exceptions.0"),  # after the end date
        ({"exceptions": ["2026-03-02"]}, "exceptions.0"),  # the first appointment itself
        ({"exceptions": ["2026-13-01"]}, "exceptions.0"),
        ({"exceptions": "2026-03-09"}, "exceptions"),
    ],
)
def test_invalid_input_is_a_400_naming_the_field_and_changes_nothing(api, first_appointment, body, field):
    before = snapshot()
    response = post(api, first_appointment, **body)
    assert response.status_code == 400
    error = response.json()
    assert error["success"] is False
    assert error["code"] == "validation_error"
    assert [e["field"] for e in error["errors"]] == [field]
    assert snapshot() == before


def test_two_years_after_the_first_occurrence_is_still_allowed(api, first_appointment):
    assert post(api, first_appointment, endDate="2028-03-02").status_code == 201


def test_exceptions_are_stored_sorted_once_and_errors_point_at_what_was_sent(api, first_appointment):
    response = post(api, first_appointment, exceptions=["2026-03-23", "2026-03-16", "2026-03-23", "2026-03-17"])
    assert [e["field"] for e in response.json()["errors"]] == ["exceptions.3"]
    response = post(api, first_appointment, exceptions=["2026-03-23", "2026-03-16", "2026-03-23"])
    assert response.json()["data"]["series"]["exceptions"] == ["2026-03-16", "2026-03-23"]


def test_missing_fields_are_named(api, first_appointment):
    response = api.post(url(first_appointment), {}, format="json")
    assert response.status_code == 400
    assert {e["field"] for e in response.json()["errors"]} == {"pattern", "endDate"}


def test_a_cancelled_appointment_cannot_start_a_series(api, first_appointment):
    Appointment.objects.filter(pk=first_appointment.pk).update(status=Appointment.Status.CANCELLED)
    response = post(api, first_appointment)
    assert response.status_code == 400
    assert response.json()["code"] == "appointment_cancelled"
    assert not RecurringSeries.objects.exists()


def test_an_occurrence_of_a_series_cannot_start_another(api, first_appointment):
    occurrence_id = post(api, first_appointment).json()["data"]["occurrences"][0]["id"]
    before = snapshot()
    response = api.post(
        f"/api/appointments/{occurrence_id}/recurring", {"pattern": "monthly", "endDate": "2026-12-31"}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["code"] == "appointment_in_other_series"
    assert snapshot() == before


# --- Conflicts ------------------------------------------------------------------------------


def test_busy_slots_are_skipped_and_reported_never_double_booked(api, therapist, first_appointment, practice):
    other_client = ClientFactory(practice=practice, therapists=[therapist])
    clash_start = datetime(2026, 3, 16, 8, 30, tzinfo=UTC)  # 09:30-10:20 local overlaps 09:00-09:50
    busy = AppointmentFactory(
        therapist=therapist, client=other_client, starts_at=clash_start, ends_at=clash_start + timedelta(minutes=50)
    )
    cancelled_start = datetime(2026, 3, 23, 8, 0, tzinfo=UTC)
    AppointmentFactory(
        therapist=therapist,
        client=other_client,
        starts_at=cancelled_start,
        ends_at=cancelled_start + timedelta(minutes=50),
        status=Appointment.Status.CANCELLED,
    )
    back_to_back = datetime(2026, 3, 30, 7, 50, tzinfo=UTC)  # starts as the occurrence ends: no overlap
    AppointmentFactory(
        therapist=therapist, client=other_client, starts_at=back_to_back, ends_at=back_to_back + timedelta(minutes=50)
    )

    data = post(api, first_appointment).json()["data"]

    assert data["conflicts"] == [
        {"occurrenceDate": "2026-03-16", "startsAt": "2026-03-16T08:00:00Z", "conflictingAppointmentId": str(busy.pk)}
    ]
    dates = [o["occurrenceDate"] for o in data["occurrences"]]
    assert "2026-03-16" not in dates
    assert {"2026-03-23", "2026-03-30"} <= set(dates)
    assert not Appointment.objects.filter(
        therapist=therapist, starts_at__lt=busy.ends_at, ends_at__gt=busy.starts_at, series__isnull=False
    ).exists()


def test_another_therapists_appointments_are_no_conflict(api, first_appointment, other_therapist, practice):
    other_client = ClientFactory(practice=practice, therapists=[other_therapist])
    AppointmentFactory(
        therapist=other_therapist,
        client=other_client,
        starts_at=datetime(2026, 3, 9, 8, 0, tzinfo=UTC),
        ends_at=datetime(2026, 3, 9, 8, 50, tzinfo=UTC),
    )
    assert post(api, first_appointment).json()["data"]["conflicts"] == []


# --- Replacing the pattern ------------------------------------------------------------------


def test_posting_again_regenerates_untouched_future_occurrences_and_keeps_touched_ones(
    api, therapist, first_appointment, frozen_clock
):
    data = post(api, first_appointment, endDate="2026-12-31").json()["data"]
    by_date = {o["occurrenceDate"]: o["id"] for o in data["occurrences"]}

    frozen_clock.move_to(datetime(2026, 3, 10, 12, 0, tzinfo=UTC))
    api = authenticated_client(therapist)
    # 9 March is past now: it is kept whatever the new pattern.
    Appointment.objects.filter(pk=by_date["2026-03-09"]).update(status=Appointment.Status.COMPLETED)
    with_session = Appointment.objects.get(pk=by_date["2026-03-16"])
    SessionFactory(appointment=with_session, status="in_progress", ended_at=None)
    no_show = Appointment.objects.get(pk=by_date["2026-03-23"])
    no_show.status = Appointment.Status.NO_SHOW
    no_show.save()
    edited = Appointment.objects.get(pk=by_date["2026-04-06"])
    edited.notes = "Client asked to bring the questionnaire."
    edited.save()  # a later save than the generation: updated_at > created_at
    cancelled = Appointment.objects.get(pk=by_date["2026-04-13"])
    cancelled.status = Appointment.Status.CANCELLED
    cancelled.save()
    touched = {by_date[d] for d in ("2026-03-09", "2026-03-16", "2026-03-23", "2026-04-06", "2026-04-13")}
    untouched_future = set(by_date.values()) - touched

    response = post(api, first_appointment, pattern="biweekly", endDate="2026-10-31", exceptions=["2026-04-27"])

    assert response.status_code == 200
    data = response.json()["data"]
    assert data["series"]["pattern"] == "biweekly"
    assert data["series"]["endDate"] == "2026-10-31"
    assert data["series"]["exceptions"] == ["2026-04-27"]
    assert data["series"]["generatedUntil"] == "2026-06-02"  # 12 weeks after 10 March
    remaining = {a.pk for a in Appointment.objects.filter(series_id=data["series"]["id"])}
    assert {str(pk) for pk in remaining} >= {str(pk) for pk in touched}
    assert not {str(pk) for pk in remaining} & {str(pk) for pk in untouched_future}
    # Biweekly from 2 March: 16 Mar and 13 Apr are kept as they were, 30 Mar, 11 and 25 May
    # are new; 27 April is an exception.
    assert [o["occurrenceDate"] for o in data["occurrences"]] == ["2026-03-30", "2026-05-11", "2026-05-25"]
    assert sorted(str(a.occurrence_date) for a in Appointment.objects.filter(pk__in=remaining)) == [
        "2026-03-02",
        "2026-03-09",
        "2026-03-16",
        "2026-03-23",
        "2026-03-30",
        "2026-04-06",
        "2026-04-13",
        "2026-05-11",
        "2026-05-25",
    ]
    assert RecurringSeries.objects.count() == 1


def test_replacing_with_an_invalid_pattern_changes_nothing(api, first_appointment):
    post(api, first_appointment)
    before = snapshot()
    response = post(api, first_appointment, endDate="2029-01-01")
    assert response.status_code == 400
    assert snapshot() == before


# --- Stopping -------------------------------------------------------------------------------


def test_delete_stops_the_series_and_cancels_untouched_future_occurrences(
    api, therapist, first_appointment, frozen_clock
):
    series_id = post(api, first_appointment).json()["data"]["series"]["id"]
    frozen_clock.move_to(datetime(2026, 3, 17, 12, 0, tzinfo=UTC))
    api = authenticated_client(therapist)
    kept = Appointment.objects.get(series_id=series_id, occurrence_date=date(2026, 4, 6))
    kept.status = Appointment.Status.CONFIRMED
    kept.location = "Room 2"
    kept.save()

    response = api.delete(url(first_appointment))

    assert response.status_code == 200
    data = response.json()["data"]
    assert data["series"]["isActive"] is False
    assert data["cancelledCount"] == 9  # 23 Mar .. 25 May, except the edited 6 April
    by_status = {}
    for appointment in occurrences_of(series_id):
        by_status.setdefault(appointment.status, []).append(appointment.occurrence_date)
    assert by_status[Appointment.Status.SCHEDULED] == [date(2026, 3, 2), date(2026, 3, 9), date(2026, 3, 16)]
    assert by_status[Appointment.Status.CONFIRMED] == [date(2026, 4, 6)]
    assert len(by_status[Appointment.Status.CANCELLED]) == 9
    cancelled = Appointment.objects.filter(series_id=series_id, status=Appointment.Status.CANCELLED).first()
    assert cancelled.cancelled_by == therapist
    assert cancelled.cancellation_reason

    again = api.delete(url(first_appointment))
    assert again.status_code == 200
    assert again.json()["data"]["cancelledCount"] == 0
    replace = post(api, first_appointment)
    assert replace.status_code == 409
    assert replace.json()["code"] == "series_stopped"


def test_delete_from_any_occurrence_stops_its_series(staff_api, api, first_appointment):
    occurrence_id = post(api, first_appointment).json()["data"]["occurrences"][5]["id"]
    response = staff_api.delete(f"/api/appointments/{occurrence_id}/recurring")
    assert response.status_code == 200
    assert response.json()["data"]["cancelledCount"] == 12
    first_appointment.refresh_from_db()
    assert first_appointment.status == Appointment.Status.SCHEDULED


def test_delete_without_a_series_is_a_404(api, first_appointment):
    response = api.delete(url(first_appointment))
    assert response.status_code == 404
    assert response.json()["code"] == "series_not_found"


# --- Who may -------------------------------------------------------------------------------


def test_another_therapist_gets_404_and_changes_nothing(api, other_therapist_api, first_appointment):
    before = snapshot()
    response = post(other_therapist_api, first_appointment)
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    assert snapshot() == before
    post(api, first_appointment)
    before = snapshot()
    assert other_therapist_api.delete(url(first_appointment)).status_code == 404
    assert post(other_therapist_api, first_appointment, pattern="monthly").status_code == 404
    assert snapshot() == before


def test_another_practice_gets_404_even_as_staff(other_practice_api, other_practice, first_appointment):
    from practice.tests.factories import StaffFactory

    foreign_staff = authenticated_client(StaffFactory(practice=other_practice))
    before = snapshot()
    for caller in (other_practice_api, foreign_staff):
        assert post(caller, first_appointment).status_code == 404
        assert caller.delete(url(first_appointment)).status_code == 404
    assert snapshot() == before


def test_anonymous_gets_401(anon_api, first_appointment):
    assert post(anon_api, first_appointment).status_code == 401
    assert anon_api.delete(url(first_appointment)).status_code == 401


def test_unknown_appointment_is_a_404(api):
    response = api.post(
        "/api/appointments/00000000-0000-0000-0000-000000000000/recurring",
        {"pattern": "weekly", "endDate": "2026-07-31"},
        format="json",
    )
    assert response.status_code == 404


# --- Queries --------------------------------------------------------------------------------


def test_query_count_does_not_grow_with_the_number_of_occurrences(api, therapist, client_record):
    def queries_for(weeks: int, start: datetime) -> int:
        appointment = AppointmentFactory(
            therapist=therapist, client=client_record, starts_at=start, ends_at=start + timedelta(minutes=50)
        )
        with override_settings(RECURRING_HORIZON_WEEKS=weeks), CaptureQueriesContext(connection) as queries:
            response = post(api, appointment, endDate="2027-12-31")
        assert response.status_code == 201
        assert len(response.json()["data"]["occurrences"]) == weeks
        return len(queries)

    few = queries_for(2, datetime(2026, 3, 2, 10, 0, tzinfo=UTC))
    many = queries_for(40, datetime(2026, 3, 2, 13, 0, tzinfo=UTC))
    assert few == many
    assert many <= 13  # savepoints included


# --- Concurrency (PostgreSQL) ---------------------------------------------------------------


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_a_clash_committed_during_generation_is_reported_not_double_booked(therapist, client_record, practice):
    """A booking that commits between the service's overlap read and its insert is caught by
    the exclusion constraint: the occurrence is skipped and reported, not a 500."""
    api = authenticated_client(therapist)
    first = AppointmentFactory(
        therapist=therapist, client=client_record, starts_at=FIRST_START, ends_at=FIRST_START + timedelta(minutes=50)
    )
    other_client = ClientFactory(practice=practice, therapists=[therapist])
    slot = datetime(2026, 3, 23, 8, 0, tzinfo=UTC)
    booked = threading.Event()
    release = threading.Event()
    errors = []

    def book_the_slot():
        try:
            with transaction.atomic():
                AppointmentFactory(
                    therapist=therapist, client=other_client, starts_at=slot, ends_at=slot + timedelta(minutes=45)
                )
                booked.set()
                release.wait(10)
        except Exception as exc:  # surfaced by the assertion below
            errors.append(exc)
        finally:
            connection.close()

    booker = threading.Thread(target=book_the_slot)
    booker.start()
    assert booked.wait(10)
    # The booking is not committed yet: the series' read does not see it, and its insert
    # waits on the uncommitted row until the booking commits.
    threading.Timer(0.5, release.set).start()
    response = post(api, first)
    booker.join(10)

    assert errors == []
    assert response.status_code == 201
    clash = Appointment.objects.get(series__isnull=True, starts_at=slot)
    assert response.json()["data"]["conflicts"] == [
        {"occurrenceDate": "2026-03-23", "startsAt": "2026-03-23T08:00:00Z", "conflictingAppointmentId": str(clash.pk)}
    ]
    assert not Appointment.objects.filter(series__isnull=False, occurrence_date=date(2026, 3, 23)).exists()


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_posts_for_one_appointment_make_one_series(therapist, client_record):
    first = AppointmentFactory(
        therapist=therapist, client=client_record, starts_at=FIRST_START, ends_at=FIRST_START + timedelta(minutes=50)
    )
    barrier = threading.Barrier(2)
    statuses, errors = [], []

    def make_recurring():
        try:
            api = authenticated_client(therapist)
            barrier.wait(10)
            statuses.append(post(api, first).status_code)
        except Exception as exc:  # surfaced by the assertion below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=make_recurring) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)

    assert errors == []
    # The appointment row lock serialises them: the second replaces the first's pattern.
    assert sorted(statuses) == [200, 201]
    assert RecurringSeries.objects.count() == 1
    assert Appointment.objects.filter(series__isnull=False).count() == 13
    assert Appointment.objects.values("occurrence_date").distinct().count() == 13
