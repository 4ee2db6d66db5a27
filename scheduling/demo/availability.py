"""Demo availability: every demo therapist's week (with a lunch break on some days), their
booking preferences and a few exceptions, saved through the service as the availability
page saves them."""

from datetime import time, timedelta

from practice.demo.core import DemoContext, demo_practices
from scheduling.models import Availability
from scheduling.services.availability import availability_replace

WEEKS = [
    # (weekday, available, [(start, end, is_break)])
    [
        (0, True, [(9, 17, False), (12, 13, True)]),
        (1, True, [(9, 17, False), (12, 13, True)]),
        (2, True, [(9, 13, False)]),
        (3, True, [(9, 12, False), (13, 20, False)]),
        (4, True, [(9, 15, False)]),
        (5, False, []),
        (6, False, []),
    ],
    [
        (0, True, [(8, 16, False)]),
        (1, False, [(8, 16, False)]),
        (2, True, [(8, 16, False), (12, 12.5, True)]),
        (3, True, [(8, 16, False)]),
        (4, True, [(8, 12, False)]),
        (5, True, [(10, 13, False)]),
        (6, False, []),
    ],
]


def _time(hours: float) -> time:
    return time(int(hours), round((hours % 1) * 60))


def reset() -> None:
    Availability.objects.filter(practice__in=demo_practices()).delete()


def seed(ctx: DemoContext) -> None:
    for index, therapist in enumerate(ctx.all_therapists):
        week = WEEKS[index % len(WEEKS)]
        exceptions = [
            {"date": ctx.today + timedelta(days=9 + index), "reason": "Training day", "slots": []},
            {
                "date": ctx.today + timedelta(days=16 + index),
                "reason": "Evening clinic",
                "slots": [{"start": time(14), "end": time(21)}],
            },
        ]
        availability_replace(
            actor=therapist,
            regular_hours=[
                {
                    "weekday": weekday,
                    "is_available": available,
                    "slots": [{"start": _time(a), "end": _time(b), "is_break": pause} for a, b, pause in slots],
                }
                for weekday, available, slots in week
            ],
            exceptions=exceptions,
            preferences={
                "session_duration": 50 if index % 2 else 60,
                "buffer_time": 10,
                "max_daily_appointments": 7,
                "auto_confirm_appointments": index % 2 == 0,
                "block_emergency_slots": False,
                "vacation_mode": False,
                "vacation_start": ctx.today + timedelta(days=60),
                "vacation_end": ctx.today + timedelta(days=74),
                "vacation_message": "On leave; urgent questions go to the practice.",
            },
        )
    ctx.log.append(f"availability: {len(ctx.all_therapists)} weekly schedules with exceptions")
