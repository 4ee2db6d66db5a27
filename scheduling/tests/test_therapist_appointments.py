"""POST /api/therapist/appointments: the therapist frontend's booking form (local date and
wall-clock times, its own type and location names)."""

from datetime import UTC, datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from practice.tests.factories import ClientFactory
from practice.tests.queries import data_statements
from scheduling.models import Appointment
from scheduling.tests.factories import AppointmentFactory

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 3, 10, 8, 0, tzinfo=UTC)
URL = "/api/therapist/appointments"


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def _form(client, **changes) -> dict:
    # Exactly what the create page sends.
    return {
        "clientId": str(client.pk),
        "appointmentDate": "2026-03-30T00:00:00.000Z",
        "startTime": "09:00",
        "endTime": "10:00",
        "therapyType": "individual",
        "location": "in-person",
        "notes": "Regular therapy session",
        **changes,
    }


def test_books_the_local_slot(api, therapist, client_record):
    response = api.post(URL, _form(client_record), format="json")
    assert response.status_code == 201, response.json()
    data = response.json()["data"]
    # 30 March is summer time in Amsterdam: 09:00 local is 07:00 UTC.
    assert (data["appointment_date"], data["start_time"], data["end_time"]) == ("2026-03-30", "09:00:00", "10:00:00")
    assert (data["starts_at"], data["ends_at"]) == ("2026-03-30T07:00:00Z", "2026-03-30T08:00:00Z")
    assert (data["appointment_type"], data["mode"], data["status"]) == ("individual", "in_person", "scheduled")
    assert data["therapist_id"] == str(therapist.pk)
    assert data["client"]["first_name"] == client_record.first_name
    assert Appointment.objects.get().notes == "Regular therapy session"


@pytest.mark.parametrize(
    ("therapy_type", "location", "expected"),
    [
        ("initial_consultation", "video", ("intake", "video", "intake")),
        ("crisis_intervention", "phone", ("crisis", "phone", "emergency")),
        ("follow_up", "online", ("follow_up", "video", "follow_up")),
        ("assessment", "office", ("assessment", "in_person", "intake")),
    ],
)
def test_maps_the_forms_types_and_locations(api, client_record, therapy_type, location, expected):
    body = _form(client_record, therapyType=therapy_type, location=location)
    data = api.post(URL, body, format="json").json()["data"]
    assert (data["appointment_type"], data["mode"], data["type"]) == expected


def test_a_plain_date_works_too(api, client_record):
    response = api.post(
        URL, _form(client_record, appointmentDate="2026-03-31", startTime="14:30:00", endTime="15:20"), format="json"
    )
    assert response.status_code == 201
    assert response.json()["data"]["starts_at"] == "2026-03-31T12:30:00Z"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"appointmentDate": "2026-03-29", "startTime": "02:30", "endTime": "03:30"}, "startTime"),
        ({"startTime": "10:00", "endTime": "09:00"}, "endTime"),
        ({"startTime": "10:00", "endTime": "10:00"}, "endTime"),
        ({"appointmentDate": "30-03-2026"}, "appointmentDate"),
        ({"appointmentDate": "2026-02-30"}, "appointmentDate"),
        ({"appointmentDate": 20260330}, "appointmentDate"),
        ({"startTime": "25:00"}, "startTime"),
        ({"therapyType": "party"}, "therapyType"),
        ({"location": "moon"}, "location"),
        ({"clientId": "nope"}, "clientId"),
        ({"notes": 5}, "notes"),
    ],
)
def test_bad_input_is_a_400_and_books_nothing(api, client_record, changes, field):
    response = api.post(URL, _form(client_record, **changes), format="json")
    assert response.status_code == 400, response.json()
    body = response.json()
    assert body["code"] == "validation_error"
    assert field in [error["field"] for error in body["errors"]]
    assert not Appointment.objects.exists()


def test_a_client_not_assigned_is_refused(api, practice, other_therapist):
    stranger = ClientFactory(practice=practice, therapists=[other_therapist])
    response = api.post(URL, _form(stranger), format="json")
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "clientId"
    assert not Appointment.objects.exists()


def test_a_double_booking_is_a_409(api, therapist, client_record):
    AppointmentFactory(
        therapist=therapist,
        client=client_record,
        starts_at=datetime(2026, 3, 30, 7, 30, tzinfo=UTC),
        ends_at=datetime(2026, 3, 30, 8, 20, tzinfo=UTC),
    )
    response = api.post(URL, _form(client_record), format="json")
    assert response.status_code == 409
    assert response.json()["code"] == "appointment_overlap"
    assert Appointment.objects.count() == 1


def test_staff_are_refused(staff_api, client_record):
    assert staff_api.post(URL, _form(client_record), format="json").status_code == 403
    assert not Appointment.objects.exists()


def test_query_count_is_constant(api, therapist, client_record):
    def count(**changes) -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert api.post(URL, _form(client_record, **changes), format="json").status_code == 201
        return len(data_statements(ctx))

    # Token user, practice, client, assignment, overlap check, insert, read back, availability.
    first = count()
    for day in range(1, 20):
        AppointmentFactory(therapist=therapist, client=client_record, starts_at=datetime(2026, 4, day, 9, tzinfo=UTC))
    assert count(appointmentDate="2026-05-04") == first <= 9
