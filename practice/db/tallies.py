"""Tables the database keeps by triggers, each a tally of another table's rows (per client
and therapist), counted afresh from those rows: to check a tally, or to rebuild it after
a load with its triggers off."""

from collections.abc import Callable, Hashable, Iterable, Mapping
from typing import TypeVar

from django.db import connections, router, transaction
from django.db.models import Model

K = TypeVar("K", bound=Hashable)


def tally_differences(kept: Mapping[K, object], counted: Mapping[K, object]) -> list[K]:
    """The keys whose kept figures differ from the counted ones (missing on either side
    included), sorted."""
    return sorted(key for key in kept.keys() | counted.keys() if kept.get(key) != counted.get(key))


def tally_replace(tally: type[Model], source: type[Model], counted: Callable[[], Iterable[Model]]) -> int:
    """Replace every row of ``tally`` by ``counted()`` (unsaved rows counted from ``source``)
    in one transaction; return how many rows it wrote. ``source`` cannot change meanwhile:
    on PostgreSQL the table is locked against writes (reads go on), and SQLite's first write
    (the delete) holds every other writer off."""
    using = router.db_for_write(tally)
    with transaction.atomic(using=using):
        if connections[using].vendor == "postgresql":
            with connections[using].cursor() as cursor:
                cursor.execute(f"LOCK TABLE {source._meta.db_table} IN SHARE MODE")
        tally.objects.all().delete()
        return len(tally.objects.bulk_create(counted(), batch_size=1000))
