# The three keys of an audit entry lose their single-column indexes: the composite indexes
# (practice, sequence), (client, created_at) and (actor, created_at) lead with them, and every
# entry written and sealed updates each index of the table. Only the indexes are dropped: the
# foreign keys stay as they are (Django would drop and re-add them, checking every row again).

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

TABLE = "practice_auditevent"
INDEXES = {
    "practice_auditevent_actor_id_fa17a09a": "actor_id",
    "practice_auditevent_client_id_1d6b787a": "client_id",
    "practice_auditevent_practice_id_0a2def3c": "practice_id",
}


class Migration(migrations.Migration):

    dependencies = [
        ('practice', '0011_audit_entries_sealed_later'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.RunSQL(
                    f'DROP INDEX IF EXISTS "{name}"',
                    reverse_sql=f'CREATE INDEX "{name}" ON "{TABLE}" ("{column}")',
                )
                for name, column in INDEXES.items()
            ],
            state_operations=[
                migrations.AlterField(
                    model_name='auditevent',
                    name='actor',
                    field=models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='audit_events', to=settings.AUTH_USER_MODEL, verbose_name='by'),
                ),
                migrations.AlterField(
                    model_name='auditevent',
                    name='client',
                    field=models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='audit_events', to='practice.client', verbose_name='client'),
                ),
                migrations.AlterField(
                    model_name='auditevent',
                    name='practice',
                    field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='audit_events', to='practice.practice'),
                ),
            ],
        ),
    ]
