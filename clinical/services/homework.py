"""Writes of challenges and resources, and their assignment to clients.

Therapists write content, practice-wide (``is_public``) or for themselves, and assign what
they can see to their own assigned clients. Only the author changes or deletes an item;
staff may also manage practice-wide items. An item that was ever assigned is hidden, not
removed, so the client's assignments keep it. A client has at most one open (assigned or
in progress) assignment per item: the database's partial unique index enforces it under
any concurrency. Every assignment is in the audit trail."""

import datetime
from collections.abc import Mapping
from typing import Any
from uuid import UUID

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext

from practice.errors import ConflictError, PermissionDeniedError, ValidationFailed
from practice.models import AuditEvent, Client, User
from practice.selectors import client_clinical_queryset
from practice.services.audit import AuditTarget, audit_log
from practice.services.common import model_update

from ..errors import ClinicalError, HomeworkError
from ..models import AssignmentStatus, Challenge, ChallengeAssignment, Resource, ResourceAssignment, Session
from ..selectors.homework import challenge_get, resource_get
from ..selectors.sessions import session_visible_queryset

CHALLENGE_ASSIGNMENT = "challenge_assignment"
RESOURCE_ASSIGNMENT = "resource_assignment"

#: How far back a start or due date may lie: the frontend computes dates in UTC, up to a
#: day behind the practice's calendar.
DATE_SLACK = datetime.timedelta(days=1)
MAX_AHEAD = datetime.timedelta(days=366)

CHALLENGE_FIELDS = (
    "title",
    "description",
    "category",
    "difficulty",
    "duration_days",
    "duration_minutes",
    "frequency_per_week",
    "total_weeks",
    "target_value",
    "target_unit",
    "is_public",
    "instructions",
    "tips",
    "milestones",
    "rewards",
)
RESOURCE_FIELDS = (
    "title",
    "description",
    "short_description",
    "type",
    "category",
    "content_body",
    "content_url",
    "duration_minutes",
    "difficulty",
    "tags",
    "is_public",
    "status",
)


def _therapist_only(actor: User) -> None:
    if not actor.is_therapist:
        raise PermissionDeniedError(
            ClinicalError.THERAPISTS_ONLY, gettext("Only therapists write and assign this content.")
        )


def _may_manage(actor: User, item: Challenge | Resource) -> None:
    """The author, or staff for a practice-wide item (the caller can already see it)."""
    if item.author_id == actor.pk or (actor.is_practice_staff and item.is_public):
        return
    raise PermissionDeniedError(HomeworkError.NOT_AUTHOR, gettext("Only its author may change or delete this."))


def _clean(item) -> None:
    item.full_clean(exclude=["practice", "author"], validate_unique=False, validate_constraints=False)


@transaction.atomic
def challenge_create(*, actor: User, data: Mapping[str, Any]) -> Challenge:
    """A therapist writes a challenge (``data``: the fields of ``CHALLENGE_FIELDS``; missing
    ones take the model's defaults). Staff: 403."""
    _therapist_only(actor)
    challenge = Challenge(
        practice_id=actor.practice_id, author=actor, **{k: v for k, v in data.items() if k in CHALLENGE_FIELDS}
    )
    _clean(challenge)
    challenge.save(force_insert=True)
    return challenge


@transaction.atomic
def resource_create(*, actor: User, data: Mapping[str, Any]) -> Resource:
    """A therapist writes a resource (``data``: the fields of ``RESOURCE_FIELDS``). A URL is
    stored as given (http or https only) and never fetched. Staff: 403."""
    _therapist_only(actor)
    resource = Resource(
        practice_id=actor.practice_id, author=actor, **{k: v for k, v in data.items() if k in RESOURCE_FIELDS}
    )
    _clean(resource)
    resource.save(force_insert=True)
    return resource


