"""Writes of appointments: booking, changing, cancelling, preparing, and the status
state machine every status change goes through. Other apps change an appointment's status
only through ``appointment_set_status``; only this module reads ``TRANSITIONS``."""

from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext

from practice.errors import ConflictError, NotFoundError, ValidationFailed
from practice.formats import utc_iso
from practice.models import AuditEvent, Client, User
from practice.selectors import client_visible_queryset
from practice.services.audit import AuditTarget, audit_log
from practice.services.common import model_update
from scheduling.errors import SchedulingError
from scheduling.models import Appointment
from scheduling.selectors.appointments import appointment_get, appointment_overlaps
from scheduling.services.therapist_notices import Kind, appointment_notify_change, appointment_notify_therapist

Status = Appointment.Status

#: Which status may follow which. Cancelling, starting and ending a session and recording
#: a no-show each have their own action; all of them are checked against this table
#: (``appointment_set_status``).
TRANSITIONS: dict[str, frozenset[str]] = {
    Status.SCHEDULED: frozenset({Status.CONFIRMED, Status.IN_PROGRESS, Status.CANCELLED, Status.NO_SHOW}),
    Status.CONFIRMED: frozenset({Status.SCHEDULED, Status.IN_PROGRESS, Status.CANCELLED, Status.NO_SHOW}),
    Status.IN_PROGRESS: frozenset({Status.COMPLETED}),
    Status.COMPLETED: frozenset(),
    Status.CANCELLED: frozenset(),
    Status.NO_SHOW: frozenset(),
}

#: Statuses in which the booking itself (time, type, place) may still change.
EDITABLE_STATUSES = frozenset({Status.SCHEDULED, Status.CONFIRMED})

MAX_APPOINTMENT_LENGTH = timedelta(hours=12)
#: How far from today a booking may lie, either way (catches mistyped years).
MAX_BOOKING_DISTANCE = timedelta(days=3653)

#: Fields a booking change may touch.
UPDATABLE_FIELDS = ("starts_at", "ends_at", "appointment_type", "mode", "location", "notes", "status")

_CONSTRAINT = "appointment_therapist_no_overlap"


def appointment_status_allows(*, status: str, to_status: str) -> bool:
    """Whether the state machine lets an appointment in ``status`` become ``to_status``."""
    return to_status != status and to_status in TRANSITIONS[status]


def appointment_transition_check(*, appointment: Appointment, to_status: str) -> None:
    """Raise ``ConflictError(SchedulingError.INVALID_STATUS_TRANSITION)`` unless the state
    machine allows the appointment to move to ``to_status``."""
    if not appointment_status_allows(status=appointment.status, to_status=to_status):
        raise ConflictError(
            SchedulingError.INVALID_STATUS_TRANSITION,
            gettext("An appointment that is %(status)s cannot become %(new_status)s.")
            % {"status": Status(appointment.status).label.lower(), "new_status": Status(to_status).label.lower()},
            data={"appointment_id": str(appointment.pk), "status": appointment.status, "requested_status": to_status},
        )


def appointment_set_status(
    *, appointment: Appointment, to_status: str, changes: Mapping[str, Any] | None = None
) -> Appointment:
    """Move an appointment the caller has locked (``appointment_get(for_update=True)``) to
    ``to_status``, with the fields in ``changes`` that go with it (a cancellation's reason):
    the one way a status changes outside a booking edit. 409
    ``invalid_status_transition`` unless the state machine allows it."""
    appointment_transition_check(appointment=appointment, to_status=to_status)
    changes = dict(changes or {})
    for name, value in changes.items():
        setattr(appointment, name, value)
    appointment.status = to_status
    appointment.save(update_fields=["status", *changes, "updated_at"])
    return appointment


def _overlap_error(clash: Appointment | None) -> ConflictError:
    data = None
    message = "The therapist already has an appointment at that time."
    if clash is not None:
        data = {
            "conflicting_appointment": {
                "id": str(clash.pk),
                "starts_at": utc_iso(clash.starts_at),
                "ends_at": utc_iso(clash.ends_at),
                "status": clash.status,
            }
        }
        message = (
            f"The therapist already has an appointment from {data['conflicting_appointment']['starts_at']} "
            f"to {data['conflicting_appointment']['ends_at']}."
        )
    return ConflictError(SchedulingError.APPOINTMENT_OVERLAP, message, data=data)


