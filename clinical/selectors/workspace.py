"""Reads of the therapist workspace: the caller's own clients with their session figures,
and one client's profile. Clinical figures count only the caller's own sessions (SPEC §3:
a therapist sees their own sessions), the same visibility as the session list."""

from uuid import UUID

from django.db.models import (
    CharField,
    Exists,
    F,
    Min,
    OuterRef,
    Prefetch,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Cast, Coalesce
from django.utils import timezone
from django.utils.translation import gettext

from clinical.models import SessionTally, TherapyGoal
from practice.errors import NotFoundError
from practice.models import Client, User
from practice.selectors import client_clinical_queryset
from scheduling.models import Appointment

UPCOMING_STATUSES = (Appointment.Status.SCHEDULED, Appointment.Status.CONFIRMED)


def _with_session_figures(qs: QuerySet[Client], *, actor: User) -> QuerySet[Client]:
    """Annotate each client with the actor's completed sessions with them (count and the
    latest start, from the pair's ``SessionTally`` row: one index read, whatever the
    history), the next upcoming appointment with the actor (correlated subqueries, so a
    page is one query whatever its size) and the practice's time zone, for local dates
    (``practice_timezone``: a column, not a Practice built for every client)."""
    tally = SessionTally.objects.filter(therapist_id=actor.pk, client_id=OuterRef("pk"))
    upcoming = Appointment.objects.filter(
        client_id=OuterRef("pk"), therapist_id=actor.pk, status__in=UPCOMING_STATUSES, starts_at__gte=timezone.now()
    ).order_by()
    return qs.annotate(
        total_sessions=Coalesce(Subquery(tally.values("completed")), Value(0)),
        last_session_at=Subquery(tally.values("last_completed_at")),
        next_session_at=Subquery(upcoming.values("client_id").annotate(first=Min("starts_at")).values("first")),
        practice_timezone=F("practice__timezone"),
    )


def therapist_client_list(*, actor: User) -> QuerySet[Client]:
    """The therapist's assigned clients (staff: none), by name, with their session
    figures, and the phone number as its stored E.164 text (``phone_text``; the parsed
    field is left unloaded)."""
    phone_text = Cast("phone", output_field=CharField())
    qs = client_clinical_queryset(actor=actor).annotate(phone_text=phone_text).defer("phone")
    return _with_session_figures(qs, actor=actor).order_by("last_name", "first_name", "id")


#: What a listed client shows (``therapist_client_list_item``), by the key of its row:
#: the client's columns and the annotations of ``therapist_client_list``.
THERAPIST_CLIENT_ROW_FIELDS = (
    "id",
    "first_name",
    "last_name",
    "email",
    "phone_text",
    "date_of_birth",
    "status",
    "urgency_level",
    "help_requests",
    "profile_photo_url",
    "total_sessions",
    "last_session_at",
    "next_session_at",
    "practice_timezone",
    "created_at",
    "updated_at",
)


def therapist_client_list_rows(clients: QuerySet[Client]) -> QuerySet[dict]:
    """A page of ``clients`` (``therapist_client_list``'s) as plain rows of
    ``THERAPIST_CLIENT_ROW_FIELDS``: the same statement, without a Client built for each
    row only to read these fields once."""
    return clients.values(*THERAPIST_CLIENT_ROW_FIELDS)


def therapist_client_profile_get(*, actor: User, client_id: UUID) -> Client:
    """One assigned client for the profile page: contact, emergency contact and medical
    history joined, active goals prefetched, session figures annotated, and whether an
    intake has taken place. Three queries; anyone but an assigned therapist gets a 404."""
    goals = TherapyGoal.objects.filter(status=TherapyGoal.Status.ACTIVE).order_by("created_at", "id")
    intake_done = Appointment.objects.filter(
        client_id=OuterRef("pk"), appointment_type=Appointment.Type.INTAKE, status=Appointment.Status.COMPLETED
    )
    qs = (
        client_clinical_queryset(actor=actor)
        .select_related("emergency_contact", "medical_history")
        .prefetch_related(Prefetch("therapy_goals", queryset=goals, to_attr="active_goals"))
        .annotate(intake_completed=Exists(intake_done))
    )
    client = _with_session_figures(qs, actor=actor).filter(pk=client_id).first()
    if client is None:
        raise NotFoundError(message=gettext("Client not found."))
    return client
