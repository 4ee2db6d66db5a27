"""The client's access log (NEN 7513) through the API, as practice staff read it."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from practice.models import AuditEvent
from practice.services.audit import AuditTarget, audit_log
from practice.tests.factories import ClientFactory, TherapistFactory

pytestmark = pytest.mark.django_db


def _read(actor, client, record_type="medical_history", action="view", when=None, times=1):
    earlier = set(AuditEvent.objects.values_list("id", flat=True))
    for _ in range(times):
        audit_log(actor=actor, action=action, targets=[AuditTarget(record_type, client.pk, client.pk)])
    entries = list(AuditEvent.objects.exclude(id__in=earlier))
    assert len(entries) == times
    if when is not None:
        # Entries are never edited through the ORM; a test moves them in time with SQL
        # (before they are sealed, as a request long ago would have written them).
        table = AuditEvent._meta.db_table
        with connection.cursor() as cursor:
            for entry in entries:
                cursor.execute(
                    f"UPDATE {table} SET created_at = %s WHERE id = %s",  # noqa: S608
                    [when, entry.pk.hex if connection.vendor == "sqlite" else entry.pk],
                )
    return entries


def _url(client, **params):
    query = "&".join(f"{key}={value}" for key, value in params.items())
    return f"/api/clients/{client.pk}/access-log" + (f"?{query}" if query else "")


def test_staff_read_who_opened_the_record_folded_per_day(staff_api, staff, therapist, client_record, practice):
    day = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=practice.tzinfo)
    _read(therapist, client_record, when=day, times=3)
    _read(therapist, client_record, when=day + datetime.timedelta(hours=2))
    _read(therapist, client_record, record_type="session_note", action="update", when=day)
    _read(therapist, client_record, when=day + datetime.timedelta(days=1))
    _read(therapist, ClientFactory(practice=practice), when=day)  # another client: not listed

    response = staff_api.get(_url(client_record, startDate="2026-03-01", endDate="2026-03-31"))

    assert response.status_code == 200, response.content
    body = response.json()
    lines = body["data"]
    assert [(line["date"], line["record_type"], line["action"], line["count"]) for line in lines] == [
        ("2026-03-02", "medical_history", "view", 4),
        ("2026-03-02", "session_note", "update", 1),
        ("2026-03-03", "medical_history", "view", 1),
    ]
    first = lines[0]
    assert first["actor"] == {
        "id": str(therapist.pk),
        "name": therapist.full_name,
        "role": "therapist",
        "role_label": "therapist",
    }
    assert first["record_label"] == "medical history"
    assert first["action_label"] == "view"
    assert datetime.datetime.fromisoformat(first["first_at"]) == day
    assert datetime.datetime.fromisoformat(first["last_at"]) == day + datetime.timedelta(hours=2)
    assert body["pagination"]["total"] == 3
    # Reading the log is itself in the audit trail.
    read = AuditEvent.objects.get(record_type="access_log")
    assert (read.actor_id, read.client_id, read.action) == (staff.pk, client_record.pk, "view")


def test_a_list_page_is_in_the_log_of_every_client_it_showed_and_of_no_other(
    staff_api, therapist, client_record, practice
):
    other, unshown = ClientFactory(practice=practice), ClientFactory(practice=practice)
    # One page of sessions: two of client_record's, one of the other client's.
    audit_log(
        actor=therapist,
        action="view",
        targets=[
            AuditTarget("session", "s-1", client_record.pk),
            AuditTarget("session", "s-2", other.pk),
            AuditTarget("session", "s-3", client_record.pk),
        ],
    )

    def session_lines(client):
        lines = staff_api.get(_url(client)).json()["data"]
        return [
            (line["actor"]["id"], line["action"], line["count"]) for line in lines if line["record_type"] == "session"
        ]

    assert session_lines(client_record) == session_lines(other) == [(str(therapist.pk), "view", 1)]
    assert session_lines(unshown) == []
    # Any spelling of the client's id finds the page's entry.
    for spelling in (other.pk, str(other.pk), other.pk.hex):
        assert AuditEvent.objects.naming_client(spelling).filter(record_type="session").count() == 1


def test_the_log_is_in_the_readers_language(staff, therapist, client_record, practice):
    from conftest import authenticated_client

    staff.preferred_language = "nl"
    staff.save(update_fields=["preferred_language"])
    _read(therapist, client_record)
    response = authenticated_client(staff).get(_url(client_record))
    assert response.status_code == 200
    assert response["Content-Language"] == "nl"
    labels = {
        (line["record_label"], line["action_label"], line["actor"]["role_label"]) for line in response.json()["data"]
    }
    assert ("medische voorgeschiedenis", "inzien", "therapeut") in labels
    assert ("inzageoverzicht", "inzien", "medewerker") in labels


def test_reading_the_log_is_listed_in_it(staff_api, client_record):
    staff_api.get(_url(client_record))
    lines = staff_api.get(_url(client_record)).json()["data"]
    assert [(line["record_type"], line["count"]) for line in lines] == [("access_log", 2)]


@pytest.mark.parametrize(
    ("params", "field"),
    [({"startDate": "2026-03-05", "endDate": "2026-03-01"}, "endDate"), ({"startDate": "03-05-2026"}, "startDate")],
)
def test_a_bad_window_is_a_400_and_writes_nothing(staff_api, client_record, params, field):
    response = staff_api.get(_url(client_record, **params))
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "validation_error"
    assert [error["field"] for error in body["errors"]] == [field]
    assert not AuditEvent.objects.exists()


def test_therapists_may_not_and_other_practices_clients_do_not_exist(api, client_record, staff_api, other_practice):
    assert api.get(_url(client_record)).status_code == 403
    assert staff_api.get(_url(ClientFactory(practice=other_practice))).status_code == 404
    assert not AuditEvent.objects.exists()


def test_a_constant_number_of_queries(staff_api, client_record, practice):
    def queries(entries_per_person: int) -> int:
        for _ in range(3):
            person = TherapistFactory(practice=practice, two_factor=False)
            for offset in range(entries_per_person):
                _read(person, client_record, when=timezone.now() - datetime.timedelta(days=offset))
        with CaptureQueriesContext(connection) as ctx:
            # Both pages short of the limit: neither needs a COUNT.
            assert staff_api.get(_url(client_record, limit=100)).status_code == 200
        return len(ctx.captured_queries)

    assert queries(1) == queries(6)
