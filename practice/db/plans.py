"""Planning of prepared statements.

psycopg prepares a statement a connection runs repeatedly (``DB_PREPARE_THRESHOLD``), and
after five runs PostgreSQL may plan it once for any parameters (a generic plan) instead of
for the values at hand. For most statements that plan is as good and planning is saved; for
one whose best plan depends on its parameters' values (a date window from a month to five
years wide) it can be several times slower. PostgreSQL decides from its cost estimates, and
for a list page (a dozen columns, four joins, ``ORDER BY ... LIMIT``) it keeps planning for
the values: about a millisecond each time, more than reading the page."""

from contextlib import contextmanager

from django.db import connections
from psycopg import pq


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


@contextmanager
def planned_once(using: str = "default"):
    """Run the block's prepared statements on one plan per connection, whatever their
    parameter values (``plan_cache_mode = force_generic_plan``); the planning mode before the
    block is back after it. For reads whose plan is the same for any values: a page of a
    list, read in its index's order and cut by its limit. Inside a transaction on
    PostgreSQL; elsewhere it changes nothing. A statement is prepared on its
    ``DB_PREPARE_THRESHOLD``-th run: the runs before it are planned for their values."""
    connection = connections[using]
    if connection.vendor != "postgresql" or not connection.in_atomic_block:
        yield
        return
    with connection.cursor() as cursor:
        # The select list is evaluated in order: the mode before, then the new one.
        cursor.execute(
            "SELECT current_setting('plan_cache_mode'), set_config('plan_cache_mode', 'force_generic_plan', true)"
        )
        previous, _ = cursor.fetchone()
    try:
        yield
    finally:
        # After an error the transaction is aborted and its rollback undoes the setting.
        if connection.connection.info.transaction_status != pq.TransactionStatus.INERROR:
            with connection.cursor() as cursor:
                cursor.execute("SELECT set_config('plan_cache_mode', %s, true)", [previous])
