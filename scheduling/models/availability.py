"""A therapist's availability: weekly working hours (with breaks) and dated exceptions, as
wall-clock times in the practice's time zone, plus their booking preferences.

Booking outside it is allowed but flagged (``scheduling.selectors.availability``)."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from practice.models import Practice, TimeStampedModel, User


class Weekday(models.IntegerChoices):
    MONDAY = 0, "Monday"
    TUESDAY = 1, "Tuesday"
    WEDNESDAY = 2, "Wednesday"
    THURSDAY = 3, "Thursday"
    FRIDAY = 4, "Friday"
    SATURDAY = 5, "Saturday"
    SUNDAY = 6, "Sunday"


class Availability(TimeStampedModel):
    """One per therapist: their preferences, and the owner of their weekly days and
    exceptions. Its row is locked while the whole schedule is replaced."""

    practice = models.ForeignKey(Practice, on_delete=models.PROTECT, related_name="availabilities")
    therapist = models.OneToOneField(User, on_delete=models.CASCADE, related_name="availability")
    session_duration = models.PositiveSmallIntegerField(
        default=60, validators=[MinValueValidator(5), MaxValueValidator(480)], help_text="Minutes."
    )
    buffer_time = models.PositiveSmallIntegerField(
        default=15, validators=[MaxValueValidator(240)], help_text="Minutes between appointments."
    )
    max_daily_appointments = models.PositiveSmallIntegerField(
        default=8, validators=[MinValueValidator(1), MaxValueValidator(50)]
    )
    auto_confirm_appointments = models.BooleanField(default=True)
    block_emergency_slots = models.BooleanField(default=False)
    vacation_mode = models.BooleanField(default=False)
    vacation_start = models.DateField(null=True, blank=True)
    vacation_end = models.DateField(null=True, blank=True)
    vacation_message = models.TextField(max_length=1000, blank=True)

    class Meta:
        verbose_name = _("availability")
        verbose_name_plural = _("availabilities")
        constraints = [
            models.CheckConstraint(
                condition=Q(vacation_start__isnull=True)
                | Q(vacation_end__isnull=True)
                | Q(vacation_end__gte=F("vacation_start")),
                name="availability_vacation_order",
            )
        ]

    def __str__(self) -> str:
        return f"Availability of {self.therapist}"


class AvailabilityDay(models.Model):
    """One weekday of the weekly schedule; its slots are kept while it is switched off."""

    availability = models.ForeignKey(Availability, on_delete=models.CASCADE, related_name="days")
    weekday = models.PositiveSmallIntegerField(choices=Weekday.choices)
    is_available = models.BooleanField(default=True)

    class Meta:
        verbose_name = _("availability day")
        verbose_name_plural = _("availability days")
        ordering = ["availability", "weekday"]
        constraints = [
            models.UniqueConstraint(fields=["availability", "weekday"], name="availability_day_uniq"),
            models.CheckConstraint(condition=Q(weekday__gte=0, weekday__lte=6), name="availability_day_weekday"),
        ]

    def __str__(self) -> str:
        return self.get_weekday_display()


class AvailabilitySlot(models.Model):
    """Working hours (or a break) on one weekday, local wall-clock time.

    Two working slots of one day never overlap, nor do two breaks: checked by the service
    under the availability's row lock and, on PostgreSQL, by the exclusion constraint
    ``availability_slot_no_overlap`` (migration)."""

    day = models.ForeignKey(AvailabilityDay, on_delete=models.CASCADE, related_name="slots")
    start_time = models.TimeField()
    end_time = models.TimeField()
    is_break = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("availability slot")
        verbose_name_plural = _("availability slots")
        ordering = ["day", "start_time", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(end_time__gt=F("start_time")), name="availability_slot_ends_after_start")
        ]

    def __str__(self) -> str:
        kind = "break" if self.is_break else "available"
        return f"{self.start_time:%H:%M}-{self.end_time:%H:%M} ({kind})"


class AvailabilityException(models.Model):
    """A date whose hours differ from the weekly schedule: no slots means not available at
    all that day; slots are the hours available instead."""

    availability = models.ForeignKey(Availability, on_delete=models.CASCADE, related_name="exceptions")
    date = models.DateField()
    reason = models.CharField(max_length=500)
    slots = models.JSONField(default=list, blank=True, help_text='[{"start": "HH:MM", "end": "HH:MM"}, ...]')

    class Meta:
        verbose_name = _("availability exception")
        verbose_name_plural = _("availability exceptions")
        ordering = ["availability", "date"]
        constraints = [models.UniqueConstraint(fields=["availability", "date"], name="availability_exception_uniq")]

    def __str__(self) -> str:
        return f"{self.date}: {self.reason}"
