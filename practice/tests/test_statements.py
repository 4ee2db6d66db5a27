"""Hand-written reads send and read values as the ORM does, on SQLite and PostgreSQL."""

from datetime import timedelta

import pytest

from practice.db.statements import db_value, fetch, in_list
from practice.models import Client
from practice.tests.factories import ClientFactory

pytestmark = pytest.mark.django_db

READ = "SELECT id, created_at, first_name FROM {table} WHERE id IN ({clients}) AND created_at = %(created_at)s"


def test_values_go_in_and_come_back_as_the_fields_values(practice):
    wanted, other = ClientFactory(practice=practice), ClientFactory(practice=practice)
    Client.objects.filter(pk=other.pk).update(created_at=wanted.created_at - timedelta(days=1))
    created_at = Client._meta.get_field("created_at")
    params = {"created_at": db_value(created_at, wanted.created_at)}
    clients = in_list(params, "client", Client._meta.pk, [wanted.pk, other.pk])
    sql = READ.format(table=Client._meta.db_table, clients=clients)
    rows = fetch(sql, params, [Client._meta.pk, created_at, None])
    assert rows == [(wanted.pk, wanted.created_at, wanted.first_name)]
    assert rows[0][1].utcoffset() is not None  # aware, as the ORM gives it


def test_an_empty_in_list_is_refused_before_it_reaches_the_database():
    with pytest.raises(ValueError, match="client"):
        in_list({}, "client", Client._meta.pk, [])
