"""Recurring series: turning an appointment into a series, replacing its pattern, stopping
it, and extending it to the rolling horizon.

Occurrences are materialised only up to ``settings.RECURRING_HORIZON_WEEKS`` ahead; the
``generate_recurring_appointments`` command extends every active series nightly.

An occurrence counts as *touched*, and is never removed or regenerated, when it has a
clinical session, its status is anything but scheduled or confirmed (started, completed,
no-show, cancelled), or it was edited after it was generated. The generator writes every
occurrence with ``updated_at`` equal to ``created_at``; any later save (API, admin) moves
``updated_at`` on, so ``updated_at > created_at`` means "edited"."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import NamedTuple
from uuid import UUID
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext

from practice.errors import ConflictError, NotFoundError, ValidationFailed
from practice.models import User
from scheduling.errors import SchedulingError
from scheduling.models import Appointment, RecurringSeries
from scheduling.recurrence import MAX_SERIES_LENGTH, Occurrence, pattern_dates, series_occurrences
from scheduling.selectors.appointments import appointment_get

STOP_REASON = "The recurring series was stopped."
RELATIONS = ["practice", "first_appointment", "therapist", "client"]

#: Occurrences nothing has touched (see the module docstring).
UNTOUCHED = Q(
    status__in=[Appointment.Status.SCHEDULED, Appointment.Status.CONFIRMED],
    session__isnull=True,
    updated_at__lte=F("created_at"),
)


@dataclass(frozen=True)
class SeriesConflict:
    """An occurrence that was not created because the therapist is busy then."""

    occurrence_date: date
    starts_at: datetime
    conflicting_appointment_id: UUID


@dataclass
class SeriesOutcome:
    series: RecurringSeries
    occurrences: list[Appointment] = field(default_factory=list)
    conflicts: list[SeriesConflict] = field(default_factory=list)
    is_new: bool = False


@dataclass(frozen=True)
class SeriesStopOutcome:
    series: RecurringSeries
    cancelled_count: int


def horizon_end(*, tz: ZoneInfo, now: datetime, horizon_weeks: int | None = None) -> date:
    """The last local date occurrences are materialised for."""
    weeks = settings.RECURRING_HORIZON_WEEKS if horizon_weeks is None else horizon_weeks
    return now.astimezone(tz).date() + timedelta(weeks=weeks)


def _rule_error(code: SchedulingError, message: str) -> ValidationFailed:
    # A rule about the appointment as a whole, not about one input field.
    return ValidationFailed(code, message, errors=[{"field": None, "message": message}])


def _validate_pattern(*, pattern: str, first_date: date, end_date: date, exceptions: list[date]) -> None:
    if end_date <= first_date:
        raise ValidationFailed.for_field(
            "end_date",
            gettext("Must be after the first occurrence (%(first_date)s).") % {"first_date": first_date.isoformat()},
        )
    latest = first_date + MAX_SERIES_LENGTH
    if end_date > latest:
        raise ValidationFailed.for_field(
            "end_date",
            gettext("A series may run at most two years, until %(latest)s at the latest.")
            % {"latest": latest.isoformat()},
        )
    produced = set(pattern_dates(pattern=pattern, first_date=first_date, end_date=end_date)) - {first_date}
    errors = [
        {
            "field": f"exceptions.{index}",
            "message": gettext("%(day)s is not a date of this series.") % {"day": day.isoformat()},
        }
        for index, day in enumerate(exceptions)
        if day not in produced
    ]
    if errors:
        raise ValidationFailed(message=gettext("Every exception must be a date the series falls on."), errors=errors)


class _Slot(NamedTuple):
    """Where a therapist is busy (read as plain tuples: cheaper than model instances)."""

    pk: UUID
    starts_at: datetime
    ends_at: datetime


def _first_overlap(busy: list[_Slot], starts_at: datetime, ends_at: datetime) -> _Slot | None:
    # A linear scan: one therapist's appointments over the window, a few hundred at most.
    return next((other for other in busy if other.starts_at < ends_at and starts_at < other.ends_at), None)


@dataclass
class _Plan:
    """What to materialise for one series: its candidate occurrences, and what came of them."""

    series: RecurringSeries
    first: Appointment
    candidates: list[Occurrence]
    created: list[Appointment] = field(default_factory=list)
    conflicts: list[SeriesConflict] = field(default_factory=list)


def _occurrence(plan: _Plan, occurrence: Occurrence, now: datetime) -> Appointment:
    series, first = plan.series, plan.first
    return Appointment(
        practice_id=series.practice_id,
        therapist_id=series.therapist_id,
        client_id=series.client_id,
        series=series,
        occurrence_date=occurrence.occurrence_date,
        starts_at=occurrence.starts_at,
        ends_at=occurrence.ends_at,
        appointment_type=first.appointment_type,
        mode=first.mode,
        location=first.location,
        status=Appointment.Status.SCHEDULED,
        created_at=now,
        updated_at=now,
    )


def _materialise(plans: list[_Plan], now: datetime) -> None:
    """Create the candidate occurrences of one or more series that are in the future, not
    already in their series and do not overlap another non-cancelled appointment of the
    therapist (including one just planned for another series in the batch); record the
    rest as conflicts on each plan.

    A fixed number of queries whatever the number of series and occurrences: one read of
    the window, one bulk insert, one update. Under concurrency the database has the last
    word: the insert skips a row that another transaction committed meanwhile (same series
    and date, or on PostgreSQL an overlapping appointment, via the exclusion constraint),
    and only then is the clash looked up and reported."""
    for plan in plans:
        plan.candidates = [occurrence for occurrence in plan.candidates if occurrence.starts_at > now]
    plans = [plan for plan in plans if plan.candidates]
    if not plans:
        return
    candidates = [occurrence for plan in plans for occurrence in plan.candidates]
    window = (min(c.starts_at for c in candidates), max(c.ends_at for c in candidates))
    dates = (min(c.occurrence_date for c in candidates), max(c.occurrence_date for c in candidates))
    nearby = Appointment.objects.filter(
        Q(therapist_id__in={plan.series.therapist_id for plan in plans}, starts_at__lt=window[1], ends_at__gt=window[0])
        & ~Q(status=Appointment.Status.CANCELLED)
        | Q(series_id__in=[plan.series.pk for plan in plans], occurrence_date__range=dates)
    ).values_list("id", "therapist_id", "starts_at", "ends_at", "status", "series_id", "occurrence_date")
    taken: set[tuple[UUID, date]] = set()
    busy: dict[UUID, list[_Slot]] = defaultdict(list)
    for pk, therapist_id, starts_at, ends_at, status, series_id, occurrence_date in nearby:
        if series_id:
            taken.add((series_id, occurrence_date))
        if status != Appointment.Status.CANCELLED:
            busy[therapist_id].append(_Slot(pk, starts_at, ends_at))

    to_create: list[tuple[_Plan, Appointment]] = []
    for plan in plans:
        therapist_busy = busy[plan.series.therapist_id]
        for occurrence in plan.candidates:
            if (plan.series.pk, occurrence.occurrence_date) in taken:
                continue
            clash = _first_overlap(therapist_busy, occurrence.starts_at, occurrence.ends_at)
            if clash is not None:
                plan.conflicts.append(SeriesConflict(occurrence.occurrence_date, occurrence.starts_at, clash.pk))
                continue
            appointment = _occurrence(plan, occurrence, now)
            therapist_busy.append(_Slot(appointment.pk, appointment.starts_at, appointment.ends_at))
            to_create.append((plan, appointment))
    if not to_create:
        return

    Appointment.objects.bulk_create([appointment for _, appointment in to_create], ignore_conflicts=True)
    ids = [appointment.pk for _, appointment in to_create]
    # bulk_create stamps updated_at itself; make it equal created_at so that a later edit
    # is recognisable (updated_at > created_at). The row count also says whether every row
    # went in, so the lookup below only runs after a concurrent clash.
    inserted = Appointment.objects.filter(pk__in=ids).update(updated_at=F("created_at"))
    if inserted == len(ids):
        for plan, appointment in to_create:
            plan.created.append(appointment)
        return

    inserted_ids = set(Appointment.objects.filter(pk__in=ids).values_list("pk", flat=True))
    missed = [(plan, appointment) for plan, appointment in to_create if appointment.pk not in inserted_ids]
    clashing: dict[UUID, list[tuple[_Slot, UUID | None, date | None]]] = defaultdict(list)
    for pk, therapist_id, starts_at, ends_at, series_id, occurrence_date in (
        Appointment.objects.filter(
            therapist_id__in={appointment.therapist_id for _, appointment in missed},
            starts_at__lt=max(appointment.ends_at for _, appointment in missed),
            ends_at__gt=min(appointment.starts_at for _, appointment in missed),
        )
        .exclude(status=Appointment.Status.CANCELLED)
        .exclude(pk__in=inserted_ids)
        .values_list("id", "therapist_id", "starts_at", "ends_at", "series_id", "occurrence_date")
    ):
        clashing[therapist_id].append((_Slot(pk, starts_at, ends_at), series_id, occurrence_date))
    for plan, appointment in to_create:
        if appointment.pk in inserted_ids:
            plan.created.append(appointment)
            continue
        others = [
            slot
            for slot, series_id, occurrence_date in clashing[appointment.therapist_id]
            if (series_id, occurrence_date) != (plan.series.pk, appointment.occurrence_date)
        ]
        clash = _first_overlap(others, appointment.starts_at, appointment.ends_at)
        # No clash: a concurrent run created this very occurrence, which is no conflict.
        if clash is not None:
            plan.conflicts.append(SeriesConflict(appointment.occurrence_date, appointment.starts_at, clash.pk))
    for plan in plans:
        plan.conflicts.sort(key=lambda conflict: conflict.starts_at)


def _candidates(*, series: RecurringSeries, after: date, until: date) -> list[Occurrence]:
    return series_occurrences(
        pattern=series.pattern,
        first_date=series.start_date,
        local_start=series.local_start_time,
        duration=timedelta(minutes=series.duration_minutes),
        tz=ZoneInfo(series.timezone),
        end_date=series.end_date,
        exceptions=[date.fromisoformat(day) for day in series.exceptions],
        after=after,
        until=until,
    )


def _generated_until(series: RecurringSeries, now: datetime) -> date:
    until = horizon_end(tz=ZoneInfo(series.timezone), now=now)
    return max(series.start_date, min(until, series.end_date))


def _new_series(
    *, appointment: Appointment, pattern: str, end_date: date, exceptions: list[str], now: datetime
) -> RecurringSeries:
    tz = appointment.practice.tzinfo
    local_start = appointment.starts_at.astimezone(tz)
    series = RecurringSeries(
        practice_id=appointment.practice_id,
        first_appointment=appointment,
        therapist_id=appointment.therapist_id,
        client_id=appointment.client_id,
        pattern=pattern,
        start_date=local_start.date(),
        end_date=end_date,
        exceptions=exceptions,
        timezone=appointment.practice.timezone,
        local_start_time=local_start.time(),
        duration_minutes=appointment.duration_minutes,
        generated_until=local_start.date(),
    )
    series.generated_until = _generated_until(series, now)
    # The rules across fields were checked by _validate_pattern; the relations come from
    # the (already loaded) appointment.
    series.clean_fields(exclude=RELATIONS)
    try:
        # The appointment row is locked, so this only fails where locks do not exist
        # (SQLite) and another request made the series first.
        with transaction.atomic():
            series.save(force_insert=True)
    except IntegrityError as exc:
        raise ConflictError(
            SchedulingError.SERIES_EXISTS, gettext("This appointment already starts a recurring series.")
        ) from exc
    # A queryset update: linking the first appointment is not an edit of it.
    Appointment.objects.filter(pk=appointment.pk).update(series=series, occurrence_date=series.start_date)
    appointment.series, appointment.occurrence_date = series, series.start_date
    return series


@transaction.atomic
def recurring_series_set(
    *,
    actor: User,
    appointment_id: UUID,
    pattern: str,
    end_date: date,
    exceptions: list[date],
    now: datetime | None = None,
) -> SeriesOutcome:
    """Make the appointment the first occurrence of a series, or replace the pattern of the
    series it already starts, and materialise occurrences up to the horizon.

    Rules: the appointment is not cancelled and not an occurrence of another series; the
    end date is after the first occurrence and at most two years after it; every exception
    is a date the pattern produces. A slot where the therapist already has a non-cancelled
    appointment is skipped and reported as a conflict. Replacing removes the untouched
    future occurrences and generates the new pattern; touched ones are kept as they are."""
    now = now or timezone.now()
    appointment = appointment_get(actor=actor, appointment_id=appointment_id, for_update=True)
    if appointment.status == Appointment.Status.CANCELLED:
        raise _rule_error(
            SchedulingError.APPOINTMENT_CANCELLED, "A cancelled appointment cannot start a recurring series."
        )
    series = None
    if appointment.series_id:
        series = RecurringSeries.objects.select_for_update().get(pk=appointment.series_id)
    if series is not None and series.first_appointment_id != appointment.pk:
        raise _rule_error(
            SchedulingError.APPOINTMENT_IN_OTHER_SERIES,
            "This appointment is an occurrence of another series; change that series through its first appointment.",
        )
    if series is not None and not series.is_active:
        raise ConflictError(
            SchedulingError.SERIES_STOPPED,
            gettext("This series was stopped; book a new appointment to start a new series."),
        )

    first_date = series.start_date if series else appointment.starts_at.astimezone(appointment.practice.tzinfo).date()
    _validate_pattern(pattern=pattern, first_date=first_date, end_date=end_date, exceptions=exceptions)
    exception_strings = [day.isoformat() for day in sorted(set(exceptions))]

    if series is None:
        series = _new_series(
            appointment=appointment, pattern=pattern, end_date=end_date, exceptions=exception_strings, now=now
        )
        is_new = True
    else:
        series.occurrences.filter(UNTOUCHED, starts_at__gt=now).exclude(pk=appointment.pk).delete()
        series.pattern, series.end_date, series.exceptions = pattern, end_date, exception_strings
        series.generated_until = _generated_until(series, now)
        series.clean_fields(exclude=RELATIONS)
        series.save()
        is_new = False

    # Everything up to generated_until is created now, or skipped as a conflict.
    plan = _Plan(series, appointment, _candidates(series=series, after=series.start_date, until=series.generated_until))
    _materialise([plan], now)
    return SeriesOutcome(series=series, occurrences=plan.created, conflicts=plan.conflicts, is_new=is_new)


@transaction.atomic
def recurring_series_stop(*, actor: User, appointment_id: UUID, now: datetime | None = None) -> SeriesStopOutcome:
    """Stop the series the appointment belongs to: it is no longer extended, and every
    untouched occurrence that starts after now, except the first appointment itself, is
    cancelled. Touched occurrences are kept. Stopping a stopped series changes nothing."""
    now = now or timezone.now()
    appointment = appointment_get(actor=actor, appointment_id=appointment_id, for_update=True)
    if appointment.series_id is None:
        raise NotFoundError(
            SchedulingError.SERIES_NOT_FOUND, gettext("This appointment is not part of a recurring series.")
        )
    series = RecurringSeries.objects.select_for_update().get(pk=appointment.series_id)
    if not series.is_active:
        return SeriesStopOutcome(series=series, cancelled_count=0)
    cancelled = (
        series.occurrences.filter(UNTOUCHED, starts_at__gt=now)
        .exclude(pk=series.first_appointment_id)
        .update(
            status=Appointment.Status.CANCELLED,
            cancelled_at=now,
            cancelled_by=actor,
            cancellation_reason=STOP_REASON,
            updated_at=now,
        )
    )
    series.is_active = False
    series.stopped_at = now
    series.save(update_fields=["is_active", "stopped_at", "updated_at"])
    return SeriesStopOutcome(series=series, cancelled_count=cancelled)


@transaction.atomic
def recurring_series_extend(
    *, series_ids: list[UUID], horizon_weeks: int | None = None, now: datetime | None = None, dry_run: bool = False
) -> list[SeriesOutcome]:
    """Materialise active series up to the horizon, skipping conflicts; idempotent. One
    batch of series costs a fixed number of queries, however many series and occurrences.

    The series rows are locked with SKIP LOCKED: a series that another run (or a request
    changing it) holds is left out at once instead of waited for, and the other one does
    the work; the outcome lists only the series this call extended. ``dry_run`` computes
    the same outcome and rolls it back."""
    now = now or timezone.now()
    locked = (
        RecurringSeries.objects.select_for_update(skip_locked=True, of=("self",))
        .select_related("first_appointment")
        .filter(pk__in=series_ids, is_active=True)
        .order_by("pk")
    )
    plans = []
    advanced: dict[date, list[UUID]] = defaultdict(list)
    for series in locked:
        until = min(horizon_end(tz=ZoneInfo(series.timezone), now=now, horizon_weeks=horizon_weeks), series.end_date)
        after = series.generated_until
        plans.append(_Plan(series, series.first_appointment, _candidates(series=series, after=after, until=until)))
        if until > after:
            series.generated_until, series.updated_at = until, now
            advanced[until].append(series.pk)
    _materialise(plans, now)
    # Series of one timezone share the horizon date: one UPDATE per date, not per series.
    for until, ids in advanced.items():
        RecurringSeries.objects.filter(pk__in=ids).update(generated_until=until, updated_at=now)
    if dry_run:
        transaction.set_rollback(True)
    return [SeriesOutcome(series=plan.series, occurrences=plan.created, conflicts=plan.conflicts) for plan in plans]
