"""Demo data for no-shows: the demo practice's policy and a few past no-shows with fees,
recorded through the service (so each has its audit entry), on appointments of its own."""

from datetime import datetime, time, timedelta
from decimal import Decimal

from practice.demo.core import DemoContext, demo_practices
from scheduling.models import Appointment, NoShowPolicy, NoShowRecord, Notification
from scheduling.services.no_show import appointment_mark_no_show

#: Marks the appointments this module creates, so that ``reset`` removes only those.
DEMO_NOTE = "Demo appointment (missed)."
REASONS = [
    "Client did not arrive and did not answer the phone.",
    "No cancellation received; client forgot the appointment.",
    "Client did not join the video call.",
    "Client arrived after the session time had passed.",
]


def reset() -> None:
    practices = list(demo_practices())
    Notification.objects.filter(practice__in=practices).delete()
    records = NoShowRecord.objects.filter(practice__in=practices)
    appointment_ids = list(records.filter(appointment__notes=DEMO_NOTE).values_list("appointment_id", flat=True))
    records.delete()
    Appointment.objects.filter(pk__in=appointment_ids).delete()
    NoShowPolicy.objects.filter(practice__in=practices).delete()


def seed(ctx: DemoContext) -> None:
    practice = ctx.practice
    policy = NoShowPolicy(
        practice=practice,
        name="Standaard no-showbeleid",
        default_fee=Decimal("45.00"),
        maximum_fee=Decimal("90.00"),
        grace_minutes=15,
        notify_by_default=True,
    )
    policy.full_clean()
    policy.save()
    created = 0
    for index, client in enumerate(ctx.clients[:8:2]):
        therapist = client.therapists.order_by("email").first()
        # Early mornings a few weeks back, clear of the practice's usual session hours.
        day = ctx.today - timedelta(days=7 * (index + 1) + ctx.rng.randint(0, 3))
        starts_at = datetime.combine(day, time(7, 0), tzinfo=practice.tzinfo)
        appointment = Appointment.objects.create(
            practice=practice,
            therapist=therapist,
            client=client,
            starts_at=starts_at,
            ends_at=starts_at + timedelta(minutes=50),
            status=Appointment.Status.CONFIRMED,
            notes=DEMO_NOTE,
        )
        custom_fee = index % 3 == 2
        appointment_mark_no_show(
            actor=therapist,
            appointment_id=appointment.pk,
            reason=ctx.rng.choice(REASONS),
            apply_fee=index != 1,
            fee_amount=Decimal("60.00") if custom_fee else None,
            notify_client=False,
        )
        created += 1
    ctx.log.append(f"no-shows: 1 policy, {created} past no-shows with their fees")
