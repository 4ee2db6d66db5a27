"""Reads of session templates."""

from uuid import UUID

from django.db.models import Q, QuerySet

from clinical.models import SessionTemplate
from practice.models import User
from practice.selectors import therapist_get


def session_template_usable_queryset(*, therapist: User) -> QuerySet[SessionTemplate]:
    """The active templates a therapist can start sessions from: their practice's
    practice-wide ones plus their own."""
    return SessionTemplate.objects.filter(practice_id=therapist.practice_id, is_active=True).filter(
        Q(therapist__isnull=True) | Q(therapist_id=therapist.pk)
    )


def session_template_list(*, actor: User, therapist_id: UUID) -> QuerySet[SessionTemplate]:
    """A therapist's usable templates, by name. A therapist may ask for themselves, staff
    for any therapist of the practice; anyone else is a 404."""
    therapist = therapist_get(actor=actor, therapist_id=therapist_id)
    return session_template_usable_queryset(therapist=therapist).order_by("name", "id")
