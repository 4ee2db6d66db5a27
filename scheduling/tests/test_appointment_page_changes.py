"""PUT /api/appointments/{id} with the bodies the frontend's appointment pages send:
confirm, cancel (detail page and reschedule page), no-show, reschedule, and the session
page's "client absent"."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
import time_machine

from practice.models import AuditEvent
from scheduling.models import Appointment, NoShowRecord
from scheduling.tests.factories import AppointmentFactory, NoShowPolicyFactory

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 3, 10, 8, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def upcoming(therapist, client_record):
    return AppointmentFactory(
        therapist=therapist,
        client=client_record,
        starts_at=datetime(2026, 3, 12, 9, 0, tzinfo=UTC),
        ends_at=datetime(2026, 3, 12, 9, 50, tzinfo=UTC),
    )


@pytest.fixture
def missed(therapist, client_record):
    return AppointmentFactory(
        therapist=therapist,
        client=client_record,
        starts_at=NOW - timedelta(hours=2),
        ends_at=NOW - timedelta(hours=1),
    )


def _put(api, appointment, body):
    return api.put(f"/api/appointments/{appointment.pk}", body, format="json")


def test_confirm_sends_only_the_status(api, upcoming):
    response = _put(api, upcoming, {"status": "confirmed"})
    assert response.status_code == 200
    assert response.json()["data"]["status"] == "confirmed"


def test_cancel_from_the_detail_page_keeps_the_notes_as_reason(api, therapist, upcoming):
    response = _put(api, upcoming, {"status": "cancelled", "notes": "Cancelled by therapist: ill"})
    assert response.status_code == 200
    upcoming.refresh_from_db()
    assert (upcoming.status, upcoming.cancellation_reason, upcoming.cancelled_by) == (
        "cancelled",
        "Cancelled by therapist: ill",
        therapist,
    )


def test_cancel_from_the_reschedule_page(api, therapist, upcoming):
    body = {
        "status": "cancelled",
        "cancellation_reason": "Moving away",
        "cancelled_by": "therapist",
        "notify_client": True,
    }
    assert _put(api, upcoming, body).status_code == 200
    upcoming.refresh_from_db()
    assert (upcoming.status, upcoming.cancellation_reason, upcoming.cancelled_by) == (
        "cancelled",
        "Moving away",
        therapist,
    )


def test_reschedule_moves_the_booking_on_the_practice_clock(api, upcoming):
    body = {
        "appointment_date": "2026-03-30",
        "start_time": "14:00",
        "end_time": "15:00",
        "status": "rescheduled",
        "reschedule_reason": "Client asked",
        "notify_client": True,
    }
    response = _put(api, upcoming, body)
    assert response.status_code == 200, response.json()
    data = response.json()["data"]
    # Summer time by 30 March: 14:00 in Amsterdam is 12:00 UTC.
    assert (data["appointment_date"], data["start_time"], data["end_time"]) == ("2026-03-30", "14:00:00", "15:00:00")
    assert (data["starts_at"], data["status"]) == ("2026-03-30T12:00:00Z", "scheduled")
    upcoming.refresh_from_db()
    assert (upcoming.reschedule_reason, upcoming.rescheduled_at) == ("Client asked", NOW)


def test_reschedule_onto_another_appointment_is_409_and_moves_nothing(api, therapist, client_record, upcoming):
    AppointmentFactory(
        therapist=therapist,
        client=client_record,
        starts_at=datetime(2026, 3, 30, 12, 30, tzinfo=UTC),
        ends_at=datetime(2026, 3, 30, 13, 20, tzinfo=UTC),
    )
    body = {"appointment_date": "2026-03-30", "start_time": "14:00", "end_time": "15:00", "status": "rescheduled"}
    response = _put(api, upcoming, body)
    assert response.status_code == 409
    assert response.json()["code"] == "appointment_overlap"
    upcoming.refresh_from_db()
    assert (upcoming.starts_at, upcoming.reschedule_reason) == (datetime(2026, 3, 12, 9, 0, tzinfo=UTC), "")


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"status": "rescheduled", "appointment_date": "2026-03-29", "start_time": "02:30"}, "startTime"),
        ({"status": "rescheduled", "start_time": "10:00", "end_time": "09:00"}, "endTime"),
        ({"status": "rescheduled", "appointment_date": "30-03-2026"}, "appointmentDate"),
        ({"status": "moved"}, "status"),
        ({"notify_client": "yes", "status": "no_show", "notes": "x"}, "notifyClient"),
    ],
)
def test_bad_changes_are_400_and_change_nothing(api, upcoming, body, field):
    response = _put(api, upcoming, body)
    assert response.status_code == 400, response.json()
    assert field in [error["field"] for error in response.json()["errors"]]
    upcoming.refresh_from_db()
    assert (upcoming.status, upcoming.starts_at) == ("scheduled", datetime(2026, 3, 12, 9, 0, tzinfo=UTC))


def test_no_show_applies_the_practices_policy(api, practice, missed):
    NoShowPolicyFactory(practice=practice, default_fee=Decimal("45.00"), grace_minutes=10, notify_by_default=False)
    response = _put(api, missed, {"status": "no_show", "notes": "Client no-show. No answer by phone"})
    assert response.status_code == 200, response.json()
    assert response.json()["data"]["status"] == "no_show"
    record = NoShowRecord.objects.get(appointment=missed)
    assert (record.reason, record.fee_amount) == ("Client no-show. No answer by phone", Decimal("45.00"))
    assert AuditEvent.objects.filter(record_type="no_show_record").count() == 1


def test_no_show_without_a_policy_records_no_fee(api, missed):
    assert _put(api, missed, {"status": "no_show", "notes": "Did not come"}).status_code == 200
    assert NoShowRecord.objects.get(appointment=missed).fee_amount is None


def test_no_show_before_the_start_is_409(api, upcoming):
    response = _put(api, upcoming, {"status": "no_show", "notes": "Early"})
    assert response.status_code == 409
    assert response.json()["code"] == "no_show_too_early"
    assert not NoShowRecord.objects.exists()


def test_the_session_pages_client_absent(api, missed):
    # The session page cancels a missed appointment with a note.
    response = _put(api, missed, {"status": "cancelled", "notes": "Client marked as no-show at 10-3-2026 09:05"})
    assert response.status_code == 200
    assert Appointment.objects.get(pk=missed.pk).status == "cancelled"


def test_a_closed_appointment_is_409(api, missed):
    _put(api, missed, {"status": "cancelled", "notes": "Ill"})
    response = _put(api, missed, {"status": "confirmed"})
    assert response.status_code == 409


def test_another_therapists_appointment_is_404(other_therapist_api, upcoming):
    response = _put(other_therapist_api, upcoming, {"status": "cancelled", "notes": "x"})
    assert response.status_code == 404
    upcoming.refresh_from_db()
    assert upcoming.status == "scheduled"
