"""Delivery of the notification outbox.

A notification is claimed in a short transaction (row lock, ``SKIP LOCKED``, its next
attempt pushed a lease ahead and the attempt counted) and sent outside any transaction, so
a slow mail server never holds locks and two senders never send the same row. A send that
fails is recorded on the row and retried with exponential backoff until the retry limit."""

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from uuid import UUID

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from practice.models import Client, Practice
from scheduling.models import NoShowRecord, Notification
from scheduling.selectors.notifications import notifications_due

logger = logging.getLogger(__name__)

#: Attempts before a notification is given up (it then waits for "retry now" in the admin).
#: With the backoff below, the last one is about two hours after the first: long enough
#: to ride out a mail server restart or a short outage.
MAX_ATTEMPTS = 8
#: Wait after the first failure; doubled after each further one (1, 2, 4, ... 64 minutes).
BACKOFF_BASE = timedelta(minutes=1)
#: How long a claimed row is left alone by other senders before it counts as abandoned.
CLAIM_LEASE = timedelta(minutes=10)
#: Stored errors are cut to this length.
ERROR_MAX_LENGTH = 1000


def retry_delay(attempts: int) -> timedelta:
    """Exponential backoff: the wait after the ``attempts``-th failed attempt."""
    return BACKOFF_BASE * (2 ** max(attempts - 1, 0))


@transaction.atomic
def notification_queue_email(
    *,
    practice: Practice,
    client: Client,
    kind: str,
    to_address: str,
    subject: str,
    text_body: str,
    html_body: str,
    no_show_record: NoShowRecord | None = None,
) -> Notification:
    """Write an email to the outbox, in the caller's transaction, and deliver it once that
    transaction commits. If the caller's transaction rolls back, nothing is sent."""
    notification = Notification(
        practice=practice,
        client=client,
        kind=kind,
        channel=Notification.Channel.EMAIL,
        to_address=to_address,
        subject=subject,
        text_body=text_body,
        html_body=html_body,
        status=Notification.Status.PENDING,
        next_attempt_at=timezone.now(),
        no_show_record=no_show_record,
    )
    # The related rows come from the caller's transaction; only the values need checking.
    notification.full_clean(
        exclude=["id", "practice", "client", "no_show_record"], validate_unique=False, validate_constraints=False
    )
    notification.save(force_insert=True)
    transaction.on_commit(lambda: notifications_deliver_after_commit(ids=[notification.pk]), robust=True)
    return notification


def notifications_claim(
    *, now: datetime | None = None, limit: int = 100, ids: Iterable[UUID] | None = None
) -> list[Notification]:
    """Claim up to ``limit`` due notifications (optionally only among ``ids``) for sending.

    Rows locked by another sender are skipped, and each claimed row's next attempt moves a
    lease ahead, so a concurrent or later sender does not pick it up while it is being
    sent. The attempt is counted here: a sender that dies mid-send still used an attempt."""
    now = now or timezone.now()
    with transaction.atomic():
        qs = notifications_due(now=now)
        if ids is not None:
            qs = qs.filter(pk__in=list(ids))
        rows = list(qs.select_for_update(skip_locked=True)[:limit])
        if not rows:
            return []
        lease_until = now + CLAIM_LEASE
        Notification.objects.filter(pk__in=[row.pk for row in rows]).update(
            attempts=F("attempts") + 1, next_attempt_at=lease_until, updated_at=now
        )
    for row in rows:
        row.attempts += 1
        row.next_attempt_at = lease_until
    return rows


def notification_send(*, notification: Notification, connection=None) -> Notification:
    """Send one claimed notification through Django's email backend and record the
    outcome: ``sent``, or ``failed`` with the error and, while attempts remain, the time
    of the next one. Never raises for a mail failure."""
    message = EmailMultiAlternatives(
        subject=notification.subject,
        body=notification.text_body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[notification.to_address],
        connection=connection,
    )
    if notification.html_body:
        message.attach_alternative(notification.html_body, "text/html")
    now = timezone.now()
    try:
        message.send(fail_silently=False)
    except Exception as exc:  # any backend error (SMTP, DNS, TLS, ...) is a failed attempt
        notification.status = Notification.Status.FAILED
        notification.last_error = f"{type(exc).__name__}: {exc}"[:ERROR_MAX_LENGTH]
        notification.next_attempt_at = (
            now + retry_delay(notification.attempts) if notification.attempts < MAX_ATTEMPTS else None
        )
        logger.warning("Notification %s failed (attempt %s): %s", notification.pk, notification.attempts, exc)
    else:
        notification.status = Notification.Status.SENT
        notification.sent_at = now
        notification.last_error = ""
        notification.next_attempt_at = None
    notification.save(update_fields=["status", "last_error", "next_attempt_at", "sent_at", "updated_at"])
    return notification


@dataclass
class DeliveryReport:
    sent: list[Notification] = field(default_factory=list)
    failed: list[Notification] = field(default_factory=list)

    @property
    def given_up(self) -> list[Notification]:
        return [n for n in self.failed if n.next_attempt_at is None]


def notifications_send_due(*, limit: int = 100, ids: Iterable[UUID] | None = None) -> DeliveryReport:
    """Claim and send due notifications in batches of ``limit`` until none is due.

    Safe to run several times at once: each row is claimed by exactly one sender."""
    report = DeliveryReport()
    connection = get_connection(fail_silently=False)
    while batch := notifications_claim(limit=limit, ids=ids):
        for notification in batch:
            notification_send(notification=notification, connection=connection)
            (report.sent if notification.status == Notification.Status.SENT else report.failed).append(notification)
        if ids is not None:
            break
    return report


def notifications_deliver_after_commit(*, ids: list[UUID]) -> None:
    """The after-commit hook: try to deliver right away. Whatever goes wrong is logged and
    left on the row for ``send_pending_notifications``; it never reaches the response."""
    try:
        notifications_send_due(ids=ids)
    except Exception:
        logger.exception("Immediate delivery of notifications %s failed; they stay queued.", ids)


@transaction.atomic
def notifications_retry_now(*, ids: Iterable[UUID]) -> int:
    """Make undelivered notifications due now, whatever their attempts so far, and try to
    deliver them after commit. Sent ones are left alone. Returns how many were queued."""
    now = timezone.now()
    queued = Notification.objects.filter(pk__in=list(ids)).exclude(status=Notification.Status.SENT)
    queued_ids = list(queued.values_list("pk", flat=True))
    if not queued_ids:
        return 0
    Notification.objects.filter(pk__in=queued_ids).update(
        status=Notification.Status.PENDING, next_attempt_at=now, updated_at=now
    )
    transaction.on_commit(lambda: notifications_deliver_after_commit(ids=queued_ids), robust=True)
    return len(queued_ids)
