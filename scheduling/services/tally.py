"""The completed-appointment tally (``CompletedAppointmentTally``) counted afresh from the
appointments: to check it, or to rebuild it after its triggers were off (a bulk load)."""

from datetime import datetime
from uuid import UUID

from django.db.models import Count, Max

from practice.db.tallies import tally_differences, tally_replace
from scheduling.models import Appointment, CompletedAppointmentTally

#: (client id, therapist id)
Pair = tuple[UUID, UUID]


def _counted() -> dict[Pair, tuple[int, datetime]]:
    rows = (
        Appointment.objects.filter(status=Appointment.Status.COMPLETED)
        .order_by()
        .values("client_id", "therapist_id")
        .annotate(n=Count("*"), last=Max("starts_at"))
    )
    return {(row["client_id"], row["therapist_id"]): (row["n"], row["last"]) for row in rows}


def completed_tally_differences() -> list[Pair]:
    """The (client id, therapist id) pairs whose tally differs from their appointments."""
    kept = {
        (row.client_id, row.therapist_id): (row.completed, row.last_started_at)
        for row in CompletedAppointmentTally.objects.filter(completed__gt=0)
    }
    return tally_differences(kept, _counted())


def completed_tally_recount() -> int:
    """Count every pair afresh, replacing the tally in one transaction (appointments cannot
    change meanwhile); return how many pairs have completed appointments."""
    return tally_replace(
        CompletedAppointmentTally,
        Appointment,
        lambda: (
            CompletedAppointmentTally(client_id=client, therapist_id=therapist, completed=n, last_started_at=last)
            for (client, therapist), (n, last) in _counted().items()
        ),
    )
