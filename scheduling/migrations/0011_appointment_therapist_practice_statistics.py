from django.db import migrations

# A therapist works in one practice, so "therapist = X AND practice = P" selects exactly
# the therapist's appointments. PostgreSQL multiplies the two selectivities as if they were
# independent and, expecting a few dozen rows where a page needs fifty, reads the
# therapist's whole history through two intersected indexes and sorts it instead of
# walking appt_therapist_start_idx from today and stopping at the page. Functional-
# dependency statistics tell it (PostgreSQL only; ANALYZE fills them).
CREATE = (
    "CREATE STATISTICS IF NOT EXISTS scheduling_appointment_therapist_practice_dep (dependencies) "
    "ON therapist_id, practice_id FROM scheduling_appointment"
)
DROP = "DROP STATISTICS IF EXISTS scheduling_appointment_therapist_practice_dep"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)
        schema_editor.execute("ANALYZE scheduling_appointment")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("scheduling", "0010_model_names_and_labels")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
