"""The completed appointments of each client with each therapist, kept by triggers.

``CompletedAppointmentTally`` holds, per (client, therapist), how many of their
appointments are completed and when the latest started. The triggers below recount a
pair from ``appt_completed_client_idx`` (migration 0005) whenever a row change can alter
it: an appointment inserted completed, one that becomes or stops being completed or moves
while completed (start, client, therapist), one deleted while completed. Recounting, not
adding one, keeps the row right whatever the change was.

PostgreSQL: the trigger creates the pair's row if it is missing, then locks it, then
counts. The count is its own statement, so in READ COMMITTED it sees every transaction
that held the lock before: two transactions completing appointments of one pair at once
count each other's. SQLite serialises writers, so its triggers only recount.

The existing history is counted once, after the triggers exist and inside this migration's
transaction (on PostgreSQL creating a trigger blocks writes to the table until then)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

TALLY = "scheduling_completedappointmenttally"

#: SQLite: the pair's count and latest start, from the partial index of completed appointments.
SQLITE_RECOUNT = f"""
UPDATE {TALLY} SET
    completed = (SELECT count(*) FROM scheduling_appointment a
                 WHERE a.therapist_id = {{pair}}.therapist_id AND a.client_id = {{pair}}.client_id
                   AND a.status = 'completed'),
    last_started_at = (SELECT max(a.starts_at) FROM scheduling_appointment a
                       WHERE a.therapist_id = {{pair}}.therapist_id AND a.client_id = {{pair}}.client_id
                         AND a.status = 'completed')
WHERE client_id = {{pair}}.client_id AND therapist_id = {{pair}}.therapist_id;
"""

POSTGRESQL = f"""
CREATE FUNCTION scheduling_completed_tally_recount(pair_client uuid, pair_therapist uuid, create_row boolean)
RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    IF create_row THEN
        INSERT INTO {TALLY} (client_id, therapist_id, completed, last_started_at)
        VALUES (pair_client, pair_therapist, 0, NULL)
        ON CONFLICT (client_id, therapist_id) DO NOTHING;
    END IF;
    PERFORM 1 FROM {TALLY} WHERE client_id = pair_client AND therapist_id = pair_therapist FOR UPDATE;
    UPDATE {TALLY} SET (completed, last_started_at) = (
        SELECT count(*), max(a.starts_at) FROM scheduling_appointment a
        WHERE a.therapist_id = pair_therapist AND a.client_id = pair_client AND a.status = 'completed'
    )
    WHERE client_id = pair_client AND therapist_id = pair_therapist;
END $$;

CREATE FUNCTION scheduling_completed_tally() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'INSERT' AND OLD.status = 'completed' THEN
        PERFORM scheduling_completed_tally_recount(OLD.client_id, OLD.therapist_id, false);
    END IF;
    IF TG_OP <> 'DELETE' AND NEW.status = 'completed' THEN
        PERFORM scheduling_completed_tally_recount(NEW.client_id, NEW.therapist_id, true);
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER completed_tally_insert AFTER INSERT ON scheduling_appointment
    FOR EACH ROW WHEN (NEW.status = 'completed') EXECUTE FUNCTION scheduling_completed_tally();
CREATE TRIGGER completed_tally_update AFTER UPDATE OF status, client_id, therapist_id, starts_at
    ON scheduling_appointment
    FOR EACH ROW WHEN (
        (OLD.status = 'completed' OR NEW.status = 'completed')
        AND (OLD.status, OLD.client_id, OLD.therapist_id, OLD.starts_at)
            IS DISTINCT FROM (NEW.status, NEW.client_id, NEW.therapist_id, NEW.starts_at)
    )
    EXECUTE FUNCTION scheduling_completed_tally();
CREATE TRIGGER completed_tally_delete AFTER DELETE ON scheduling_appointment
    FOR EACH ROW WHEN (OLD.status = 'completed') EXECUTE FUNCTION scheduling_completed_tally();
