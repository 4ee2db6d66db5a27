"""Planning of prepared statements.

psycopg prepares a statement a connection runs repeatedly (``DB_PREPARE_THRESHOLD``), and
after five runs PostgreSQL may plan it once for any parameters (a generic plan) instead of
for the values at hand. For most statements that plan is as good and planning is saved; for
one whose best plan depends on its parameters' values (a date window from a month to five
years wide) it can be several times slower."""

from django.db import connections


def plan_for_the_values(using: str = "default") -> None:
    """Plan the rest of the current transaction's statements for their own parameter values,
    prepared or not (PostgreSQL's ``plan_cache_mode = force_custom_plan``, until the
    transaction ends). Call it inside a transaction (``ATOMIC_REQUESTS`` gives every request
    one); elsewhere, and on other databases, it does nothing."""
    connection = connections[using]
    if connection.vendor != "postgresql" or not connection.in_atomic_block:
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT set_config('plan_cache_mode', 'force_custom_plan', true)")
