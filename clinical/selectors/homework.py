"""Reads of challenges and resources.

A therapist sees the practice-wide content of their practice and their own; staff see the
practice-wide content. Deleted (hidden) content is gone for everyone. The counts of
assignments are of the caller's own assignments (staff: the practice's)."""

from uuid import UUID

from django.db.models import Count, Model, Q, QuerySet
from django.utils.translation import gettext

from practice.errors import NotFoundError
from practice.models import User

from ..models import AssignmentStatus, Challenge, Resource


def _visible(model: type[Model], *, actor: User) -> QuerySet:
    return model.objects.filter(practice_id=actor.practice_id, deleted_at__isnull=True).filter(
        Q(is_public=True) | Q(author_id=actor.pk)
    )


def _with_counts(qs: QuerySet, *, actor: User) -> QuerySet:
    mine = Q() if actor.is_practice_staff else Q(assignments__therapist_id=actor.pk)
    return qs.select_related("author").annotate(
        assigned_count=Count("assignments", filter=mine, distinct=True),
        active_count=Count(
            "assignments",
            filter=mine & Q(assignments__status__in=[AssignmentStatus.ASSIGNED, AssignmentStatus.IN_PROGRESS]),
            distinct=True,
        ),
        completed_count=Count(
            "assignments", filter=mine & Q(assignments__status=AssignmentStatus.COMPLETED), distinct=True
        ),
        started_count=Count(
            "assignments",
            filter=mine & Q(assignments__status__in=[AssignmentStatus.IN_PROGRESS, AssignmentStatus.COMPLETED]),
            distinct=True,
        ),
    )


def challenge_list(*, actor: User) -> QuerySet[Challenge]:
    """The challenges the actor may use, newest first, with their author and assignment
    counts (one query per page)."""
    return _with_counts(_visible(Challenge, actor=actor), actor=actor).order_by("-created_at", "id")


def challenge_get(*, actor: User, challenge_id: UUID, for_update: bool = False) -> Challenge:
    """One challenge the actor may see; anything else is a 404."""
    qs = _visible(Challenge, actor=actor)
    if for_update:
        qs = qs.select_for_update()
    challenge = qs.filter(pk=challenge_id).first()
    if challenge is None:
        raise NotFoundError(message=gettext("Challenge not found."))
    return challenge


def resource_list(*, actor: User) -> QuerySet[Resource]:
    """The resources the actor may use, newest first, with their author and assignment
    counts (one query per page)."""
    return _with_counts(_visible(Resource, actor=actor), actor=actor).order_by("-created_at", "id")


def resource_get(*, actor: User, resource_id: UUID, for_update: bool = False) -> Resource:
    """One resource the actor may see; anything else is a 404."""
    qs = _visible(Resource, actor=actor)
    if for_update:
        qs = qs.select_for_update()
    resource = qs.filter(pk=resource_id).first()
    if resource is None:
        raise NotFoundError(message=gettext("Resource not found."))
    return resource


def homework_with_counts(*, actor: User, item: Challenge | Resource) -> Challenge | Resource:
    """``item`` read again with the list's annotations (for the answer of a write)."""
    return _with_counts(type(item).objects.filter(pk=item.pk), actor=actor).get()
