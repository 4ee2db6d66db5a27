import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from practice.models import AuditEvent
from practice.services.audit import AuditTarget, audit_log
from practice.tests.factories import ClientFactory

pytestmark = pytest.mark.django_db


def _log(actor, clients, action="view"):
    return audit_log(
        actor=actor,
        action=action,
        targets=[AuditTarget("medical_history", c.pk, c.pk, ("allergies",)) for c in clients],
        ip_address="10.0.0.7",
    )


def test_entries_chain_per_practice(therapist, practice, other_practice_therapist):
    clients = ClientFactory.create_batch(3, practice=practice)
    first = _log(therapist, clients[:2])
    second = _log(therapist, clients[2:], action="update")
    foreign = _log(other_practice_therapist, [ClientFactory(practice=other_practice_therapist.practice)])
    assert [e.sequence for e in first + second] == [1, 2, 3]
    assert second[0].prev_hash == first[1].hash
    assert foreign[0].sequence == 1
    stored = AuditEvent.objects.get(pk=first[0].pk)
    assert stored.ip_address == "10.0.0.7"
    assert stored.changed_fields == ["allergies"]
    assert stored.client_id == clients[0].pk


def test_entries_cannot_be_edited_or_deleted_through_the_orm(therapist, practice):
    entry = _log(therapist, [ClientFactory(practice=practice)])[0]
    entry.action = "update"
    with pytest.raises(PermissionError):
        entry.save()
    with pytest.raises(PermissionError):
        entry.delete()
    with pytest.raises(PermissionError):
        AuditEvent.objects.filter(pk=entry.pk).update(action="update")
    with pytest.raises(PermissionError):
        AuditEvent.objects.all().delete()


def test_verify_reports_an_intact_chain(therapist, practice, capsys):
    _log(therapist, ClientFactory.create_batch(4, practice=practice))
    call_command("verify_audit_trail")
    assert "4 entries, chain intact" in capsys.readouterr().out


def test_verify_finds_an_entry_edited_through_sql(therapist, practice, capsys):
    entries = _log(therapist, ClientFactory.create_batch(4, practice=practice))
    table = AuditEvent._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET action = 'update' WHERE sequence = 3")  # noqa: S608
    with pytest.raises(CommandError):
        call_command("verify_audit_trail")
    out = capsys.readouterr().out
    assert "broken at entry #3" in out
    assert str(entries[2].pk) in out


def test_verify_finds_a_removed_entry(therapist, practice, capsys):
    _log(therapist, ClientFactory.create_batch(3, practice=practice))
    AuditEvent.objects.filter(sequence=2)._raw_delete(connection.alias)
    with pytest.raises(CommandError):
        call_command("verify_audit_trail")
    assert "entry #2 is missing" in capsys.readouterr().out
