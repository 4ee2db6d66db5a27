"""The availability page's calls (GET/POST /api/therapist/availability) and the flag on
bookings outside it."""

from datetime import UTC, date, datetime, time, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from practice.tests.factories import ClientFactory
from scheduling.models import Availability, AvailabilitySlot
from scheduling.selectors.availability import availability_covers

pytestmark = pytest.mark.django_db

URL = "/api/therapist/availability"
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


def page_object(**overrides) -> dict:
    """What the availability page saves: its whole object."""
    body = {
        "regularHours": [
            {
                "day": "Monday",
                "isAvailable": True,
                "slots": [{"start": "09:00", "end": "12:00"}, {"start": "13:00", "end": "17:00"}],
            },
            {
                "day": "Tuesday",
                "isAvailable": True,
                "slots": [{"start": "09:00", "end": "17:00"}, {"start": "12:00", "end": "12:30", "isBreak": True}],
            },
            {"day": "Wednesday", "isAvailable": False, "slots": [{"start": "09:00", "end": "17:00"}]},
            {"day": "Thursday", "isAvailable": True, "slots": [{"start": "08:00", "end": "20:00"}]},
            {"day": "Friday", "isAvailable": True, "slots": [{"start": "09:00", "end": "13:00"}]},
            {"day": "Saturday", "isAvailable": False, "slots": []},
            {"day": "Sunday", "isAvailable": False, "slots": []},
        ],
        "sessionDuration": 50,
        "bufferTime": 10,
        "maxDailyAppointments": 6,
        "autoConfirmAppointments": False,
        "blockEmergencySlots": True,
        "vacationMode": False,
        "vacationStart": "2026-07-20",
        "vacationEnd": "2026-08-07",
        "vacationMessage": "Back in August",
        "exceptions": [
            {"date": "2026-04-27", "reason": "King's Day", "slots": []},
            {"date": "2026-05-02", "reason": "Extra Saturday", "slots": [{"start": "10:00", "end": "14:00"}]},
        ],
    }
    body.update(overrides)
    return body


def _page_fields(data: dict) -> dict:
    """The stored object as the page reads it back (the page's own keys)."""
    keep = {key: value for key, value in data.items() if key not in ("timezone", "isDefault", "updatedAt")}
    for day in keep["regularHours"]:
        for slot in day["slots"]:
            if not slot["isBreak"]:
                del slot["isBreak"]
    return keep


def test_before_saving_a_therapist_has_the_default_week(api):
    data = api.get(URL).json()["data"]
    assert data["isDefault"] is True and data["updatedAt"] is None
    assert data["timezone"] == "Europe/Amsterdam"
    assert [d["day"] for d in data["regularHours"]] == DAYS
    assert [d["isAvailable"] for d in data["regularHours"]] == [True] * 5 + [False] * 2
    assert data["regularHours"][0]["slots"] == [{"start": "09:00", "end": "17:00", "isBreak": False}]
    assert data["exceptions"] == [] and data["sessionDuration"] == 60


def test_what_the_page_saves_is_what_it_reads_back(api, therapist):
    body = page_object()
    response = api.post(URL, body, format="json")
    assert response.status_code == 200, response.json()
    assert _page_fields(response.json()["data"]) == body

    read = api.get(URL).json()["data"]
    assert read["isDefault"] is False and read["updatedAt"]
    assert _page_fields(read) == body


