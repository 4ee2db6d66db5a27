from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from practice.models import Client, Practice, TimeStampedModel, User

MOOD_VALIDATORS = [MinValueValidator(1), MaxValueValidator(10)]


def mood_field(**kwargs) -> models.PositiveSmallIntegerField:
    return models.PositiveSmallIntegerField(null=True, blank=True, validators=MOOD_VALIDATORS, **kwargs)


class SessionTemplate(TimeStampedModel):
    """A reusable session outline. Practice-wide when ``therapist`` is empty, otherwise
    one therapist's own. Managed by staff in the admin."""

    practice = models.ForeignKey(Practice, on_delete=models.PROTECT, related_name="session_templates")
    therapist = models.ForeignKey(
        User,
        on_delete=models.PROTECT,
        related_name="session_templates",
        null=True,
        blank=True,
        help_text="Leave empty for a practice-wide template.",
    )
    name = models.CharField(max_length=200)
    session_type = models.CharField(max_length=32, help_text="e.g. intake, individual, CBT, EMDR")
    default_goals = models.JSONField(default=list, blank=True)
    common_techniques = models.JSONField(default=list, blank=True)
    duration_minutes = models.PositiveSmallIntegerField(
        default=50, validators=[MinValueValidator(5), MaxValueValidator(480)]
    )
    is_active = models.BooleanField(default=True)

    class Meta:
        verbose_name = _("session template")
        verbose_name_plural = _("session templates")
        ordering = ["name", "id"]
        indexes = [models.Index(fields=["practice", "therapist"], name="template_practice_owner_idx")]

    def __str__(self) -> str:
        return self.name


class Session(TimeStampedModel):
    """The clinical encounter, usually started from an appointment (one session per
    appointment: a unique rule makes starting twice impossible)."""

    class Status(models.TextChoices):
        IN_PROGRESS = "in_progress", _("In progress")
        COMPLETED = "completed", _("Completed")

    class Location(models.TextChoices):
        OFFICE = "office", _("Office")
        ONLINE = "online", _("Online")
        PHONE = "phone", _("Phone")

    practice = models.ForeignKey(Practice, on_delete=models.PROTECT, related_name="sessions")
    appointment = models.OneToOneField(
        "scheduling.Appointment", on_delete=models.PROTECT, related_name="session", null=True, blank=True
    )
    therapist = models.ForeignKey(User, on_delete=models.PROTECT, related_name="sessions")
    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="sessions")
    template = models.ForeignKey(
        SessionTemplate, on_delete=models.SET_NULL, related_name="sessions", null=True, blank=True
    )
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.IN_PROGRESS)
    started_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)
    mood_start = mood_field(help_text="Initial mood assessment, 1-10.")
    mood_current = mood_field()
    mood_end = mood_field()
    session_goals = models.JSONField(default=list, blank=True)
    client_concerns = models.JSONField(default=list, blank=True)
    progress_notes = models.TextField(blank=True)
    goals_discussed = models.TextField(blank=True)
    techniques_used = models.JSONField(default=list, blank=True)
    interventions_applied = models.JSONField(default=list, blank=True)
    homework_assigned = models.TextField(blank=True)
    client_present = models.BooleanField(null=True, blank=True, help_text="Whether the client attended.")
    location = models.CharField(max_length=16, choices=Location.choices, blank=True)
    initial_notes = models.TextField(blank=True, help_text="Notes at the start of the session.")
    summary = models.TextField(blank=True, help_text="The therapist's summary at the end.")
    next_session_goals = models.TextField(blank=True, help_text="What the next session should work on.")

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        ordering = ["-started_at", "id"]
        indexes = [
            models.Index(fields=["therapist", "status", "started_at"], name="session_therapist_status_idx"),
            # The session lists: a therapist's newest first, read in index order and
            # stopped at the page; the client (for the visibility rule) is in the index,
            # so counting them reads no table rows (PostgreSQL; elsewhere a plain index).
            models.Index(
                fields=["therapist", "-started_at", "id"], name="session_therapist_recent_idx", include=["client"]
            ),
            # A client's sessions with one therapist: the counts and latest session of the
            # client lists, answered from the index alone.
            models.Index(fields=["client", "therapist", "status", "started_at"], name="session_client_therapist_idx"),
            models.Index(fields=["client", "status", "ended_at"], name="session_client_status_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(mood_start__isnull=True) | Q(mood_start__gte=1, mood_start__lte=10),
                name="session_mood_start_range",
            ),
            models.CheckConstraint(
                condition=Q(mood_current__isnull=True) | Q(mood_current__gte=1, mood_current__lte=10),
                name="session_mood_current_range",
            ),
            models.CheckConstraint(
                condition=Q(mood_end__isnull=True) | Q(mood_end__gte=1, mood_end__lte=10), name="session_mood_end_range"
            ),
            models.CheckConstraint(
                condition=Q(ended_at__isnull=True) | Q(ended_at__gte=models.F("started_at")),
                name="session_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"Session {self.client} {self.started_at:%Y-%m-%d}"

    @property
    def duration_minutes(self) -> int | None:
        if self.ended_at is None:
            return None
        return int((self.ended_at - self.started_at).total_seconds() // 60)


class SessionTally(models.Model):
    """A therapist's sessions with a client: how many, how many of them completed, and when
    the latest completed one started. The client lists' session figures and the session
    list's total, read by one unique index instead of counting the pair's history.

    Kept by the database, not by the application: triggers on ``clinical_session``
    (migration 0011) recount the pair from ``session_client_therapist_idx`` whenever a
    session is added or removed or changes its status, start, client or therapist, however
    the change is made (a service, the admin, a bulk update). On PostgreSQL the trigger
    locks the pair's row before it counts, so two transactions changing sessions of one
    pair at once count each other's. Every pair that has had a session has a row."""

    id = models.BigAutoField(primary_key=True)
    therapist = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+", db_index=False)
    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="+")
    sessions = models.PositiveIntegerField(default=0)
    completed = models.PositiveIntegerField(default=0)
    last_completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("sessions of a client with a therapist")
        verbose_name_plural = _("sessions of clients with therapists")
        constraints = [
            # Also the index of a therapist's pairs: the session list's total sums them.
            models.UniqueConstraint(fields=["therapist", "client"], name="session_tally_therapist_client_uniq")
        ]

    def __str__(self) -> str:
        return f"{self.client_id} with {self.therapist_id}: {self.sessions} ({self.completed} completed)"


class MoodReading(models.Model):
    """One point of a session's mood timeline (each progress update with a mood adds one)."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="mood_readings")
    mood = models.PositiveSmallIntegerField(validators=MOOD_VALIDATORS)
    recorded_at = models.DateTimeField()

    class Meta:
        verbose_name = _("mood reading")
        verbose_name_plural = _("mood readings")
        ordering = ["recorded_at", "id"]
        indexes = [models.Index(fields=["session", "recorded_at"], name="moodreading_session_idx")]
        constraints = [models.CheckConstraint(condition=Q(mood__gte=1, mood__lte=10), name="moodreading_mood_range")]

    def __str__(self) -> str:
        return f"{self.mood} at {self.recorded_at:%H:%M}"
