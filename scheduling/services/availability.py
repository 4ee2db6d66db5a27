"""Writing a therapist's availability: the whole schedule at once, as the availability
page saves it."""

from collections.abc import Mapping, Sequence
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext

from practice.errors import NotFoundError, ValidationFailed
from practice.models import User
from scheduling.errors import SchedulingError
from scheduling.models import Availability, AvailabilityDay, AvailabilityException, AvailabilitySlot, Weekday

#: Preferences the page sends next to the hours.
PREFERENCE_FIELDS = (
    "session_duration",
    "buffer_time",
    "max_daily_appointments",
    "auto_confirm_appointments",
    "block_emergency_slots",
    "vacation_mode",
    "vacation_start",
    "vacation_end",
    "vacation_message",
)


def _overlap_error(path: str) -> ValidationFailed:
    return ValidationFailed.for_field(
        path, gettext("Overlaps an earlier slot of the same day."), code=SchedulingError.AVAILABILITY_OVERLAP
    )


def _check_no_overlap(slots: Sequence[Mapping[str, Any]], path: str) -> None:
    """Slots of one kind (working hours, or breaks) never overlap; touching is fine."""
    for kind in (False, True):
        same = sorted(
            ((index, slot) for index, slot in enumerate(slots) if bool(slot.get("is_break")) is kind),
            key=lambda item: item[1]["start"],
        )
        latest_end = None
        for index, slot in same:
            if latest_end is not None and slot["start"] < latest_end:
                raise _overlap_error(f"{path}.{index}")
            latest_end = max(latest_end or slot["end"], slot["end"])


def _lock(*, therapist: User) -> Availability:
    # Create the row if it is missing without racing a concurrent first save, then lock it:
    # concurrent saves of one therapist's schedule apply one after the other.
    Availability.objects.bulk_create(
        [Availability(practice_id=therapist.practice_id, therapist=therapist)], ignore_conflicts=True
    )
    return Availability.objects.select_for_update().get(therapist=therapist)


@transaction.atomic
def availability_replace(
    *,
    actor: User,
    regular_hours: Sequence[Mapping[str, Any]],
    exceptions: Sequence[Mapping[str, Any]] = (),
    preferences: Mapping[str, Any],
) -> Availability:
    """Replace the actor's whole availability (therapists only): preferences, the weekly
    hours (``regular_hours``: ``weekday``, ``is_available``, ``slots`` of ``start``, ``end``,
    ``is_break``) and the exceptions (``date``, ``reason``, ``slots``). Weekdays left out are
    unavailable. Two working slots, or two breaks, of one day may not overlap, nor two
    slots of one exception (400 ``availability_overlap``); an exception per date. Done
    under the availability's row lock, so a concurrent save never interleaves; on
    PostgreSQL an exclusion constraint backs the overlap rule."""
    if not actor.is_therapist:
        raise NotFoundError(message=gettext("Availability not found."))
    for index, day in enumerate(regular_hours):
        _check_no_overlap(day["slots"], f"regular_hours.{index}.slots")
    seen = {}
    for index, exception in enumerate(exceptions):
        if exception["date"] in seen:
            raise ValidationFailed.for_field(f"exceptions.{index}.date", gettext("Another exception has this date."))
        seen[exception["date"]] = index
        _check_no_overlap(exception["slots"], f"exceptions.{index}.slots")
    start, end = preferences.get("vacation_start"), preferences.get("vacation_end")
    if start and end and end < start:
        raise ValidationFailed.for_field("vacation_end", gettext("The vacation cannot end before it starts."))

    availability = _lock(therapist=actor)
    for name in PREFERENCE_FIELDS:
        setattr(availability, name, preferences.get(name, Availability._meta.get_field(name).get_default()))
    availability.full_clean(exclude=["practice", "therapist"], validate_unique=False, validate_constraints=False)
    availability.save(update_fields=[*PREFERENCE_FIELDS, "updated_at"])
    # All seven weekdays are written (those left out as unavailable), in place; then the
    # slots and exceptions are replaced. A fixed number of statements, whatever the size.
    given = {day["weekday"]: day for day in regular_hours}
    days = AvailabilityDay.objects.bulk_create(
        [
            AvailabilityDay(
                availability=availability,
                weekday=weekday,
                is_available=given[weekday]["is_available"] if weekday in given else False,
            )
            for weekday in Weekday.values
        ],
        update_conflicts=True,
        unique_fields=["availability", "weekday"],
        update_fields=["is_available"],
    )
    AvailabilitySlot.objects.filter(day__availability=availability).delete()
    AvailabilityException.objects.filter(availability=availability).delete()
    slots = [
        AvailabilitySlot(day=row, start_time=slot["start"], end_time=slot["end"], is_break=slot.get("is_break", False))
        for row in days
        for slot in given.get(row.weekday, {}).get("slots", ())
    ]
    try:
        with transaction.atomic():
            AvailabilitySlot.objects.bulk_create(slots)
    except IntegrityError as exc:  # only if the checks above were bypassed
        raise ValidationFailed.for_field(
            "regular_hours", gettext("Slots of one day overlap."), code=SchedulingError.AVAILABILITY_OVERLAP
        ) from exc
    AvailabilityException.objects.bulk_create(
        AvailabilityException(
            availability=availability,
            date=exception["date"],
            reason=exception["reason"],
            slots=[
                {"start": s["start"].isoformat("seconds"), "end": s["end"].isoformat("seconds")}
                for s in exception["slots"]
            ],
        )
        for exception in exceptions
    )
    return availability
