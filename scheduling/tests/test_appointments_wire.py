"""The appointment as the frontend's ``Appointment`` type reads it (SPEC §4): snake_case,
the practice-local date and times of day beside the absolute instants, its four types."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from practice.tests.factories import ClientFactory
from scheduling.models import Appointment
from scheduling.tests.factories import AppointmentFactory

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 3, 20, 8, 0, tzinfo=UTC)

# Every field the calendar, the appointments list and the appointment detail read.
FRONTEND_FIELDS = {
    "id",
    "client_id",
    "therapist_id",
    "appointment_date",
    "start_time",
    "end_time",
    "duration",
    "status",
    "type",
    "location",
    "notes",
    "preparation_notes",
    "focus_areas",
    "cancelled_by",
    "cancelled_at",
    "cancellation_reason",
    "client",
    "client_name",
    # The session page reads the client flat.
    "client_first_name",
    "client_last_name",
    "therapy_type",
    "created_at",
    "updated_at",
}
CLIENT_FIELDS = {
    "id",
    "first_name",
    "last_name",
    "email",
    "phone",
    "date_of_birth",
    "status",
    "profile_photo_url",
    "total_sessions",
    "last_session_date",
    "emergency_contact",
}


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def across_dst(therapist, client_record):
    """09:30-10:20 Amsterdam on the day before and the day after the spring change."""
    return [
        AppointmentFactory(
            therapist=therapist,
            client=client_record,
            starts_at=datetime(2026, 3, 28, 8, 30, tzinfo=UTC),
            ends_at=datetime(2026, 3, 28, 9, 20, tzinfo=UTC),
        ),
        AppointmentFactory(
            therapist=therapist,
            client=client_record,
            starts_at=datetime(2026, 3, 29, 7, 30, tzinfo=UTC),
            ends_at=datetime(2026, 3, 29, 8, 20, tzinfo=UTC),
            appointment_type=Appointment.Type.CRISIS,
        ),
    ]


def test_list_and_detail_carry_the_frontend_fields(api, across_dst):
    listed = api.get("/api/appointments").json()["data"]
    detail = api.get(f"/api/appointments/{across_dst[0].pk}").json()["data"]
    for item in (*listed, detail):
        assert item.keys() >= FRONTEND_FIELDS
        assert item["client"].keys() >= CLIENT_FIELDS
    assert listed[0] == detail


def test_local_date_and_times_follow_the_practice_timezone_across_dst(api, across_dst):
    listed = api.get("/api/appointments").json()["data"]
    assert [(a["appointment_date"], a["start_time"], a["end_time"], a["duration"]) for a in listed] == [
        ("2026-03-28", "09:30:00", "10:20:00", 50),
        ("2026-03-29", "09:30:00", "10:20:00", 50),
    ]
    assert [a["starts_at"] for a in listed] == ["2026-03-28T08:30:00Z", "2026-03-29T07:30:00Z"]


def test_type_is_one_of_the_frontends_four(api, across_dst):
    listed = api.get("/api/appointments").json()["data"]
    assert [(a["type"], a["appointment_type"]) for a in listed] == [("regular", "individual"), ("emergency", "crisis")]


def test_preparation_notes_are_the_therapists_only(api, staff_api, therapist, client_record):
    appointment = AppointmentFactory(
        therapist=therapist,
        client=client_record,
        starts_at=NOW + timedelta(days=1),
        ends_at=NOW + timedelta(days=1, minutes=50),
        preparation_notes="Ask about sleep",
        focus_areas=["sleep"],
    )
    own = api.get(f"/api/appointments/{appointment.pk}").json()["data"]
    assert (own["preparation_notes"], own["focus_areas"]) == ("Ask about sleep", ["sleep"])
    for item in (
        staff_api.get(f"/api/appointments/{appointment.pk}").json()["data"],
        staff_api.get("/api/appointments").json()["data"][0],
    ):
        assert (item["preparation_notes"], item["focus_areas"], item["preparation"]) == ("", [], None)


def test_the_client_is_the_frontends_client(api, therapist, practice):
    client = ClientFactory(practice=practice, therapists=[therapist], first_name="Mila", last_name="Jansen")
    AppointmentFactory(therapist=therapist, client=client, starts_at=NOW + timedelta(hours=2))
    item = api.get("/api/appointments").json()["data"][0]
    assert (item["client_id"], item["client_name"]) == (str(client.pk), "Mila Jansen")
    assert (item["client"]["first_name"], item["client"]["last_name"], item["client"]["status"]) == (
        "Mila",
        "Jansen",
        "active",
    )
