"""Starting one appointment's session from several requests at once (two browser tabs,
a double click): the appointment row lock and the one-session-per-appointment rule let
exactly one through."""

import pytest

from clinical.models import Session
from conftest import authenticated_client
from practice.models import AuditEvent
from practice.tests.concurrency import run_concurrently
from practice.tests.factories import ClientFactory, PracticeFactory, TherapistFactory
from scheduling.tests.factories import AppointmentFactory

THREADS = 6


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_concurrent_starts_of_one_appointment_exactly_one_wins():
    practice = PracticeFactory()
    therapist = TherapistFactory(practice=practice)
    client = ClientFactory(practice=practice, therapists=[therapist])
    appointment = AppointmentFactory(therapist=therapist, client=client)
    callers = [authenticated_client(therapist) for _ in range(THREADS)]

    def start(index: int) -> tuple[int, str]:
        response = callers[index].post(
            "/api/sessions/start", {"appointmentId": str(appointment.pk), "initialMood": index + 1}, format="json"
        )
        return response.status_code, response.json().get("code", "")

    results = run_concurrently(start, THREADS)

    assert sorted(status for status, _ in results) == [201] + [409] * (THREADS - 1)
    assert [code for _, code in results].count("session_already_started") == THREADS - 1
    assert Session.objects.filter(appointment=appointment).count() == 1
    assert AuditEvent.objects.filter(record_type="session", action="create").count() == 1
    appointment.refresh_from_db()
    assert appointment.status == "in_progress"
