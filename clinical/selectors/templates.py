"""Reads of session templates."""

from uuid import UUID

from django.db.models import Q, QuerySet

from clinical.models import SessionTemplate
from practice.models import User
from practice.selectors import therapist_get


def session_template_list(*, actor: User, therapist_id: UUID) -> QuerySet[SessionTemplate]:
    """The active templates a therapist can start sessions from: the practice-wide ones
    plus their own. A therapist may ask for themselves, staff for any therapist of the
    practice; anyone else is a 404."""
    therapist = therapist_get(actor=actor, therapist_id=therapist_id)
    return (
        SessionTemplate.objects.filter(practice_id=therapist.practice_id, is_active=True)
        .filter(Q(therapist__isnull=True) | Q(therapist_id=therapist.pk))
        .order_by("name", "id")
    )
