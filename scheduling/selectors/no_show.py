"""Reads for recording no-shows."""

from django.db.models import OuterRef, Subquery

from practice.models import Practice
from scheduling.models import Appointment, NoShowPolicy, NoShowRecord, Notification


def no_show_policy_active(*, practice: Practice) -> NoShowPolicy | None:
    """The practice's active policy, if it has one (there is at most one)."""
    return NoShowPolicy.objects.filter(practice=practice, is_active=True).first()


def no_show_record_for_appointment(*, appointment: Appointment) -> NoShowRecord | None:
    """The appointment's no-show record with what its payload shows, in one query:
    ``notification_status`` is the state of its latest notification (None without one)."""
    latest_notification = Notification.objects.filter(no_show_record=OuterRef("pk")).order_by("-created_at")
    return (
        NoShowRecord.objects.select_related("appointment", "applied_by")
        .annotate(notification_status=Subquery(latest_notification.values("status")[:1]))
        .filter(appointment=appointment)
        .first()
    )
