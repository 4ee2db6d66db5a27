"""Double booking under real concurrency: PostgreSQL's exclusion constraint, not the
service's check, is what holds when requests race."""

from datetime import timedelta

import pytest
from django.utils import timezone

from conftest import authenticated_client
from practice.tests.concurrency import run_concurrently
from practice.tests.factories import ClientFactory, PracticeFactory, TherapistFactory
from scheduling.models import Appointment

THREADS = 8


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_concurrent_bookings_of_one_slot_exactly_one_wins():
    practice = PracticeFactory()
    therapist = TherapistFactory(practice=practice)
    clients = [ClientFactory(practice=practice, therapists=[therapist]) for _ in range(THREADS)]
    starts_at = (timezone.now() + timedelta(days=3)).replace(microsecond=0)
    callers = [authenticated_client(therapist) for _ in range(THREADS)]

    def book(index: int) -> tuple[int, str]:
        body = {
            "clientId": str(clients[index].pk),
            # Different lengths, one shared start: every pair overlaps.
            "startsAt": starts_at.isoformat(),
            "endsAt": (starts_at + timedelta(minutes=30 + index)).isoformat(),
        }
        response = callers[index].post("/api/appointments", body, format="json")
        return response.status_code, response.json().get("code", "")

    statuses, codes = zip(*run_concurrently(book, THREADS), strict=True)
    assert sorted(statuses) == [201] + [409] * (THREADS - 1)
    assert codes.count("appointment_overlap") == THREADS - 1
    assert Appointment.objects.filter(therapist=therapist).count() == 1


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_the_database_refuses_an_overlap_the_service_did_not_see():
    """The exclusion constraint itself, with the service's pre-check out of the way."""
    from django.db import IntegrityError

    from scheduling.tests.factories import AppointmentFactory

    first = AppointmentFactory()
    with pytest.raises(IntegrityError) as caught:
        AppointmentFactory(
            therapist=first.therapist,
            client=first.client,
            starts_at=first.starts_at + timedelta(minutes=10),
        )
    assert caught.value.__cause__.sqlstate == "23P01"
    # Cancelled appointments do not hold the slot.
    AppointmentFactory(therapist=first.therapist, client=first.client, starts_at=first.starts_at, status="cancelled")