def test_a_second_save_replaces_the_whole_schedule(api, therapist):
    api.post(URL, page_object(), format="json")
    smaller = page_object(
        regularHours=[{"day": "Monday", "isAvailable": True, "slots": [{"start": "10:00", "end": "11:00"}]}],
        exceptions=[],
    )
    data = api.post(URL, smaller, format="json").json()["data"]
    assert data["regularHours"][0]["slots"] == [{"start": "10:00", "end": "11:00", "isBreak": False}]
    assert all(not d["isAvailable"] and not d["slots"] for d in data["regularHours"][1:])
    assert data["exceptions"] == []
    assert AvailabilitySlot.objects.filter(day__availability__therapist=therapist).count() == 1


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (lambda b: b["regularHours"][0]["slots"].append({"start": "11:00", "end": "14:00"}), "regularHours.0.slots.2"),
        (
            lambda b: b["regularHours"][1]["slots"].append({"start": "12:15", "end": "13:00", "isBreak": True}),
            "regularHours.1.slots.2",
        ),
        (lambda b: b["exceptions"][1]["slots"].append({"start": "13:00", "end": "15:00"}), "exceptions.1.slots.1"),
        (lambda b: b["exceptions"].append({"date": "2026-04-27", "reason": "Twice", "slots": []}), "exceptions.2.date"),
        (lambda b: b["regularHours"][0]["slots"][0].update(end="08:00"), "regularHours.0.slots.0.end"),
        (lambda b: b["regularHours"][0]["slots"][0].update(start="25:00"), "regularHours.0.slots.0.start"),
        (lambda b: b["regularHours"][0]["slots"][0].update(start=900), "regularHours.0.slots.0.start"),
        (lambda b: b["regularHours"][0].update(day="Funday"), "regularHours.0.day"),
        (lambda b: b["regularHours"][1].update(day="Monday"), "regularHours"),
        (lambda b: b.update(sessionDuration="60"), "sessionDuration"),
        (lambda b: b.update(vacationEnd="2026-07-01"), "vacationEnd"),
        (lambda b: b["exceptions"][0].update(reason=""), "exceptions.0.reason"),
        (lambda b: b.pop("regularHours"), "regularHours"),
    ],
)
def test_bad_input_is_a_400_and_keeps_the_stored_schedule(api, therapist, change, field):
    api.post(URL, page_object(), format="json")
    before = api.get(URL).json()["data"]
    body = page_object()
    change(body)

    response = api.post(URL, body, format="json")

    assert response.status_code == 400, response.json()
    assert field in {error["field"] for error in response.json()["errors"]}
    assert api.get(URL).json()["data"] == before


def test_touching_slots_and_a_break_inside_the_hours_are_fine(api):
    body = page_object()
    body["regularHours"][0]["slots"] = [
        {"start": "09:00", "end": "12:00"},
        {"start": "12:00", "end": "17:00"},
        {"start": "12:00", "end": "13:00", "isBreak": True},
    ]
    assert api.post(URL, body, format="json").status_code == 200


def test_therapists_only_each_their_own(api, other_therapist_api, staff_api, other_practice_api):
    api.post(URL, page_object(), format="json")
    assert other_therapist_api.get(URL).json()["data"]["isDefault"] is True
    assert other_practice_api.get(URL).json()["data"]["isDefault"] is True
    assert staff_api.get(URL).status_code == 403
    assert staff_api.post(URL, page_object(), format="json").status_code == 403
    assert Availability.objects.count() == 1


def _queries(call) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert call().status_code == 200
    return len(queries)


def test_query_counts_are_constant(api):
    small = page_object(exceptions=[{"date": "2026-09-01", "reason": "Course", "slots": []}])
    small["regularHours"] = [{"day": "Monday", "isAvailable": True, "slots": [{"start": "09:00", "end": "10:00"}]}]
    large = page_object(
        exceptions=[{"date": f"2026-09-{day:02d}", "reason": "Course", "slots": []} for day in range(1, 29)]
    )
    for day in large["regularHours"]:
        day["slots"] = [{"start": f"{hour:02d}:00", "end": f"{hour:02d}:30"} for hour in range(8, 20)]

    post_small = _queries(lambda: api.post(URL, small, format="json"))
    get_small = _queries(lambda: api.get(URL))
    post_large = _queries(lambda: api.post(URL, large, format="json"))
    get_large = _queries(lambda: api.get(URL))
    # user, practice, availability, days, slots, exceptions, plus savepoints.
    assert get_small == get_large <= 8
    assert post_small == post_large


# --- Coverage of a booking ----------------------------------------------------------------------


