"""A therapist is notified in the app when staff book, move or cancel one of their
appointments or record a no-show; their own changes notify nobody, and a change that fails
leaves no notification."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from practice.models import UserNotification
from scheduling.services.therapist_notices import appointment_notify_change
from scheduling.tests.factories import AppointmentFactory

pytestmark = pytest.mark.django_db

# Tuesday 10 March 2026, 09:00 in Amsterdam.
NOW = datetime(2026, 3, 10, 8, 0, tzinfo=UTC)


def _iso(value: datetime) -> str:
    return value.isoformat().replace("+00:00", "Z")


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def appointment(therapist, client_record):
    return AppointmentFactory(therapist=therapist, client=client_record, starts_at=NOW + timedelta(days=1))


def _booking(client, therapist, starts_at):
    return {
        "clientId": str(client.pk),
        "therapistId": str(therapist.pk),
        "startsAt": _iso(starts_at),
        "endsAt": _iso(starts_at + timedelta(minutes=50)),
    }


def test_staff_booking_notifies_the_therapist(staff_api, staff, therapist, client_record):
    response = staff_api.post(
        "/api/appointments", _booking(client_record, therapist, NOW + timedelta(days=2)), format="json"
    )
    assert response.status_code == 201, response.json()
    notification = UserNotification.objects.get(recipient=therapist)
    assert notification.kind == "appointment_booked"
    assert notification.related_entity_id is not None
    assert notification.action_url == f"/therapist/appointments/{response.json()['data']['id']}"
    assert client_record.full_name in notification.message
    assert "Thu 12 Mar 2026, 09:00" in notification.message  # practice time
    assert staff.full_name in notification.message


def test_a_therapists_own_booking_notifies_nobody(api, therapist, client_record):
    response = api.post("/api/appointments", _booking(client_record, therapist, NOW + timedelta(days=2)), format="json")
    assert response.status_code == 201
    assert not UserNotification.objects.exists()


def test_staff_moving_and_cancelling(staff_api, therapist, appointment):
    new_start = appointment.starts_at + timedelta(hours=2)
    body = {"startsAt": _iso(new_start), "endsAt": _iso(new_start + timedelta(minutes=50))}
    assert staff_api.patch(f"/api/appointments/{appointment.pk}", body, format="json").status_code == 200
    assert staff_api.patch(f"/api/appointments/{appointment.pk}", {"notes": "Room 2"}, format="json").status_code == 200
    cancel = staff_api.post(f"/api/appointments/{appointment.pk}/cancel", {"reason": "Ill"}, format="json")
    assert cancel.status_code == 200
    kinds = list(UserNotification.objects.filter(recipient=therapist).order_by("created_at").values_list("kind"))
    assert sorted(kinds) == [("appointment_cancelled",), ("appointment_moved",)]
    moved = UserNotification.objects.get(kind="appointment_moved")
    assert "11:00" in moved.message  # the new time, in Amsterdam


@pytest.mark.parametrize(
    "changes,kind",
    [
        ({"status": "cancelled"}, "appointment_cancelled"),
        ({"status": "no_show"}, "appointment_no_show"),
        ({"status": "confirmed"}, None),
        ({"notes": "Room 2", "mode": "video"}, None),
    ],
)
def test_what_a_booking_edit_by_staff_means_to_the_therapist(staff, therapist, appointment, changes, kind):
    # The frontend changes statuses with PUT /appointments/{id} {status, notes}.
    appointment_notify_change(actor=staff, appointment=appointment, changes=changes)
    assert list(UserNotification.objects.values_list("kind", flat=True)) == ([kind] if kind else [])
    appointment_notify_change(actor=therapist, appointment=appointment, changes=changes)
    assert UserNotification.objects.count() == (1 if kind else 0)


def test_a_failed_move_leaves_no_notification(staff_api, therapist, client_record, appointment):
    other = AppointmentFactory(therapist=therapist, client=client_record, starts_at=NOW + timedelta(days=3))
    body = {"startsAt": _iso(other.starts_at), "endsAt": _iso(other.ends_at)}
    assert staff_api.patch(f"/api/appointments/{appointment.pk}", body, format="json").status_code == 409
    assert not UserNotification.objects.exists()


def test_a_no_show_by_staff_notifies_the_therapist(staff_api, api, therapist, client_record):
    missed = AppointmentFactory(therapist=therapist, client=client_record, starts_at=NOW - timedelta(hours=2))
    body = {"reason": "Did not come", "notifyClient": False}
    response = staff_api.post(f"/api/appointments/{missed.pk}/no-show-policy", body, format="json")
    assert response.status_code == 201, response.json()
    notification = UserNotification.objects.get(recipient=therapist)
    assert (notification.kind, notification.priority) == ("appointment_no_show", "high")
    own = AppointmentFactory(therapist=therapist, client=client_record, starts_at=NOW - timedelta(hours=4))
    assert (
        api.post(
            f"/api/appointments/{own.pk}/no-show-policy", {"reason": "x", "notifyClient": False}, format="json"
        ).status_code
        == 201
    )
    assert UserNotification.objects.count() == 1
