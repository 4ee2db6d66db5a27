from django.db import migrations

from practice.db.statistics import dependency_statistics

# A client's sessions are almost all with one therapist. Without being told, PostgreSQL
# multiplies the selectivities of "therapist = X" and "client IN (X's clients)" as if they
# were independent, expects a few rows where there are thousands, and plans the session
# lists as a read and sort of the therapist's whole history.


class Migration(migrations.Migration):
    dependencies = [("clinical", "0008_session_indexes")]

    operations = [
        dependency_statistics(
            "clinical_session_therapist_client_dep", "clinical_session", ("therapist_id", "client_id")
        )
    ]