def _local(day: date, hour: int, minute: int = 0) -> datetime:
    # Europe/Amsterdam in April and May is UTC+2.
    return datetime.combine(day, time(hour, minute), tzinfo=UTC) - timedelta(hours=2)


@pytest.mark.parametrize(
    ("day", "start", "end", "covered"),
    [
        (date(2026, 4, 20), (9, 0), (10, 0), True),  # Monday morning
        (date(2026, 4, 20), (11, 30), (12, 30), False),  # across Monday's gap
        (date(2026, 4, 21), (11, 45), (12, 15), False),  # into Tuesday's break
        (date(2026, 4, 21), (12, 30), (13, 30), True),  # after the break
        (date(2026, 4, 22), (10, 0), (11, 0), False),  # Wednesday is switched off
        (date(2026, 4, 25), (10, 0), (11, 0), False),  # Saturday
        (date(2026, 4, 27), (10, 0), (11, 0), False),  # exception: the whole Monday off
        (date(2026, 5, 2), (10, 0), (11, 0), True),  # exception: extra Saturday hours
        (date(2026, 5, 2), (13, 30), (14, 30), False),  # past the extra hours
        (date(2026, 7, 23), (10, 0), (11, 0), True),  # vacation dates, but vacation mode is off
    ],
)
def test_availability_covers(api, therapist, day, start, end, covered):
    api.post(URL, page_object(), format="json")
    assert availability_covers(therapist, _local(day, *start), _local(day, *end)) is covered


def test_vacation_mode_covers_nothing_in_its_dates(api, therapist):
    api.post(URL, page_object(vacationMode=True), format="json")
    assert availability_covers(therapist, _local(date(2026, 7, 23), 10), _local(date(2026, 7, 23), 11)) is False
    assert availability_covers(therapist, _local(date(2026, 8, 10), 10), _local(date(2026, 8, 10), 11)) is True


def test_a_booking_outside_availability_is_made_and_flagged(api, therapist, client_record):
    api.post(URL, page_object(), format="json")

    def book(day: date, hour: int) -> dict:
        response = api.post(
            "/api/appointments",
            {
                "clientId": str(client_record.pk),
                "startsAt": _local(day, hour).isoformat(),
                "endsAt": _local(day, hour, 50).isoformat(),
            },
            format="json",
        )
        assert response.status_code == 201, response.json()
        return response.json()["data"]

    assert book(date(2027, 4, 19), 9)["outside_availability"] is False  # a Monday
    assert book(date(2027, 4, 24), 9)["outside_availability"] is True  # a Saturday


def test_the_flag_is_on_the_create_response_only(api, therapist, practice):
    client = ClientFactory(practice=practice, therapists=[therapist])
    starts = datetime(2027, 4, 19, 7, 0, tzinfo=UTC)
    created = api.post(
        "/api/appointments",
        {
            "clientId": str(client.pk),
            "startsAt": starts.isoformat(),
            "endsAt": (starts + timedelta(hours=1)).isoformat(),
        },
        format="json",
    ).json()["data"]
    read = api.get(f"/api/appointments/{created['id']}").json()["data"]
    assert created.pop("outside_availability") is False
    assert read == created


def test_the_booking_form_is_flagged_the_same_way(api, therapist, client_record):
    api.post(URL, page_object(), format="json")

    def book(day: str, start: str, end: str) -> dict:
        body = {
            "clientId": str(client_record.pk),
            "appointmentDate": f"{day}T00:00:00.000Z",
            "startTime": start,
            "endTime": end,
            "therapyType": "individual",
            "location": "in-person",
            "notes": "Regular therapy session",
        }
        response = api.post("/api/therapist/appointments", body, format="json")
        assert response.status_code == 201, response.json()
        return response.json()["data"]

    assert book("2027-04-19", "09:00", "10:00")["outside_availability"] is False  # Monday morning
    assert book("2027-04-19", "12:00", "13:00")["outside_availability"] is True  # Monday's lunch gap
