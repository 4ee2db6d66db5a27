"""Audited reads of analytics: the summary of a client's session history is health data."""

from uuid import UUID

from practice.models import User
from practice.services.audit import AuditTarget, audit_record_view

from .selectors.summary import ClientSessionSummary, client_session_summary

SESSION_SUMMARY = "session_summary"


def client_session_summary_record_view(
    *, actor: User, client_id: UUID, ip_address: str | None = None
) -> ClientSessionSummary:
    """The summary of the client's session history (``client_session_summary``: assigned
    therapists only, 404 for anyone else), with the read audited. The entry is written
    last, so the practice's audit chain is locked only for the end of the transaction."""
    summary = client_session_summary(actor=actor, client_id=client_id)
    audit_record_view(actor=actor, targets=[AuditTarget(SESSION_SUMMARY, client_id, client_id)], ip_address=ip_address)
    return summary
