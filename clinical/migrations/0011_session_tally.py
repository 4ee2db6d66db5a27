"""The sessions of each client with each therapist, kept by triggers.

``SessionTally`` holds, per (therapist, client), how many sessions they have had, how many
of them are completed and when the latest completed one started. The triggers below
recount a pair from ``session_client_therapist_idx`` (migration 0008) whenever a row change
can alter it: a session inserted or deleted, or one whose status, start, client or
therapist changes. Recounting, not adding one, keeps the row right whatever the change was.

PostgreSQL: the trigger creates the pair's row if it is missing, then locks it, then
counts. The count is its own statement, so in READ COMMITTED it sees every transaction
that held the lock before: two transactions adding sessions of one pair at once count
each other's. SQLite serialises writers, so its triggers only recount.

The existing history is counted once, after the triggers exist and inside this migration's
transaction (on PostgreSQL creating a trigger blocks writes to the table until then)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

TALLY = "clinical_sessiontally"

#: A pair's figures, counted from its sessions.
COUNTED = """
SELECT count(*),
       coalesce(sum(CASE WHEN s.status = 'completed' THEN 1 ELSE 0 END), 0),
       max(CASE WHEN s.status = 'completed' THEN s.started_at END)
FROM clinical_session s WHERE s.client_id = {client} AND s.therapist_id = {therapist}
"""

RECOUNT = f"UPDATE {TALLY} SET (sessions, completed, last_completed_at) = ({COUNTED}) WHERE {{where}};"

PAIR_RECOUNT = RECOUNT.format(
    client="pair_client", therapist="pair_therapist", where="therapist_id = pair_therapist AND client_id = pair_client"
)

POSTGRESQL = f"""
CREATE FUNCTION clinical_session_tally_recount(pair_client uuid, pair_therapist uuid, create_row boolean)
RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    IF create_row THEN
        INSERT INTO {TALLY} (therapist_id, client_id, sessions, completed, last_completed_at)
        VALUES (pair_therapist, pair_client, 0, 0, NULL)
        ON CONFLICT (therapist_id, client_id) DO NOTHING;
    END IF;
    PERFORM 1 FROM {TALLY} WHERE therapist_id = pair_therapist AND client_id = pair_client FOR UPDATE;
    {PAIR_RECOUNT}
END $$;

CREATE FUNCTION clinical_session_tally() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN
        PERFORM clinical_session_tally_recount(OLD.client_id, OLD.therapist_id, false);
    END IF;
    IF TG_OP = 'INSERT' OR (TG_OP = 'UPDATE' AND (OLD.client_id, OLD.therapist_id)
                                                  IS DISTINCT FROM (NEW.client_id, NEW.therapist_id)) THEN
        PERFORM clinical_session_tally_recount(NEW.client_id, NEW.therapist_id, true);
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER session_tally_insert AFTER INSERT ON clinical_session
    FOR EACH ROW EXECUTE FUNCTION clinical_session_tally();
CREATE TRIGGER session_tally_update AFTER UPDATE OF status, client_id, therapist_id, started_at
    ON clinical_session
    FOR EACH ROW WHEN (
        (OLD.status, OLD.client_id, OLD.therapist_id, OLD.started_at)
            IS DISTINCT FROM (NEW.status, NEW.client_id, NEW.therapist_id, NEW.started_at)
    )
    EXECUTE FUNCTION clinical_session_tally();
CREATE TRIGGER session_tally_delete AFTER DELETE ON clinical_session
    FOR EACH ROW EXECUTE FUNCTION clinical_session_tally();
"""

POSTGRESQL_REVERSE = """
DROP TRIGGER session_tally_insert ON clinical_session;
DROP TRIGGER session_tally_update ON clinical_session;
DROP TRIGGER session_tally_delete ON clinical_session;
DROP FUNCTION clinical_session_tally();
DROP FUNCTION clinical_session_tally_recount(uuid, uuid, boolean);
"""


def _sqlite_create_row(pair: str) -> str:
    return (
        f"INSERT OR IGNORE INTO {TALLY} (therapist_id, client_id, sessions, completed, last_completed_at) "
        f"VALUES ({pair}.therapist_id, {pair}.client_id, 0, 0, NULL);"
    )


def _sqlite_recount(pair: str) -> str:
    return RECOUNT.format(
        client=f"{pair}.client_id",
        therapist=f"{pair}.therapist_id",
        where=f"therapist_id = {pair}.therapist_id AND client_id = {pair}.client_id",
    )


SQLITE = [
    f"""CREATE TRIGGER session_tally_insert AFTER INSERT ON clinical_session
    BEGIN {_sqlite_create_row("NEW")} {_sqlite_recount("NEW")} END""",
    f"""CREATE TRIGGER session_tally_update AFTER UPDATE OF status, client_id, therapist_id, started_at
    ON clinical_session
    WHEN OLD.status IS NOT NEW.status OR OLD.client_id IS NOT NEW.client_id
        OR OLD.therapist_id IS NOT NEW.therapist_id OR OLD.started_at IS NOT NEW.started_at
    BEGIN {_sqlite_recount("OLD")} {_sqlite_create_row("NEW")} {_sqlite_recount("NEW")} END""",
    f"""CREATE TRIGGER session_tally_delete AFTER DELETE ON clinical_session
    BEGIN {_sqlite_recount("OLD")} END""",
]

SQLITE_REVERSE = [
    f"DROP TRIGGER {name}" for name in ("session_tally_insert", "session_tally_update", "session_tally_delete")
]

COUNT_HISTORY = f"""
INSERT INTO {TALLY} (therapist_id, client_id, sessions, completed, last_completed_at)
SELECT therapist_id, client_id, count(*),
       sum(CASE WHEN status = 'completed' THEN 1 ELSE 0 END),
       max(CASE WHEN status = 'completed' THEN started_at END)
FROM clinical_session GROUP BY therapist_id, client_id
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
        ("clinical", "0010_session_note_practice_not_indexed"),
        ("practice", "0013_audit_list_entries"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="SessionTally",
            fields=[
                ("id", models.BigAutoField(primary_key=True, serialize=False)),
                ("sessions", models.PositiveIntegerField(default=0)),
                ("completed", models.PositiveIntegerField(default=0)),
                ("last_completed_at", models.DateTimeField(blank=True, null=True)),
                (
                    "client",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, related_name="+", to="practice.client"
                    ),
                ),
                (
                    "therapist",
                    models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "sessions of a client with a therapist",
                "verbose_name_plural": "sessions of clients with therapists",
                "constraints": [
                    models.UniqueConstraint(fields=("therapist", "client"), name="session_tally_therapist_client_uniq")
                ],
            },
        ),
        migrations.RunPython(add_triggers, remove_triggers),
    ]
