"""The completed appointments of each client with each therapist, kept by the database
(``CompletedAppointmentTally``): right after every kind of change, however it is made,
and under concurrent completions on PostgreSQL."""

import time
from datetime import UTC, datetime, timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction

from clinical.tests.factories import SessionFactory
from practice.tests.concurrency import run_concurrently
from practice.tests.factories import ClientFactory, PracticeFactory, TherapistFactory
from scheduling.models import Appointment, CompletedAppointmentTally
from scheduling.tests.factories import AppointmentFactory

COMPLETED = Appointment.Status.COMPLETED


def _tally(client, therapist) -> tuple[int, datetime | None]:
    row = CompletedAppointmentTally.objects.filter(client=client, therapist=therapist).first()
    return (row.completed, row.last_started_at) if row else (0, None)


def _counted(client, therapist) -> tuple[int, datetime | None]:
    completed = Appointment.objects.filter(client=client, therapist=therapist, status=COMPLETED)
    latest = completed.order_by("-starts_at").first()
    return completed.count(), latest.starts_at if latest else None


def at(day: int, hour: int = 9) -> datetime:
    return datetime(2026, 3, day, hour, tzinfo=UTC)


@pytest.mark.django_db
def test_the_tally_follows_every_change_of_a_completed_appointment(practice, therapist, other_therapist):
    client = ClientFactory(practice=practice, therapists=[therapist, other_therapist])
    first = AppointmentFactory(therapist=therapist, client=client, starts_at=at(2), status=COMPLETED)
    second = AppointmentFactory(therapist=therapist, client=client, starts_at=at(9), status=COMPLETED)
    upcoming = AppointmentFactory(therapist=therapist, client=client, starts_at=at(16))
    assert _tally(client, therapist) == (2, at(9))

    # A completed appointment moved (a correction in the admin, a bulk update).
    Appointment.objects.filter(pk=first.pk).update(starts_at=at(12), ends_at=at(12, 10))
    assert _tally(client, therapist) == (2, at(12))
    # Given to a colleague: it leaves one pair and joins the other.
    Appointment.objects.filter(pk=first.pk).update(therapist=other_therapist)
    assert _tally(client, therapist) == (1, at(9))
    assert _tally(client, other_therapist) == (1, at(12))
    # Completed through the model, and a save that changes nothing the tally shows.
    upcoming.status = COMPLETED
    upcoming.save()
    upcoming.notes = "Paid at the desk."
    upcoming.save()
    assert _tally(client, therapist) == (2, at(16))
    # No longer completed, then deleted while completed.
    Appointment.objects.filter(pk=upcoming.pk).update(status=Appointment.Status.NO_SHOW)
    assert _tally(client, therapist) == (1, at(9))
    second.delete()
    assert _tally(client, therapist) == (0, None)
    assert _tally(client, other_therapist) == _counted(client, other_therapist) == (1, at(12))


@pytest.mark.django_db
def test_ending_a_session_counts_it_for_the_calendar(api, therapist, client_record):
    session = SessionFactory(
        appointment__therapist=therapist,
        appointment__client=client_record,
        appointment__starts_at=at(2),
        appointment__status=Appointment.Status.IN_PROGRESS,
        status="in_progress",
        ended_at=None,
    )
    AppointmentFactory(therapist=therapist, client=client_record)
    assert _tally(client_record, therapist) == (0, None)
    assert api.post(f"/api/sessions/{session.pk}/end", {"moodEnd": 6}, format="json").status_code == 200
    assert _tally(client_record, therapist) == (1, at(2))
    upcoming = [item for item in api.get("/api/appointments").json()["data"] if item["status"] == "scheduled"]
    assert upcoming[0]["client"]["total_sessions"] == 1


@pytest.mark.django_db
def test_the_recount_finds_and_mends_a_tally_that_went_wrong(practice, therapist, other_therapist):
    client = ClientFactory(practice=practice, therapists=[therapist, other_therapist])
    for who, day in ((therapist, 2), (therapist, 9), (other_therapist, 4)):
        AppointmentFactory(therapist=who, client=client, starts_at=at(day), status=COMPLETED)
    call_command("recount_completed_appointments", "--check", stdout=StringIO())
    # As after a load with the triggers off: one pair miscounted, one missing.
    CompletedAppointmentTally.objects.filter(therapist=therapist).update(completed=99)
    CompletedAppointmentTally.objects.filter(therapist=other_therapist).delete()
    with pytest.raises(CommandError, match="2 client-therapist pairs have a wrong tally"):
        call_command("recount_completed_appointments", "--check", stdout=StringIO())
    out = StringIO()
    call_command("recount_completed_appointments", stdout=out)
    assert "Counted 2 client-therapist pairs" in out.getvalue()
    assert _tally(client, therapist) == (2, at(9)) and _tally(client, other_therapist) == (1, at(4))
    call_command("recount_completed_appointments", "--check", stdout=StringIO())


THREADS = 6


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_concurrent_completions_of_one_pair_are_all_counted():
    practice = PracticeFactory()
    therapist = TherapistFactory(practice=practice)
    client = ClientFactory(practice=practice, therapists=[therapist])
    appointments = [
        AppointmentFactory(therapist=therapist, client=client, starts_at=at(1) + timedelta(days=n))
        for n in range(THREADS)
    ]

    def complete(index: int) -> None:
        with transaction.atomic():
            Appointment.objects.filter(pk=appointments[index].pk).update(status=COMPLETED)
            # Commit a little later, so that the others wait for the pair's row meanwhile.
            time.sleep(0.05)

    run_concurrently(complete, THREADS)
    assert _tally(client, therapist) == _counted(client, therapist) == (THREADS, appointments[-1].starts_at)
