"""Reads of appointments. A therapist sees only their own appointments; staff see every
appointment of their practice. Nobody sees another practice's."""

import functools
from datetime import datetime
from uuid import UUID

from django.db.models import (
    BooleanField,
    CharField,
    DateTimeField,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Cast, Coalesce
from django.utils.translation import gettext

from practice.errors import NotFoundError
from practice.models import User
from scheduling.models import Appointment, CompletedAppointmentTally


def appointment_visible_queryset(*, actor: User, queryset: QuerySet | None = None) -> QuerySet[Appointment]:
    """Appointments (of ``queryset``, else all) the actor may see: staff their
    practice's, a therapist only their own."""
    qs = (Appointment.objects.all() if queryset is None else queryset).filter(practice_id=actor.practice_id)
    if not actor.is_practice_staff:
        qs = qs.filter(therapist_id=actor.pk)
    return qs


def appointment_get(*, actor: User, appointment_id: UUID, for_update: bool = False) -> Appointment:
    """One appointment the actor may see, with its client, therapist and practice loaded.

    ``for_update=True`` locks the row until the transaction ends (services that change
    it). Anything the actor may not see is a 404, exactly as if it did not exist."""
    qs = appointment_visible_queryset(actor=actor).select_related("client", "therapist", "practice")
    if for_update:
        qs = qs.select_for_update(of=("self",))
    appointment = qs.filter(pk=appointment_id).first()
    if appointment is None:
        raise NotFoundError(message=gettext("Appointment not found."))
    return appointment


def appointment_overlaps(
    therapist_id: UUID, starts_at: datetime, ends_at: datetime, exclude_id: UUID | None = None
) -> QuerySet[Appointment]:
    """The therapist's non-cancelled appointments that overlap ``[starts_at, ends_at)``,
    earliest first (empty when the slot is free). Touching ends do not overlap, the same
    rule as the PostgreSQL exclusion constraint ``appointment_therapist_no_overlap``."""
    qs = Appointment.objects.filter(therapist_id=therapist_id, starts_at__lt=ends_at, ends_at__gt=starts_at).exclude(
        status=Appointment.Status.CANCELLED
    )
    if exclude_id is not None:
        qs = qs.exclude(pk=exclude_id)
    return qs.order_by("starts_at", "id")


#: The phone numbers a listed appointment shows, as their stored E.164 text: parsing one
#: into a PhoneNumber costs ~85 µs, and a page of 50 shows up to 150 of them.
PHONE_TEXTS = {
    "client_phone_text": "client__phone",
    "contact_phone_text": "client__emergency_contact__phone",
    "contact_alternate_phone_text": "client__emergency_contact__alternate_phone",
}


def _list_annotations(*, staff: bool) -> dict:
    """What ``appointment_list`` adds to each appointment, the same for every caller of a
    kind: the session figures count with the appointment's own therapist, who, in a
    therapist's list, is the caller."""
    if staff:
        # Staff read no sessions, so no figures about them either.
        session_figures = {
            "client_total_sessions": Value(None, output_field=IntegerField()),
            "client_last_session_at": Value(None, output_field=DateTimeField()),
        }
    else:
        # The pair's row of the tally the database keeps: one unique-index lookup per item,
        # however long the client's history with the therapist.
        tally = CompletedAppointmentTally.objects.filter(
            client_id=OuterRef("client_id"), therapist_id=OuterRef("therapist_id")
        )
        session_figures = {
            "client_total_sessions": Coalesce(Subquery(tally.values("completed")[:1]), Value(0)),
            "client_last_session_at": Subquery(tally.values("last_started_at")[:1]),
        }
    return {
        **session_figures,
        **{name: Cast(field, output_field=CharField()) for name, field in PHONE_TEXTS.items()},
        "started_session_id": F("session__id"),
    }


def _preparation_visible(actor: User) -> ExpressionWrapper:
    return ExpressionWrapper(Q(therapist_id=actor.pk), output_field=BooleanField())


def appointment_list(*, actor: User) -> QuerySet[Appointment]:
    """The actor's visible appointments with the client details the calendar shows:
    contact data and emergency contact (joined), the client's completed-session count and
    last session time (correlated subqueries) with the appointment's therapist (a
    colleague's sessions with a shared client are theirs to see, not the actor's; staff,
    who read no sessions, get null), the id of the appointment's own session if one was
    started, and whether the actor sees the preparation notes (only the appointment's own
    therapist does). One query per page, whatever its size.

    Sessions are counted as the client's completed appointments: an appointment becomes
    completed only by ending its session (in progress only by starting one), so the two are
    the same set, and scheduling needs no clinical model to count them. The count and the
    last start are read from ``CompletedAppointmentTally``, which the database keeps. The
    session id is the reverse side of clinical's one-to-one ``Session.appointment``
    (``related_name`` ``session``), joined by the ORM rather than imported.

    The phone numbers also come as stored text (``PHONE_TEXTS``), which the list items
    show."""
    return (
        appointment_visible_queryset(actor=actor)
        .select_related("client", "client__emergency_contact", "therapist", "practice")
        .annotate(**_list_annotations(staff=actor.is_practice_staff), preparation_visible=_preparation_visible(actor))
        .order_by("starts_at", "id")
    )


#: What a calendar item shows (``appointment_list_item``), by the key of its row: the
#: appointment's own fields, its therapist's and client's, the emergency contact's (its id
#: tells whether there is one), the practice's timezone and the list's annotations.
LIST_ROW_FIELDS = (
    "id",
    "therapist_id",
    "client_id",
    "starts_at",
    "ends_at",
    "appointment_type",
    "mode",
    "location",
    "status",
    "notes",
    "cancellation_reason",
    "cancelled_at",
    "cancelled_by_id",
    "preparation_notes",
    "review_previous_session",
    "focus_areas",
    "prepared_at",
    "created_at",
    "updated_at",
    "therapist__first_name",
    "therapist__last_name",
    "client__first_name",
    "client__last_name",
    "client__email",
    "client__date_of_birth",
    "client__status",
    "client__profile_photo_url",
    "client__emergency_contact__id",
    "client__emergency_contact__name",
    "client__emergency_contact__relationship",
    "client__emergency_contact__email",
    "practice__timezone",
    "client_total_sessions",
    "client_last_session_at",
    *PHONE_TEXTS,
    "started_session_id",
    "preparation_visible",
)


@functools.cache
def _list_rows(*, staff: bool) -> QuerySet[dict]:
    # Built once per process and kind of caller (a few milliseconds of resolving forty
    # fields, their joins and the subqueries); each request filters a copy of it, as a
    # view's class-level queryset is copied. Nothing here depends on who asks.
    fields = [name for name in LIST_ROW_FIELDS if name != "preparation_visible"]
    return Appointment.objects.annotate(**_list_annotations(staff=staff)).order_by("starts_at", "id").values(*fields)


def appointment_list_rows(*, actor: User) -> QuerySet[dict]:
    """``appointment_list`` as plain rows of ``LIST_ROW_FIELDS``, for the pages that show
    many appointments: the same single query, without building five model instances per
    appointment (the appointment, its client, emergency contact, therapist and practice)
    that a page then only reads a few fields of."""
    rows = _list_rows(staff=actor.is_practice_staff)
    return appointment_visible_queryset(actor=actor, queryset=rows).annotate(
        preparation_visible=_preparation_visible(actor)
    )
