"""Writes and audited reads of a client's clinical record: medical history and therapy goals.

Only the client's assigned therapist(s) may read or write them; for everyone else the client
does not exist (404). Every read and write appends its audit entry in the same transaction,
so a request that fails leaves neither the change nor the entry."""

import datetime
from collections.abc import Mapping
from typing import Any
from uuid import UUID

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext

from practice.errors import NotFoundError, ValidationFailed
from practice.models import AuditEvent, Client, User
from practice.selectors import client_get
from practice.services.audit import AuditTarget, audit_log, audit_record_view
from practice.services.common import model_update
from practice.services.records import client_record_write

from ..models import MedicalHistory, TherapyGoal
from ..selectors.records import medical_history_get, therapy_goal_list

# Audit record types (AuditEvent.record_type) of this area.
MEDICAL_HISTORY = "medical_history"
THERAPY_GOAL = "therapy_goal"
THERAPY_GOAL_LIST = "therapy_goal_list"

MEDICAL_HISTORY_FIELDS = (
    "current_medications",
    "allergies",
    "previous_therapy",
    "previous_therapy_details",
    "medical_conditions",
    "hospitalizations",
)
_GOAL_AUDITED_FIELDS = ("goal", "status", "progress", "target_date", "completed_at")


def medical_history_record_view(*, actor: User, client_id: UUID, ip_address: str | None = None) -> MedicalHistory:
    """Read the client's medical history (assigned therapists only) and audit the read.

    A client without a history yet gets an empty, unsaved one, and the read is still a read
    of their record: the entry then names the client as the record."""
    client, history = medical_history_get(actor=actor, client_id=client_id)
    audit_record_view(
        actor=actor,
        targets=[AuditTarget(MEDICAL_HISTORY, history.pk if history else client.pk, client.pk)],
        ip_address=ip_address,
    )
    return history or MedicalHistory(client=client)


def therapy_goal_list_record_view(
    *, actor: User, client_id: UUID, ip_address: str | None = None
) -> QuerySet[TherapyGoal]:
    """The client's goals (assigned therapists only), oldest first, with the read audited:
    reading a client's goals is one read of one record, the client's goal list, whatever
    page of it the caller shows."""
    client, goals = therapy_goal_list(actor=actor, client_id=client_id)
    audit_record_view(
        actor=actor, targets=[AuditTarget(THERAPY_GOAL_LIST, client.pk, client.pk)], ip_address=ip_address
    )
    return goals


@transaction.atomic
def medical_history_update(
    *, actor: User, client_id: UUID, data: Mapping[str, Any], ip_address: str | None = None
) -> MedicalHistory:
    """Write the given fields of the client's one medical history, creating it on the first
    write (``client_record_write``: locked, race-safe, audited); fields not given keep their
    value. Assigned therapists only."""
    return client_record_write(
        model=MedicalHistory,
        client=client_get(actor=actor, client_id=client_id, clinical=True),
        actor=actor,
        fields=MEDICAL_HISTORY_FIELDS,
        data=data,
        record_type=MEDICAL_HISTORY,
        ip_address=ip_address,
        stamps={"updated_by": actor},
    )


def _local_today(client: Client) -> datetime.date:
    return timezone.localdate(timezone=client.practice.tzinfo)


def _goal_clean(therapy_goal: TherapyGoal) -> None:
    # Field validation only: client and therapist were resolved by the service, and the
    # rules above keep the database's check constraints (progress range, completed = 100).
    therapy_goal.full_clean(exclude=["client", "therapist"], validate_unique=False, validate_constraints=False)


@transaction.atomic
def therapy_goal_create(
    *,
    actor: User,
    client_id: UUID,
    goal: str,
    status: str = TherapyGoal.Status.ACTIVE,
    progress: int = 0,
    target_date: datetime.date | None = None,
    ip_address: str | None = None,
) -> TherapyGoal:
    """Add a goal to the client's record, set by the actor (an assigned therapist).

    A target date must not lie in the past (in the practice's time zone); a goal created as
    completed has progress 100."""
    client = client_get(actor=actor, client_id=client_id, clinical=True)
    if target_date is not None and target_date < _local_today(client):
        raise ValidationFailed.for_field("target_date", gettext("The target date of a new goal cannot be in the past."))
    therapy_goal = TherapyGoal(
        client=client, therapist=actor, goal=goal, status=status, progress=progress, target_date=target_date
    )
    if status == TherapyGoal.Status.COMPLETED:
        therapy_goal.progress = 100
        therapy_goal.completed_at = timezone.now()
    _goal_clean(therapy_goal)
    therapy_goal.save(force_insert=True)
    audit_log(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        targets=[
            AuditTarget(
                THERAPY_GOAL,
                therapy_goal.pk,
                client.pk,
                [name for name in _GOAL_AUDITED_FIELDS if getattr(therapy_goal, name) not in (None, "")],
            )
        ],
        ip_address=ip_address,
    )
    return therapy_goal


@transaction.atomic
def therapy_goal_update(
    *, actor: User, client_id: UUID, goal_id: UUID, data: Mapping[str, Any], ip_address: str | None = None
) -> TherapyGoal:
    """Change a goal's text, status, progress or target date (any assigned therapist).

    Completing a goal sets its progress to 100 and records when; reopening it (active or
    paused) clears that time. A completed goal's progress stays 100: lowering it means
    reopening the goal first, in the same or an earlier request. The goal is locked while it
    changes, so concurrent updates apply one after the other."""
    client = client_get(actor=actor, client_id=client_id, clinical=True)
    therapy_goal = TherapyGoal.objects.select_for_update().filter(client=client, pk=goal_id).first()
    if therapy_goal is None:
        raise NotFoundError(message=gettext("Goal not found."))
    updates = {name: data[name] for name in ("goal", "progress", "target_date") if name in data}
    status = data.get("status", therapy_goal.status)
    if status != therapy_goal.status:
        updates["status"] = status
        updates["completed_at"] = timezone.now() if status == TherapyGoal.Status.COMPLETED else None
    if status == TherapyGoal.Status.COMPLETED:
        if "progress" in data and data["progress"] != 100 and therapy_goal.status == TherapyGoal.Status.COMPLETED:
            raise ValidationFailed.for_field(
                "progress", gettext("A completed goal's progress is 100; set its status to active or paused first.")
            )
        updates["progress"] = 100
    _, changed = model_update(instance=therapy_goal, fields=_GOAL_AUDITED_FIELDS, data=updates, clean=_goal_clean)
    audit_log(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        targets=[AuditTarget(THERAPY_GOAL, therapy_goal.pk, client.pk, changed)],
        ip_address=ip_address,
    )
    return therapy_goal
