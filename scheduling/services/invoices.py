"""Invoicing: one invoice per completed session or no-show fee, numbered per practice and
year without gaps; draft -> sent -> paid."""

import datetime
from decimal import ROUND_HALF_UP, Decimal
from uuid import UUID

from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext

from practice.errors import ConflictError, ValidationFailed
from practice.i18n import client_language
from practice.models import AuditEvent, Practice, User
from practice.services.audit import AuditTarget, audit_log
from scheduling.errors import SchedulingError
from scheduling.models import (
    Appointment,
    BillingSettings,
    Invoice,
    InvoiceItem,
    InvoiceNumberCounter,
    NoShowRecord,
    Notification,
    SessionRate,
)
from scheduling.models.invoices import VAT_EXEMPTION_NOTE_EN, VAT_EXEMPTION_NOTE_NL, default_payment_term_days
from scheduling.selectors.appointments import appointment_get
from scheduling.services.notifications import notification_queue_email

RECORD_TYPE = "invoice"
CENT = Decimal("0.01")

#: Allowed status changes.
NEXT_INVOICE_STATUSES: dict[str, set[str]] = {
    Invoice.Status.DRAFT: {Invoice.Status.SENT},
    Invoice.Status.SENT: {Invoice.Status.PAID},
    Invoice.Status.PAID: set(),
}


class InvoiceAlreadyExists(ConflictError):
    """The appointment has its invoice already; ``invoice`` is that one."""

    def __init__(self, invoice: Invoice) -> None:
        super().__init__(
            SchedulingError.INVOICE_ALREADY_EXISTS,
            f"This appointment already has invoice {invoice.invoice_number}.",
            data={"invoice_id": str(invoice.pk), "invoice_number": invoice.invoice_number},
        )
        self.invoice = invoice


