"""Mass assignment: a write that carries fields the caller may not set (ids, the practice,
another therapist, a status a state machine owns, timestamps, audit fields) is refused or
those fields are ignored; they are never applied, and nothing moves to another practice."""

import json
from datetime import timedelta

import pytest
from django.apps import apps
from django.utils import timezone

from clinical.models import MedicalHistory, Session, TherapyGoal
from practice.models import EmergencyContact
from practice.tests.test_permission_matrix import MATRIX, api_for, path_values
from scheduling.models import Appointment

pytestmark = pytest.mark.django_db

FOREIGN_ID = "00000000-0000-4000-8000-000000000001"
LONG_AGO = "2001-01-01T00:00:00Z"


def _foreign_fields(world) -> dict:
    """Fields no request may set, in both spellings a client might try."""
    return {
        "id": FOREIGN_ID,
        "practice": str(world.other_practice.pk),
        "practiceId": str(world.other_practice.pk),
        "createdAt": LONG_AGO,
        "updatedAt": LONG_AGO,
        "updatedBy": str(world.colleague.pk),
    }


def _assert_not_applied(record, world) -> None:
    record.refresh_from_db()
    assert str(record.pk) != FOREIGN_ID
    assert record.created_at.year > 2001
    assert record.updated_at.year > 2001
    if hasattr(record, "practice_id"):
        assert record.practice_id == world.practice.pk


def _practice_models():
    return [model for model in apps.get_models() if any(f.name == "practice" for f in model._meta.concrete_fields)]


def _rows_in(practice) -> dict[str, int]:
    return {model._meta.label: model._base_manager.filter(practice=practice).count() for model in _practice_models()}


def _forged_rows() -> list[str]:
    """Rows anywhere that carry the forged id or timestamps."""
    forged = []
    for model in apps.get_models():
        fields = {field.name for field in model._meta.concrete_fields}
        manager = model._base_manager
        if model._meta.pk.get_internal_type() == "UUIDField" and manager.filter(pk=FOREIGN_ID).exists():
            forged.append(f"{model._meta.label}.id")
        for name in ("created_at", "updated_at"):
            if name in fields and manager.filter(**{f"{name}__year": 2001}).exists():
                forged.append(f"{model._meta.label}.{name}")
    return forged


# JSON bodies; the multipart uploads have their own tests (practice/tests/test_profile_photo.py).
WRITE_ROWS = [row for row in MATRIX if row.method in ("POST", "PUT", "PATCH") and row.owner < 400 and not row.multipart]


@pytest.mark.parametrize("row", WRITE_ROWS, ids=str)
def test_no_write_route_takes_an_id_a_practice_or_timestamps_from_the_body(row, world):
    # Every write route of the permission matrix, so routes added later are covered too.
    if row.setup:
        row.setup(world)
    api = api_for(world, "owner")
    elsewhere = _rows_in(world.other_practice)
    body = {**(row.body(world) if row.body else {}), **_foreign_fields(world)}
    response = api.generic(row.method, row.path.format(**path_values(world)), json.dumps(body), "application/json")
    assert response.status_code == row.owner
    assert _forged_rows() == []
    assert _rows_in(world.other_practice) == elsewhere


def _slot(days: int) -> dict:
    starts_at = timezone.now().replace(microsecond=0) + timedelta(days=days)
    return {"startsAt": starts_at.isoformat(), "endsAt": (starts_at + timedelta(minutes=50)).isoformat()}


def test_booking_ignores_ids_practice_status_and_timestamps(world):
    body = {
        **_foreign_fields(world),
        **_slot(10),
        "clientId": str(world.client.pk),
        "status": "completed",
        "cancelledBy": str(world.colleague.pk),
        "preparationNotes": "Injected",
    }
    response = api_for(world, "owner").post("/api/appointments", body, format="json")
    assert response.status_code == 201
    appointment = Appointment.objects.get(pk=response.json()["data"]["id"])
    _assert_not_applied(appointment, world)
    assert appointment.therapist == world.owner
    assert appointment.status == Appointment.Status.SCHEDULED
    assert appointment.cancelled_by is None
    assert appointment.preparation_notes == ""


def test_a_therapist_cannot_book_for_a_colleague(world):
    booked = Appointment.objects.count()
    for client in (world.client, world.colleague_client):
        body = {**_slot(11), "clientId": str(client.pk), "therapistId": str(world.colleague.pk)}
        response = api_for(world, "owner").post("/api/appointments", body, format="json")
        assert response.status_code == 400
        assert response.json()["code"] == "validation_error"
    assert Appointment.objects.count() == booked


def test_changing_an_appointment_cannot_move_it_to_another_therapist_client_or_practice(world):
    body = {
        **_foreign_fields(world),
        "therapistId": str(world.colleague.pk),
        "clientId": str(world.colleague_client.pk),
        "status": "completed",
        "mode": "video",
    }
    response = api_for(world, "owner").patch(f"/api/appointments/{world.upcoming.pk}", body, format="json")
    assert response.status_code in (200, 400)
    appointment = world.upcoming
    _assert_not_applied(appointment, world)
    assert appointment.therapist == world.owner
    assert appointment.client == world.client
    assert appointment.status == Appointment.Status.SCHEDULED


