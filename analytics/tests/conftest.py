import datetime
import zoneinfo

AMSTERDAM = zoneinfo.ZoneInfo("Europe/Amsterdam")  # the ``practice`` fixture's timezone


def local(year: int, month: int, day: int, hour: int = 10, minute: int = 0) -> datetime.datetime:
    """A wall-clock time of the test practice (Europe/Amsterdam; DST starts 29 March 2026)."""
    return datetime.datetime(year, month, day, hour, minute, tzinfo=AMSTERDAM)