def _money(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def _billing(practice: Practice) -> tuple[Decimal, str, int]:
    """VAT rate, exemption note (when the rate is 0) and payment term of the practice."""
    settings_ = BillingSettings.objects.filter(practice=practice).first()
    rate = settings_.vat_rate if settings_ else Decimal("0")
    term = settings_.payment_term_days if settings_ else default_payment_term_days()
    note = ""
    if rate == 0:
        note = (settings_.vat_exemption_note if settings_ else "") or (
            VAT_EXEMPTION_NOTE_NL if practice.country == "NL" else VAT_EXEMPTION_NOTE_EN
        )
    return rate, note, term


def _next_number(*, practice: Practice, year: int) -> int:
    """The practice's next invoice number of the year. The counter row is created if
    missing (racing creators both succeed: the insert ignores the conflict), then locked
    and incremented in the caller's transaction: a rolled-back invoice gives its number
    back, and no two invoices get the same one."""
    InvoiceNumberCounter.objects.bulk_create(
        [InvoiceNumberCounter(practice=practice, year=year, last_number=0)], ignore_conflicts=True
    )
    counter = InvoiceNumberCounter.objects.select_for_update().get(practice=practice, year=year)
    counter.last_number += 1
    counter.save(update_fields=["last_number"])
    return counter.last_number


def _existing(appointment: Appointment) -> Invoice | None:
    return Invoice.objects.filter(appointment=appointment).first()


def _create(
    *,
    actor: User,
    appointment: Appointment,
    kind: str,
    description: str,
    unit_price: Decimal,
    currency: str,
    ip_address: str | None,
) -> Invoice:
    practice = appointment.practice
    vat_rate, exemption_note, term_days = _billing(practice)
    issue_date = timezone.localdate(timezone=practice.tzinfo)
    subtotal = _money(unit_price)
    tax_amount = _money(subtotal * vat_rate / 100)
    sequence = _next_number(practice=practice, year=issue_date.year)
    invoice = Invoice(
        practice=practice,
        appointment=appointment,
        client_id=appointment.client_id,
        therapist_id=appointment.therapist_id,
        created_by=actor,
        kind=kind,
        year=issue_date.year,
        sequence=sequence,
        invoice_number=f"{issue_date.year}-{sequence:04d}",
        issue_date=issue_date,
        due_date=issue_date + datetime.timedelta(days=term_days),
        currency=currency,
        subtotal=subtotal,
        tax_rate=vat_rate,
        tax_amount=tax_amount,
        total_amount=subtotal + tax_amount,
        tax_exemption_note=exemption_note,
    )
    try:
        with transaction.atomic():
            invoice.save(force_insert=True)
    except IntegrityError:
        # Only reachable if the appointment's row lock was bypassed. Raising rolls back the
        # caller's transaction too, the number taken included: no gap.
        existing = _existing(appointment)
        if existing is None:
            raise
        raise InvoiceAlreadyExists(existing) from None
    invoice.item_list = [
        InvoiceItem.objects.create(
            invoice=invoice,
            appointment=appointment,
            description=description,
            quantity=Decimal("1"),
            unit_price=subtotal,
            total=subtotal,
            tax_rate=vat_rate,
        )
    ]
    audit_log(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        targets=[AuditTarget(RECORD_TYPE, invoice.pk, invoice.client_id, ["invoice_number", "total_amount"])],
        ip_address=ip_address,
        practice=practice,
    )
    return invoice


def _local_date(appointment: Appointment) -> str:
    return appointment.starts_at.astimezone(appointment.practice.tzinfo).date().isoformat()


@transaction.atomic
def invoice_create_for_appointment(
    *, actor: User, appointment_id: UUID, send: bool = False, ip_address: str | None = None
) -> Invoice:
    """Invoice one completed appointment (its session) at the practice's rate for its type.

    One invoice per appointment: a second call is a 409 ``invoice_already_exists`` naming
    the existing one; the appointment's row is locked, so concurrent calls make exactly one.
    Only a completed appointment (409 ``invoice_not_billable``) with a rate for its type
    (409 ``session_rate_missing``: staff set rates in the admin). The number is the
    practice's next of the year, without gaps; VAT at the practice's rate (0 and the
    exemption note by default); due after the payment term. ``send``: also email it to
    the client (``invoice_send``), when the client has an email address."""
    appointment = appointment_get(actor=actor, appointment_id=appointment_id, for_update=True)
    existing = _existing(appointment)
    if existing is not None:
        raise InvoiceAlreadyExists(existing)
    if appointment.status != Appointment.Status.COMPLETED:
        raise ConflictError(
            SchedulingError.INVOICE_NOT_BILLABLE,
            gettext("Only a completed session can be invoiced."),
            data={"status": appointment.status},
        )
    rate = SessionRate.objects.filter(
        practice=appointment.practice, appointment_type=appointment.appointment_type
    ).first()
    if rate is None:
        raise ConflictError(
            SchedulingError.SESSION_RATE_MISSING,
            gettext("The practice has no rate for %(appointment_type)s sessions yet; staff set rates in the admin.")
            % {"appointment_type": appointment.get_appointment_type_display().lower()},
            data={"appointment_type": appointment.appointment_type},
        )
    description = rate.description or f"{appointment.get_appointment_type_display()} session"
    invoice = _create(
        actor=actor,
        appointment=appointment,
        kind=Invoice.Kind.SESSION,
        description=f"{description}, {_local_date(appointment)}",
        unit_price=rate.amount,
        currency=rate.currency,
        ip_address=ip_address,
    )
    if send and appointment.client.email:
        invoice_send(actor=actor, invoice=invoice)
    return invoice


@transaction.atomic
def invoice_create_for_no_show(*, actor: User, appointment_id: UUID, ip_address: str | None = None) -> Invoice:
    """Invoice the fee of a no-show (the fee recorded with it, in its currency), numbered
    and taxed like any invoice. One per appointment (409 ``invoice_already_exists``); the
    no-show must have a fee (409 ``invoice_not_billable``)."""
    appointment = appointment_get(actor=actor, appointment_id=appointment_id, for_update=True)
    existing = _existing(appointment)
    if existing is not None:
        raise InvoiceAlreadyExists(existing)
    record = NoShowRecord.objects.filter(appointment=appointment).first()
    if record is None or not record.fee_amount:
        raise ConflictError(
            SchedulingError.INVOICE_NOT_BILLABLE, gettext("Only a no-show with a fee can be invoiced this way.")
        )
    return _create(
        actor=actor,
        appointment=appointment,
        kind=Invoice.Kind.NO_SHOW,
        description=f"No-show fee, appointment of {_local_date(appointment)}",
        unit_price=record.fee_amount,
        currency=record.currency,
        ip_address=ip_address,
    )


def _transition(invoice: Invoice, to_status: str) -> None:
    if to_status not in NEXT_INVOICE_STATUSES[invoice.status]:
        target = Invoice.Status(to_status).label.lower()
        raise ConflictError(
            SchedulingError.INVALID_INVOICE_TRANSITION,
            gettext("A %(status)s invoice cannot become %(target)s.")
            % {"status": invoice.get_status_display().lower(), "target": target},
            data={"status": invoice.status},
        )


def _locked(invoice: Invoice) -> Invoice:
    return Invoice.objects.select_for_update().select_related("client", "practice").get(pk=invoice.pk)


@transaction.atomic
def invoice_send(*, actor: User, invoice: Invoice) -> Invoice:
    """Send a draft invoice to the client by email (the notification outbox: written now,
    delivered after commit) and mark it sent. Only a draft (409
    ``invalid_invoice_transition``); the client needs an email address (400)."""
    locked = _locked(invoice)
    _transition(locked, Invoice.Status.SENT)
    if not locked.client.email:
        raise ValidationFailed.for_field("client", gettext("The client has no email address to send the invoice to."))
    items = list(locked.items.order_by("id"))
    context = {"invoice": locked, "items": items, "practice_name": locked.practice.name}
    # In the client's language (else the practice's), whoever sends it.
    with translation.override(client_language(locked.client, locked.practice)):
        subject = (
            gettext("Invoice %(number)s from %(practice)s")
            % {"number": locked.invoice_number, "practice": locked.practice.name}
        )[:255]
        text_body = render_to_string("email/invoice.txt", {**context, "subject": subject})
        html_body = render_to_string("email/invoice.html", {**context, "subject": subject})
    notification_queue_email(
        practice=locked.practice,
        client=locked.client,
        kind=Notification.Kind.INVOICE,
        to_address=locked.client.email,
        subject=subject,
        text_body=text_body,
        html_body=html_body,
    )
    locked.status = Invoice.Status.SENT
    locked.sent_at = timezone.now()
    locked.save(update_fields=["status", "sent_at", "updated_at"])
    invoice.status, invoice.sent_at = locked.status, locked.sent_at
    audit_log(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        targets=[AuditTarget(RECORD_TYPE, locked.pk, locked.client_id, ["status", "sent_at"])],
        practice=locked.practice,
    )
    return invoice


@transaction.atomic
def invoice_mark_paid(*, actor: User, invoice: Invoice, paid_date: datetime.date | None = None) -> Invoice:
    """Record the payment of a sent invoice (409 ``invalid_invoice_transition`` for a draft
    or one already paid), on ``paid_date`` or today in the practice's time zone."""
    locked = _locked(invoice)
    _transition(locked, Invoice.Status.PAID)
    locked.status = Invoice.Status.PAID
    locked.paid_date = paid_date or timezone.localdate(timezone=locked.practice.tzinfo)
    locked.save(update_fields=["status", "paid_date", "updated_at"])
    invoice.status, invoice.paid_date = locked.status, locked.paid_date
    audit_log(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        targets=[AuditTarget(RECORD_TYPE, locked.pk, locked.client_id, ["status", "paid_date"])],
        practice=locked.practice,
    )
    return invoice
