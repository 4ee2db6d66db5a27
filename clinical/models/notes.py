"""Session notes: a therapist's clinical note about a client, optionally tied to a session
or appointment.

A note is part of the treatment record, which Dutch law (WGBO) keeps for twenty years:
deleting hides it (``deleted_at``) but keeps the row and its history, and every edit first
copies the previous content into a ``SessionNoteVersion``."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from practice.models import Client, Practice, TimeStampedModel, User

#: A note's mood scale (the note form's five steps, 1 very low .. 5 very good).
NOTE_MOOD_VALIDATORS = [MinValueValidator(1), MaxValueValidator(5)]

#: The content of a note: what an edit changes and a version keeps.
CONTENT_FIELDS = (
    "client_id",
    "session_id",
    "appointment_id",
    "session_date",
    "session_type",
    "duration",
    "mood_before",
    "mood_after",
    "key_points",
    "interventions",
    "homework",
    "progress_notes",
    "private_notes",
    "tags",
    "is_important",
    "hulpvragen_progress",
)


class SessionNote(TimeStampedModel):
    class SessionType(models.TextChoices):
        INITIAL_ASSESSMENT = "Initial Assessment", "Initial assessment"
        REGULAR = "Regular Session", "Regular session"
        CBT = "CBT Session", "CBT session"
        EMDR = "EMDR Session", "EMDR session"
        CRISIS = "Crisis Intervention", "Crisis intervention"
        FAMILY = "Family Therapy", "Family therapy"
        GROUP = "Group Therapy", "Group therapy"
        PROGRESS_REVIEW = "Progress Review", "Progress review"
        TERMINATION = "Termination Session", "Termination session"

    # No index: nothing reads notes by practice alone, and with one PostgreSQL intersects
    # the notes list's "author or assigned client" with all the practice's notes (0.8 ms
    # of a page); the list checks the practice on the few rows it reads instead.
    practice = models.ForeignKey(Practice, on_delete=models.PROTECT, related_name="session_notes", db_index=False)
    therapist = models.ForeignKey(User, on_delete=models.PROTECT, related_name="session_notes", help_text="The author.")
    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="session_notes")
    session = models.ForeignKey(
        "clinical.Session", on_delete=models.PROTECT, related_name="notes", null=True, blank=True
    )
    appointment = models.ForeignKey(
        "scheduling.Appointment", on_delete=models.PROTECT, related_name="session_notes", null=True, blank=True
    )
    session_date = models.DateField(help_text="Local date of the session the note is about.")
    session_type = models.CharField(max_length=32, choices=SessionType.choices, default=SessionType.REGULAR)
    duration = models.PositiveSmallIntegerField(
        default=50, validators=[MinValueValidator(1), MaxValueValidator(480)], help_text="Minutes."
    )
    mood_before = models.PositiveSmallIntegerField(null=True, blank=True, validators=NOTE_MOOD_VALIDATORS)
    mood_after = models.PositiveSmallIntegerField(null=True, blank=True, validators=NOTE_MOOD_VALIDATORS)
    key_points = models.JSONField(default=list, blank=True)
    interventions = models.JSONField(default=list, blank=True)
    homework = models.JSONField(default=list, blank=True)
    progress_notes = models.TextField(blank=True)
    private_notes = models.TextField(blank=True)
    tags = models.JSONField(default=list, blank=True)
    is_important = models.BooleanField(default=False)
    hulpvragen_progress = models.JSONField(
        default=dict, blank=True, help_text="Per request for help: {discussed, progress 0-100, notes}."
    )
    is_locked = models.BooleanField(default=False, help_text="A locked note can no longer be edited or deleted.")
    version = models.PositiveIntegerField(default=1, help_text="Number of the current content; 1 when never edited.")
    deleted_at = models.DateTimeField(null=True, blank=True)
    deleted_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+", null=True, blank=True)

    class Meta:
        verbose_name = _("session note")
        verbose_name_plural = _("session notes")
        ordering = ["-session_date", "-created_at", "id"]
        indexes = [
            # The notes list: an author's notes in the list's order, read in index order
            # and stopped at the page (the practice is compared in the index).
            models.Index(
                fields=["therapist", "practice", "-session_date", "-created_at", "id"],
                name="note_therapist_recent_idx",
                condition=Q(deleted_at__isnull=True),
            ),
            # A client's notes by author in the same order: the list filtered to a client,
            # and whether anyone else wrote about a client (from the index alone).
            models.Index(
                fields=["client", "therapist", "-session_date", "-created_at", "id"],
                name="note_client_author_recent_idx",
                condition=Q(deleted_at__isnull=True),
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(mood_before__isnull=True) | Q(mood_before__gte=1, mood_before__lte=5),
                name="note_mood_before_range",
            ),
            models.CheckConstraint(
                condition=Q(mood_after__isnull=True) | Q(mood_after__gte=1, mood_after__lte=5),
                name="note_mood_after_range",
            ),
            models.CheckConstraint(condition=Q(version__gte=1), name="note_version_positive"),
            models.CheckConstraint(
                condition=Q(deleted_at__isnull=True, deleted_by__isnull=True)
                | Q(deleted_at__isnull=False, deleted_by__isnull=False),
                name="note_deleted_by_with_deleted_at",
            ),
        ]

    def __str__(self) -> str:
        return f"Session note {self.session_date} ({self.pk})"


class SessionNoteVersion(models.Model):
    """The content a note had before an edit: version ``n`` is what the note held while its
    ``version`` was ``n``. Written in the edit's transaction; never changed."""

    note = models.ForeignKey(SessionNote, on_delete=models.PROTECT, related_name="versions")
    version = models.PositiveIntegerField()
    content = models.JSONField(help_text="The note's content fields as they were.")
    edited_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+", help_text="Who replaced it.")
    replaced_at = models.DateTimeField()

    class Meta:
        verbose_name = _("session note version")
        verbose_name_plural = _("session note versions")
        ordering = ["note", "version"]
        constraints = [models.UniqueConstraint(fields=["note", "version"], name="note_version_uniq")]

    def __str__(self) -> str:
        return f"Version {self.version} of note {self.note_id}"
