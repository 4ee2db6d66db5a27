"""Demo in-app notifications for therapist1@demo.example: staff booked and moved two of
their upcoming appointments, cancelled a third (for real, through ``appointment_cancel``)
and recorded a recent no-show. Written by the services the real changes use."""

from datetime import timedelta

from practice.demo.core import DemoContext, demo_practices
from practice.models import UserNotification
from scheduling.models import Appointment
from scheduling.services.appointments import appointment_cancel
from scheduling.services.therapist_notices import Kind, appointment_notify_therapist


def reset() -> None:
    UserNotification.objects.filter(practice__in=list(demo_practices()), related_entity_type="appointment").delete()


def seed(ctx: DemoContext) -> None:
    therapist = ctx.therapists[0]
    mine = Appointment.objects.filter(therapist=therapist).select_related("client", "practice", "therapist")
    upcoming = list(mine.filter(starts_at__gt=ctx.now, status=Appointment.Status.SCHEDULED).order_by("starts_at")[:3])
    missed = list(mine.filter(status=Appointment.Status.NO_SHOW, starts_at__lt=ctx.now).order_by("-starts_at")[:1])
    events = [
        *zip(upcoming, [Kind.APPOINTMENT_BOOKED, Kind.APPOINTMENT_MOVED, Kind.APPOINTMENT_CANCELLED], strict=False),
        *((appointment, Kind.APPOINTMENT_NO_SHOW) for appointment in missed),
    ]
    for hours_ago, (appointment, kind) in enumerate(events, start=1):
        if kind == Kind.APPOINTMENT_CANCELLED:
            appointment_cancel(actor=ctx.staff, appointment_id=appointment.pk, reason="Client asked to reschedule")
        else:
            appointment_notify_therapist(actor=ctx.staff, appointment=appointment, kind=kind)
        when = ctx.now - timedelta(hours=3 * hours_ago)
        # The oldest one has been read.
        is_read = hours_ago == len(events)
        UserNotification.objects.filter(related_entity_id=appointment.pk, kind=kind).update(
            created_at=when, is_read=is_read, read_at=when + timedelta(minutes=5) if is_read else None
        )
    ctx.log.append(f"notifications: {len(events)} appointment notices for {therapist.email}")
