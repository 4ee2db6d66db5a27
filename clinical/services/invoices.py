"""Invoicing a clinical session: the session page's generate-invoice call, handed to
scheduling, where invoices live."""

from uuid import UUID

from django.db import transaction
from django.utils.translation import gettext

from clinical.selectors.sessions import session_get
from practice.errors import ConflictError, ValidationFailed
from practice.models import User
from scheduling.errors import SchedulingError
from scheduling.models import Invoice
from scheduling.services.invoices import invoice_create_for_appointment


@transaction.atomic
def session_invoice_create(
    *,
    actor: User,
    session_id: UUID,
    appointment_id: UUID | None = None,
    client_id: UUID | None = None,
    send: bool = False,
    ip_address: str | None = None,
) -> Invoice:
    """Invoice one of the actor's sessions (anyone else's: 404) through its appointment
    (``invoice_create_for_appointment``: completed only, once, numbered without gaps). An
    ``appointment_id`` or ``client_id`` sent along must be the session's own (400)."""
    session = session_get(actor=actor, session_id=session_id)
    if session.appointment_id is None:
        raise ConflictError(
            SchedulingError.INVOICE_NOT_BILLABLE, gettext("This session has no appointment to invoice.")
        )
    if appointment_id is not None and appointment_id != session.appointment_id:
        raise ValidationFailed.for_field("appointment_id", gettext("This is not the session's appointment."))
    if client_id is not None and client_id != session.client_id:
        raise ValidationFailed.for_field("client_id", gettext("This is not the session's client."))
    return invoice_create_for_appointment(
        actor=actor, appointment_id=session.appointment_id, send=send, ip_address=ip_address
    )
