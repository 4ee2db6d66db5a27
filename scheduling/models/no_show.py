"""No-show policies (one active per practice, managed by staff) and the no-show records
with their fees."""

import re
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from practice.models import Client, Practice, TimeStampedModel, User

from .appointments import Appointment

#: Placeholders the policy's email subject and body may use, each with what it becomes.
EMAIL_PLACEHOLDERS = {
    "client_name": "the client's full name",
    "appointment_time": "the appointment's start, in the practice's time zone",
    "fee": "the fee charged (0.00 when none)",
    "currency": "the practice's currency code",
    "practice_name": "the practice's name",
}
PLACEHOLDER_PATTERN = re.compile(r"\{(\w+)\}")

# Sent translated into the client's language while a policy keeps them unchanged.
DEFAULT_EMAIL_SUBJECT = gettext_noop("Missed appointment at {practice_name}")
DEFAULT_EMAIL_BODY = gettext_noop(
    "Dear {client_name},\n\n"
    "We missed you at your appointment on {appointment_time}. "
    "If you would like to book a new appointment, please get in touch with us.\n\n"
    "Kind regards,\n{practice_name}"
)

MONEY = {"max_digits": 10, "decimal_places": 2, "validators": [MinValueValidator(Decimal("0"))]}


def validate_placeholders(value: str) -> None:
    unknown = sorted({name for name in re.findall(r"\{([^{}]*)\}", value) if name not in EMAIL_PLACEHOLDERS})
    if unknown:
        allowed = ", ".join(f"{{{name}}}" for name in EMAIL_PLACEHOLDERS)
        raise ValidationError(f"Unknown placeholder(s): {', '.join(f'{{{name}}}' for name in unknown)}. Use {allowed}.")


def fill_placeholders(template: str, values: dict[str, str]) -> str:
    """Replace ``{name}`` with its value. Plain substitution, not ``str.format``: the text
    is written by staff and must not reach attributes of the values."""
    return PLACEHOLDER_PATTERN.sub(lambda match: values.get(match.group(1), match.group(0)), template)


class NoShowPolicy(TimeStampedModel):
    """What a practice charges and tells a client who misses an appointment.

    A practice has at most one active policy (partial unique constraint); older ones stay
    for reference, inactive."""

    practice = models.ForeignKey(Practice, on_delete=models.PROTECT, related_name="no_show_policies")
    name = models.CharField(max_length=100, default="Standard")
    default_fee = models.DecimalField(**MONEY, help_text="Charged when the fee is applied without an amount.")
    maximum_fee = models.DecimalField(**MONEY, help_text="No fee may be above this.")
    grace_minutes = models.PositiveIntegerField(
        default=15,
        validators=[MaxValueValidator(24 * 60)],
        help_text="Minutes after the start before a no-show may be recorded.",
    )
    notify_by_default = models.BooleanField(
        default=True, help_text="Email the client when the request does not say whether to."
    )
    email_subject = models.CharField(
        max_length=200,
        default=DEFAULT_EMAIL_SUBJECT,
        validators=[validate_placeholders],
        help_text="Placeholders: " + ", ".join(f"{{{name}}} ({what})" for name, what in EMAIL_PLACEHOLDERS.items()),
    )
    email_body = models.TextField(
        max_length=5000,
        default=DEFAULT_EMAIL_BODY,
        validators=[validate_placeholders],
        help_text="Plain text with the same placeholders; the fee, when charged, is listed below it.",
    )
    is_active = models.BooleanField(default=True)

    class Meta:
        verbose_name = _("no-show policy")
        verbose_name_plural = _("no-show policies")
        ordering = ["practice", "-is_active", "-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["practice"],
                condition=Q(is_active=True),
                name="noshow_policy_one_active_per_practice",
                violation_error_message="This practice already has an active no-show policy; deactivate it first.",
            ),
            models.CheckConstraint(
                condition=Q(default_fee__gte=0) & Q(maximum_fee__gte=0) & Q(default_fee__lte=models.F("maximum_fee")),
                name="noshow_policy_fees_valid",
                violation_error_message="Fees must be 0 or more, and the default fee at most the maximum fee.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.practice}: {self.name}{'' if self.is_active else ' (inactive)'}"

    def clean(self) -> None:
        if self.default_fee is not None and self.maximum_fee is not None and self.default_fee > self.maximum_fee:
            raise ValidationError({"default_fee": "The default fee cannot be above the maximum fee."})


class NoShowRecord(TimeStampedModel):
    """A missed appointment, who recorded it and the fee charged (if any).

    One per appointment (unique), so a fee can never be charged twice, whatever the
    concurrency. ``currency`` is the practice's at the time and set exactly when there
    is a fee."""

    appointment = models.OneToOneField(Appointment, on_delete=models.PROTECT, related_name="no_show_record")
    practice = models.ForeignKey(Practice, on_delete=models.PROTECT, related_name="no_show_records")
    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="no_show_records")
    policy = models.ForeignKey(NoShowPolicy, on_delete=models.SET_NULL, related_name="records", null=True, blank=True)
    reason = models.TextField(max_length=1000)
    applied_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    applied_at = models.DateTimeField(default=timezone.now)
    fee_amount = models.DecimalField(**MONEY, null=True, blank=True)
    currency = models.CharField(max_length=3, blank=True, help_text="ISO 4217 code; empty when no fee.")

    class Meta:
        verbose_name = _("no-show")
        verbose_name_plural = _("no-shows")
        ordering = ["-applied_at"]
        indexes = [
            models.Index(fields=["practice", "applied_at"], name="noshow_practice_applied_idx"),
            models.Index(fields=["client", "applied_at"], name="noshow_client_applied_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(Q(fee_amount__isnull=True) & Q(currency="")) | (Q(fee_amount__gte=0) & ~Q(currency="")),
                name="noshow_record_fee_has_currency",
            ),
        ]

    def __str__(self) -> str:
        fee = f"{self.fee_amount} {self.currency}" if self.fee_amount is not None else "no fee"
        return f"No-show of {self.client} ({fee})"
