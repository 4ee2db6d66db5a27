"""Counting a request's statements the way the query-count tests mean it: the statements
that read or write data. Savepoints, and the planning mode a list page sets around its
read on PostgreSQL (``practice.db.plans.planned_once``), are not among them."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

_NOT_DATA = ("SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK TO SAVEPOINT")


def data_statements(captured: CaptureQueriesContext) -> list[str]:
    return [
        query["sql"]
        for query in captured.captured_queries
        if not query["sql"].lstrip().upper().startswith(_NOT_DATA) and "'plan_cache_mode'" not in query["sql"]
    ]


def join_free_total(api, path: str) -> int:
    """The ``pagination.total`` of ``GET path``, asserting that the list sent one COUNT
    and that it counted the rows alone, not through the joins that fill in the items."""
    with CaptureQueriesContext(connection) as captured:
        body = api.get(path).json()
    (count,) = [query["sql"] for query in captured.captured_queries if "COUNT(" in query["sql"]]
    assert "JOIN" not in count
    return body["pagination"]["total"]