@transaction.atomic
def resource_update(*, actor: User, resource_id: UUID, data: Mapping[str, Any]) -> Resource:
    """Change the given fields of a resource (its author, or staff for a practice-wide one:
    403 for others who see it, 404 for those who do not)."""
    resource = resource_get(actor=actor, resource_id=resource_id, for_update=True)
    _may_manage(actor, resource)
    resource, _ = model_update(instance=resource, fields=RESOURCE_FIELDS, data=data, clean=_clean)
    return resource


def _delete(*, actor: User, item: Challenge | Resource) -> bool:
    _may_manage(actor, item)
    if item.assignments.exists():
        item.deleted_at = timezone.now()
        item.save(update_fields=["deleted_at", "updated_at"])
        return True
    item.delete()
    return False


@transaction.atomic
def challenge_delete(*, actor: User, challenge_id: UUID) -> bool:
    """Delete a challenge (its author, or staff for a practice-wide one). One that was ever
    assigned is hidden instead of removed; returns whether it was only hidden."""
    return _delete(actor=actor, item=challenge_get(actor=actor, challenge_id=challenge_id, for_update=True))


@transaction.atomic
def resource_delete(*, actor: User, resource_id: UUID) -> bool:
    """Delete a resource, as ``challenge_delete``."""
    return _delete(actor=actor, item=resource_get(actor=actor, resource_id=resource_id, for_update=True))


def _local_today(actor: User) -> datetime.date:
    return timezone.localdate(timezone=actor.practice.tzinfo)


def _check_date(field: str, value: datetime.date | None, today: datetime.date) -> None:
    if value is None:
        return
    if value < today - DATE_SLACK:
        raise ValidationFailed.for_field(field, gettext("The date cannot be in the past."))
    if value > today + MAX_AHEAD:
        raise ValidationFailed.for_field(field, gettext("The date must be within a year."))


def _assignee(*, actor: User, client_id: UUID, session_id: UUID | None) -> tuple[Client, Session | None]:
    """The client (one of the actor's assigned clients) and the session the assignment is
    made in (one of the actor's, with that client), both as given in the body (400)."""
    client = client_clinical_queryset(actor=actor).filter(pk=client_id).first()
    if client is None:
        raise ValidationFailed.for_field("client_id", gettext("No such client among your clients."))
    session = None
    if session_id is not None:
        session = session_visible_queryset(actor=actor).filter(pk=session_id, client_id=client.pk).first()
        if session is None:
            raise ValidationFailed.for_field("session_id", gettext("No such session of yours with this client."))
    return client, session


def _insert_open(assignment, *, existing_filter: Mapping[str, Any], record_type: str, ip_address: str | None):
    model = type(assignment)
    open_ones = model.objects.filter(status__in=[AssignmentStatus.ASSIGNED, AssignmentStatus.IN_PROGRESS])
    conflict = ConflictError(
        HomeworkError.ALREADY_ASSIGNED,
        gettext("The client already has this open (assigned or in progress)."),
    )
    existing = open_ones.filter(**existing_filter).first()
    if existing is not None:
        conflict.data = {"assignment_id": str(existing.pk), "status": existing.status}
        raise conflict
    try:
        with transaction.atomic():
            assignment.save(force_insert=True)
    except IntegrityError:
        # A concurrent request assigned it first: the partial unique index said no.
        raise conflict from None
    audit_log(
        actor=assignment.therapist,
        action=AuditEvent.Action.CREATE,
        targets=[AuditTarget(record_type, assignment.pk, assignment.client_id, ("status", "due_date"))],
        ip_address=ip_address,
    )
    return assignment


