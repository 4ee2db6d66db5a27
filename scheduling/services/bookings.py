"""Booking from the therapist frontend's form: a local date with wall-clock start and end
times in the practice's timezone, and the frontend's own names for types and modes."""

from datetime import date, time
from uuid import UUID

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from practice.errors import ValidationFailed
from practice.models import User
from scheduling.models import Appointment
from scheduling.recurrence import local_to_utc, local_wall_time_exists
from scheduling.selectors.appointments import appointment_get
from scheduling.selectors.no_show import no_show_policy_active
from scheduling.services.appointments import (
    UPDATABLE_FIELDS,
    appointment_cancel,
    appointment_create,
    appointment_update,
)
from scheduling.services.no_show import appointment_mark_no_show

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
            raise ValidationFailed.for_field(
                field, gettext("That time does not exist on this day (the clocks move forward).")
            )
    if end <= start:
        raise ValidationFailed.for_field("end_time", gettext("The end must be after the start."))
    return appointment_create(
        actor=actor,
        client_id=client_id,
        starts_at=local_to_utc(day, start, tz),
        ends_at=local_to_utc(day, end, tz),
        appointment_type=THERAPY_TYPES[therapy_type],
        mode=LOCATION_MODES[location.lower()],
        notes=notes,
    )


#: Statuses the appointment pages send in ``PUT /appointments/{id}``.
STATUS_CHANGES = ("scheduled", "confirmed", "cancelled", "no_show", "rescheduled")


def _local_move(appointment: Appointment, *, day: date | None, start: time | None, end: time | None) -> dict:
    """New ``starts_at``/``ends_at`` from a local date and wall-clock times; what is not
    given keeps the appointment's own (its local date, its start, its length)."""
    tz = appointment.practice.tzinfo
    local_start = appointment.starts_at.astimezone(tz)
    day = day or local_start.date()
    start = start or local_start.time().replace(tzinfo=None)
    for field, wall_time in (("start_time", start), ("end_time", end)):
        if wall_time is not None and not local_wall_time_exists(day, wall_time, tz):
            raise ValidationFailed.for_field(
                field, gettext("That time does not exist on this day (the clocks move forward).")
            )
    starts_at = local_to_utc(day, start, tz)
    ends_at = (
        local_to_utc(day, end, tz) if end is not None else starts_at + (appointment.ends_at - appointment.starts_at)
    )
    if ends_at <= starts_at:
        raise ValidationFailed.for_field("end_time", gettext("The end must be after the start."))
    return {"starts_at": starts_at, "ends_at": ends_at}


@transaction.atomic
def appointment_change_from_page(
    *, actor: User, appointment_id: UUID, data: dict, ip_address: str | None = None
) -> Appointment:
    """Apply what an appointment page sends in ``PUT /appointments/{id}``, each through
    the service that owns it; fields not sent keep their value.

    - ``status: cancelled``: ``appointment_cancel`` with ``cancellation_reason`` (or the
      ``notes`` the detail page sends) as the reason, which is required.
    - ``status: no_show``: ``appointment_mark_no_show`` with the practice's policy
      defaults (its default fee when it has one, its notification setting) and ``notes``
      (or ``cancellation_reason``) as the reason, which is required.
    - ``status: rescheduled``, or a local ``appointment_date``/``start_time``/``end_time``:
      the booking moves (``appointment_update``: no double booking) and keeps its status;
      ``reschedule_reason`` is kept with the time it was moved.
    - anything else (``scheduled``/``confirmed``, times, type, mode, location, notes):
      ``appointment_update``."""
    data = dict(data)
    status = data.pop("status", None)
    notes = data.get("notes")
    if status == Appointment.Status.CANCELLED:
        reason = (data.get("cancellation_reason") or notes or "").strip()
        if not reason:
            raise ValidationFailed.for_field("cancellation_reason", gettext("A reason is required."))
        return appointment_cancel(actor=actor, appointment_id=appointment_id, reason=reason)
    if status == Appointment.Status.NO_SHOW:
        reason = (notes or data.get("cancellation_reason") or "").strip()
        if not reason:
            raise ValidationFailed.for_field("notes", gettext("A reason is required."))
        appointment = appointment_get(actor=actor, appointment_id=appointment_id, for_update=True)
        policy = no_show_policy_active(practice=appointment.practice)
        appointment_mark_no_show(
            actor=actor,
            appointment_id=appointment_id,
            reason=reason,
            apply_fee=bool(policy and policy.default_fee > 0),
            notify_client=data.get("notify_client"),
            ip_address=ip_address,
        )
        return appointment_get(actor=actor, appointment_id=appointment_id)

    # The booking's own fields; the status is decided above and below.
    changes = {name: data[name] for name in UPDATABLE_FIELDS if name in data and name != "status"}
    if status in (Appointment.Status.SCHEDULED, Appointment.Status.CONFIRMED):
        changes["status"] = status
    moves = {key: data.get(key) for key in ("appointment_date", "start_time", "end_time")}
    if status == "rescheduled" or any(value is not None for value in moves.values()):
        appointment = appointment_get(actor=actor, appointment_id=appointment_id, for_update=True)
        changes.update(
            _local_move(appointment, day=moves["appointment_date"], start=moves["start_time"], end=moves["end_time"])
        )
    appointment = appointment_update(actor=actor, appointment_id=appointment_id, changes=changes)
    if status == "rescheduled" or "reschedule_reason" in data:
        appointment.reschedule_reason = data.get("reschedule_reason", "")
        appointment.rescheduled_at = timezone.now()
        appointment.save(update_fields=["reschedule_reason", "rescheduled_at", "updated_at"])
    return appointment
