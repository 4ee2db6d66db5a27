"""Messages between members of one practice (staff and therapists).

Only the sender and the recipient ever read a message; a recipient outside the sender's
practice does not exist (404). The body is health information: it is never logged, every
read of it is in the audit trail (record type ``message``), and the recipient's
notification of a new message names the sender and subject, never the body."""

from collections.abc import Iterable
from uuid import UUID

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from practice.errors import NotFoundError, PermissionDeniedError, ValidationFailed
from practice.models import AuditEvent, Message, User, UserNotification
from practice.services.audit import AuditTarget, audit_log
from practice.services.notifications import user_notify

#: Audit record type of a message read or sent.
MESSAGE = "message"


def message_record_views(*, actor: User, messages: Iterable[Message], ip_address: str | None = None) -> None:
    """Record that ``actor`` read these messages: one audit entry naming them all."""
    audit_log(
        actor=actor,
        action=AuditEvent.Action.VIEW,
        targets=[AuditTarget(MESSAGE, message.pk) for message in messages],
        ip_address=ip_address,
    )


def _messages_path(user: User) -> str:
    # The frontend's inbox route for the recipient's role; staff have none of the
    # therapist pages, so their notification carries no link.
    return "/therapist/messages" if user.is_therapist else ""


@transaction.atomic
def message_send(
    *,
    actor: User,
    recipient_id: UUID,
    content: str,
    subject: str = "",
    priority: str = Message.Priority.NORMAL,
    parent_id: UUID | None = None,
    ip_address: str | None = None,
) -> Message:
    """Send a message to an active member of the actor's practice (anyone else: 404; the
    actor themselves: 400). A reply names a message of the same two people. The recipient
    gets an in-app notification in the same transaction; the send is audited."""
    content = content.strip()
    if not content:
        raise ValidationFailed.for_field("content", gettext("A message needs some text."))
    recipient = (
        User.objects.filter(practice_id=actor.practice_id, is_active=True, pk=recipient_id)
        .only("id", "practice_id", "is_active", "role", "first_name", "last_name", "email")
        .first()
    )
    if recipient is None:
        raise NotFoundError(message=gettext("Recipient not found."))
    if recipient.pk == actor.pk:
        raise ValidationFailed.for_field("recipient_id", gettext("You cannot send a message to yourself."))
    parent = None
    if parent_id is not None:
        pair = [actor.pk, recipient.pk]
        parent = Message.objects.filter(pk=parent_id, sender_id__in=pair, recipient_id__in=pair).first()
        if parent is None:
            raise ValidationFailed.for_field(
                "parent_message_id", gettext("No such message between you and the recipient.")
            )
    message = Message(
        practice_id=actor.practice_id,
        sender=actor,
        recipient=recipient,
        subject=subject.strip(),
        content=content,
        priority=priority,
        parent=parent,
    )
    message.full_clean(exclude=["practice", "sender", "recipient", "parent"], validate_constraints=False)
    message.save(force_insert=True)
    user_notify(
        recipients=[recipient],
        kind=UserNotification.Kind.MESSAGE_RECEIVED,
        title=f"New message from {actor.full_name or actor.email}",
        message=message.subject,
        priority=(
            UserNotification.Priority.HIGH
            if priority in (Message.Priority.HIGH, Message.Priority.URGENT)
            else UserNotification.Priority.MEDIUM
        ),
        action_url=_messages_path(recipient),
        related_entity_type=MESSAGE,
        related_entity_id=message.pk,
    )
    audit_log(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        targets=[AuditTarget(MESSAGE, message.pk, changed_fields=("subject", "content"))],
        ip_address=ip_address,
    )
    return message


@transaction.atomic
def message_mark_read(*, actor: User, message_id: UUID, ip_address: str | None = None) -> Message:
    """The recipient marks a message read (the read receipt the sender sees). Marking it
    again keeps the first time; the sender may not mark it (403); anyone else: 404."""
    message = (
        Message.objects.select_for_update(of=("self",))
        .select_related("sender", "recipient")
        .filter(pk=message_id, practice_id=actor.practice_id)
        .first()
    )
    if message is None or actor.pk not in (message.sender_id, message.recipient_id):
        raise NotFoundError(message=gettext("Message not found."))
    if message.recipient_id != actor.pk:
        raise PermissionDeniedError(message=gettext("Only the recipient marks a message read."))
    if message.read_at is None:
        message.read_at = timezone.now()
        message.save(update_fields=["read_at", "updated_at"])
    message_record_views(actor=actor, messages=[message], ip_address=ip_address)
    return message
