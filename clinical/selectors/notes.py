"""Reads of session notes. A note is readable by its author and by the client's assigned
therapists; staff, other therapists and other practices never see it (404). Deleted notes
are kept but never shown."""

from uuid import UUID

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext

from clinical.models import SessionNote
from practice.errors import NotFoundError
from practice.models import Client, User


def session_note_visible_queryset(*, actor: User) -> QuerySet[SessionNote]:
    """Notes the actor may read: not deleted, of their practice, written by them or about a
    client assigned to them. Staff: none."""
    if not actor.is_therapist:
        return SessionNote.objects.none()
    # Read as "written by me, or about a client of mine whom someone else wrote about too",
    # the same notes: the second part is empty unless a client is shared, so a page is
    # read in the order of note_therapist_recent_idx and stops after its rows. Those
    # clients are read first (from note_client_author_recent_idx alone); "or about any
    # client of mine" would combine two indexes and read and sort every note there is.
    others_wrote = SessionNote.objects.filter(client_id=OuterRef("client_id"), deleted_at__isnull=True).exclude(
        therapist_id=actor.pk
    )
    shared = list(
        Client.therapists.through.objects.filter(user_id=actor.pk)
        .filter(Exists(others_wrote))
        .values_list("client_id", flat=True)
    )
    readable = Q(therapist_id=actor.pk)
    if shared:
        readable |= Q(client_id__any=shared)
    return SessionNote.objects.filter(readable, practice_id=actor.practice_id, deleted_at__isnull=True)


def session_note_list(*, actor: User) -> QuerySet[SessionNote]:
    """The actor's readable notes, newest session first (``clinical.filters.SessionNoteFilter``
    narrows it; pages read ``session_note_list_rows``)."""
    return session_note_visible_queryset(actor=actor).order_by("-session_date", "-created_at", "id")


#: What a listed note shows (``session_note_list_item``): its own columns and its client's name.
SESSION_NOTE_ROW_FIELDS = (
    *(field.attname for field in SessionNote._meta.concrete_fields),
    "client__first_name",
    "client__last_name",
)


def session_note_list_rows(notes: QuerySet[SessionNote]) -> QuerySet[dict]:
    """A page of ``notes`` (``session_note_list``'s, filtered), newest session first, as
    plain rows of ``SESSION_NOTE_ROW_FIELDS``, the client's name joined (one query per
    page): no note and client instances built for 50 rows.

    Read in the order of note_therapist_recent_idx: PostgreSQL stops after the page and
    joins only its notes to their clients. With a shared client (see
    ``session_note_visible_queryset``) it joins every readable note, then sorts them."""
    return notes.order_by("-session_date", "-created_at", "id").values(*SESSION_NOTE_ROW_FIELDS)


def session_note_get(*, actor: User, note_id: UUID, for_update: bool = False) -> SessionNote:
    """One note the actor may read (``for_update``: locked until the transaction ends);
    anything else is a 404, exactly as if it did not exist."""
    qs = session_note_visible_queryset(actor=actor).select_related("client")
    if for_update:
        qs = qs.select_for_update(of=("self",))
    note = qs.filter(pk=note_id).first()
    if note is None:
        raise NotFoundError(message=gettext("Session note not found."))
    return note
