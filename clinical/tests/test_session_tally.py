"""The sessions of each therapist with each client, kept by the database
(``SessionTally``): right after every kind of change, however it is made, read by the
client list and the session list's total, and under concurrent sessions on PostgreSQL."""

import time
from datetime import UTC, datetime, timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction

from clinical.models import Session, SessionTally
from clinical.tests.factories import SessionFactory
from practice.tests.concurrency import run_concurrently
from practice.tests.factories import ClientFactory, PracticeFactory, TherapistFactory
from scheduling.models import Appointment
from scheduling.tests.factories import AppointmentFactory

COMPLETED = Session.Status.COMPLETED
IN_PROGRESS = Session.Status.IN_PROGRESS

Figures = tuple[int, int, datetime | None]


def _tally(therapist, client) -> Figures:
    row = SessionTally.objects.filter(therapist=therapist, client=client).first()
    return (row.sessions, row.completed, row.last_completed_at) if row else (0, 0, None)


def _counted(therapist, client) -> Figures:
    sessions = Session.objects.filter(therapist=therapist, client=client)
    completed = sessions.filter(status=COMPLETED)
    latest = completed.order_by("-started_at").first()
    return sessions.count(), completed.count(), latest.started_at if latest else None


def at(day: int, hour: int = 9) -> datetime:
    return datetime(2026, 3, day, hour, tzinfo=UTC)


def _session(therapist, client, starts_at: datetime, **kwargs) -> Session:
    return SessionFactory(
        appointment__therapist=therapist, appointment__client=client, appointment__starts_at=starts_at, **kwargs
    )


@pytest.mark.django_db
def test_the_tally_follows_every_change_of_a_session(practice, therapist, other_therapist):
    client = ClientFactory(practice=practice, therapists=[therapist, other_therapist])
    other_client = ClientFactory(practice=practice, therapists=[therapist])
    first = _session(therapist, client, at(2))
    second = _session(therapist, client, at(9))
    ongoing = _session(therapist, client, at(16), status=IN_PROGRESS, ended_at=None)
    assert _tally(therapist, client) == (3, 2, at(9))

    # A completed session moved (a correction in the admin, a bulk update).
    Session.objects.filter(pk=first.pk).update(started_at=at(12), ended_at=at(12, 10))
    assert _tally(therapist, client) == (3, 2, at(12))
    # Given to a colleague, then filed under another client: it leaves one pair and joins the other.
    Session.objects.filter(pk=first.pk).update(therapist=other_therapist)
    assert _tally(therapist, client) == (2, 1, at(9))
    assert _tally(other_therapist, client) == (1, 1, at(12))
    Session.objects.filter(pk=second.pk).update(client=other_client)
    assert _tally(therapist, client) == (1, 0, None)
    assert _tally(therapist, other_client) == (1, 1, at(9))
    # Ended through the model, and a save that changes nothing the tally shows.
    ongoing.status = COMPLETED
    ongoing.ended_at = at(16, 10)
    ongoing.save()
    ongoing.summary = "Slept better this week."
    ongoing.save()
    assert _tally(therapist, client) == (1, 1, at(16))
    # Deleted.
    ongoing.delete()
    assert _tally(therapist, client) == (0, 0, None)
    for pair in ((other_therapist, client), (therapist, other_client)):
        assert _tally(*pair) == _counted(*pair)


@pytest.mark.django_db
def test_starting_and_ending_a_session_shows_in_the_client_list(api, therapist, client_record):
    _session(therapist, client_record, at(2))
    appointment = AppointmentFactory(
        therapist=therapist, client=client_record, starts_at=at(9), status=Appointment.Status.CONFIRMED
    )

    def figures() -> tuple[int, str | None]:
        (item,) = api.get("/api/therapist/clients").json()["data"]
        return item["total_sessions"], item["last_session"]

    assert figures() == (1, "2026-03-02")
    started = api.post("/api/sessions/start", {"appointmentId": str(appointment.pk)}, format="json")
    assert started.status_code == 201
    assert _tally(therapist, client_record)[:2] == (2, 1)
    assert figures() == (1, "2026-03-02")  # in progress: not yet among the completed
    session_id = started.json()["data"]["id"]
    assert api.post(f"/api/sessions/{session_id}/end", {"moodEnd": 6}, format="json").status_code == 200
    assert _tally(therapist, client_record) == _counted(therapist, client_record)
    total, last = figures()
    assert total == 2 and last == Session.objects.get(pk=session_id).started_at.date().isoformat()


@pytest.mark.django_db
def test_the_recount_finds_and_mends_a_tally_that_went_wrong(practice, therapist, other_therapist):
    client = ClientFactory(practice=practice, therapists=[therapist, other_therapist])
    for who, day in ((therapist, 2), (therapist, 9), (other_therapist, 4)):
        _session(who, client, at(day))
    call_command("recount_sessions", "--check", stdout=StringIO())
    # As after a load with the triggers off: one pair miscounted, one missing.
    SessionTally.objects.filter(therapist=therapist).update(sessions=99)
    SessionTally.objects.filter(therapist=other_therapist).delete()
    with pytest.raises(CommandError, match="2 therapist-client pairs have a wrong tally"):
        call_command("recount_sessions", "--check", stdout=StringIO())
    out = StringIO()
    call_command("recount_sessions", stdout=out)
    assert "Counted 2 therapist-client pairs" in out.getvalue()
    assert _tally(therapist, client) == (2, 2, at(9)) and _tally(other_therapist, client) == (1, 1, at(4))
    call_command("recount_sessions", "--check", stdout=StringIO())


THREADS = 6


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_concurrent_sessions_of_one_pair_are_all_counted():
    practice = PracticeFactory()
    therapist = TherapistFactory(practice=practice)
    client = ClientFactory(practice=practice, therapists=[therapist])
    appointments = [
        AppointmentFactory(therapist=therapist, client=client, starts_at=at(1) + timedelta(days=n), status="completed")
        for n in range(THREADS)
    ]

    def record(index: int) -> None:
        with transaction.atomic():
            # The pair's first sessions: every transaction creates its row or finds it.
            SessionFactory(appointment=appointments[index])
            # Commit a little later, so that the others wait for the pair's row meanwhile.
            time.sleep(0.05)

    run_concurrently(record, THREADS)
    assert _tally(therapist, client) == _counted(therapist, client) == (THREADS, THREADS, appointments[-1].starts_at)
