from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from practice.models import Client, TimeStampedModel, User


class MedicalHistory(TimeStampedModel):
    """One per client; read and written only by the client's assigned therapist(s)."""

    client = models.OneToOneField(Client, on_delete=models.PROTECT, related_name="medical_history")
    current_medications = models.JSONField(default=list, blank=True)
    allergies = models.JSONField(default=list, blank=True)
    previous_therapy = models.BooleanField(default=False)
    previous_therapy_details = models.TextField(blank=True)
    medical_conditions = models.JSONField(default=list, blank=True)
    hospitalizations = models.JSONField(default=list, blank=True)
    updated_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+", null=True, blank=True)

    class Meta:
        verbose_name = _("medical history")
        verbose_name_plural = _("medical histories")

    def __str__(self) -> str:
        return f"Medical history of {self.client}"


class TherapyGoal(TimeStampedModel):
    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        COMPLETED = "completed", _("Completed")
        PAUSED = "paused", _("Paused")

    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="therapy_goals")
    therapist = models.ForeignKey(User, on_delete=models.PROTECT, related_name="therapy_goals")
    goal = models.CharField(max_length=500)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.ACTIVE)
    progress = models.PositiveSmallIntegerField(default=0, validators=[MinValueValidator(0), MaxValueValidator(100)])
    target_date = models.DateField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("therapy goal")
        verbose_name_plural = _("therapy goals")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["client", "status"], name="goal_client_status_idx")]
        constraints = [
            models.CheckConstraint(condition=Q(progress__gte=0, progress__lte=100), name="goal_progress_range"),
            models.CheckConstraint(condition=~Q(status="completed") | Q(progress=100), name="goal_completed_is_100"),
        ]

    def __str__(self) -> str:
        return self.goal[:60]
