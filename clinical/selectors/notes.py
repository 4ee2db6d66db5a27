"""Reads of session notes. A note is readable by its author and by the client's assigned
therapists; staff, other therapists and other practices never see it (404). Deleted notes
are kept but never shown."""

from uuid import UUID

from django.db.models import Prefetch, Q, QuerySet
from django.utils.translation import gettext

from clinical.models import SessionNote
from practice.errors import NotFoundError
from practice.models import Client, User


def session_note_visible_queryset(*, actor: User) -> QuerySet[SessionNote]:
    """Notes the actor may read: not deleted, of their practice, written by them or about a
    client assigned to them. Staff: none."""
    if not actor.is_therapist:
        return SessionNote.objects.none()
    # The assigned clients are read first, as a list (sent as one array, ``__any``):
    # "author is me OR client is one of these" then combines the two note indexes
    # (author, client), where an OR with a correlated subquery would filter every note of
    # the practice.
    assigned = list(Client.therapists.through.objects.filter(user_id=actor.pk).values_list("client_id", flat=True))
    return SessionNote.objects.filter(practice_id=actor.practice_id, deleted_at__isnull=True).filter(
        Q(therapist_id=actor.pk) | Q(client_id__any=assigned)
    )


def session_note_list(*, actor: User) -> QuerySet[SessionNote]:
    """The actor's readable notes, newest session first, with the client's name (two
    queries per page; ``clinical.filters.SessionNoteFilter`` narrows it).

    The names are read afterwards for the page's notes only: joined into the page query,
    PostgreSQL joins every note the actor may read before it sorts and keeps 50, and hashes
    all the clients of every practice to do it."""
    names = Client.objects.order_by().only("id", "first_name", "last_name")  # all a note shows of its client
    return (
        session_note_visible_queryset(actor=actor)
        .prefetch_related(Prefetch("client", queryset=names))
        .order_by("-session_date", "-created_at", "id")
    )


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
