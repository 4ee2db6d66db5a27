"""The PostgreSQL backend reads timestamps with psycopg's own loader and gives exactly
what Django's would: the instant, in Django's timezone object; and a statement a
connection runs again and again is prepared once, parameters bound by the server, and a
list page's read is planned once (its COUNT for its values); the planner costs random
reads as configured (DB_RANDOM_PAGE_COST)."""

import datetime

import pytest
from django.db import connection
from psycopg.pq import Format

from practice.db.postgresql.base import TIMESTAMPTZ_OID, NativeTimestamptzLoader, timestamptz_loader

pytestmark = [pytest.mark.django_db, pytest.mark.postgres_only]

CASES = [
    ("2026-03-29 01:30:00.123456+02", datetime.datetime(2026, 3, 28, 23, 30, 0, 123456, tzinfo=datetime.UTC)),
    ("2026-10-25 02:30:00+01", datetime.datetime(2026, 10, 25, 1, 30, tzinfo=datetime.UTC)),
    ("1999-12-31 23:59:59.999999-05:30", datetime.datetime(2000, 1, 1, 5, 29, 59, 999999, tzinfo=datetime.UTC)),
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_a_timestamp_reads_as_the_same_instant_in_djangos_timezone(text, expected):
    with connection.cursor() as cursor:
        cursor.execute("SELECT %s::timestamptz", [text])
        value = cursor.fetchone()[0]
    assert value == expected
    assert value.tzinfo is connection.timezone


def test_the_connection_parses_with_our_loader_and_psycopgs_c_implementation():
    connection.ensure_connection()
    loader = connection.connection.adapters.get_loader(TIMESTAMPTZ_OID, Format.TEXT)
    assert loader.__module__ == timestamptz_loader.__module__
    assert loader.timezone is connection.timezone
    # psycopg[binary] is what requirements.txt installs: the parsing is its C code.
    assert NativeTimestamptzLoader.__module__.startswith(("psycopg_binary", "psycopg_c"))


def test_a_statement_run_repeatedly_is_prepared_once_and_bound_by_the_server(therapist):
    from practice.models import User

    threshold = connection.settings_dict["OPTIONS"]["prepare_threshold"]
    if threshold is None:
        pytest.skip("prepared statements are turned off (DB_PREPARE_THRESHOLD is empty)")
    connection.ensure_connection()
    assert connection.connection.prepare_threshold == threshold
    for _ in range(threshold + 2):
        assert User.objects.filter(pk=therapist.pk).values_list("email", flat=True).get() == therapist.email
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements WHERE NOT from_sql")
        prepared = [row[0] for row in cursor.fetchall()]
    # The statement the server prepared has placeholders, not the therapist's id.
    lookup = [sql for sql in prepared if '"practice_user"' in sql and "$1" in sql]
    assert lookup, prepared
    assert str(therapist.pk) not in " ".join(lookup)


def _plan_cache_mode() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('plan_cache_mode')")
        return cursor.fetchone()[0]


@pytest.mark.django_db(transaction=True)
def test_planning_for_the_values_lasts_until_the_transaction_ends():
    from django.db import transaction

    from practice.db.plans import plan_for_the_values

    plan_for_the_values()  # outside a transaction: nothing to scope it to, so nothing changes
    assert _plan_cache_mode() == "auto"
    with transaction.atomic():
        plan_for_the_values()
        assert _plan_cache_mode() == "force_custom_plan"
    assert _plan_cache_mode() == "auto"


@pytest.mark.django_db(transaction=True)
def test_a_block_planned_once_runs_on_generic_plans_and_gives_back_the_mode_before_it():
    from django.db import transaction

    from practice.db.plans import plan_for_the_values, planned_once

    with planned_once():  # outside a transaction: nothing to scope it to, so nothing changes
        assert _plan_cache_mode() == "auto"
    with transaction.atomic():
        with planned_once():
            assert _plan_cache_mode() == "force_generic_plan"
        assert _plan_cache_mode() == "auto"
        plan_for_the_values()
        with planned_once():
            assert _plan_cache_mode() == "force_generic_plan"
        assert _plan_cache_mode() == "force_custom_plan"
    assert _plan_cache_mode() == "auto"


@pytest.mark.django_db(transaction=True)
def test_a_failed_statement_planned_once_is_undone_by_the_rollback():
    from django.db import DatabaseError, transaction

    from practice.db.plans import planned_once

    with pytest.raises(DatabaseError), transaction.atomic(), planned_once(), connection.cursor() as cursor:
        cursor.execute("SELECT 1 / 0")
    assert _plan_cache_mode() == "auto"


def test_a_list_page_is_read_on_one_plan_and_its_count_on_plans_for_the_values(api, therapist, practice):
    from scheduling.tests.factories import AppointmentFactory

    threshold = connection.settings_dict["OPTIONS"]["prepare_threshold"]
    if threshold is None:
        pytest.skip("prepared statements are turned off (DB_PREPARE_THRESHOLD is empty)")
    start = datetime.datetime(2030, 1, 7, 9, tzinfo=datetime.UTC)
    for hour in range(3):
        AppointmentFactory(therapist=therapist, practice=practice, starts_at=start + datetime.timedelta(hours=hour))
    for _ in range(threshold + 3):
        # A full page: read on one plan, then counted.
        response = api.get("/api/appointments?startDate=2030-01-07&endDate=2030-01-07&limit=2")
        assert response.json()["pagination"]["total"] == 3
    assert _plan_cache_mode() == "auto"
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement, generic_plans, custom_plans FROM pg_prepared_statements WHERE NOT from_sql")
        prepared = cursor.fetchall()
    reads = [row for row in prepared if 'FROM "scheduling_appointment"' in row[0]]
    count = [row for row in reads if row[0].startswith("SELECT COUNT(*)")]
    page = [row for row in reads if row not in count]
    assert page and count, prepared
    assert all(generic > 0 and custom == 0 for _, generic, custom in page), page
    assert all(generic == 0 and custom > 0 for _, generic, custom in count), count


def test_the_planner_costs_random_reads_as_configured():
    options = connection.settings_dict["OPTIONS"].get("options", "")
    if "random_page_cost" not in options:
        pytest.skip("DB_RANDOM_PAGE_COST is empty: the server's setting applies")
    configured = float(options.split("random_page_cost=")[1].split()[0])
    with connection.cursor() as cursor:
        cursor.execute("SHOW random_page_cost")
        assert float(cursor.fetchone()[0]) == configured
    # Not PostgreSQL's default, which models disks that seek.
    assert configured < 4
