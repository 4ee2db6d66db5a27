"""The calendar rules of recurring series (pure functions, no database)."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from scheduling.recurrence import local_to_utc, pattern_dates, series_occurrences

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
NEW_YORK = ZoneInfo("America/New_York")
FIFTY_MINUTES = timedelta(minutes=50)


def occurrences(pattern, first_date, end_date, *, start=time(9, 0), tz=AMSTERDAM, **kwargs):
    return series_occurrences(
        pattern=pattern,
        first_date=first_date,
        local_start=start,
        duration=FIFTY_MINUTES,
        tz=tz,
        end_date=end_date,
        **kwargs,
    )


def test_weekly_keeps_0900_local_when_summer_time_starts():
    # Europe/Amsterdam moves to CEST (UTC+2) on Sunday 29 March 2026.
    result = occurrences("weekly", date(2026, 3, 16), date(2026, 4, 6))
    assert [o.occurrence_date for o in result] == [date(2026, 3, 23), date(2026, 3, 30), date(2026, 4, 6)]
    assert [o.starts_at for o in result] == [
        datetime(2026, 3, 23, 8, 0, tzinfo=UTC),
        datetime(2026, 3, 30, 7, 0, tzinfo=UTC),
        datetime(2026, 4, 6, 7, 0, tzinfo=UTC),
    ]
    assert {o.starts_at.astimezone(AMSTERDAM).time() for o in result} == {time(9, 0)}
    assert all(o.ends_at - o.starts_at == FIFTY_MINUTES for o in result)


def test_weekly_keeps_0900_local_when_summer_time_ends():
    # Back to CET (UTC+1) on Sunday 25 October 2026.
    result = occurrences("weekly", date(2026, 10, 12), date(2026, 10, 26))
    assert [o.starts_at for o in result] == [
        datetime(2026, 10, 19, 7, 0, tzinfo=UTC),
        datetime(2026, 10, 26, 8, 0, tzinfo=UTC),
    ]
    assert {o.starts_at.astimezone(AMSTERDAM).time() for o in result} == {time(9, 0)}


def test_other_timezones_follow_their_own_transitions():
    # The United States change on 8 March 2026, three weeks before Europe.
    result = occurrences("weekly", date(2026, 3, 2), date(2026, 3, 9), start=time(17, 30), tz=NEW_YORK)
    assert result[0].starts_at == datetime(2026, 3, 9, 21, 30, tzinfo=UTC)


def test_a_wall_time_in_the_spring_gap_moves_forward_an_hour():
    # 02:30 does not exist in Amsterdam on 29 March 2026; it is read as 03:30 summer time.
    assert local_to_utc(date(2026, 3, 29), time(2, 30), AMSTERDAM) == datetime(2026, 3, 29, 1, 30, tzinfo=UTC)
    # In the autumn overlap 02:30 happens twice; the first (summer time) instant is taken.
    assert local_to_utc(date(2026, 10, 25), time(2, 30), AMSTERDAM) == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)


def test_monthly_on_the_31st_falls_on_month_ends_and_returns_in_a_leap_year():
    dates = pattern_dates(pattern="monthly", first_date=date(2024, 1, 31), end_date=date(2024, 6, 30))
    assert dates == [
        date(2024, 1, 31),
        date(2024, 2, 29),
        date(2024, 3, 31),
        date(2024, 4, 30),
        date(2024, 5, 31),
        date(2024, 6, 30),
    ]


def test_monthly_on_the_31st_in_a_common_year():
    dates = pattern_dates(pattern="monthly", first_date=date(2025, 1, 31), end_date=date(2025, 4, 30))
    assert dates == [date(2025, 1, 31), date(2025, 2, 28), date(2025, 3, 31), date(2025, 4, 30)]


@pytest.mark.parametrize(
    ("first", "expected_february", "expected_march"),
    [
        (date(2025, 1, 29), date(2025, 2, 28), date(2025, 3, 29)),
        (date(2025, 1, 30), date(2025, 2, 28), date(2025, 3, 30)),
        (date(2028, 1, 29), date(2028, 2, 29), date(2028, 3, 29)),
        (date(2028, 1, 30), date(2028, 2, 29), date(2028, 3, 30)),
    ],
)
def test_monthly_on_the_29th_and_30th(first, expected_february, expected_march):
    dates = pattern_dates(pattern="monthly", first_date=first, end_date=first + timedelta(days=62))
    assert dates[1:3] == [expected_february, expected_march]


def test_monthly_on_an_ordinary_day_keeps_that_day_across_the_year_end():
    dates = pattern_dates(pattern="monthly", first_date=date(2026, 11, 15), end_date=date(2027, 2, 15))
    assert dates == [date(2026, 11, 15), date(2026, 12, 15), date(2027, 1, 15), date(2027, 2, 15)]


def test_biweekly_counts_from_the_first_occurrence_also_when_extended_later():
    first = date(2026, 3, 4)  # a Wednesday
    full = occurrences("biweekly", first, date(2026, 5, 31))
    assert [o.occurrence_date for o in full] == [first + timedelta(weeks=2 * n) for n in range(1, 7)]
    # Extending from a later point (as the nightly command does) keeps the same weeks.
    later = occurrences("biweekly", first, date(2026, 5, 31), after=date(2026, 4, 2), until=date(2026, 5, 10))
    assert [o.occurrence_date for o in later] == [date(2026, 4, 15), date(2026, 4, 29)]


def test_end_date_is_inclusive():
    assert occurrences("weekly", date(2026, 3, 2), date(2026, 3, 16))[-1].occurrence_date == date(2026, 3, 16)
    assert occurrences("weekly", date(2026, 3, 2), date(2026, 3, 15))[-1].occurrence_date == date(2026, 3, 9)


def test_exceptions_are_skipped_and_the_first_occurrence_is_not_repeated():
    result = occurrences(
        "weekly", date(2026, 3, 30), date(2026, 5, 4), exceptions=[date(2026, 4, 6), date(2026, 4, 27)]
    )
    assert [o.occurrence_date for o in result] == [date(2026, 4, 13), date(2026, 4, 20), date(2026, 5, 4)]


def test_until_caps_the_window_but_never_beyond_the_end_date():
    window = occurrences("weekly", date(2026, 3, 2), date(2026, 12, 31), until=date(2026, 3, 23))
    assert [o.occurrence_date for o in window] == [date(2026, 3, 9), date(2026, 3, 16), date(2026, 3, 23)]
    assert occurrences("weekly", date(2026, 3, 2), date(2026, 3, 9), until=date(2027, 1, 1))[-1].occurrence_date == (
        date(2026, 3, 9)
    )


def test_unknown_pattern_is_rejected():
    with pytest.raises(ValueError, match="daily"):
        pattern_dates(pattern="daily", first_date=date(2026, 3, 2), end_date=date(2026, 4, 2))
