"""Writes of clinical sessions: start from an appointment, record progress, end. Each
one moves the appointment through its state machine and writes an audit entry."""

from collections.abc import Iterable, Sequence
from uuid import UUID

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext

from clinical.errors import ClinicalError
from clinical.models import MoodReading, Session, SessionTemplate
from clinical.selectors.sessions import session_get
from clinical.selectors.templates import session_template_usable_queryset
from practice.errors import ConflictError, NotFoundError, PermissionDeniedError, ValidationFailed
from practice.models import AuditEvent, User
from practice.selectors import client_clinical_queryset
from practice.services.audit import AuditTarget, audit_log, audit_record_view
from practice.services.common import model_update
from scheduling.models import Appointment
from scheduling.selectors.appointments import appointment_get
from scheduling.services.appointments import appointment_set_status, appointment_transition_check

RECORD_TYPE = "session"


def _merge(*lists: Iterable[str]) -> list[str]:
    """Concatenate, dropping case-insensitive repeats and keeping the first spelling."""
    seen: set[str] = set()
    merged = []
    for items in lists:
        for item in items:
            key = item.strip().casefold()
            if key and key not in seen:
                seen.add(key)
                merged.append(item.strip())
    return merged


def _validate(session: Session) -> None:
    # Field validators (mood 1-10, JSON lists) run here. The related rows come from scoped
    # lookups, and the database enforces the foreign keys and check constraints anyway, so
    # full_clean is spared a query for each of them.
    session.full_clean(
        exclude=["practice", "appointment", "therapist", "client", "template"],
        validate_unique=False,
        validate_constraints=False,
    )


def _not_in_progress(session: Session) -> ConflictError:
    return ConflictError(
        ClinicalError.SESSION_NOT_IN_PROGRESS,
        gettext("This session has ended; it can no longer change."),
        data={"session_id": str(session.pk), "status": session.status},
    )


def _usable_template(*, actor: User, template_id: UUID) -> SessionTemplate:
    template = session_template_usable_queryset(therapist=actor).filter(pk=template_id).first()
    if template is None:
        raise ValidationFailed.for_field("template_id", gettext("No such template."))
    return template


@transaction.atomic
def session_start(
    *,
    actor: User,
    appointment_id: UUID,
    initial_mood: int | None = None,
    session_goals: Sequence[str] = (),
    client_concerns: Sequence[str] = (),
    template_id: UUID | None = None,
    client_present: bool | None = None,
    location: str = "",
    initial_notes: str = "",
    ip_address: str | None = None,
) -> Session:
    """Start the clinical session of one of the actor's own appointments.

    The appointment must be scheduled or confirmed (409 ``invalid_status_transition``)
    and have no session yet (409 ``session_already_started``); its client must still be
    assigned to the actor (403). A template (practice-wide or the actor's own) pre-fills
    the goals and techniques. The appointment becomes in progress."""
    if not actor.is_therapist:
        raise NotFoundError(message=gettext("Appointment not found."))
    appointment = appointment_get(actor=actor, appointment_id=appointment_id, for_update=True)
    existing = Session.objects.filter(appointment=appointment).values_list("pk", flat=True).first()
    if existing is not None:
        raise ConflictError(
            ClinicalError.SESSION_ALREADY_STARTED,
            gettext("A session was already started for this appointment."),
            data={"session_id": str(existing), "appointment_id": str(appointment.pk)},
        )
    appointment_transition_check(appointment=appointment, to_status=Appointment.Status.IN_PROGRESS)
    if not client_clinical_queryset(actor=actor).filter(pk=appointment.client_id).exists():
        raise PermissionDeniedError(
            ClinicalError.CLIENT_NOT_ASSIGNED, gettext("The client is no longer assigned to you.")
        )
    template = _usable_template(actor=actor, template_id=template_id) if template_id else None
    session = Session(
        practice_id=appointment.practice_id,
        appointment=appointment,
        therapist=actor,
        client_id=appointment.client_id,
        template=template,
        status=Session.Status.IN_PROGRESS,
        started_at=timezone.now(),
        mood_start=initial_mood,
        mood_current=initial_mood,
        session_goals=_merge(template.default_goals if template else (), session_goals),
        client_concerns=_merge(client_concerns),
        techniques_used=_merge(template.common_techniques if template else ()),
        client_present=client_present,
        location=location,
        initial_notes=initial_notes,
    )
    _validate(session)
    try:
        with transaction.atomic():
            session.save()
    except IntegrityError as exc:
        # A concurrent start of the same appointment won the one-to-one rule.
        raise ConflictError(
            ClinicalError.SESSION_ALREADY_STARTED, gettext("A session was already started for this appointment.")
        ) from exc
    appointment_set_status(appointment=appointment, to_status=Appointment.Status.IN_PROGRESS)
    audit_log(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        targets=[AuditTarget(RECORD_TYPE, session.pk, session.client_id)],
        ip_address=ip_address,
    )
    return session


