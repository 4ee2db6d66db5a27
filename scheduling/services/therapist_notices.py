"""In-app notices to a therapist when someone else changes their calendar: staff book,
move or cancel one of their appointments, or record a no-show. Written in the transaction
of the change (``practice.services.notifications.user_notify``); a therapist's own changes
notify nobody."""

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from django.utils import formats, timezone

from practice.models import User, UserNotification
from practice.services.notifications import user_notify
from scheduling.models import Appointment

Kind = UserNotification.Kind

_TITLES = {
    Kind.APPOINTMENT_BOOKED: "New appointment",
    Kind.APPOINTMENT_MOVED: "Appointment moved",
    Kind.APPOINTMENT_CANCELLED: "Appointment cancelled",
    Kind.APPOINTMENT_NO_SHOW: "No-show recorded",
}
_VERBS = {
    Kind.APPOINTMENT_BOOKED: "booked",
    Kind.APPOINTMENT_MOVED: "moved",
    Kind.APPOINTMENT_CANCELLED: "cancelled",
    Kind.APPOINTMENT_NO_SHOW: "recorded a no-show for",
}
_PRIORITIES = {
    Kind.APPOINTMENT_CANCELLED: UserNotification.Priority.HIGH,
    Kind.APPOINTMENT_NO_SHOW: UserNotification.Priority.HIGH,
}


def appointment_notify_therapist(
    *, actor: User, appointment: Appointment, kind: str, starts_at: datetime | None = None
) -> None:
    """Tell the appointment's therapist that ``actor`` booked, moved or cancelled it or
    recorded a no-show (``kind``), unless the actor is the therapist. ``starts_at``: the
    new start of an appointment being moved."""
    if actor.pk == appointment.therapist_id:
        return
    practice = appointment.practice
    starts_at = starts_at or appointment.starts_at
    when = formats.date_format(timezone.localtime(starts_at, practice.tzinfo), "D j M Y, H:i")
    user_notify(
        recipients=[appointment.therapist],
        kind=kind,
        title=_TITLES[kind],
        message=f"{actor.full_name or actor.email} {_VERBS[kind]} the appointment with "
        f"{appointment.client.full_name} on {when}.",
        priority=_PRIORITIES.get(kind, UserNotification.Priority.MEDIUM),
        action_url=f"/therapist/appointments/{appointment.pk}",
        related_entity_type="appointment",
        related_entity_id=appointment.pk,
    )


def _change_kind(*, appointment: Appointment, changes: Mapping[str, Any]) -> str | None:
    status = changes.get("status", appointment.status)
    if status != appointment.status and status == Appointment.Status.CANCELLED:
        return Kind.APPOINTMENT_CANCELLED
    if status != appointment.status and status == Appointment.Status.NO_SHOW:
        return Kind.APPOINTMENT_NO_SHOW
    if any(name in changes and changes[name] != getattr(appointment, name) for name in ("starts_at", "ends_at")):
        return Kind.APPOINTMENT_MOVED
    return None


def appointment_notify_change(*, actor: User, appointment: Appointment, changes: Mapping[str, Any]) -> None:
    """Called with a booking edit before it is applied (in its transaction, so an edit that
    fails leaves no notice): a cancellation or no-show by status, or a new start or end,
    is worth a notice to the therapist; other edits are not."""
    kind = _change_kind(appointment=appointment, changes=changes)
    if kind is not None:
        appointment_notify_therapist(
            actor=actor, appointment=appointment, kind=kind, starts_at=changes.get("starts_at")
        )
