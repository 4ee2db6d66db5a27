"""Reads of a therapist's availability, and whether it covers a booking.

A therapist who never saved one has the default week: Monday to Friday 09:00-17:00."""

from dataclasses import dataclass, field
from datetime import date, datetime, time

from django.db.models import Prefetch

from practice.models import User
from scheduling.models import Availability, AvailabilityDay, AvailabilityException, AvailabilitySlot, Weekday

DEFAULT_HOURS = (time(9, 0), time(17, 0))
DEFAULT_WORKDAYS = (Weekday.MONDAY, Weekday.TUESDAY, Weekday.WEDNESDAY, Weekday.THURSDAY, Weekday.FRIDAY)


@dataclass
class Slot:
    start: time
    end: time
    is_break: bool = False


@dataclass
class Day:
    weekday: int
    is_available: bool
    slots: list[Slot] = field(default_factory=list)


@dataclass
class Exception_:
    date: date
    reason: str
    slots: list[Slot] = field(default_factory=list)


@dataclass
class Schedule:
    """The whole availability of one therapist, stored or the default."""

    availability: Availability
    days: list[Day]
    exceptions: list[Exception_]
    is_default: bool = False


def _parse(value: str) -> time:
    return time.fromisoformat(value)


def default_schedule(*, therapist: User) -> Schedule:
    days = [
        Day(weekday, weekday in DEFAULT_WORKDAYS, [Slot(*DEFAULT_HOURS)] if weekday in DEFAULT_WORKDAYS else [])
        for weekday in Weekday.values
    ]
    availability = Availability(practice_id=therapist.practice_id, therapist=therapist)
    availability.updated_at = None
    return Schedule(availability=availability, days=days, exceptions=[], is_default=True)


def availability_get(*, therapist: User, exception_dates: tuple[date, date] | None = None) -> Schedule:
    """The therapist's schedule: every weekday (Monday first) with its slots in time order,
    and the exceptions by date (only those between ``exception_dates``, inclusive, when
    given). Four queries."""
    slots = AvailabilitySlot.objects.order_by("start_time", "is_break", "id")
    exceptions = AvailabilityException.objects.order_by("date")
    if exception_dates is not None:
        exceptions = exceptions.filter(date__range=exception_dates)
    availability = (
        Availability.objects.filter(therapist=therapist, practice_id=therapist.practice_id)
        .prefetch_related(
            Prefetch(
                "days",
                queryset=AvailabilityDay.objects.order_by("weekday").prefetch_related(
                    Prefetch("slots", queryset=slots)
                ),
            ),
            Prefetch("exceptions", queryset=exceptions),
        )
        .first()
    )
    if availability is None:
        return default_schedule(therapist=therapist)
    stored = {day.weekday: day for day in availability.days.all()}
    days = []
    for weekday in Weekday.values:
        day = stored.get(weekday)
        if day is None:
            days.append(Day(weekday, False))
        else:
            days.append(
                Day(weekday, day.is_available, [Slot(s.start_time, s.end_time, s.is_break) for s in day.slots.all()])
            )
    exceptions_ = [
        Exception_(e.date, e.reason, [Slot(_parse(s["start"]), _parse(s["end"])) for s in e.slots])
        for e in availability.exceptions.all()
    ]
    return Schedule(availability=availability, days=days, exceptions=exceptions_)


def _open_intervals(slots: list[Slot]) -> list[tuple[time, time]]:
    """Working slots merged where they touch or overlap, with the breaks cut out."""
    intervals: list[list[time]] = []
    for slot in sorted((s for s in slots if not s.is_break), key=lambda s: s.start):
        if intervals and slot.start <= intervals[-1][1]:
            intervals[-1][1] = max(intervals[-1][1], slot.end)
        else:
            intervals.append([slot.start, slot.end])
    for pause in (s for s in slots if s.is_break):
        cut = []
        for start, end in intervals:
            if pause.end <= start or pause.start >= end:
                cut.append([start, end])
                continue
            if start < pause.start:
                cut.append([start, pause.start])
            if pause.end < end:
                cut.append([pause.end, end])
        intervals = cut
    return [(start, end) for start, end in intervals]


def schedule_covers(*, schedule: Schedule, local_start: datetime, local_end: datetime) -> bool:
    """Whether ``[local_start, local_end)`` (wall-clock, the practice's time zone) lies in
    one stretch of available time: not during vacation mode (its dates, or always when it
    has none), within the date's exception hours if it has an exception, else within the
    weekday's working hours minus its breaks. A booking across midnight is never covered."""
    day = local_start.date()
    if local_end.date() != day and local_end.time() != time(0, 0):
        return False
    end_time = local_end.time() if local_end.date() == day else time.max
    availability = schedule.availability
    if availability.vacation_mode:
        start, end = availability.vacation_start, availability.vacation_end
        if (start is None or start <= day) and (end is None or day <= end):
            return False
    exception = next((e for e in schedule.exceptions if e.date == day), None)
    if exception is not None:
        slots = exception.slots
    else:
        weekday = schedule.days[day.weekday()]
        if not weekday.is_available:
            return False
        slots = weekday.slots
    return any(start <= local_start.time() and end_time <= end for start, end in _open_intervals(slots))


def availability_covers(therapist: User, starts_at: datetime, ends_at: datetime, *, tzinfo=None) -> bool:
    """Whether the therapist's availability covers a booking from ``starts_at`` to
    ``ends_at`` (aware datetimes). Booking outside it is allowed; callers flag it.
    ``tzinfo``: the practice's time zone, when the caller has it at hand. One query for a
    therapist who never saved an availability, four otherwise."""
    tz = tzinfo or therapist.practice.tzinfo
    local_start, local_end = starts_at.astimezone(tz), ends_at.astimezone(tz)
    schedule = availability_get(therapist=therapist, exception_dates=(local_start.date(), local_start.date()))
    return schedule_covers(
        schedule=schedule,
        local_start=local_start.replace(tzinfo=None),
        local_end=local_end.replace(tzinfo=None),
    )
