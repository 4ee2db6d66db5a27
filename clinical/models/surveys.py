from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from practice.models import Client, Practice, TimeStampedModel, User

from ..scoring import SEVERITY_CODES
from ..scoring import Instrument as ScoredInstrument
from .sessions import Session


class Survey(TimeStampedModel):
    """A questionnaire a therapist assigns to clients, or a built-in scored instrument.

    A therapist's own (``is_practice_wide`` false) is seen only by its author; a
    practice-wide one by every therapist of the practice. The standard instruments (PHQ-9,
    GAD-7) are practice-wide, have no author and never change. ``questions`` is the list of
    items in order (id, text, type, required and the type's options), validated on the way
    in; a survey's questions do not change once it exists, so its answers always match."""

    class Type(models.TextChoices):
        ASSESSMENT = "assessment", _("Assessment")
        FEEDBACK = "feedback", _("Feedback")
        SCREENING = "screening", _("Screening")
        QUESTIONNAIRE = "questionnaire", _("Questionnaire")

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        DRAFT = "draft", _("Draft")
        ARCHIVED = "archived", _("Archived")

    class Instrument(models.TextChoices):
        PHQ9 = ScoredInstrument.PHQ9, "PHQ-9"
        GAD7 = ScoredInstrument.GAD7, "GAD-7"

    practice = models.ForeignKey(Practice, on_delete=models.PROTECT, related_name="surveys")
    created_by = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="surveys", null=True, blank=True, help_text="Empty for a standard."
    )
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    type = models.CharField(max_length=16, choices=Type.choices, default=Type.ASSESSMENT)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.ACTIVE)
    is_template = models.BooleanField(default=False, help_text="A starting point to copy from.")
    is_practice_wide = models.BooleanField(default=False, help_text="Seen by every therapist of the practice.")
    is_standard = models.BooleanField(default=False, help_text="A built-in scored instrument: read-only.")
    instrument = models.CharField(max_length=8, choices=Instrument.choices, blank=True)
    questions = models.JSONField(default=list)
    deleted_at = models.DateTimeField(null=True, blank=True, help_text="Deleted by its author; kept, never shown.")

    class Meta:
        verbose_name = _("questionnaire")
        verbose_name_plural = _("questionnaires")
        ordering = ["-is_standard", "-created_at", "id"]
        indexes = [models.Index(fields=["practice", "created_by"], name="survey_practice_author_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["practice", "instrument"],
                condition=~Q(instrument=""),
                name="survey_one_instrument_per_practice",
            ),
            models.CheckConstraint(
                condition=Q(is_standard=False, created_by__isnull=False)
                | Q(is_standard=True, created_by__isnull=True, is_practice_wide=True),
                name="survey_standard_xor_author",
            ),
            models.CheckConstraint(condition=Q(instrument="") | Q(is_standard=True), name="survey_instrument_standard"),
        ]

    def __str__(self) -> str:
        return self.title


class SurveyAssignment(TimeStampedModel):
    """A survey given to one client to fill in, optionally by a due date. One open
    (pending) assignment per survey and client: the database refuses a second."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        COMPLETED = "completed", _("Completed")
        CANCELLED = "cancelled", _("Cancelled")

    class Recurrence(models.TextChoices):
        DAILY = "daily", _("Daily")
        WEEKLY = "weekly", _("Weekly")
        BIWEEKLY = "biweekly", _("Every two weeks")
        MONTHLY = "monthly", _("Monthly")

    practice = models.ForeignKey(Practice, on_delete=models.PROTECT, related_name="survey_assignments")
    survey = models.ForeignKey(Survey, on_delete=models.PROTECT, related_name="assignments")
    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="survey_assignments")
    assigned_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="survey_assignments")
    session = models.ForeignKey(
        Session, on_delete=models.PROTECT, related_name="survey_assignments", null=True, blank=True
    )
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    due_date = models.DateField(null=True, blank=True, help_text="Local date in the practice's time zone.")
    is_recurring = models.BooleanField(default=False)
    recurrence_pattern = models.CharField(max_length=16, choices=Recurrence.choices, blank=True)
    notes = models.TextField(blank=True)
    send_notification = models.BooleanField(default=True, help_text="Tell the client (once the client portal exists).")
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("assigned questionnaire")
        verbose_name_plural = _("assigned questionnaires")
        ordering = ["-created_at", "id"]
        indexes = [
            models.Index(fields=["survey", "status"], name="surveyassign_survey_status_idx"),
            models.Index(fields=["client", "status"], name="surveyassign_client_status_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "client"], condition=Q(status="pending"), name="surveyassign_one_pending"
            ),
            models.CheckConstraint(
                condition=Q(is_recurring=False, recurrence_pattern="")
                | Q(is_recurring=True) & ~Q(recurrence_pattern=""),
                name="surveyassign_recurrence_pattern",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.survey} for {self.client}"


class SurveyResponse(TimeStampedModel):
    """One filled-in survey of one client (health data: audited on every read and write).

    ``answers`` holds ``{"questionId", "value"}`` in the survey's question order. For a
    scored instrument the server computes ``total_score`` and ``severity`` and flags the
    answers that need the therapist's follow-up (PHQ-9 item 9 above 0)."""

    practice = models.ForeignKey(Practice, on_delete=models.PROTECT, related_name="survey_responses")
    survey = models.ForeignKey(Survey, on_delete=models.PROTECT, related_name="responses")
    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="survey_responses")
    assignment = models.OneToOneField(
        SurveyAssignment, on_delete=models.PROTECT, related_name="response", null=True, blank=True
    )
    session = models.ForeignKey(
        Session, on_delete=models.PROTECT, related_name="survey_responses", null=True, blank=True
    )
    entered_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="survey_responses_entered")
    submitted_at = models.DateTimeField()
    completion_time_minutes = models.PositiveSmallIntegerField(null=True, blank=True)
    answers = models.JSONField(default=list)
    instrument = models.CharField(max_length=8, choices=Survey.Instrument.choices, blank=True)
    total_score = models.PositiveSmallIntegerField(null=True, blank=True)
    severity = models.CharField(max_length=24, choices=[(code, code) for code in SEVERITY_CODES], blank=True)
    needs_follow_up = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("questionnaire response")
        verbose_name_plural = _("questionnaire responses")
        ordering = ["-submitted_at", "id"]
        indexes = [
            models.Index(fields=["survey", "submitted_at"], name="surveyresp_survey_idx"),
            models.Index(fields=["client", "instrument", "submitted_at"], name="surveyresp_client_instr_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(instrument="", total_score__isnull=True, severity="")
                | ~Q(instrument="") & Q(total_score__isnull=False) & ~Q(severity=""),
                name="surveyresp_scored_iff_instrument",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.survey} by {self.client} on {self.submitted_at:%Y-%m-%d}"
