"""Booking from the therapist frontend's form: a local date with wall-clock start and end
times in the practice's timezone, and the frontend's own names for types and modes."""

from datetime import date, time
from uuid import UUID

from django.db import transaction

from practice.errors import ValidationFailed
from practice.models import User
from scheduling.models import Appointment
from scheduling.recurrence import local_to_utc, local_wall_time_exists
from scheduling.services.appointments import appointment_create

#: The create page's therapy types (and ours, which it may also send), as our types.
THERAPY_TYPES: dict[str, str] = {
    "initial_consultation": Appointment.Type.INTAKE,
    "crisis_intervention": Appointment.Type.CRISIS,
    "regular": Appointment.Type.INDIVIDUAL,
    "regular_session": Appointment.Type.INDIVIDUAL,
    **{value: value for value in Appointment.Type.values},
}

#: The frontend's location values (``in-person``, ``video``, ``phone``; the session page's
#: ``office`` and ``online``), as our modes.
LOCATION_MODES: dict[str, str] = {
    "in-person": Appointment.Mode.IN_PERSON,
    "in_person": Appointment.Mode.IN_PERSON,
    "office": Appointment.Mode.IN_PERSON,
    "video": Appointment.Mode.VIDEO,
    "online": Appointment.Mode.VIDEO,
    "phone": Appointment.Mode.PHONE,
}


@transaction.atomic
def appointment_create_local(
    *,
    actor: User,
    client_id: UUID,
    day: date,
    start: time,
    end: time,
    therapy_type: str = Appointment.Type.INDIVIDUAL,
    location: str = "in-person",
    notes: str = "",
) -> Appointment:
    """Book ``day`` from ``start`` to ``end`` on the practice's clock, for the calling
    therapist, through ``appointment_create`` (client assigned, no double booking).

    A wall-clock time that does not exist on that day (inside the spring-forward gap) is a
    400, as is an end not after the start: a booking is never silently moved."""
    tz = actor.practice.tzinfo
    for field, wall_time in (("start_time", start), ("end_time", end)):
        if not local_wall_time_exists(day, wall_time, tz):
            raise ValidationFailed.for_field(field, "That time does not exist on this day (the clocks move forward).")
    if end <= start:
        raise ValidationFailed.for_field("end_time", "The end must be after the start.")
    return appointment_create(
        actor=actor,
        client_id=client_id,
        starts_at=local_to_utc(day, start, tz),
        ends_at=local_to_utc(day, end, tz),
        appointment_type=THERAPY_TYPES[therapy_type],
        mode=LOCATION_MODES[location.lower()],
        notes=notes,
    )
