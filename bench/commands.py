"""Management commands measured in-process: wall time and query count."""

from .endpoints import Context

COMMAND = "generate_recurring_appointments"


def measure_commands(ctx: Context) -> dict:
    from django.core.management import get_commands

    if COMMAND not in get_commands():
        return {COMMAND: {"available": False, "reason": "not available (no command)"}}
    return {COMMAND: {"available": False, "reason": "not measured yet"}}
