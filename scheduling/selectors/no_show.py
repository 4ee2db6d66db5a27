"""Reads for recording no-shows."""

from uuid import UUID

from practice.api.exceptions import NotFoundError
from practice.models import Practice, User
from scheduling.models import Appointment, NoShowPolicy, NoShowRecord


def appointment_get_for_no_show(*, actor: User, appointment_id: UUID) -> Appointment:
    """The appointment, locked for update, if the actor may record its no-show: practice
    staff for any appointment of their practice, a therapist only for their own.
    Anything else is a 404, exactly as if it did not exist."""
    qs = Appointment.objects.filter(practice_id=actor.practice_id)
    if not actor.is_practice_staff:
        qs = qs.filter(therapist=actor)
    # ``of=("self",)``: lock the appointment row only, not the joined practice and client.
    appointment = (
        qs.select_related("practice", "client").select_for_update(of=("self",)).filter(pk=appointment_id).first()
    )
    if appointment is None:
        raise NotFoundError(message="Appointment not found.")
    return appointment


def no_show_policy_active(*, practice: Practice) -> NoShowPolicy | None:
    """The practice's active policy, if it has one (there is at most one)."""
    return NoShowPolicy.objects.filter(practice=practice, is_active=True).first()


def no_show_record_for_appointment(*, appointment: Appointment) -> NoShowRecord | None:
    """The appointment's no-show record with what its payload shows."""
    return (
        NoShowRecord.objects.select_related("appointment", "applied_by")
        .prefetch_related("notifications")
        .filter(appointment=appointment)
        .first()
    )
