"""Reads of the therapist workspace: the caller's own clients with their session figures,
and one client's profile. Clinical figures count only the caller's own sessions (SPEC §3:
a therapist sees their own sessions), the same visibility as the session list."""

from collections.abc import Sequence
from uuid import UUID

from django.db.models import (
    CharField,
    Exists,
    F,
    OuterRef,
    Prefetch,
    QuerySet,
)
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.translation import gettext

from clinical.models import SessionTally, TherapyGoal
from practice.db.statements import db_value, fetch, in_list
from practice.errors import NotFoundError
from practice.models import Client, User
from practice.selectors import client_clinical_queryset
from scheduling.models import Appointment

UPCOMING_STATUSES = (Appointment.Status.SCHEDULED, Appointment.Status.CONFIRMED)


# A therapist's session figures with each of a page of clients: the completed sessions
# (count and the latest start, from the pair's SessionTally row: one index read, whatever
# the history) and the next upcoming appointment. One statement for the page; as
# correlated subqueries of the page's own query, Django took longer to compile them than
# PostgreSQL to run the page.
_FIGURES_SQL = """
    SELECT client.id,
           (SELECT completed FROM {tally} WHERE therapist_id = %(therapist)s AND client_id = client.id),
           (SELECT last_completed_at FROM {tally} WHERE therapist_id = %(therapist)s AND client_id = client.id),
           (SELECT MIN(starts_at) FROM {appointment}
            WHERE client_id = client.id AND therapist_id = %(therapist)s
              AND status IN ({upcoming}) AND starts_at >= %(now)s)
    FROM {client} client
    WHERE client.id IN ({clients})
"""


def therapist_session_figures(*, therapist: User, client_ids: Sequence[UUID]) -> dict[UUID, dict]:
    """Per client: ``total_sessions`` (the therapist's completed sessions with them),
    ``last_session_at`` (when the latest of those started) and ``next_session_at`` (the
    start of the next scheduled or confirmed appointment with the therapist). Only the
    caller's own sessions count (SPEC §3); the caller has already checked the clients are
    theirs. One statement; none for no clients."""
    if not client_ids:
        return {}
    starts_at = Appointment._meta.get_field("starts_at")
    status = Appointment._meta.get_field("status")
    params = {
        "therapist": db_value(User._meta.pk, therapist.pk),
        "now": db_value(starts_at, timezone.now()),
    }
    sql = _FIGURES_SQL.format(
        tally=SessionTally._meta.db_table,
        appointment=Appointment._meta.db_table,
        client=Client._meta.db_table,
        upcoming=in_list(params, "status", status, UPCOMING_STATUSES),
        clients=in_list(params, "client", Client._meta.pk, client_ids),
    )
    columns = [Client._meta.pk, None, SessionTally._meta.get_field("last_completed_at"), starts_at]
    return {
        client_id: {"total_sessions": completed or 0, "last_session_at": last, "next_session_at": upcoming}
        for client_id, completed, last, upcoming in fetch(sql, params, columns)
    }


def therapist_clients_add_figures(*, therapist: User, clients: list[Client]) -> list[Client]:
    """Set ``therapist_session_figures`` as attributes of each of ``clients``."""
    figures = therapist_session_figures(therapist=therapist, client_ids=[client.pk for client in clients])
    for client in clients:
        for name, value in figures[client.pk].items():
            setattr(client, name, value)
    return clients


def therapist_client_rows_add_figures(*, therapist: User, rows: list[dict]) -> list[dict]:
    """Add ``therapist_session_figures`` to each of a page of ``therapist_client_list_rows``."""
    figures = therapist_session_figures(therapist=therapist, client_ids=[row["id"] for row in rows])
    for row in rows:
        row.update(figures[row["id"]])
    return rows


def therapist_client_list(*, actor: User) -> QuerySet[Client]:
    """The therapist's assigned clients (staff: none), by name, with the phone number as
    its stored E.164 text (``phone_text``; the parsed field is left unloaded) and the
    practice's time zone, for local dates (``practice_timezone``: a column, not a Practice
    built for every client). A page of them gets its session figures from
    ``therapist_client_rows_add_figures``."""
    phone_text = Cast("phone", output_field=CharField())
    return (
        client_clinical_queryset(actor=actor)
        .annotate(phone_text=phone_text, practice_timezone=F("practice__timezone"))
        .defer("phone")
        .order_by("last_name", "first_name", "id")
    )


#: What a listed client's row holds: the client's columns and the annotations of
#: ``therapist_client_list``; ``therapist_client_list_item`` also reads the figures.
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
    history joined, active goals prefetched, whether an intake has taken place, and the
    session figures (``therapist_session_figures``) as attributes. Three statements;
    anyone but an assigned therapist gets a 404."""
    goals = TherapyGoal.objects.filter(status=TherapyGoal.Status.ACTIVE).order_by("created_at", "id")
    intake_done = Appointment.objects.filter(
        client_id=OuterRef("pk"), appointment_type=Appointment.Type.INTAKE, status=Appointment.Status.COMPLETED
    )
    qs = (
        client_clinical_queryset(actor=actor)
        .select_related("emergency_contact", "medical_history")
        .prefetch_related(Prefetch("therapy_goals", queryset=goals, to_attr="active_goals"))
        .annotate(intake_completed=Exists(intake_done), practice_timezone=F("practice__timezone"))
    )
    client = qs.filter(pk=client_id).first()
    if client is None:
        raise NotFoundError(message=gettext("Client not found."))
    return therapist_clients_add_figures(therapist=actor, clients=[client])[0]