@transaction.atomic
def challenge_assign(
    *,
    actor: User,
    challenge_id: UUID,
    client_id: UUID,
    start_date: datetime.date | None = None,
    custom_instructions: str = "",
    session_id: UUID | None = None,
    ip_address: str | None = None,
) -> ChallengeAssignment:
    """Assign a challenge the actor can see to one of their clients, starting on
    ``start_date`` (default today, practice time) and due after its duration. Therapists
    only (403); a client not assigned to the actor is a 400; an open assignment of the same
    challenge to the client is a 409 ``already_assigned``."""
    challenge = challenge_get(actor=actor, challenge_id=challenge_id)
    _therapist_only(actor)
    client, session = _assignee(actor=actor, client_id=client_id, session_id=session_id)
    today = _local_today(actor)
    _check_date("start_date", start_date, today)
    start = start_date or today
    assignment = ChallengeAssignment(
        practice_id=actor.practice_id,
        challenge=challenge,
        client=client,
        therapist=actor,
        session=session,
        start_date=start,
        due_date=start + datetime.timedelta(days=challenge.duration_days),
        custom_instructions=custom_instructions,
    )
    assignment.full_clean(
        exclude=["practice", "challenge", "client", "therapist", "session"],
        validate_unique=False,
        validate_constraints=False,
    )
    return _insert_open(
        assignment,
        existing_filter={"challenge": challenge, "client": client},
        record_type=CHALLENGE_ASSIGNMENT,
        ip_address=ip_address,
    )


@transaction.atomic
def resource_assign(
    *,
    actor: User,
    resource_id: UUID,
    client_id: UUID,
    due_date: datetime.date | None = None,
    priority: str = ResourceAssignment.Priority.NORMAL,
    notes: str = "",
    session_id: UUID | None = None,
    ip_address: str | None = None,
) -> ResourceAssignment:
    """Assign a published resource the actor can see to one of their clients, optionally
    due on ``due_date``. A draft or archived resource is a 409 ``not_assignable``; otherwise
    the rules of ``challenge_assign``."""
    resource = resource_get(actor=actor, resource_id=resource_id)
    _therapist_only(actor)
    if resource.status != Resource.Status.PUBLISHED:
        raise ConflictError(
            HomeworkError.NOT_ASSIGNABLE,
            gettext("A %(status)s resource cannot be assigned.") % {"status": resource.status},
        )
    client, session = _assignee(actor=actor, client_id=client_id, session_id=session_id)
    _check_date("due_date", due_date, _local_today(actor))
    assignment = ResourceAssignment(
        practice_id=actor.practice_id,
        resource=resource,
        client=client,
        therapist=actor,
        session=session,
        due_date=due_date,
        priority=priority,
        notes=notes,
    )
    assignment.full_clean(
        exclude=["practice", "resource", "client", "therapist", "session"],
        validate_unique=False,
        validate_constraints=False,
    )
    return _insert_open(
        assignment,
        existing_filter={"resource": resource, "client": client},
        record_type=RESOURCE_ASSIGNMENT,
        ip_address=ip_address,
    )


#: Which assignment status may follow which.
NEXT_STATUSES = {
    AssignmentStatus.ASSIGNED: {AssignmentStatus.IN_PROGRESS, AssignmentStatus.COMPLETED},
    AssignmentStatus.IN_PROGRESS: {AssignmentStatus.COMPLETED},
    AssignmentStatus.COMPLETED: set(),
}


@transaction.atomic
def assignment_set_status(
    *, assignment: ChallengeAssignment | ResourceAssignment, status: str
) -> ChallengeAssignment | ResourceAssignment:
    """Move an assignment forward: assigned -> in progress -> completed (completing records
    when). Anything else is a 409 ``invalid_assignment_transition``. For the client's progress
    (the client portal to come) and the admin."""
    if status not in NEXT_STATUSES[assignment.status]:
        raise ConflictError(
            HomeworkError.INVALID_ASSIGNMENT_TRANSITION,
            gettext("An assignment that is %(status)s cannot become %(new_status)s.")
            % {"status": assignment.status, "new_status": status},
        )
    assignment.status = status
    assignment.completed_at = timezone.now() if status == AssignmentStatus.COMPLETED else None
    assignment.save(update_fields=["status", "completed_at", "updated_at"])
    return assignment
