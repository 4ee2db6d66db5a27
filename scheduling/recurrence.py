"""The calendar rules of recurring series, as pure functions (no database).

The API service and the ``generate_recurring_appointments`` command both call
:func:`series_occurrences`, so a series is materialised the same way whoever extends it."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from dateutil.relativedelta import relativedelta
from dateutil.rrule import MONTHLY, WEEKLY, rrule

PATTERNS = ("weekly", "biweekly", "monthly")
#: How far after the first occurrence a series may end.
MAX_SERIES_LENGTH = relativedelta(years=2)


@dataclass(frozen=True)
class Occurrence:
    """One slot of a series: its local date and its UTC start and end."""

    occurrence_date: date
    starts_at: datetime
    ends_at: datetime


def _rule(pattern: str, first_date: date, end_date: date) -> rrule:
    dtstart = datetime.combine(first_date, time())
    until = datetime.combine(end_date, time())  # rrule's ``until`` is inclusive
    if pattern == "weekly":
        return rrule(WEEKLY, dtstart=dtstart, until=until)
    if pattern == "biweekly":
        # interval=2 counts every other week from dtstart, i.e. from the first occurrence.
        return rrule(WEEKLY, interval=2, dtstart=dtstart, until=until)
    if pattern == "monthly":
        day = first_date.day
        if day <= 28:
            return rrule(MONTHLY, dtstart=dtstart, until=until, bymonthday=day)
        # Deviation from plain BYMONTHDAY: rrule skips months that lack the 29th/30th/31st.
        # Asking for "that day or the last day, whichever comes first" (bysetpos=1) falls on
        # the month's last day when it is shorter and returns to the original day after:
        # 31 Jan -> 29 Feb -> 31 Mar -> 30 Apr.
        return rrule(MONTHLY, dtstart=dtstart, until=until, bymonthday=(day, -1), bysetpos=1)
    raise ValueError(f"Unknown pattern {pattern!r}; expected one of {', '.join(PATTERNS)}.")


def pattern_dates(*, pattern: str, first_date: date, end_date: date) -> list[date]:
    """Every local date the pattern produces from ``first_date`` (included) to ``end_date``
    (inclusive), before exceptions are applied."""
    return [moment.date() for moment in _rule(pattern, first_date, end_date)]


def local_to_utc(day: date, wall_time: time, tz: ZoneInfo) -> datetime:
    """The UTC instant of a wall-clock time on a local date.

    In the spring-forward gap (02:30 that does not exist) the time is read with the offset
    before the change, i.e. one hour later on the clock; in the autumn overlap the first of
    the two instants (still summer time) is taken (``fold=0``)."""
    return datetime.combine(day, wall_time, tzinfo=tz).astimezone(UTC)


def local_wall_time_exists(day: date, wall_time: time, tz: ZoneInfo) -> bool:
    """False for a wall-clock time inside a spring-forward gap (02:30 on the night the
    clocks go from 02:00 to 03:00), which no clock in the timezone ever shows."""
    local = datetime.combine(day, wall_time, tzinfo=tz)
    return local.astimezone(UTC).astimezone(tz).replace(tzinfo=None) == local.replace(tzinfo=None)


def series_occurrences(
    *,
    pattern: str,
    first_date: date,
    local_start: time,
    duration: timedelta,
    tz: ZoneInfo,
    end_date: date,
    exceptions: Iterable[date] = (),
    after: date | None = None,
    until: date | None = None,
) -> list[Occurrence]:
    """The occurrences of a series after ``after`` (exclusive; default: the first occurrence,
    which is the series' own first appointment) up to ``until`` (inclusive; default: the
    series' end date), skipping exceptions.

    Every occurrence starts at ``local_start`` wall-clock time in ``tz``, so the UTC instant
    moves when daylight saving changes and the local time does not."""
    skipped = set(exceptions)
    lower = after or first_date
    upper = min(end_date, until) if until else end_date
    occurrences = []
    for day in pattern_dates(pattern=pattern, first_date=first_date, end_date=upper):
        if day <= lower or day in skipped:
            continue
        starts_at = local_to_utc(day, local_start, tz)
        occurrences.append(Occurrence(occurrence_date=day, starts_at=starts_at, ends_at=starts_at + duration))
    return occurrences
