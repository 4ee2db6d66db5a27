from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from practice.models import Client, Practice, TimeStampedModel, User, validate_timezone


def validate_date_list(value) -> None:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise ValidationError("Exceptions must be a list of YYYY-MM-DD dates.")


class RecurringSeries(TimeStampedModel):
    """A repeating booking that started from one appointment (its first occurrence).

    Occurrences are ordinary appointments that point at the series with their local
    ``occurrence_date``; the unique rule ``appointment_series_occurrence_uniq`` on
    (series, occurrence_date) makes a duplicate occurrence impossible, however many
    generators run at once. The wall-clock start, duration and timezone are copied from the
    first appointment when the series is created, so every occurrence starts at the same
    local time across daylight-saving changes."""

    class Pattern(models.TextChoices):
        WEEKLY = "weekly", _("Weekly")
        BIWEEKLY = "biweekly", _("Every two weeks")
        MONTHLY = "monthly", _("Monthly")

    practice = models.ForeignKey(Practice, on_delete=models.PROTECT, related_name="recurring_series")
    first_appointment = models.OneToOneField(
        "scheduling.Appointment", on_delete=models.PROTECT, related_name="started_series"
    )
    therapist = models.ForeignKey(User, on_delete=models.PROTECT, related_name="recurring_series")
    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="recurring_series")
    pattern = models.CharField(max_length=16, choices=Pattern.choices)
    start_date = models.DateField(help_text="Local date of the first occurrence.")
    end_date = models.DateField(help_text="Last local date an occurrence may fall on (inclusive).")
    exceptions = models.JSONField(
        default=list,
        blank=True,
        validators=[validate_date_list],
        help_text="Local dates (YYYY-MM-DD) that are skipped.",
    )
    timezone = models.CharField(max_length=64, validators=[validate_timezone])
    local_start_time = models.TimeField(help_text="Wall-clock start of every occurrence in the series' timezone.")
    duration_minutes = models.PositiveIntegerField()
    generated_until = models.DateField(help_text="Occurrences exist (or were skipped) up to this local date.")
    is_active = models.BooleanField(default=True, help_text="Cleared when the series is stopped.")
    stopped_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("recurring series")
        verbose_name_plural = _("recurring series")
        ordering = ["-created_at", "id"]
        indexes = [
            models.Index(fields=["is_active", "generated_until"], name="series_active_generated_idx"),
            models.Index(fields=["therapist", "is_active"], name="series_therapist_active_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(end_date__gt=F("start_date")), name="series_ends_after_start"),
        ]

    def __str__(self) -> str:
        return f"{self.get_pattern_display()} {self.client} with {self.therapist} from {self.start_date}"
