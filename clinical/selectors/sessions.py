"""Reads of clinical sessions. A session is readable only by its own therapist, and only
while the client is assigned to them; staff never read session content."""

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext

from clinical.models import MoodReading, Session, SessionTally
from practice.errors import NotFoundError
from practice.models import User
from practice.selectors import client_clinical_queryset


def session_visible_queryset(*, actor: User) -> QuerySet[Session]:
    """Sessions whose clinical content the actor may read: their own, of clients still
    assigned to them. Staff: none. Pages of the actor's history read ``session_listing``."""
    if not actor.is_therapist:
        return Session.objects.none()
    return Session.objects.filter(therapist_id=actor.pk, client__in=client_clinical_queryset(actor=actor))


@dataclass(frozen=True)
class SessionListing:
    """What a page of the actor's history reads: the sessions ``session_visible_queryset``
    gives (with the assigned clients read first, see ``session_listing``), and their total."""

    sessions: QuerySet[Session]
    therapist_id: UUID | None
    client_ids: list[UUID]

    def total(self, *, client_id: UUID | None = None) -> int:
        """How many ``sessions`` there are (only the client's, with ``client_id``), from
        ``SessionTally``: a row per client the therapist has had sessions with, whatever
        the history. The rows are read by the therapist alone and kept to the assigned
        clients here: sending the client ids along costs more than a former client's row."""
        tallies = SessionTally.objects.filter(therapist_id=self.therapist_id)
        if client_id is not None:
            tallies = tallies.filter(client_id=client_id)
        assigned = set(self.client_ids)
        return sum(n for client, n in tallies.values_list("client_id", "sessions") if client in assigned)


def session_listing(*, actor: User) -> SessionListing:
    """The actor's readable sessions for a page (one more, small query; see below)."""
    if not actor.is_therapist:
        return SessionListing(Session.objects.none(), therapist_id=None, client_ids=[])
    # "Still assigned" is practice's rule for clinical access (client_clinical_queryset),
    # reused rather than restated, and read first as a list of ids, sent as one array
    # (``__any``): given the ids, PostgreSQL expects most of a therapist's sessions to
    # pass (its statistics on (therapist, client), migration 0009, where the values are
    # known), so a page is read in the order of session_therapist_recent_idx and stops
    # after its rows. As a subquery it expects a handful of rows and reads and sorts the
    # whole history. The therapist belongs to one practice and the ids are of that
    # practice's clients: no separate practice filter.
    # Unordered: the clients' alphabetical order is of no use here and costs a sort.
    client_ids = list(client_clinical_queryset(actor=actor).order_by().values_list("id", flat=True))
    sessions = Session.objects.filter(therapist_id=actor.pk, client_id__any=client_ids)
    return SessionListing(sessions, therapist_id=actor.pk, client_ids=client_ids)


#: What a session's payload reads of its related rows: the client's name, the practice's
#: timezone (local date and times), the appointment's planned length. Loading only these
#: keeps a page from building 50 full appointments and clients (their phone numbers
#: parsed, a dozen timestamps each) that nothing reads.
SESSION_RELATED_FIELDS = (
    "client__first_name",
    "client__last_name",
    "practice__timezone",
    "appointment__starts_at",
    "appointment__ends_at",
)


def session_list(*, actor: User) -> QuerySet[Session]:
    """The actor's readable sessions, newest first, with client, practice and the mood
    timeline loaded (three queries, whatever the number of sessions): for reading sessions
    back one at a time. Pages read ``session_list_rows``."""
    readings = MoodReading.objects.only("session_id", "mood", "recorded_at").order_by("recorded_at", "id")
    return (
        session_visible_queryset(actor=actor)
        .select_related("client", "practice", "appointment")
        .only(*(field.name for field in Session._meta.concrete_fields), *SESSION_RELATED_FIELDS)
        .order_by("-started_at", "id")
        .prefetch_related(Prefetch("mood_readings", queryset=readings))
    )


#: What a listed session shows (``session_list_item``), by the key of its row: the
#: session's own columns and the related fields of ``SESSION_RELATED_FIELDS``.
SESSION_ROW_FIELDS = (*(field.attname for field in Session._meta.concrete_fields), *SESSION_RELATED_FIELDS)


def session_list_rows(sessions: QuerySet[Session]) -> QuerySet[dict]:
    """A page of ``sessions`` (``session_listing``'s, filtered),
    newest first, as plain rows of ``SESSION_ROW_FIELDS``: ``session_list``'s query
    without building four model instances per session (the session, its client, practice
    and appointment) that a page then only reads a few fields of. The page's mood
    timelines come from ``session_mood_timelines`` afterwards (Django's prefetch builds a
    queryset per session, a third of a page's cost)."""
    return sessions.order_by("-started_at", "id").values(*SESSION_ROW_FIELDS)


def session_mood_timelines(*, session_ids: list[UUID]) -> dict[UUID, list[tuple[int, datetime]]]:
    """The mood timeline of each of these sessions, oldest first: one query."""
    timelines: dict[UUID, list[tuple[int, datetime]]] = {session_id: [] for session_id in session_ids}
    rows = (
        MoodReading.objects.filter(session_id__in=session_ids)
        .order_by("session_id", "recorded_at", "id")
        .values_list("session_id", "mood", "recorded_at")
    )
    for session_id, mood, recorded_at in rows:
        timelines[session_id].append((mood, recorded_at))
    return timelines


def session_get(*, actor: User, session_id: UUID, for_update: bool = False) -> Session:
    """One session the actor may read (``for_update``: locked for a change); anything else
    is a 404, exactly as if it did not exist."""
    qs = session_visible_queryset(actor=actor).select_related("client", "practice", "appointment")
    if for_update:
        qs = qs.select_for_update(of=("self",))
    session = qs.filter(pk=session_id).first()
    if session is None:
        raise NotFoundError(message=gettext("Session not found."))
    return session


def session_previous_completed(*, actor: User, client_id: UUID, before: datetime) -> Session | None:
    """The client's latest completed session with the actor that started before
    ``before`` (the digest a therapist reviews while preparing), or None."""
    return (
        session_visible_queryset(actor=actor)
        .filter(client_id=client_id, status=Session.Status.COMPLETED, started_at__lt=before)
        .select_related("practice")
        .order_by("-started_at", "id")
        .first()
    )
