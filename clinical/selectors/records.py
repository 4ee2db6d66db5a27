"""Reads of a client's clinical record: medical history and therapy goals.

Only the client's assigned therapist(s) may read them; for everyone else the client does
not exist (404). The API reads them through the audited ``*_record_view`` services of
``clinical.services.records``."""

from uuid import UUID

from django.db.models import QuerySet
from django.utils.translation import gettext

from practice.errors import NotFoundError
from practice.models import Client, User
from practice.selectors import client_clinical_queryset, client_get

from ..models import MedicalHistory, TherapyGoal


def medical_history_get(*, actor: User, client_id: UUID) -> tuple[Client, MedicalHistory | None]:
    """The client (assigned therapist only) and their medical history, or ``None`` when
    none has been written yet. One query."""
    client = (
        client_clinical_queryset(actor=actor).select_related("practice", "medical_history").filter(pk=client_id).first()
    )
    if client is None:
        raise NotFoundError(message=gettext("Client not found."))
    return client, getattr(client, "medical_history", None)


def therapy_goal_list(*, actor: User, client_id: UUID) -> tuple[Client, QuerySet[TherapyGoal]]:
    """The client (assigned therapist only) and their goals, oldest first. Goals set by any
    of the client's therapists are included: the record belongs to the client."""
    client = client_get(actor=actor, client_id=client_id, clinical=True)
    return client, TherapyGoal.objects.filter(client=client).order_by("created_at", "id")
