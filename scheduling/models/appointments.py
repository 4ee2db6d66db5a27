from datetime import datetime

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from practice.models import Client, Practice, TimeStampedModel, User


def duration_minutes(starts_at: datetime, ends_at: datetime) -> int:
    """An appointment's length in whole minutes."""
    return int((ends_at - starts_at).total_seconds() // 60)


class Appointment(TimeStampedModel):
    """A booked slot of one therapist with one client.

    A therapist is never double-booked: overlapping appointments that are not cancelled are
    rejected by the service and, on PostgreSQL, by the exclusion constraint
    ``appointment_therapist_no_overlap`` (migration 0002), which holds under concurrency."""

    class Type(models.TextChoices):
        INTAKE = "intake", _("Intake")
        INDIVIDUAL = "individual", _("Individual")
        RELATION = "relation", _("Relationship")
        GROUP = "group", _("Group")
        FAMILY = "family", _("Family")
        CRISIS = "crisis", _("Crisis")
        FOLLOW_UP = "follow_up", _("Follow-up")
        ASSESSMENT = "assessment", _("Assessment")

    class Mode(models.TextChoices):
        IN_PERSON = "in_person", _("In person")
        VIDEO = "video", _("Video")
        PHONE = "phone", _("Phone")

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        CONFIRMED = "confirmed", _("Confirmed")
        IN_PROGRESS = "in_progress", _("In progress")
        COMPLETED = "completed", _("Completed")
        CANCELLED = "cancelled", _("Cancelled")
        NO_SHOW = "no_show", _("No-show")

    #: Statuses in which the slot is no longer upcoming.
    CLOSED_STATUSES = (Status.COMPLETED, Status.CANCELLED, Status.NO_SHOW)

    practice = models.ForeignKey(Practice, on_delete=models.PROTECT, related_name="appointments")
    therapist = models.ForeignKey(User, on_delete=models.PROTECT, related_name="appointments")
    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="appointments")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    appointment_type = models.CharField(max_length=16, choices=Type.choices, default=Type.INDIVIDUAL)
    mode = models.CharField(max_length=16, choices=Mode.choices, default=Mode.IN_PERSON)
    location = models.CharField(max_length=200, blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.SCHEDULED)
    notes = models.TextField(blank=True, help_text="Administrative notes (not clinical).")
    cancellation_reason = models.TextField(blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancelled_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+", null=True, blank=True)
    reschedule_reason = models.TextField(blank=True, help_text="Why the appointment was last moved.")
    rescheduled_at = models.DateTimeField(null=True, blank=True)
    # Preparation notes belong to the therapist (PUT /api/appointments/{id}/preparation).
    preparation_notes = models.TextField(blank=True)
    review_previous_session = models.BooleanField(default=False)
    focus_areas = models.JSONField(default=list, blank=True)
    prepared_at = models.DateTimeField(null=True, blank=True)
    # Set on every occurrence of a recurring series, the first appointment included.
    series = models.ForeignKey(
        "scheduling.RecurringSeries", on_delete=models.SET_NULL, related_name="occurrences", null=True, blank=True
    )
    occurrence_date = models.DateField(null=True, blank=True, help_text="Local date of the occurrence in its series.")

    class Meta:
        verbose_name = _("appointment")
        verbose_name_plural = _("appointments")
        ordering = ["starts_at", "id"]
        indexes = [
            models.Index(fields=["therapist", "starts_at"], name="appt_therapist_start_idx", include=["status"]),
            # The therapist in the index too: "the client's next appointment with me" of the client
            # lists is answered from the index alone.
            models.Index(fields=["client", "starts_at"], name="appt_client_start_idx", include=["status", "therapist"]),
            models.Index(fields=["practice", "starts_at"], name="appt_practice_start_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="appointment_ends_after_start"),
            # A series never holds two occurrences on one date, even with concurrent generators.
            models.UniqueConstraint(fields=["series", "occurrence_date"], name="appointment_series_occurrence_uniq"),
        ]

    def __str__(self) -> str:
        return f"{self.client} with {self.therapist} at {self.starts_at:%Y-%m-%d %H:%M}"

    @property
    def duration_minutes(self) -> int:
        return duration_minutes(self.starts_at, self.ends_at)


class CompletedAppointmentTally(models.Model):
    """How many of a client's appointments with a therapist are completed, and when the
    latest of them started: what every calendar item shows of the client (their session
    count and last session), read by its unique index instead of counting the pair's whole
    history for each item.

    Kept by the database, not by the application: triggers on ``scheduling_appointment``
    (migration 0013) recount the pair from ``appt_completed_client_idx`` whenever an
    appointment becomes, stops being, or is removed while completed, or a completed one
    moves (another start, client or therapist), however the change is made (a service, the
    admin, a bulk update, a cascade). On PostgreSQL the trigger locks the pair's row
    before it counts, so two transactions completing appointments of one pair at once
    count each other's. A pair with no completed appointment has no row, or a row of 0."""

    id = models.BigAutoField(primary_key=True)
    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="+", db_index=False)
    therapist = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    completed = models.PositiveIntegerField(default=0)
    last_started_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("completed appointments of a client with a therapist")
        verbose_name_plural = _("completed appointments of clients with therapists")
        constraints = [
            models.UniqueConstraint(fields=["client", "therapist"], name="completed_tally_client_therapist_uniq")
        ]

    def __str__(self) -> str:
        return f"{self.client_id} with {self.therapist_id}: {self.completed}"
