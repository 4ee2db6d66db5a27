import datetime
import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from practice.models import AuditEvent
from practice.services.audit import AuditTarget, audit_log, audit_seal
from practice.tests.factories import ClientFactory

pytestmark = pytest.mark.django_db


def _log(actor, clients, action="view"):
    """Audit a change of each client's medical history, one request each, and seal them;
    the new entries in chain order."""
    earlier = set(AuditEvent.objects.values_list("id", flat=True))
    for c in clients:
        audit_log(
            actor=actor,
            action=action,
            targets=[AuditTarget("medical_history", c.pk, c.pk, ("allergies",))],
            ip_address="10.0.0.7",
        )
    audit_seal()
    return list(AuditEvent.objects.exclude(id__in=earlier).order_by("sequence"))


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
    assert {entry.client_id for entry in first} == {clients[0].pk, clients[1].pk}


def test_an_entry_about_one_record_keeps_the_hash_it_had_before_list_entries_existed(therapist, client_record):
    # Entries sealed before record_ids and client_ids existed must still verify: for an
    # entry without them, the hash covers exactly the eleven fields it always covered.
    (entry,) = _log(therapist, [client_record])
    fields = [
        str(entry.practice_id),
        entry.sequence,
        str(entry.actor_id),
        entry.action,
        entry.record_type,
        entry.record_id,
        str(entry.client_id),
        entry.ip_address,
        list(entry.changed_fields),
        entry.created_at.astimezone(datetime.UTC).isoformat(),
        entry.prev_hash,
    ]
    assert entry.hash == hashlib.sha256(json.dumps(fields, separators=(",", ":")).encode()).hexdigest()


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


@pytest.fixture
def checkpoint_file(settings, tmp_path):
    settings.AUDIT_CHECKPOINT_PATH = str(tmp_path / "audit-checkpoints.jsonl")
    settings.AUDIT_CHECKPOINT_KEY = "k" * 50
    return tmp_path / "audit-checkpoints.jsonl"


def test_removing_the_newest_entries_is_detected_by_the_next_run(therapist, practice, checkpoint_file, capsys):
    # The shortened chain is intact by itself: only the head recorded outside the database
    # shows that entries #4 and #5 existed.
    _log(therapist, ClientFactory.create_batch(5, practice=practice))
    call_command("verify_audit_trail")
    AuditEvent.objects.filter(sequence__gte=4)._raw_delete(connection.alias)
    with pytest.raises(CommandError):
        call_command("verify_audit_trail")
    out = capsys.readouterr().out
    assert "chain truncated: it ends at entry #3, but entry #5 existed" in out


def test_removing_every_entry_is_detected(therapist, practice, checkpoint_file, capsys):
    _log(therapist, ClientFactory.create_batch(2, practice=practice))
    call_command("verify_audit_trail")
    AuditEvent.objects.filter(practice=practice)._raw_delete(connection.alias)
    with pytest.raises(CommandError):
        call_command("verify_audit_trail")
    assert "entry #2 existed" in capsys.readouterr().out


def test_a_rewritten_head_is_detected(therapist, practice, checkpoint_file, capsys):
    # Entry #3 deleted and a new, correctly chained #3 written in its place.
    clients = ClientFactory.create_batch(3, practice=practice)
    _log(therapist, clients)
    call_command("verify_audit_trail")
    AuditEvent.objects.filter(sequence=3)._raw_delete(connection.alias)
    _log(therapist, clients[:1], action="update")
    with pytest.raises(CommandError):
        call_command("verify_audit_trail")
    assert "chain rewritten: entry #3" in capsys.readouterr().out


def test_every_run_records_and_logs_the_heads_and_later_entries_pass(
    therapist, practice, checkpoint_file, capsys, caplog
):
    _log(therapist, ClientFactory.create_batch(2, practice=practice))
    with caplog.at_level("INFO", logger="practice.audit"):
        call_command("verify_audit_trail")
    lines = checkpoint_file.read_text().splitlines()
    assert len(lines) == 1
    assert '"sequence":2' in lines[0]
    assert lines[0] in caplog.text
    _log(therapist, ClientFactory.create_batch(1, practice=practice))
    call_command("verify_audit_trail")
    assert "3 entries, chain intact" in capsys.readouterr().out
    assert len(checkpoint_file.read_text().splitlines()) == 2


def test_a_checkpoint_file_edited_or_signed_with_another_key_is_refused(therapist, practice, checkpoint_file, settings):
    _log(therapist, ClientFactory.create_batch(3, practice=practice))
    call_command("verify_audit_trail")
    # Lowering the recorded head to hide a truncation breaks the signature.
    checkpoint_file.write_text(checkpoint_file.read_text().replace('"sequence":3', '"sequence":1'))
    with pytest.raises(CommandError, match="checkpoint file has been altered"):
        call_command("verify_audit_trail")
    checkpoint_file.unlink()
    call_command("verify_audit_trail")
    settings.AUDIT_CHECKPOINT_KEY = "another-key" * 5
    with pytest.raises(CommandError, match="checkpoint file has been altered"):
        call_command("verify_audit_trail")


@pytest.mark.parametrize(
    ("value", "message"),
    [("not-a-uuid", "is not a practice id"), ("6f1b7c3e-0000-4000-8000-000000000000", "No practice with id")],
)
def test_an_unknown_or_invalid_practice_is_a_clear_error(practice, value, message):
    with pytest.raises(CommandError, match=message):
        call_command("verify_audit_trail", practice=value)


def test_an_invalid_practice_id_exits_non_zero_without_a_traceback():
    result = subprocess.run(
        [sys.executable, "manage.py", "verify_audit_trail", "--practice", "nope"],
        capture_output=True,
        text=True,
        cwd=Path(__file__).resolve().parents[2],
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "practice.settings.test"},
    )
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert "is not a practice id" in result.stderr
