"""Writes of session notes: create, edit (keeping the previous version) and delete
(hiding, never erasing). Every read and write is audited in the same transaction."""

import datetime
from collections.abc import Iterable, Mapping
from typing import Any
from uuid import UUID

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from clinical.errors import ClinicalError
from clinical.models import Session, SessionNote, SessionNoteVersion
from clinical.models.notes import CONTENT_FIELDS
from clinical.selectors.notes import session_note_get
from clinical.selectors.sessions import session_visible_queryset
from practice.errors import ConflictError, NotFoundError, PermissionDeniedError, ValidationFailed
from practice.models import AuditEvent, Client, User
from practice.selectors import client_clinical_queryset
from practice.services.audit import AuditTarget, audit_log
from scheduling.models import Appointment
from scheduling.selectors.appointments import appointment_visible_queryset

RECORD_TYPE = "session_note"

#: Fields the caller may set (``client_id``, ``session_id``, ``appointment_id`` are resolved
#: to scoped rows first).
EDITABLE_FIELDS = tuple(name for name in CONTENT_FIELDS if name not in ("client_id", "session_id", "appointment_id"))
#: Set from scoped lookups, so ``full_clean`` need not look them up again.
RELATED_FIELDS = ["practice", "therapist", "client", "session", "appointment", "deleted_by"]


def _validate(note: SessionNote) -> None:
    note.full_clean(exclude=RELATED_FIELDS, validate_unique=False, validate_constraints=False)


def _target(note: SessionNote, changed: Iterable[str] = ()) -> AuditTarget:
    return AuditTarget(RECORD_TYPE, note.pk, note.client_id, tuple(changed))


def _client(*, actor: User, client_id: UUID) -> Client:
    client = client_clinical_queryset(actor=actor).filter(pk=client_id).first()
    if client is None:
        raise ValidationFailed.for_field("client_id", gettext("No such client among your assigned clients."))
    return client


def _session(*, actor: User, session_id: UUID, client: Client) -> Session:
    session = session_visible_queryset(actor=actor).filter(pk=session_id).first()
    if session is None:
        raise ValidationFailed.for_field("session_id", gettext("No such session among yours."))
    if session.client_id != client.pk:
        raise ValidationFailed.for_field("session_id", gettext("The session is of another client."))
    return session


def _appointment(*, actor: User, appointment_id: UUID, client: Client) -> Appointment:
    appointment = appointment_visible_queryset(actor=actor).filter(pk=appointment_id).first()
    if appointment is None:
        raise ValidationFailed.for_field("appointment_id", gettext("No such appointment among yours."))
    if appointment.client_id != client.pk:
        raise ValidationFailed.for_field("appointment_id", gettext("The appointment is of another client."))
    return appointment


def _links(*, actor: User, client: Client, session_id: UUID | None, appointment_id: UUID | None):
    """The note's session and appointment, checked to be the actor's and of the client. A
    note tied to a session is tied to that session's appointment too."""
    session = _session(actor=actor, session_id=session_id, client=client) if session_id else None
    appointment = _appointment(actor=actor, appointment_id=appointment_id, client=client) if appointment_id else None
    if session is not None and session.appointment_id is not None:
        if appointment is not None and appointment.pk != session.appointment_id:
            raise ValidationFailed.for_field("appointment_id", gettext("The session belongs to another appointment."))
        return session, session.appointment_id
    return session, appointment.pk if appointment else None


@transaction.atomic
def session_note_create(
    *,
    actor: User,
    client_id: UUID,
    session_date: datetime.date,
    session_id: UUID | None = None,
    appointment_id: UUID | None = None,
    data: Mapping[str, Any],
    ip_address: str | None = None,
) -> SessionNote:
    """Write a note about one of the actor's assigned clients (400 otherwise), optionally
    tied to one of the actor's sessions or appointments of that client. The actor is the
    author. Audited."""
    if not actor.is_therapist:
        raise NotFoundError(message=gettext("Client not found."))
    client = _client(actor=actor, client_id=client_id)
    session, linked_appointment_id = _links(
        actor=actor, client=client, session_id=session_id, appointment_id=appointment_id
    )
    note = SessionNote(
        practice_id=actor.practice_id,
        therapist=actor,
        client=client,
        session=session,
        appointment_id=linked_appointment_id,
        session_date=session_date,
        **{name: value for name, value in data.items() if name in EDITABLE_FIELDS and name != "session_date"},
    )
    _validate(note)
    note.save(force_insert=True)
    audit_log(actor=actor, action=AuditEvent.Action.CREATE, targets=[_target(note)], ip_address=ip_address)
    return note


