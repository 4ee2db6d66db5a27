from django.db import migrations

# A client's sessions are almost all with one therapist. Without being told, PostgreSQL
# multiplies the selectivities of "therapist = X" and "client IN (X's clients)" as if they
# were independent, expects a few rows where there are thousands, and plans the session
# lists as a read and sort of the therapist's whole history. Functional-dependency
# statistics let it estimate the pair correctly (PostgreSQL only; ANALYZE fills them).
CREATE = (
    "CREATE STATISTICS IF NOT EXISTS clinical_session_therapist_client_dep (dependencies) "
    "ON therapist_id, client_id FROM clinical_session"
)
DROP = "DROP STATISTICS IF EXISTS clinical_session_therapist_client_dep"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)
        schema_editor.execute("ANALYZE clinical_session")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("clinical", "0008_session_indexes")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