def _is_overlap_violation(exc: IntegrityError) -> bool:
    cause = exc.__cause__
    diag = getattr(cause, "diag", None)
    return getattr(cause, "sqlstate", None) == "23P01" or getattr(diag, "constraint_name", None) == _CONSTRAINT


def _validate_times(starts_at: datetime, ends_at: datetime) -> None:
    if ends_at <= starts_at:
        raise ValidationFailed.for_field("ends_at", gettext("The end must be after the start."))
    if ends_at - starts_at > MAX_APPOINTMENT_LENGTH:
        raise ValidationFailed.for_field("ends_at", gettext("An appointment lasts at most 12 hours."))
    if abs(starts_at - timezone.now()) > MAX_BOOKING_DISTANCE:
        raise ValidationFailed.for_field("starts_at", gettext("The start must be within ten years of today."))


def _validate(appointment: Appointment) -> None:
    # Field validators run here; the related rows come from scoped lookups, the times are
    # checked by _validate_times and overlaps by _save_without_overlap, and the database
    # enforces the foreign keys and constraints anyway: full_clean is spared their queries.
    appointment.full_clean(
        exclude=["practice", "therapist", "client", "cancelled_by"], validate_unique=False, validate_constraints=False
    )


def _save_without_overlap(appointment: Appointment) -> None:
    """Save, refusing a double booking: a clear check first (SQLite and the common case),
    then the exclusion constraint, caught in a savepoint, for concurrent requests on
    PostgreSQL."""
    if appointment.status != Status.CANCELLED:
        clash = appointment_overlaps(
            appointment.therapist_id, appointment.starts_at, appointment.ends_at, exclude_id=appointment.pk
        ).first()
        if clash is not None:
            raise _overlap_error(clash)
    try:
        with transaction.atomic():
            appointment.save()
    except IntegrityError as exc:
        if not _is_overlap_violation(exc):
            raise
        # The winner of the race has committed by now, so it can be named.
        clash = appointment_overlaps(
            appointment.therapist_id, appointment.starts_at, appointment.ends_at, exclude_id=appointment.pk
        ).first()
        raise _overlap_error(clash) from exc


def _bookable_therapist(*, actor: User, therapist_id: UUID | None) -> User:
    if therapist_id is None:
        if actor.is_therapist:
            return actor
        raise ValidationFailed.for_field("therapist_id", gettext("Choose the therapist for the appointment."))
    therapists = User.objects.filter(practice_id=actor.practice_id, role=User.Role.THERAPIST, is_active=True)
    if not actor.is_practice_staff:
        therapists = therapists.filter(pk=actor.pk)
    therapist = therapists.filter(pk=therapist_id).first()
    if therapist is None:
        raise ValidationFailed.for_field("therapist_id", gettext("No such therapist."))
    return therapist


def _bookable_client(*, actor: User, therapist: User, client_id: UUID) -> Client:
    client = client_visible_queryset(actor=actor).filter(pk=client_id).first()
    if client is None:
        raise ValidationFailed.for_field("client_id", gettext("No such client."))
    if not client.therapists.filter(pk=therapist.pk).exists():
        raise ValidationFailed.for_field("client_id", gettext("This client is not assigned to the therapist."))
    return client


@transaction.atomic
def appointment_create(
    *,
    actor: User,
    client_id: UUID,
    starts_at: datetime,
    ends_at: datetime,
    therapist_id: UUID | None = None,
    appointment_type: str = Appointment.Type.INDIVIDUAL,
    mode: str = Appointment.Mode.IN_PERSON,
    location: str = "",
    notes: str = "",
) -> Appointment:
    """Book an appointment. A therapist books for themselves, staff for any therapist of
    the practice; the client must be visible to the caller and assigned to the therapist.
    An overlap with another non-cancelled appointment of the therapist is a 409
    ``appointment_overlap`` naming the clash."""
    therapist = _bookable_therapist(actor=actor, therapist_id=therapist_id)
    client = _bookable_client(actor=actor, therapist=therapist, client_id=client_id)
    _validate_times(starts_at, ends_at)
    appointment = Appointment(
        practice_id=actor.practice_id,
        therapist=therapist,
        client=client,
        starts_at=starts_at,
        ends_at=ends_at,
        appointment_type=appointment_type,
        mode=mode,
        location=location,
        notes=notes,
        status=Status.SCHEDULED,
    )
    _validate(appointment)
    _save_without_overlap(appointment)
    appointment_notify_therapist(actor=actor, appointment=appointment, kind=Kind.APPOINTMENT_BOOKED)
    return appointment


