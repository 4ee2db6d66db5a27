"""Work between sessions: challenges and resources a therapist writes once and assigns to
their clients, with the status of each assignment.

Content is practice-wide (``is_public``: every therapist of the practice may assign it) or
the author's own. Content that was ever assigned is never removed, only hidden
(``deleted_at``), so a client's assignments keep what they were given."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from practice.models import Client, Practice, TimeStampedModel, User


class Difficulty(models.TextChoices):
    BEGINNER = "beginner", _("Beginner")
    INTERMEDIATE = "intermediate", _("Intermediate")
    ADVANCED = "advanced", _("Advanced")


class AssignmentStatus(models.TextChoices):
    ASSIGNED = "assigned", _("Assigned")
    IN_PROGRESS = "in_progress", _("In progress")
    COMPLETED = "completed", _("Completed")


#: Statuses of an assignment the client is still working on: at most one per item and client.
OPEN_STATUSES = (AssignmentStatus.ASSIGNED, AssignmentStatus.IN_PROGRESS)


class HomeworkContent(TimeStampedModel):
    """Fields challenges and resources share (each declares its own practice and author)."""

    title = models.CharField(max_length=200)
    description = models.TextField(max_length=5000, blank=True)
    category = models.CharField(max_length=50)
    difficulty = models.CharField(max_length=16, choices=Difficulty.choices, default=Difficulty.BEGINNER)
    is_public = models.BooleanField(
        default=False, help_text="Practice-wide: every therapist of the practice may use it."
    )
    deleted_at = models.DateTimeField(null=True, blank=True, help_text="Hidden: deleted after it was assigned.")

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.title


class Challenge(HomeworkContent):
    """A guided exercise over days or weeks (breathing, gratitude, sleep, ...)."""

    practice = models.ForeignKey(Practice, on_delete=models.PROTECT, related_name="challenges")
    author = models.ForeignKey(User, on_delete=models.PROTECT, related_name="challenges")
    duration_days = models.PositiveSmallIntegerField(
        default=30, validators=[MinValueValidator(1), MaxValueValidator(365)]
    )
    duration_minutes = models.PositiveSmallIntegerField(
        default=15, validators=[MinValueValidator(1), MaxValueValidator(480)], help_text="Minutes per exercise."
    )
    frequency_per_week = models.PositiveSmallIntegerField(
        default=7, validators=[MinValueValidator(1), MaxValueValidator(21)]
    )
    total_weeks = models.PositiveSmallIntegerField(default=4, validators=[MinValueValidator(1), MaxValueValidator(52)])
    target_value = models.PositiveIntegerField(default=30, validators=[MaxValueValidator(100_000)])
    target_unit = models.CharField(max_length=32, default="days")
    instructions = models.JSONField(default=list, blank=True)
    tips = models.JSONField(default=list, blank=True)
    milestones = models.JSONField(default=list, blank=True, help_text="[{title, target, reward}]")
    rewards = models.JSONField(default=dict, blank=True, help_text="{completion, milestones}")

    class Meta:
        verbose_name = _("challenge")
        verbose_name_plural = _("challenges")
        ordering = ["-created_at", "id"]
        indexes = [models.Index(fields=["practice", "is_public", "created_at"], name="challenge_practice_idx")]
        constraints = [
            models.CheckConstraint(condition=Q(duration_days__gte=1, duration_days__lte=365), name="challenge_days")
        ]


class Resource(HomeworkContent):
    """Reading, watching or practising material: text written here, or a link to an http(s)
    address that is stored and shown, never fetched by the server."""

    class Type(models.TextChoices):
        ARTICLE = "article", _("Article")
        VIDEO = "video", _("Video")
        DOCUMENT = "document", _("Document")
        LINK = "link", _("Link")
        EXERCISE = "exercise", _("Exercise")
        PDF = "pdf", _("PDF")
        AUDIO = "audio", _("Audio")
        INTERACTIVE = "interactive", _("Interactive")
        EXTERNAL = "external", _("External")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        ARCHIVED = "archived", _("Archived")

    practice = models.ForeignKey(Practice, on_delete=models.PROTECT, related_name="resources")
    author = models.ForeignKey(User, on_delete=models.PROTECT, related_name="resources")
    type = models.CharField(max_length=16, choices=Type.choices, default=Type.ARTICLE)
    short_description = models.CharField(max_length=300, blank=True)
    content_body = models.TextField(max_length=50_000, blank=True)
    content_url = models.URLField(max_length=2000, blank=True)
    duration_minutes = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(1440)]
    )
    tags = models.JSONField(default=list, blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PUBLISHED)

    class Meta:
        verbose_name = _("resource")
        verbose_name_plural = _("resources")
        ordering = ["-created_at", "id"]
        indexes = [models.Index(fields=["practice", "is_public", "created_at"], name="resource_practice_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(content_url="")
                | Q(content_url__startswith="http://")
                | Q(content_url__startswith="https://"),
                name="resource_url_is_http",
            )
        ]


def _assignment_constraints(item: str, prefix: str) -> list:
    return [
        # One open assignment per item and client; a completed one may be assigned again.
        models.UniqueConstraint(
            fields=[item, "client"], condition=Q(status__in=OPEN_STATUSES), name=f"{prefix}_one_open_per_client"
        ),
        models.CheckConstraint(
            condition=Q(status=AssignmentStatus.COMPLETED, completed_at__isnull=False)
            | (~Q(status=AssignmentStatus.COMPLETED) & Q(completed_at__isnull=True)),
            name=f"{prefix}_completed_has_time",
        ),
    ]


class HomeworkAssignment(TimeStampedModel):
    """``created_at`` is when it was assigned; ``therapist`` who assigned it."""

    status = models.CharField(max_length=16, choices=AssignmentStatus.choices, default=AssignmentStatus.ASSIGNED)
    due_date = models.DateField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class ChallengeAssignment(HomeworkAssignment):
    practice = models.ForeignKey(Practice, on_delete=models.PROTECT, related_name="challenge_assignments")
    challenge = models.ForeignKey(Challenge, on_delete=models.PROTECT, related_name="assignments")
    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="challenge_assignments")
    therapist = models.ForeignKey(User, on_delete=models.PROTECT, related_name="challenge_assignments")
    session = models.ForeignKey(
        "clinical.Session", on_delete=models.PROTECT, related_name="challenge_assignments", null=True, blank=True
    )
    start_date = models.DateField()
    custom_instructions = models.TextField(max_length=5000, blank=True)

    class Meta:
        verbose_name = _("assigned challenge")
        verbose_name_plural = _("assigned challenges")
        ordering = ["-created_at", "id"]
        indexes = [models.Index(fields=["client", "status"], name="challenge_assign_client_idx")]
        constraints = _assignment_constraints("challenge", "challenge_assignment")

    def __str__(self) -> str:
        return f"{self.challenge_id} for {self.client_id} ({self.status})"


class ResourceAssignment(HomeworkAssignment):
    class Priority(models.TextChoices):
        LOW = "low", _("Low")
        NORMAL = "normal", _("Normal")
        HIGH = "high", _("High")
        URGENT = "urgent", _("Urgent")

    practice = models.ForeignKey(Practice, on_delete=models.PROTECT, related_name="resource_assignments")
    resource = models.ForeignKey(Resource, on_delete=models.PROTECT, related_name="assignments")
    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="resource_assignments")
    therapist = models.ForeignKey(User, on_delete=models.PROTECT, related_name="resource_assignments")
    session = models.ForeignKey(
        "clinical.Session", on_delete=models.PROTECT, related_name="resource_assignments", null=True, blank=True
    )
    priority = models.CharField(max_length=8, choices=Priority.choices, default=Priority.NORMAL)
    notes = models.TextField(max_length=5000, blank=True)

    class Meta:
        verbose_name = _("assigned resource")
        verbose_name_plural = _("assigned resources")
        ordering = ["-created_at", "id"]
        indexes = [models.Index(fields=["client", "status"], name="resource_assign_client_idx")]
        constraints = _assignment_constraints("resource", "resource_assignment")

    def __str__(self) -> str:
        return f"{self.resource_id} for {self.client_id} ({self.status})"