"""

POSTGRESQL_REVERSE = """
DROP TRIGGER completed_tally_insert ON scheduling_appointment;
DROP TRIGGER completed_tally_update ON scheduling_appointment;
DROP TRIGGER completed_tally_delete ON scheduling_appointment;
DROP FUNCTION scheduling_completed_tally();
DROP FUNCTION scheduling_completed_tally_recount(uuid, uuid, boolean);
"""


def _create_row(pair: str) -> str:
    return (
        f"INSERT OR IGNORE INTO {TALLY} (client_id, therapist_id, completed, last_started_at) "
        f"SELECT {pair}.client_id, {pair}.therapist_id, 0, NULL WHERE {pair}.status = 'completed';"
    )


SQLITE = [
    f"""CREATE TRIGGER completed_tally_insert AFTER INSERT ON scheduling_appointment
    WHEN NEW.status = 'completed' BEGIN {_create_row("NEW")} {SQLITE_RECOUNT.format(pair="NEW")} END""",
    f"""CREATE TRIGGER completed_tally_update AFTER UPDATE OF status, client_id, therapist_id, starts_at
    ON scheduling_appointment
    WHEN (OLD.status = 'completed' OR NEW.status = 'completed')
        AND (OLD.status IS NOT NEW.status OR OLD.client_id IS NOT NEW.client_id
             OR OLD.therapist_id IS NOT NEW.therapist_id OR OLD.starts_at IS NOT NEW.starts_at)
    BEGIN {SQLITE_RECOUNT.format(pair="OLD")} {_create_row("NEW")} {SQLITE_RECOUNT.format(pair="NEW")} END""",
    f"""CREATE TRIGGER completed_tally_delete AFTER DELETE ON scheduling_appointment
    WHEN OLD.status = 'completed' BEGIN {SQLITE_RECOUNT.format(pair="OLD")} END""",
]

SQLITE_REVERSE = [
    f"DROP TRIGGER {name}" for name in ("completed_tally_insert", "completed_tally_update", "completed_tally_delete")
]

COUNT_HISTORY = f"""
INSERT INTO {TALLY} (client_id, therapist_id, completed, last_started_at)
SELECT client_id, therapist_id, count(*), max(starts_at) FROM scheduling_appointment
WHERE status = 'completed' GROUP BY client_id, therapist_id
"""


def add_triggers(apps, schema_editor):
    with schema_editor.connection.cursor() as cursor:
        if schema_editor.connection.vendor == "postgresql":
            cursor.execute(POSTGRESQL)
        else:
            for statement in SQLITE:
                cursor.execute(statement)
        cursor.execute(COUNT_HISTORY)


def remove_triggers(apps, schema_editor):
    with schema_editor.connection.cursor() as cursor:
        if schema_editor.connection.vendor == "postgresql":
            cursor.execute(POSTGRESQL_REVERSE)
        else:
            for statement in SQLITE_REVERSE:
                cursor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("practice", "0013_audit_list_entries"),
        ("scheduling", "0012_appointment_client_index_with_therapist"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="CompletedAppointmentTally",
            fields=[
                ("id", models.BigAutoField(primary_key=True, serialize=False)),
                ("completed", models.PositiveIntegerField(default=0)),
                ("last_started_at", models.DateTimeField(blank=True, null=True)),
                (
                    "client",
                    models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="practice.client",
                    ),
                ),
                (
                    "therapist",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, related_name="+", to=settings.AUTH_USER_MODEL
                    ),
                ),
            ],
            options={
                "verbose_name": "completed appointments of a client with a therapist",
                "verbose_name_plural": "completed appointments of clients with therapists",
                "constraints": [
                    models.UniqueConstraint(
                        fields=("client", "therapist"), name="completed_tally_client_therapist_uniq"
                    )
                ],
            },
        ),
        migrations.RunPython(add_triggers, remove_triggers),
    ]
