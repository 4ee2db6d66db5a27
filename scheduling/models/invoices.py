"""Invoices for completed sessions and no-show fees, numbered per practice and year
without gaps, with the rates and billing settings staff manage in the admin.

Healthcare by a registered practitioner is exempt from VAT in the Netherlands (art. 11
lid 1 onderdeel g Wet OB), so the VAT rate is 0 by default and the invoice carries the
exemption note; a practice that must charge VAT sets its rate."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from practice.models import Client, Practice, TimeStampedModel, User

from .appointments import Appointment

MONEY = {"max_digits": 10, "decimal_places": 2}
RATE = {"max_digits": 5, "decimal_places": 2, "validators": [MinValueValidator(0), MaxValueValidator(100)]}

VAT_EXEMPTION_NOTE_NL = "Vrijgesteld van btw (art. 11 lid 1 onderdeel g Wet OB)"
VAT_EXEMPTION_NOTE_EN = "Exempt from VAT (art. 11(1)(g) Dutch VAT Act)"


def default_payment_term_days() -> int:
    return settings.INVOICE_PAYMENT_TERM_DAYS


class SessionRate(TimeStampedModel):
    """What a practice charges for one appointment of a type."""

    practice = models.ForeignKey(Practice, on_delete=models.PROTECT, related_name="session_rates")
    appointment_type = models.CharField(max_length=16, choices=Appointment.Type.choices)
    amount = models.DecimalField(**MONEY, validators=[MinValueValidator(Decimal("0"))])
    currency = models.CharField(max_length=3, default="EUR", help_text="ISO 4217 code.")
    description = models.CharField(
        max_length=200, blank=True, help_text="The invoice line's text; empty: the appointment type's name."
    )

    class Meta:
        verbose_name = _("session rate")
        verbose_name_plural = _("session rates")
        ordering = ["practice", "appointment_type"]
        constraints = [
            models.UniqueConstraint(fields=["practice", "appointment_type"], name="session_rate_practice_type_uniq"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="session_rate_amount_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.get_appointment_type_display()}: {self.amount} {self.currency}"


class BillingSettings(TimeStampedModel):
    """A practice's invoice settings; a practice without a row uses the defaults."""

    practice = models.OneToOneField(Practice, on_delete=models.CASCADE, related_name="billing_settings")
    vat_rate = models.DecimalField(
        **RATE, default=Decimal("0"), help_text="Percent. 0 for VAT-exempt healthcare (the default)."
    )
    vat_exemption_note = models.CharField(
        max_length=300,
        blank=True,
        help_text="Printed on invoices without VAT; empty: the standard Dutch (or English) healthcare exemption.",
    )
    payment_term_days = models.PositiveSmallIntegerField(
        default=default_payment_term_days, validators=[MaxValueValidator(365)], help_text="Days until due."
    )

    class Meta:
        verbose_name = _("billing settings")
        verbose_name_plural = _("billing settings")

    def __str__(self) -> str:
        return f"Billing settings of {self.practice}"


class InvoiceNumberCounter(models.Model):
    """The last number given in one practice and year. Its row is locked while an invoice
    takes the next number, in the invoice's transaction: numbers have no gaps and no
    duplicates, whatever the concurrency."""

    practice = models.ForeignKey(Practice, on_delete=models.PROTECT, related_name="invoice_counters")
    year = models.PositiveSmallIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("invoice number counter")
        verbose_name_plural = _("invoice number counters")
        constraints = [models.UniqueConstraint(fields=["practice", "year"], name="invoice_counter_practice_year_uniq")]

    def __str__(self) -> str:
        return f"{self.practice} {self.year}: {self.last_number}"


class Invoice(TimeStampedModel):
    """One per appointment: for its completed session, or for its no-show fee."""

    class Kind(models.TextChoices):
        SESSION = "session", _("Session")
        NO_SHOW = "no_show", _("No-show fee")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SENT = "sent", _("Sent")
        PAID = "paid", _("Paid")

    practice = models.ForeignKey(Practice, on_delete=models.PROTECT, related_name="invoices")
    appointment = models.OneToOneField(Appointment, on_delete=models.PROTECT, related_name="invoice")
    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="invoices")
    therapist = models.ForeignKey(User, on_delete=models.PROTECT, related_name="invoices")
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.SESSION)
    year = models.PositiveSmallIntegerField()
    sequence = models.PositiveIntegerField(help_text="Position in the practice's numbering of the year.")
    invoice_number = models.CharField(max_length=20, help_text="YYYY-NNNN, gapless per practice and year.")
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.DRAFT)
    issue_date = models.DateField()
    due_date = models.DateField()
    sent_at = models.DateTimeField(null=True, blank=True)
    paid_date = models.DateField(null=True, blank=True)
    currency = models.CharField(max_length=3)
    subtotal = models.DecimalField(**MONEY)
    tax_rate = models.DecimalField(**RATE)
    tax_amount = models.DecimalField(**MONEY)
    total_amount = models.DecimalField(**MONEY)
    tax_exemption_note = models.CharField(max_length=300, blank=True)
    notes = models.TextField(blank=True)

    class Meta:
        verbose_name = _("invoice")
        verbose_name_plural = _("invoices")
        ordering = ["-issue_date", "-sequence"]
        indexes = [
            models.Index(fields=["practice", "status"], name="invoice_practice_status_idx"),
            models.Index(fields=["therapist", "issue_date"], name="invoice_therapist_date_idx"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["practice", "year", "sequence"], name="invoice_practice_sequence_uniq"),
            models.UniqueConstraint(fields=["practice", "invoice_number"], name="invoice_practice_number_uniq"),
            models.CheckConstraint(
                condition=Q(subtotal__gte=0) & Q(tax_amount__gte=0) & Q(total_amount=F("subtotal") + F("tax_amount")),
                name="invoice_totals_add_up",
            ),
            models.CheckConstraint(condition=Q(due_date__gte=F("issue_date")), name="invoice_due_after_issue"),
            models.CheckConstraint(
                condition=~Q(status="paid") | Q(paid_date__isnull=False), name="invoice_paid_has_date"
            ),
        ]

    def __str__(self) -> str:
        return self.invoice_number


class InvoiceItem(models.Model):
    invoice = models.ForeignKey(Invoice, on_delete=models.CASCADE, related_name="items")
    appointment = models.ForeignKey(Appointment, on_delete=models.PROTECT, related_name="+", null=True, blank=True)
    description = models.CharField(max_length=300)
    quantity = models.DecimalField(max_digits=8, decimal_places=2, default=Decimal("1"))
    unit_price = models.DecimalField(**MONEY)
    total = models.DecimalField(**MONEY, help_text="Quantity times unit price, before VAT.")
    tax_rate = models.DecimalField(**RATE)

    class Meta:
        verbose_name = _("invoice line")
        verbose_name_plural = _("invoice lines")
        ordering = ["invoice", "id"]

    def __str__(self) -> str:
        return self.description
