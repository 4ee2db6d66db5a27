"""Reads for recording no-shows."""

from uuid import UUID

from django.db.models import OuterRef, Subquery

from practice.api.exceptions import NotFoundError
from practice.models import Practice, User
from scheduling.models import Appointment, NoShowPolicy, NoShowRecord, Notification


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
    """The appointment's no-show record with what its payload shows, in one query:
    ``notification_status`` is the state of its latest notification (None without one)."""
    latest_notification = Notification.objects.filter(no_show_record=OuterRef("pk")).order_by("-created_at")
    return (
        NoShowRecord.objects.select_related("appointment", "applied_by")
        .annotate(notification_status=Subquery(latest_notification.values("status")[:1]))
        .filter(appointment=appointment)
        .first()
    )
