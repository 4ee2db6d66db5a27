"""A list page's audit entry names all its records (``record_ids``) and, when they are of
several clients, those clients (``client_ids``): one row per page instead of one per record.

On PostgreSQL a partial GIN index finds the list entries that name a client (the access
log's ``client_ids @> '["<id>"]'``); it holds list entries only, so an entry about one
record adds nothing to it. SQLite scans the arrays (``json_each``)."""

from django.db import migrations, models

INDEX = "audit_client_ids_gin"


def add_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"CREATE INDEX {INDEX} ON practice_auditevent USING gin (client_ids jsonb_path_ops) "
        "WHERE client_ids <> '[]'::jsonb"
    )


def remove_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("practice", "0012_audit_keys_indexed_once"),
    ]

    operations = [
        migrations.AddField(
            model_name="auditevent",
            name="client_ids",
            field=models.JSONField(
                blank=True,
                default=list,
                help_text="The clients of those records when they are of several; empty otherwise.",
                verbose_name="clients",
            ),
        ),
        migrations.AddField(
            model_name="auditevent",
            name="record_ids",
            field=models.JSONField(
                blank=True,
                default=list,
                help_text="The records a list page showed; empty when the entry names one record.",
                verbose_name="record ids",
            ),
        ),
        migrations.RunPython(add_index, remove_index),
    ]
