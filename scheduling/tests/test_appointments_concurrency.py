"""Double booking under real concurrency: PostgreSQL's exclusion constraint, not the
service's check, is what holds when requests race."""

import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from conftest import authenticated_client
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
    barrier = threading.Barrier(THREADS)
    statuses: list[int] = []
    codes: list[str] = []
    lock = threading.Lock()

    def book(index: int) -> None:
        try:
            api = authenticated_client(therapist)
            body = {
                "clientId": str(clients[index].pk),
                # Different lengths, one shared start: every pair overlaps.
                "startsAt": starts_at.isoformat(),
                "endsAt": (starts_at + timedelta(minutes=30 + index)).isoformat(),
            }
            barrier.wait()
            response = api.post("/api/appointments", body, format="json")
            with lock:
                statuses.append(response.status_code)
                codes.append(response.json().get("code", ""))
        finally:
            connection.close()

    threads = [threading.Thread(target=book, args=(i,)) for i in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

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
