from datetime import UTC, datetime

import pytest
import time_machine
from django.core.management import call_command

from clinical.models import MoodReading, Session, SessionTemplate
from conftest import authenticated_client
from practice.models import User
from scheduling.models import Appointment

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 3, 10, 10, 20, tzinfo=UTC)


def _signature() -> list[tuple]:
    appointments = Appointment.objects.order_by("starts_at", "therapist__email").values_list(
        "therapist__email", "client__email", "starts_at", "status", "appointment_type"
    )
    sessions = Session.objects.order_by("started_at", "therapist__email").values_list(
        "therapist__email", "started_at", "mood_start", "mood_end", "techniques_used", "homework_assigned"
    )
    return [*appointments, *sessions, MoodReading.objects.count(), SessionTemplate.objects.count()]


@pytest.fixture
def seeded():
    with time_machine.travel(NOW, tick=False):
        call_command("seed_demo", "--password", "pw-for-tests", "--with-2fa")
        yield


def test_demo_calendar_has_history_in_every_status_and_upcoming_work(seeded):
    assert set(Appointment.objects.values_list("status", flat=True)) == set(Appointment.Status.values)
    for therapist in User.objects.filter(role="therapist"):
        mine = Appointment.objects.filter(therapist=therapist)
        assert mine.filter(starts_at__lt=datetime(2026, 1, 1, tzinfo=UTC)).exists()
        assert mine.filter(starts_at__gt=NOW, status__in=["scheduled", "confirmed"]).exists()
    # Nobody is double-booked (PostgreSQL's constraint would also have refused it).
    for appointment in Appointment.objects.exclude(status="cancelled").order_by("starts_at")[:200]:
        clashes = Appointment.objects.filter(
            therapist_id=appointment.therapist_id,
            starts_at__lt=appointment.ends_at,
            ends_at__gt=appointment.starts_at,
        ).exclude(status="cancelled")
        assert clashes.count() == 1


def test_demo_sessions_match_completed_appointments(seeded):
    completed = Appointment.objects.filter(status="completed")
    assert Session.objects.filter(status="completed").count() == completed.count()
    assert not completed.filter(session__isnull=True).exists()
    session = Session.objects.filter(status="completed").first()
    assert session.mood_start and session.mood_end and session.techniques_used and session.client_concerns
    assert session.mood_readings.count() >= 2
    assert SessionTemplate.objects.filter(therapist__isnull=True).exists()
    assert SessionTemplate.objects.filter(therapist__isnull=False).exists()


def test_demo_therapist_sees_the_running_session(seeded):
    therapist = User.objects.get(email="therapist1@demo.example")
    api = authenticated_client(therapist)
    active = api.get("/api/sessions/active").json()
    assert active["pagination"]["total"] == 1
    today = api.get("/api/appointments?startDate=2026-03-10&endDate=2026-03-10").json()["data"]
    assert "in_progress" in {a["status"] for a in today}
    templates = api.get(f"/api/therapists/{therapist.pk}/session-templates").json()["data"]["templates"]
    assert len(templates) == 5


def test_demo_is_deterministic_and_reset_removes_it(seeded):
    first = _signature()
    call_command("seed_demo", "--password", "pw-for-tests")
    assert _signature() == first
    call_command("seed_demo", "--reset", "--password", "pw-for-tests")
    assert _signature() == first
