"""Demo messages: a conversation between therapist1@demo.example and staff@demo.example
(the last one unread), a note between two therapists, and the notifications the messages
raise. Sent through ``message_send``, so they are audited and notify like real ones."""

from datetime import timedelta

from practice.demo.core import DemoContext, demo_practices
from practice.models import Message, UserNotification
from practice.services.messages import message_send

CONVERSATION = [
    # (from staff?, subject, text, minutes before now)
    (True, "Intake next week", "A new referral asked for an intake next week. Do you have a slot on Tuesday?", 2880),
    (False, "Re: Intake next week", "Tuesday 14:30 works for me. Please book it as an intake.", 2820),
    (True, "Re: Intake next week", "Booked. I have sent the intake forms to the client.", 2790),
    (True, "Invoice question", "A client asked about their last invoice; can you confirm the session length?", 95),
]
COLLEAGUE_NOTE = ("Peer review", "Could you review my treatment plan for a shared client before Friday?", 600)


def reset() -> None:
    """Remove the demo practices' messages and notifications (before their users go)."""
    practices = list(demo_practices())
    UserNotification.objects.filter(practice__in=practices).delete()
    Message.objects.filter(practice__in=practices, parent__isnull=False).delete()
    Message.objects.filter(practice__in=practices).delete()


def seed(ctx: DemoContext) -> None:
    therapist, colleague = ctx.therapists[0], ctx.therapists[1]
    sent = []
    for from_staff, subject, text, minutes_ago in CONVERSATION:
        sender, recipient = (ctx.staff, therapist) if from_staff else (therapist, ctx.staff)
        sent.append((message_send(actor=sender, recipient_id=recipient.pk, subject=subject, content=text), minutes_ago))
    subject, text, minutes_ago = COLLEAGUE_NOTE
    sent.append((message_send(actor=colleague, recipient_id=therapist.pk, subject=subject, content=text), minutes_ago))
    for message, minutes_ago in sent:
        when = ctx.now - timedelta(minutes=minutes_ago)
        # Everything but the two latest messages to the therapist has been read.
        read_at = None if minutes_ago < 700 else when + timedelta(minutes=20)
        Message.objects.filter(pk=message.pk).update(created_at=when, updated_at=when, read_at=read_at)
        UserNotification.objects.filter(related_entity_id=message.pk).update(
            created_at=when, is_read=read_at is not None, read_at=read_at
        )
    ctx.log.append(f"messages: {len(sent)} messages, a conversation between {therapist.email} and {ctx.staff.email}")
