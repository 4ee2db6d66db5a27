"""Demo appointments: four months of history in every status and four weeks ahead for
each demo therapist, on a realistic day grid (never double-booked). Today one session is
running, so the "active sessions" view has something to show."""

from datetime import date, datetime, time, timedelta

from practice.demo.core import DemoContext, demo_practices
from practice.models import Client, User
from scheduling.models import Appointment

PAST_DAYS = 120
UPCOMING_DAYS = 28
# Local start times of the day's 50-minute slots (recurring demo series use 07:30-08:50 and 18:00).
SLOTS = [time(9, 0), time(10, 0), time(11, 0), time(13, 30), time(14, 30), time(15, 30)]
LENGTH = timedelta(minutes=50)

TYPES = [
    (Appointment.Type.INDIVIDUAL, 70),
    (Appointment.Type.INTAKE, 8),
    (Appointment.Type.RELATION, 8),
    (Appointment.Type.FAMILY, 6),
    (Appointment.Type.GROUP, 4),
    (Appointment.Type.CRISIS, 4),
]
MODES = [(Appointment.Mode.IN_PERSON, 60), (Appointment.Mode.VIDEO, 30), (Appointment.Mode.PHONE, 10)]
PAST_STATUSES = [
    (Appointment.Status.COMPLETED, 80),
    (Appointment.Status.CANCELLED, 12),
    (Appointment.Status.NO_SHOW, 8),
]
CANCEL_REASONS = [
    "Client is ill",
    "Client had a work conflict",
    "Therapist unavailable (training)",
    "Client asked to reschedule",
    "Transport problems",
]
FOCUS_AREAS = ["sleep", "work stress", "relationship", "panic attacks", "self-esteem", "grief", "boundaries"]


def _pick(ctx: DemoContext, weighted):
    values, weights = zip(*weighted, strict=True)
    return ctx.rng.choices(values, weights=weights)[0]


def _assigned_active_clients(therapists: list[User], clients: list[Client]) -> dict:
    links = set(Client.therapists.through.objects.filter(client__in=clients).values_list("client_id", "user_id"))
    return {
        therapist.pk: [c for c in clients if c.status == Client.Status.ACTIVE and (c.pk, therapist.pk) in links]
        for therapist in therapists
    }


def _appointment(
    ctx: DemoContext, therapist: User, client: Client, starts_at: datetime, status: str, length=LENGTH
) -> Appointment:
    mode = _pick(ctx, MODES)
    appointment = Appointment(
        practice_id=therapist.practice_id,
        therapist=therapist,
        client=client,
        starts_at=starts_at,
        ends_at=starts_at + length,
        appointment_type=_pick(ctx, TYPES),
        mode=mode,
        location=f"Room {ctx.rng.randint(1, 3)}" if mode == Appointment.Mode.IN_PERSON else "",
        status=status,
        created_at=min(ctx.now, starts_at - timedelta(days=ctx.rng.randint(3, 21))),
    )
    if status == Appointment.Status.CANCELLED:
        appointment.cancellation_reason = ctx.rng.choice(CANCEL_REASONS)
        appointment.cancelled_at = min(ctx.now, starts_at - timedelta(hours=ctx.rng.randint(2, 72)))
        front_desk = ctx.staff if ctx.staff and ctx.staff.practice_id == therapist.practice_id else therapist
        appointment.cancelled_by = ctx.rng.choice([therapist, front_desk])
    return appointment


def _day_status(ctx: DemoContext, day: date, starts_at: datetime) -> str:
    if day < ctx.today or starts_at + LENGTH <= ctx.now:
        return _pick(ctx, PAST_STATUSES)
    if ctx.rng.random() < 0.05:
        return Appointment.Status.CANCELLED
    soon = starts_at - ctx.now < timedelta(days=7)
    return Appointment.Status.CONFIRMED if soon and ctx.rng.random() < 0.6 else Appointment.Status.SCHEDULED


def _therapist_calendar(ctx: DemoContext, therapist: User, clients: list[Client], tzinfo) -> list[Appointment]:
    appointments = []
    # Today's running session: started a few minutes ago, so no slot today may overlap it.
    running_start = ctx.now.replace(second=0, microsecond=0) - timedelta(minutes=10)
    running = _appointment(ctx, therapist, ctx.rng.choice(clients), running_start, Appointment.Status.IN_PROGRESS)
    appointments.append(running)
    for offset in range(-PAST_DAYS, UPCOMING_DAYS + 1):
        day = ctx.today + timedelta(days=offset)
        if day.weekday() >= 5:
            continue
        for slot in sorted(ctx.rng.sample(SLOTS, ctx.rng.randint(2, 4))):
            starts_at = datetime.combine(day, slot, tzinfo=tzinfo)
            if starts_at < running.ends_at and starts_at + LENGTH > running.starts_at:
                continue
            appointment = _appointment(
                ctx, therapist, ctx.rng.choice(clients), starts_at, _day_status(ctx, day, starts_at)
            )
            upcoming = appointment.status in (Appointment.Status.SCHEDULED, Appointment.Status.CONFIRMED)
            if upcoming and offset <= 3 and ctx.rng.random() < 0.4:
                appointment.preparation_notes = "Check in on last week's homework; review the mood diary."
                appointment.review_previous_session = True
                appointment.focus_areas = ctx.rng.sample(FOCUS_AREAS, 2)
                appointment.prepared_at = ctx.now
            appointments.append(appointment)
    return appointments


def seed(ctx: DemoContext) -> None:
    groups = [
        (ctx.practice, ctx.therapists, ctx.clients),
        (ctx.other_practice, [ctx.other_therapist], ctx.other_clients),
    ]
    appointments: list[Appointment] = []
    for practice, therapists, clients in groups:
        by_therapist = _assigned_active_clients(therapists, clients)
        for therapist in therapists:
            if by_therapist.get(therapist.pk):
                appointments += _therapist_calendar(ctx, therapist, by_therapist[therapist.pk], practice.tzinfo)
    Appointment.objects.bulk_create(appointments, batch_size=500)
    statuses = sorted({a.status for a in appointments})
    ctx.log.append(f"scheduling: {len(appointments)} appointments ({', '.join(statuses)})")


def reset() -> None:
    """Remove the demo practices' appointments (sessions and series go first)."""
    Appointment.objects.filter(practice__in=demo_practices()).delete()
