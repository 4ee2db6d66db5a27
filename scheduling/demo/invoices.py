"""Demo billing: rates for every appointment type, the demo practice's billing settings,
invoices for each demo therapist's latest completed sessions (some paid, some sent, the
newest drafts) and for the no-show fees, numbered through the service."""

from decimal import Decimal

from practice.demo.core import DemoContext, demo_practices
from scheduling.models import (
    Appointment,
    BillingSettings,
    Invoice,
    InvoiceItem,
    InvoiceNumberCounter,
    NoShowRecord,
    SessionRate,
)
from scheduling.services.invoices import invoice_create_for_appointment, invoice_create_for_no_show

RATES = {
    Appointment.Type.INTAKE: Decimal("110.00"),
    Appointment.Type.INDIVIDUAL: Decimal("95.00"),
    Appointment.Type.RELATION: Decimal("125.00"),
    Appointment.Type.GROUP: Decimal("45.00"),
    Appointment.Type.FAMILY: Decimal("135.00"),
    Appointment.Type.CRISIS: Decimal("120.00"),
    Appointment.Type.FOLLOW_UP: Decimal("95.00"),
    Appointment.Type.ASSESSMENT: Decimal("140.00"),
}
INVOICED_PER_THERAPIST = 8


def reset() -> None:
    practices = list(demo_practices())
    InvoiceItem.objects.filter(invoice__practice__in=practices).delete()
    Invoice.objects.filter(practice__in=practices).delete()
    InvoiceNumberCounter.objects.filter(practice__in=practices).delete()
    SessionRate.objects.filter(practice__in=practices).delete()
    BillingSettings.objects.filter(practice__in=practices).delete()


def seed(ctx: DemoContext) -> None:
    for practice in ctx.practices:
        SessionRate.objects.bulk_create(
            SessionRate(practice=practice, appointment_type=kind, amount=amount, currency=practice.currency)
            for kind, amount in RATES.items()
        )
    BillingSettings.objects.create(practice=ctx.practice, payment_term_days=30)
    invoices = []
    for therapist in ctx.all_therapists:
        latest = (
            Appointment.objects.filter(therapist=therapist, status=Appointment.Status.COMPLETED)
            .order_by("-starts_at")
            .values_list("pk", flat=True)[:INVOICED_PER_THERAPIST]
        )
        for appointment_id in reversed(list(latest)):
            invoices.append(invoice_create_for_appointment(actor=therapist, appointment_id=appointment_id))
    if ctx.staff is not None:
        for record in NoShowRecord.objects.filter(practice=ctx.practice, fee_amount__gt=0).order_by("applied_at"):
            invoices.append(invoice_create_for_no_show(actor=ctx.staff, appointment_id=record.appointment_id))
    # Older invoices were sent and mostly paid; the newest stay drafts. Set directly, so
    # seeding sends no email.
    for index, invoice in enumerate(invoices):
        if index % 4 == 3:
            continue
        invoice.status = Invoice.Status.PAID if index % 4 in (0, 1) else Invoice.Status.SENT
        invoice.sent_at = ctx.now
        invoice.paid_date = ctx.today if invoice.status == Invoice.Status.PAID else None
    Invoice.objects.bulk_update(invoices, ["status", "sent_at", "paid_date"])
    ctx.log.append(f"invoices: {len(RATES)} rates per practice, {len(invoices)} invoices")
