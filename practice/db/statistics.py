"""Extended statistics for migrations: PostgreSQL's planner takes the columns of one table
as independent unless told otherwise, and misestimates rows where one determines another."""

from django.db import migrations


def dependency_statistics(name: str, table: str, columns: tuple[str, ...]) -> migrations.RunPython:
    """A migration operation creating functional-dependency statistics ``name`` on
    ``table (columns)`` and analysing the table (PostgreSQL only; a no-op elsewhere)."""
    create = f"CREATE STATISTICS IF NOT EXISTS {name} (dependencies) ON {', '.join(columns)} FROM {table}"

    def forward(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(create)
            schema_editor.execute(f"ANALYZE {table}")

    def backward(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(f"DROP STATISTICS IF EXISTS {name}")

    return migrations.RunPython(forward, backward, elidable=False)
