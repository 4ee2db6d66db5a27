"""Index for the therapist statistics' retention rate (analytics).

"Two or more completed appointments with the therapist up to endDate" is checked for
every completed appointment in the window. This partial index answers each check from the
index alone: the therapist's completed appointments of one client, by start. Without it
PostgreSQL intersects the per-therapist and per-client indexes for every check (about 1 ms
each; 20 ms for a 30-day window of a busy therapist, 1 s for five years).

Database-only (no model state): the index is an implementation detail of one query, and
SQLite and PostgreSQL both support partial indexes with this syntax."""

from django.db import migrations

INDEX = "appt_completed_client_idx"


class Migration(migrations.Migration):
    dependencies = [("scheduling", "0004_recurring_series")]

    operations = [
        migrations.RunSQL(
            sql=(
                f"CREATE INDEX {INDEX} ON scheduling_appointment (therapist_id, client_id, starts_at) "
                "WHERE status = 'completed'"
            ),
            reverse_sql=f"DROP INDEX {INDEX}",
        )
    ]
