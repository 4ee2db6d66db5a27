"""Demo recurring series: a weekly one with two holiday exceptions, a biweekly one and a
monthly one, each starting from its own first appointment. They are built through the
same service as the API, so the demo shows exactly what a therapist would get."""

from datetime import date, time, timedelta

from dateutil.relativedelta import relativedelta

from practice.demo.core import DemoContext, demo_practices
from practice.models import Client, User
from scheduling.models import Appointment, RecurringSeries
from scheduling.recurrence import local_to_utc, pattern_dates
from scheduling.services.recurring import recurring_series_set

# (pattern, days from today to the first appointment, local start, months the series runs)
# Early-morning and evening slots keep clear of the day's other demo appointments.
SERIES = [
    ("weekly", 1, time(8, 0), 9),
    ("biweekly", 2, time(18, 0), 6),
    ("monthly", 3, time(7, 30), 12),
]


def _first_appointment(ctx: DemoContext, therapist: User, client: Client, day: date, start: time) -> Appointment:
    starts_at = local_to_utc(day, start, ctx.practice.tzinfo)
    return Appointment.objects.create(
        practice=ctx.practice,
        therapist=therapist,
        client=client,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(minutes=50),
        appointment_type=Appointment.Type.INDIVIDUAL,
        mode=ctx.rng.choice([Appointment.Mode.IN_PERSON, Appointment.Mode.VIDEO]),
        notes="First appointment of a recurring series.",
    )


def seed(ctx: DemoContext) -> None:
    created = 0
    for index, (pattern, days_ahead, start, months) in enumerate(SERIES):
        therapist = ctx.therapists[index % len(ctx.therapists)]
        assigned = set(therapist.assigned_clients.values_list("pk", flat=True))
        client = ctx.rng.choice([c for c in ctx.clients if c.pk in assigned and c.status == Client.Status.ACTIVE])
        first_day = ctx.today + timedelta(days=days_ahead)
        end_date = first_day + relativedelta(months=months)
        exceptions = []
        if pattern == "weekly":
            # Two "holidays": the third and the sixth week.
            exceptions = pattern_dates(pattern=pattern, first_date=first_day, end_date=end_date)[3:7:3]
        appointment = _first_appointment(ctx, therapist, client, first_day, start)
        outcome = recurring_series_set(
            actor=ctx.staff,
            appointment_id=appointment.pk,
            pattern=pattern,
            end_date=end_date,
            exceptions=exceptions,
            now=ctx.now,
        )
        created += len(outcome.occurrences)
    ctx.log.append(f"scheduling: {len(SERIES)} recurring series (weekly, biweekly, monthly), {created} occurrences")


def reset() -> None:
    """Remove the demo series and every appointment that belongs to them."""
    series = RecurringSeries.objects.filter(practice__in=demo_practices())
    appointment_ids = list(Appointment.objects.filter(series__in=series).values_list("pk", flat=True))
    series.delete()
    Appointment.objects.filter(pk__in=appointment_ids).delete()