def test_a_status_the_state_machine_owns_cannot_be_written(world):
    for status in ("completed", "no_show", "in_progress", "cancelled"):
        response = api_for(world, "owner").patch(
            f"/api/appointments/{world.upcoming.pk}", {"status": status}, format="json"
        )
        assert response.status_code == 400, status
        world.upcoming.refresh_from_db()
        assert world.upcoming.status == Appointment.Status.SCHEDULED


def test_starting_a_session_takes_therapist_client_and_status_from_the_appointment(world):
    body = {
        **_foreign_fields(world),
        "appointmentId": str(world.upcoming.pk),
        "therapistId": str(world.colleague.pk),
        "clientId": str(world.colleague_client.pk),
        "status": "completed",
        "endedAt": LONG_AGO,
        "moodEnd": 9,
    }
    response = api_for(world, "owner").post("/api/sessions/start", body, format="json")
    assert response.status_code == 201
    session = Session.objects.get(pk=response.json()["data"]["id"])
    _assert_not_applied(session, world)
    assert (session.therapist, session.client, session.status) == (world.owner, world.client, "in_progress")
    assert session.ended_at is None
    assert session.mood_end is None


def test_progress_cannot_end_the_session_or_reassign_it(world):
    body = {
        "progressNotes": "Talked about work",
        "status": "completed",
        "endedAt": LONG_AGO,
        "appointmentId": str(world.upcoming.pk),
        "therapistId": str(world.colleague.pk),
        "clientId": str(world.colleague_client.pk),
    }
    response = api_for(world, "owner").put(f"/api/sessions/{world.active_session.pk}/progress", body, format="json")
    assert response.status_code == 200
    session = world.active_session
    session.refresh_from_db()
    assert session.status == Session.Status.IN_PROGRESS
    assert session.ended_at is None
    assert (session.appointment, session.therapist, session.client) == (world.in_progress, world.owner, world.client)


def test_a_goal_update_cannot_move_the_goal_or_forge_its_history(world):
    body = {
        **_foreign_fields(world),
        "client": str(world.colleague_client.pk),
        "clientId": str(world.colleague_client.pk),
        "therapist": str(world.colleague.pk),
        "therapistId": str(world.colleague.pk),
        "completedAt": LONG_AGO,
        "progress": 40,
    }
    response = api_for(world, "owner").patch(
        f"/api/clients/{world.client.pk}/therapy-goals/{world.goal.pk}", body, format="json"
    )
    assert response.status_code == 200
    goal = world.goal
    _assert_not_applied(goal, world)
    assert (goal.client, goal.therapist, goal.progress, goal.completed_at) == (world.client, world.owner, 40, None)


def test_a_new_goal_belongs_to_the_path_client_and_the_caller(world):
    body = {
        **_foreign_fields(world),
        "goal": "Walk every day",
        "clientId": str(world.colleague_client.pk),
        "therapistId": str(world.colleague.pk),
    }
    response = api_for(world, "owner").post(f"/api/clients/{world.client.pk}/therapy-goals", body, format="json")
    assert response.status_code == 201
    goal = TherapyGoal.objects.get(pk=response.json()["data"]["id"])
    _assert_not_applied(goal, world)
    assert (goal.client, goal.therapist) == (world.client, world.owner)


def test_medical_history_records_who_wrote_it_not_who_the_body_says(world):
    body = {**_foreign_fields(world), "clientId": str(world.colleague_client.pk), "allergies": ["Latex"]}
    response = api_for(world, "owner").put(f"/api/clients/{world.client.pk}/medical-history", body, format="json")
    assert response.status_code == 200
    history = MedicalHistory.objects.get(client=world.client)
    _assert_not_applied(history, world)
    assert history.updated_by == world.owner
    assert history.allergies == ["Latex"]
    assert not MedicalHistory.objects.filter(client=world.colleague_client).exists()


def test_an_emergency_contact_stays_with_the_path_client(world):
    body = {
        **_foreign_fields(world),
        "clientId": str(world.outsider_client.pk),
        "client": str(world.outsider_client.pk),
        "name": "Sam Doe",
        "phone": "+31612345678",
    }
    response = api_for(world, "staff").put(f"/api/clients/{world.client.pk}/emergency-contact", body, format="json")
    assert response.status_code == 200
    contact = EmergencyContact.objects.get(client=world.client)
    _assert_not_applied(contact, world)
    assert contact.name == "Sam Doe"
    assert not EmergencyContact.objects.filter(client=world.outsider_client).exists()


def test_a_no_show_is_applied_by_the_caller_in_the_practice_currency(world):
    body = {
        **_foreign_fields(world),
        "reason": "Did not come",
        "applyFee": True,
        "appliedBy": str(world.colleague.pk),
        "appliedAt": LONG_AGO,
        "currency": "JPY",
        "status": "completed",
    }
    response = api_for(world, "owner").post(f"/api/appointments/{world.due.pk}/no-show-policy", body, format="json")
    assert response.status_code == 201
    record = world.due.no_show_record
    _assert_not_applied(record, world)
    assert (record.applied_by, record.currency) == (world.owner, "EUR")
    assert record.applied_at.year > 2001
    world.due.refresh_from_db()
    assert world.due.status == Appointment.Status.NO_SHOW
