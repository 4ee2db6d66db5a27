"""In-app notifications: written by the domain inside the transaction of the event they
report, read and dismissed by their recipient only.

A notification's text may name a client: it is never logged."""

from collections.abc import Iterable
from uuid import UUID

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from practice.errors import NotFoundError
from practice.models import User, UserNotification

TITLE_MAX = UserNotification._meta.get_field("title").max_length
MESSAGE_MAX = UserNotification._meta.get_field("message").max_length


@transaction.atomic
def user_notify(
    *,
    recipients: Iterable[User],
    kind: str,
    title: str,
    message: str = "",
    priority: str = UserNotification.Priority.MEDIUM,
    action_url: str = "",
    related_entity_type: str = "",
    related_entity_id: UUID | None = None,
) -> list[UserNotification]:
    """Notify each recipient (once, however often they are listed) with one bulk insert.

    Runs in the caller's transaction: an event that is rolled back leaves no notification.
    Inactive users and users without a practice are skipped; text longer than the columns
    is cut, so a long name never makes the event itself fail."""
    unique = {user.pk: user for user in recipients if user.is_active and user.practice_id}
    if kind not in UserNotification.Kind.values:
        raise ValueError(f"Unknown notification kind {kind!r}")
    now = timezone.now()
    rows = [
        UserNotification(
            practice_id=user.practice_id,
            recipient=user,
            kind=kind,
            priority=priority,
            title=title[:TITLE_MAX],
            message=message[:MESSAGE_MAX],
            action_url=action_url,
            related_entity_type=related_entity_type,
            related_entity_id=related_entity_id,
            created_at=now,
        )
        for user in unique.values()
    ]
    return UserNotification.objects.bulk_create(rows)


def _own(*, actor: User, notification_id: UUID) -> UserNotification:
    notification = (
        UserNotification.objects.select_for_update().filter(pk=notification_id, recipient_id=actor.pk).first()
    )
    if notification is None:
        raise NotFoundError(message=gettext("Notification not found."))
    return notification


@transaction.atomic
def notification_mark_read(*, actor: User, notification_id: UUID) -> UserNotification:
    """Mark one of the actor's notifications read (again: a no-op that keeps the first
    ``read_at``). Anyone else's is a 404."""
    notification = _own(actor=actor, notification_id=notification_id)
    if not notification.is_read:
        notification.is_read = True
        notification.read_at = timezone.now()
        notification.save(update_fields=["is_read", "read_at"])
    return notification


@transaction.atomic
def notification_mark_all_read(*, actor: User) -> int:
    """Mark all of the actor's unread notifications read, in one statement; returns how many."""
    return UserNotification.objects.filter(recipient_id=actor.pk, is_read=False).update(
        is_read=True, read_at=timezone.now()
    )


@transaction.atomic
def notification_delete(*, actor: User, notification_id: UUID) -> None:
    """Remove one of the actor's notifications. Anyone else's is a 404."""
    deleted, _ = UserNotification.objects.filter(pk=notification_id, recipient_id=actor.pk).delete()
    if not deleted:
        raise NotFoundError(message=gettext("Notification not found."))
