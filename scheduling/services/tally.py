"""The completed-appointment tally (``CompletedAppointmentTally``) counted afresh from the
appointments: to check it, or to rebuild it after its triggers were off (a bulk load)."""

from datetime import datetime
from uuid import UUID

from django.db import connections, router, transaction
from django.db.models import Count, Max

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
    counted = _counted()
    return sorted(pair for pair in kept.keys() | counted.keys() if kept.get(pair) != counted.get(pair))


def completed_tally_recount() -> int:
    """Count every pair afresh, replacing the tally in one transaction; return how many
    pairs have completed appointments. Appointments cannot change meanwhile: on PostgreSQL
    the table is locked against writes (reads go on), and SQLite's first write (the
    delete) holds every other writer off."""
    using = router.db_for_write(CompletedAppointmentTally)
    with transaction.atomic(using=using):
        if connections[using].vendor == "postgresql":
            with connections[using].cursor() as cursor:
                cursor.execute(f"LOCK TABLE {Appointment._meta.db_table} IN SHARE MODE")
        CompletedAppointmentTally.objects.all().delete()
        counted = _counted()
        CompletedAppointmentTally.objects.bulk_create(
            (
                CompletedAppointmentTally(client_id=client, therapist_id=therapist, completed=n, last_started_at=last)
                for (client, therapist), (n, last) in counted.items()
            ),
            batch_size=1000,
        )
    return len(counted)
