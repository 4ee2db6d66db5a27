"""Reads of the notification outbox."""

from datetime import datetime

from django.db.models import QuerySet

from scheduling.models import Notification


def notifications_due(*, now: datetime) -> QuerySet[Notification]:
    """Undelivered notifications whose next attempt is due, oldest due first. Rows whose
    retries are used up have no next attempt and are never due (until retried by hand)."""
    return Notification.objects.filter(
        status__in=[Notification.Status.PENDING, Notification.Status.FAILED], next_attempt_at__lte=now
    ).order_by("next_attempt_at", "id")
