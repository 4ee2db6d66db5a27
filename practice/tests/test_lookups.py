"""``__any``: the rows of ``__in`` on every database, and on PostgreSQL one array
parameter whatever the number of values."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from clinical.models import Session
from clinical.tests.factories import SessionFactory
from practice.models import Client
from practice.tests.factories import ClientFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def clients(practice, therapist):
    clients = [ClientFactory(practice=practice, therapists=[therapist]) for _ in range(3)]
    for days, client in enumerate(clients[:2], start=1):
        SessionFactory(
            appointment__therapist=therapist,
            appointment__client=client,
            appointment__starts_at=timezone.now() - timedelta(days=days),
        )
    return clients


def _ids(queryset) -> set:
    return set(queryset.values_list("pk", flat=True))


def test_any_finds_what_in_finds(clients):
    ids = [client.pk for client in clients]
    for values in (ids, ids[:1], [str(ids[1])], [ids[0], None], [ids[0], ids[0]], []):
        assert _ids(Client.objects.filter(pk__any=values)) == _ids(Client.objects.filter(pk__in=values))
        # Through a relation's column, and its name.
        for lookup in ("client_id__any", "client__any"):
            found = Session.objects.filter(**{lookup: values})
            assert _ids(found) == _ids(Session.objects.filter(**{lookup.replace("__any", "__in"): values}))
    # Negated, and with a subquery (as __in).
    assert _ids(Client.objects.exclude(pk__any=ids[:1])) == {c.pk for c in clients[1:]}
    sessions_clients = Session.objects.values("client_id")
    assert _ids(Client.objects.filter(pk__any=sessions_clients)) == {c.pk for c in clients[:2]}


@pytest.mark.postgres_only
def test_any_sends_the_values_as_one_array_on_postgresql(clients):
    ids = [client.pk for client in clients] * 40  # more than psycopg caches a statement for (50)
    with CaptureQueriesContext(connection) as captured:
        assert len(list(Client.objects.filter(pk__any=ids))) == 3
    (sql,) = [q["sql"] for q in captured.captured_queries]
    assert '"practice_client"."id" = ANY(' in sql and " IN (" not in sql
    query = Client.objects.filter(pk__any=ids).query
    _, params = query.get_compiler(connection=connection).as_sql()
    assert len(params) == 1 and len(params[0]) == len(ids)
