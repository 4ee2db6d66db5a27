# A session note's practice loses its single-column index: no query reads notes by practice
# alone, and PostgreSQL used it to intersect the notes list's "author or assigned client"
# with every note of the practice. Only the index is dropped: the foreign key stays as it is
# (an AlterField would drop and re-add it, checking every row again).

import django.db.models.deletion
from django.db import migrations, models

INDEX = "clinical_sessionnote_practice_id_56ded3da"


class Migration(migrations.Migration):
    dependencies = [
        ("clinical", "0009_session_therapist_client_statistics"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.RunSQL(
                    f'DROP INDEX IF EXISTS "{INDEX}"',
                    reverse_sql=f'CREATE INDEX "{INDEX}" ON "clinical_sessionnote" ("practice_id")',
                )
            ],
            state_operations=[
                migrations.AlterField(
                    model_name="sessionnote",
                    name="practice",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="session_notes",
                        to="practice.practice",
                    ),
                ),
            ],
        ),
    ]
