"""On PostgreSQL: the database itself refuses overlapping slots, and concurrent saves of
one schedule apply whole, one after the other."""

from datetime import time

import pytest
from django.db import IntegrityError, transaction

from conftest import authenticated_client
from practice.tests.concurrency import run_concurrently
from scheduling.models import Availability, AvailabilityDay, AvailabilitySlot

pytestmark = pytest.mark.postgres_only

URL = "/api/therapist/availability"


@pytest.mark.django_db
def test_the_exclusion_constraint_refuses_overlapping_slots_of_one_kind(therapist):
    availability = Availability.objects.create(practice=therapist.practice, therapist=therapist)
    monday = AvailabilityDay.objects.create(availability=availability, weekday=0)
    AvailabilitySlot.objects.create(day=monday, start_time=time(9), end_time=time(12))
    AvailabilitySlot.objects.create(day=monday, start_time=time(12), end_time=time(17))  # touching
    AvailabilitySlot.objects.create(day=monday, start_time=time(10), end_time=time(11), is_break=True)
    with pytest.raises(IntegrityError), transaction.atomic():
        AvailabilitySlot.objects.create(day=monday, start_time=time(11), end_time=time(13))
    with pytest.raises(IntegrityError), transaction.atomic():
        AvailabilitySlot.objects.create(day=monday, start_time=time(10, 30), end_time=time(11, 30), is_break=True)


@pytest.mark.django_db(transaction=True)
def test_concurrent_saves_each_apply_whole(therapist):
    callers = [authenticated_client(therapist) for _ in range(6)]

    def body(index):
        hours = [{"start": f"{8 + index:02d}:00", "end": f"{9 + index:02d}:00"}, {"start": "18:00", "end": "19:00"}]
        return {"regularHours": [{"day": day, "isAvailable": True, "slots": hours} for day in ("Monday", "Friday")]}

    def save(index):
        return callers[index].post(URL, body(index), format="json").status_code

    assert run_concurrently(save, len(callers)) == [200] * len(callers)

    assert Availability.objects.count() == 1
    stored = callers[0].get(URL).json()["data"]["regularHours"]
    starts = {slot["start"] for day in stored for slot in day["slots"] if slot["start"] != "18:00"}
    # One save's hours, on both days: never a mix of two saves.
    assert len(starts) == 1
    assert AvailabilitySlot.objects.count() == 4
