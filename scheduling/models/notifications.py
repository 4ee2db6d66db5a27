"""The notification outbox. A message is written here in the same transaction as the
change that causes it and delivered after commit, so a mail failure never loses or undoes
the change: the row keeps the error and is retried by ``send_pending_notifications``."""

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from practice.models import Client, Practice, TimeStampedModel

from .no_show import NoShowRecord


class Notification(TimeStampedModel):
    class Kind(models.TextChoices):
        NO_SHOW = "no_show", _("No-show")
        INVOICE = "invoice", _("Invoice")

    class Channel(models.TextChoices):
        EMAIL = "email", _("Email")

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    practice = models.ForeignKey(Practice, on_delete=models.PROTECT, related_name="notifications")
    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="notifications")
    kind = models.CharField(max_length=32, choices=Kind.choices)
    channel = models.CharField(max_length=16, choices=Channel.choices, default=Channel.EMAIL)
    to_address = models.EmailField()
    subject = models.CharField(max_length=255)
    text_body = models.TextField()
    html_body = models.TextField(blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    next_attempt_at = models.DateTimeField(
        default=timezone.now,
        null=True,
        blank=True,
        help_text="When delivery may next be tried; empty once sent or when retries are used up.",
    )
    sent_at = models.DateTimeField(null=True, blank=True)
    no_show_record = models.ForeignKey(
        NoShowRecord, on_delete=models.PROTECT, related_name="notifications", null=True, blank=True
    )

    class Meta:
        verbose_name = _("outgoing email")
        verbose_name_plural = _("outgoing emails")
        ordering = ["-created_at"]
        indexes = [
            # The delivery command's scan: only undelivered rows, by due time.
            models.Index(
                fields=["next_attempt_at"],
                condition=Q(status__in=["pending", "failed"]),
                name="notification_due_idx",
            ),
            models.Index(fields=["practice", "status", "created_at"], name="notification_practice_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.get_channel_display().lower()} ({self.status})"