def _content(note: SessionNote) -> dict[str, Any]:
    content = {}
    for name in CONTENT_FIELDS:
        value = getattr(note, name)
        content[name] = str(value) if isinstance(value, UUID | datetime.date) else value
    return content


def _own_and_open(*, actor: User, note: SessionNote, action: str) -> None:
    if note.therapist_id != actor.pk:
        raise PermissionDeniedError(
            ClinicalError.SESSION_NOTE_NOT_AUTHOR,
            gettext("Only the note's author may update it.")
            if action == "update"
            else gettext("Only the note's author may delete it."),
        )
    if note.is_locked:
        raise ConflictError(
            ClinicalError.SESSION_NOTE_LOCKED,
            gettext("This note is locked; it cannot be updated.")
            if action == "update"
            else gettext("This note is locked; it cannot be deleted."),
        )


@transaction.atomic
def session_note_update(
    *, actor: User, note_id: UUID, changes: Mapping[str, Any], ip_address: str | None = None
) -> SessionNote:
    """Edit a note: its author only (403 for the client's other therapists), not once it is
    locked (409). Only the fields given change; the client cannot change. The note's row is
    locked, so concurrent edits apply one after the other, and before an edit that changes
    anything its previous content is kept as a ``SessionNoteVersion`` (numbered, unique per
    note). Audited with the names of the changed fields."""
    note = session_note_get(actor=actor, note_id=note_id, for_update=True)
    _own_and_open(actor=actor, note=note, action="update")
    if "client_id" in changes and changes["client_id"] != note.client_id:
        raise ValidationFailed.for_field(
            "client_id", gettext("A note stays with its client; write a new note instead.")
        )
    previous = _content(note)
    if "session_id" in changes or "appointment_id" in changes:
        session, appointment_id = _links(
            actor=actor,
            client=note.client,
            session_id=changes.get("session_id", note.session_id),
            appointment_id=changes.get("appointment_id", note.appointment_id),
        )
        note.session, note.appointment_id = session, appointment_id
    for name in EDITABLE_FIELDS:
        if name in changes:
            setattr(note, name, changes[name])
    changed = [name for name, value in _content(note).items() if value != previous[name]]
    if changed:
        _validate(note)
        SessionNoteVersion.objects.create(
            note=note, version=note.version, content=previous, edited_by=actor, replaced_at=timezone.now()
        )
        note.version += 1
        note.save()
    audit_log(actor=actor, action=AuditEvent.Action.UPDATE, targets=[_target(note, changed)], ip_address=ip_address)
    return note


@transaction.atomic
def session_note_delete(*, actor: User, note_id: UUID, ip_address: str | None = None) -> SessionNote:
    """Delete a note as the law allows: hidden from every list and read from now on, but
    kept with its versions (a treatment record is kept for twenty years). Its author only
    (403 for the client's other therapists); not a locked note (409). Audited."""
    note = session_note_get(actor=actor, note_id=note_id, for_update=True)
    _own_and_open(actor=actor, note=note, action="delete")
    note.deleted_at = timezone.now()
    note.deleted_by = actor
    note.save(update_fields=["deleted_at", "deleted_by", "updated_at"])
    audit_log(
        actor=actor,
        action=AuditEvent.Action.DELETE,
        targets=[_target(note, ["deleted_at"])],
        ip_address=ip_address,
    )
    return note


def session_note_record_views(
    *, actor: User, shown: Iterable[tuple[UUID, UUID]], ip_address: str | None = None
) -> None:
    """Audit that the actor read these notes (``shown``: each note's id and its client's):
    one entry naming every note and client shown."""
    audit_log(
        actor=actor,
        action=AuditEvent.Action.VIEW,
        targets=[AuditTarget(RECORD_TYPE, note_id, client_id) for note_id, client_id in shown],
        ip_address=ip_address,
    )