#: Progress fields the caller may send; any subset.
PROGRESS_FIELDS = (
    "progress_notes",
    "goals_discussed",
    "client_mood_current",
    "techniques_used",
    "interventions_applied",
)


@transaction.atomic
def session_update_progress(*, actor: User, session_id: UUID, changes: dict, ip_address: str | None = None) -> Session:
    """Record progress of a session in progress (409 ``session_not_in_progress`` once it
    has ended). Only the fields sent change; each ``client_mood_current`` also appends a
    timestamped mood reading, so the session keeps its mood timeline."""
    unknown = set(changes) - set(PROGRESS_FIELDS)
    if unknown:
        raise ValueError(f"Not progress fields: {sorted(unknown)}")
    session = session_get(actor=actor, session_id=session_id, for_update=True)
    if session.status != Session.Status.IN_PROGRESS:
        raise _not_in_progress(session)
    data = {("mood_current" if name == "client_mood_current" else name): value for name, value in changes.items()}
    _, changed = model_update(instance=session, fields=list(data), data=data, clean=_validate)
    if changes.get("client_mood_current") is not None:
        MoodReading.objects.create(session=session, mood=changes["client_mood_current"], recorded_at=timezone.now())
    audit_log(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        targets=[AuditTarget(RECORD_TYPE, session.pk, session.client_id, changed)],
        ip_address=ip_address,
    )
    return session


@transaction.atomic
def session_end(
    *,
    actor: User,
    session_id: UUID,
    mood_end: int | None = None,
    progress_notes: str | None = None,
    homework_assigned: str | None = None,
    summary: str | None = None,
    next_session_goals: str | None = None,
    goals_discussed: str | None = None,
    techniques_used: Sequence[str] | None = None,
    ip_address: str | None = None,
) -> Session:
    """End a session in progress (409 ``session_not_in_progress`` otherwise): it becomes
    completed with its end time, and its appointment completed. What is given (end mood,
    notes, homework, summary, next goals, goals discussed, techniques) is stored with it."""
    session = session_get(actor=actor, session_id=session_id, for_update=True)
    if session.status != Session.Status.IN_PROGRESS:
        raise _not_in_progress(session)
    given = {
        "mood_end": mood_end,
        "progress_notes": progress_notes,
        "homework_assigned": homework_assigned,
        "summary": summary,
        "next_session_goals": next_session_goals,
        "goals_discussed": goals_discussed,
        "techniques_used": _merge(techniques_used) if techniques_used is not None else None,
    }
    data = {
        "status": Session.Status.COMPLETED,
        "ended_at": timezone.now(),
        **{name: value for name, value in given.items() if value is not None},
    }
    _, changed = model_update(instance=session, fields=list(data), data=data, clean=_validate)
    if session.appointment_id is not None:
        appointment = appointment_get(actor=actor, appointment_id=session.appointment_id, for_update=True)
        appointment_set_status(appointment=appointment, to_status=Appointment.Status.COMPLETED)
    audit_log(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        targets=[AuditTarget(RECORD_TYPE, session.pk, session.client_id, changed)],
        ip_address=ip_address,
    )
    return session


def session_record_views(*, actor: User, shown: Iterable[tuple[UUID, UUID]], ip_address: str | None = None) -> None:
    """Audit that the actor read these sessions, given as (session id, client id) of each
    one shown (the page the view shows, read through ``clinical.selectors.sessions``): one
    entry naming every session and client shown."""
    audit_record_view(
        actor=actor,
        targets=[AuditTarget(RECORD_TYPE, session_id, client_id) for session_id, client_id in shown],
        ip_address=ip_address,
    )
