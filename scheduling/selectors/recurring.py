"""Reads for recurring series: the appointment a caller may manage a series from."""

from uuid import UUID

from django.db.models import QuerySet

from practice.api.exceptions import NotFoundError
from practice.models import User
from scheduling.models import Appointment


def recurring_appointment_queryset(*, actor: User) -> QuerySet[Appointment]:
    """Appointments whose series the actor may manage: a therapist their own appointments,
    practice staff every appointment of their practice."""
    qs = Appointment.objects.filter(practice_id=actor.practice_id)
    if not actor.is_practice_staff:
        qs = qs.filter(therapist_id=actor.pk)
    return qs


def recurring_appointment_get(*, actor: User, appointment_id: UUID, lock: bool = False) -> Appointment:
    """One appointment the actor may manage a series from, with its practice; ``lock``
    holds its row until the transaction ends, so changes to one appointment's series are
    serialised. Anything else is a 404, exactly as if it did not exist.

    The series is read apart (after the lock): a row that waited for the lock is re-read
    by PostgreSQL, but a series joined to it is not."""
    qs = recurring_appointment_queryset(actor=actor).select_related("practice")
    if lock:
        qs = qs.select_for_update(of=("self",))
    appointment = qs.filter(pk=appointment_id).first()
    if appointment is None:
        raise NotFoundError(message="Appointment not found.")
    return appointment
