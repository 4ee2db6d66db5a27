"""Audited reads of the therapist workspace."""

from uuid import UUID

from practice.models import Client, User
from practice.services.audit import AuditTarget, audit_record_view

from ..selectors.surveys import client_outcome_scores
from ..selectors.workspace import therapist_client_profile_get
from .records import MEDICAL_HISTORY, THERAPY_GOAL_LIST
from .surveys import SURVEY_RESPONSE


def therapist_client_profile_record_view(*, actor: User, client_id: UUID, ip_address: str | None = None) -> Client:
    """The client profile page (assigned therapists only). It shows the client's medical
    history, active therapy goals and PHQ-9/GAD-7 scores over time (as
    ``client.outcome_scores``), so all those reads are audited, in one insert."""
    client = therapist_client_profile_get(actor=actor, client_id=client_id)
    _, client.outcome_scores = client_outcome_scores(actor=actor, client_id=client_id)
    history = getattr(client, "medical_history", None)
    audit_record_view(
        actor=actor,
        targets=[
            AuditTarget(MEDICAL_HISTORY, history.pk if history else client.pk, client.pk),
            AuditTarget(THERAPY_GOAL_LIST, client.pk, client.pk),
            *(
                AuditTarget(SURVEY_RESPONSE, score.response_id, client.pk)
                for instrument in client.outcome_scores
                for score in instrument.scores
            ),
        ],
        ip_address=ip_address,
    )
    return client
