"""Hand-written reads, with their values sent and read back as the ORM sends and reads
those of a model field: UUIDs as 32 hex digits and datetimes as UTC text on SQLite,
native on PostgreSQL; datetimes come back aware.

For the figures of a list page, where Django takes longer to compile a correlated
subquery than the database takes to run it."""

from collections.abc import Iterable, Sequence

from django.db import connection
from django.db.models import Field


def db_value(field: Field, value):
    """``value`` as the database takes a value of ``field``."""
    return field.get_db_prep_value(value, connection, prepared=False)


def in_list(params: dict, name: str, field: Field, values: Iterable) -> str:
    """Add ``values`` (one at least: ``IN ()`` is no SQL) to ``params`` as ``name0``,
    ``name1``, ... prepared as values of ``field``, and return their placeholders for
    ``IN (...)``: a list parameter (``= ANY``) is for PostgreSQL only."""
    placeholders = []
    for n, value in enumerate(values):
        params[f"{name}{n}"] = db_value(field, value)
        placeholders.append(f"%({name}{n})s")
    if not placeholders:
        raise ValueError(f"No values for the IN list {name!r}.")
    return ", ".join(placeholders)


def fetch(sql: str, params: dict, columns: Sequence[Field | None]) -> list[tuple]:
    """The rows of a read, each column converted as the ORM converts a value of its field
    in ``columns`` (``None``: as the database driver gives it)."""
    converters = []
    for position, field in enumerate(columns):
        if field is None:
            continue
        column = field.cached_col
        functions = [*connection.ops.get_db_converters(column), *column.get_db_converters(connection)]
        if functions:
            converters.append((position, column, functions))
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    if not converters:
        return rows
    converted = []
    for row in rows:
        values = list(row)
        for position, column, functions in converters:
            for function in functions:
                values[position] = function(values[position], column, connection)
        converted.append(tuple(values))
    return converted
