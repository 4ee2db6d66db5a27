"""PostgreSQL only: no two non-cancelled appointments of one therapist may overlap.

An exclusion constraint (btree_gist) makes this hold under concurrent requests, which
a check in Python cannot. SQLite, the development default, relies on the service check."""

from django.db import migrations

CONSTRAINT = "appointment_therapist_no_overlap"


def add_constraint(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS btree_gist")
    schema_editor.execute(
        f"""
        ALTER TABLE scheduling_appointment ADD CONSTRAINT {CONSTRAINT}
        EXCLUDE USING gist (
            therapist_id WITH =,
            tstzrange(starts_at, ends_at, '[)') WITH &&
        ) WHERE (status <> 'cancelled')
        """
    )


def remove_constraint(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"ALTER TABLE scheduling_appointment DROP CONSTRAINT IF EXISTS {CONSTRAINT}")


class Migration(migrations.Migration):
    dependencies = [("scheduling", "0001_initial")]

    operations = [migrations.RunPython(add_constraint, remove_constraint)]