@transaction.atomic
def appointment_update(*, actor: User, appointment_id: UUID, changes: dict[str, Any]) -> Appointment:
    """Change a booking (time, type, mode, location, notes, or scheduled <-> confirmed).

    Only scheduled or confirmed appointments change this way (409
    ``appointment_not_editable`` otherwise); a new time must not overlap another of the
    therapist's appointments (409 ``appointment_overlap``)."""
    appointment = appointment_get(actor=actor, appointment_id=appointment_id, for_update=True)
    unknown = set(changes) - set(UPDATABLE_FIELDS)
    if unknown:
        raise ValueError(f"Not updatable: {sorted(unknown)}")
    if appointment.status not in EDITABLE_STATUSES:
        raise ConflictError(
            SchedulingError.APPOINTMENT_NOT_EDITABLE,
            gettext("A %(status)s appointment can no longer be changed.")
            % {"status": Status(appointment.status).label.lower()},
            data={"appointment_id": str(appointment.pk), "status": appointment.status},
        )
    new_status = changes.get("status", appointment.status)
    if new_status != appointment.status:
        appointment_transition_check(appointment=appointment, to_status=new_status)
    appointment_notify_change(actor=actor, appointment=appointment, changes=changes)
    # Set only: the save below must also refuse a double booking.
    model_update(instance=appointment, fields=UPDATABLE_FIELDS, data=changes, save=False)
    _validate_times(appointment.starts_at, appointment.ends_at)
    _validate(appointment)
    _save_without_overlap(appointment)
    return appointment


@transaction.atomic
def appointment_cancel(*, actor: User, appointment_id: UUID, reason: str) -> Appointment:
    """Cancel an appointment that has not taken place, with a reason. The slot becomes
    free for another booking. Anything but scheduled/confirmed is a 409
    ``invalid_status_transition``."""
    reason = reason.strip()
    if not reason:
        raise ValidationFailed.for_field("reason", gettext("A reason is required."))
    appointment = appointment_get(actor=actor, appointment_id=appointment_id, for_update=True)
    appointment = appointment_set_status(
        appointment=appointment,
        to_status=Status.CANCELLED,
        changes={"cancellation_reason": reason, "cancelled_at": timezone.now(), "cancelled_by": actor},
    )
    appointment_notify_therapist(actor=actor, appointment=appointment, kind=Kind.APPOINTMENT_CANCELLED)
    return appointment


@transaction.atomic
def appointment_prepare(
    *,
    actor: User,
    appointment_id: UUID,
    preparation_notes: str,
    review_previous_session: bool,
    focus_areas: list[str],
    ip_address: str | None = None,
) -> Appointment:
    """Write the therapist's preparation notes for an upcoming appointment (the digest of
    the previous session that ``review_previous_session`` asks for is clinical's read:
    ``clinical.services.preparation``).

    Only the appointment's own therapist prepares it (anyone else: 404, staff included);
    only while it is scheduled or confirmed and has not started (409
    ``appointment_not_upcoming``)."""
    if not actor.is_therapist:
        raise NotFoundError(message=gettext("Appointment not found."))
    # A therapist sees only their own appointments, so this is the appointment's therapist.
    appointment = appointment_get(actor=actor, appointment_id=appointment_id, for_update=True)
    now = timezone.now()
    if appointment.status not in EDITABLE_STATUSES or appointment.starts_at <= now:
        raise ConflictError(
            SchedulingError.APPOINTMENT_NOT_UPCOMING,
            gettext("Preparation notes can only be written for an upcoming appointment."),
            data={"appointment_id": str(appointment.pk), "status": appointment.status},
        )
    appointment.preparation_notes = preparation_notes
    appointment.review_previous_session = review_previous_session
    appointment.focus_areas = focus_areas
    appointment.prepared_at = now
    _validate(appointment)
    appointment.save(
        update_fields=["preparation_notes", "review_previous_session", "focus_areas", "prepared_at", "updated_at"]
    )
    audit_log(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        targets=[
            AuditTarget(
                "appointment_preparation",
                appointment.pk,
                appointment.client_id,
                ("preparation_notes", "review_previous_session", "focus_areas"),
            )
        ],
        ip_address=ip_address,
    )
    return appointment
