"""``generate_recurring_appointments`` over 1,000 series, measured in-process: wall time
and query count of extending every series, once by 4 weeks and once by 12 weeks (the
query count must not grow with the number of occurrences created)."""

import io
import re
import time
from datetime import timedelta

from .endpoints import Context

COMMAND = "generate_recurring_appointments"
PATTERNS = ("weekly", "weekly", "weekly", "biweekly", "monthly")
CREATED = re.compile(r"(\d+) occurrences created")


def _create_series(fixtures: dict, ctx: Context) -> tuple[int, list[str]]:
    """Turn every appointment of the seed's series pool into a series with the service
    behind ``POST /api/appointments/{id}/recurring``, with a one-week horizon so the series
    are short and the command has the rest to generate. Setup only: called in-process for
    the pool's 200 therapists (most of whom never sign in, so have no second factor)."""
    from django.test import override_settings

    from practice.errors import DomainError
    from practice.models import User
    from scheduling.services.recurring import recurring_series_set

    users = {str(user.pk): user for user in User.objects.filter(pk__in={s["therapist"] for s in fixtures})}
    end_date = ctx.today + timedelta(weeks=52)
    created = 0
    failures = []
    with override_settings(RECURRING_HORIZON_WEEKS=1):
        for i, spec in enumerate(fixtures):
            try:
                recurring_series_set(
                    actor=users[spec["therapist"]],
                    appointment_id=spec["appointment"],
                    pattern=PATTERNS[i % len(PATTERNS)],
                    end_date=end_date,
                    exceptions=[],
                )
                created += 1
            except DomainError as error:
                if len(failures) < 5:
                    failures.append(f"{spec['appointment']}: {error}")
    return created, failures


def _run(horizon_weeks: int) -> dict:
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    out = io.StringIO()
    started = time.perf_counter()
    with CaptureQueriesContext(connection) as queries:
        call_command(COMMAND, horizon_weeks=horizon_weeks, stdout=out, stderr=out)
    seconds = time.perf_counter() - started
    text = out.getvalue()
    summary = text.strip().splitlines()[-1] if text.strip() else ""
    found = CREATED.search(summary)
    return {
        "horizon_weeks": horizon_weeks,
        "seconds": round(seconds, 2),
        "queries": len(queries.captured_queries),
        "occurrences_created": int(found.group(1)) if found else None,
        "summary": summary,
    }


def measure_commands(ctx: Context, fixtures: dict) -> dict:
    from django.core.management import get_commands

    from .queries import route_exists

    result: dict = {"available": False}
    pool = fixtures.get("series_pool", [])
    if COMMAND not in get_commands():
        result["reason"] = "not available (no command)"
    elif not pool or not route_exists(f"/api/appointments/{pool[0]['appointment']}/recurring"):
        result["reason"] = "not available (no POST /api/appointments/{id}/recurring to create series)"
    else:
        started = time.perf_counter()
        series, failures = _create_series(pool, ctx)
        result.update(
            available=True,
            series=series,
            setup_seconds=round(time.perf_counter() - started, 1),
            setup_failures=failures,
        )
        result["extend_4_weeks"] = _run(horizon_weeks=5)
        result["extend_12_weeks"] = _run(horizon_weeks=17)
        twelve, four = result["extend_12_weeks"], result["extend_4_weeks"]
        result["targets"] = [
            {
                "target": "every series of the pool created",
                "value": f"{series} of {len(pool)}",
                "met": series == len(pool),
            },
            {"target": "1,000 series by 12 weeks < 15 s", "value": twelve["seconds"], "met": twelve["seconds"] < 15},
            {
                "target": "queries do not grow with occurrences",
                "value": f"{four['queries']} ({four['occurrences_created']} created) vs "
                f"{twelve['queries']} ({twelve['occurrences_created']} created)",
                "met": twelve["queries"] <= four["queries"],
            },
        ]
        result["summary"] = (
            f"{series} series created through the API in {result['setup_seconds']}s; "
            f"extending by 4 weeks: {four['seconds']}s, {four['queries']} queries; "
            f"by 12 weeks: {twelve['seconds']}s, {twelve['queries']} queries ({twelve['summary']})"
        )
    return {COMMAND: result}
