"""Deferred sealing of the audit trail: requests write entries unsealed, in one insert and
without a lock; ``audit_seal`` (``manage.py seal_audit_trail``) links them into the
practice's hash chain; verifying and pruning seal first."""

import datetime

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from practice.audit_chain import GENESIS_HASH, audit_entry_hash
from practice.models import AuditChainAnchor, AuditEvent
from practice.selectors import audit_chain_head, audit_chain_verify
from practice.services.audit import AuditTarget, audit_log, audit_record_view, audit_seal
from practice.services.audit_retention import audit_trail_prune
from practice.tests.factories import ClientFactory

pytestmark = pytest.mark.django_db

TABLE = AuditEvent._meta.db_table


def _read(actor, clients, record_type="session"):
    """One read of a record of each client, one request each: one entry each."""
    for c in clients:
        audit_record_view(actor=actor, targets=[AuditTarget(record_type, c.pk, c.pk)], ip_address="10.0.0.9")


def _chain(practice):
    return list(AuditEvent.objects.sealed().filter(practice=practice).order_by("sequence"))


def _key(value):
    return value.hex if connection.vendor == "sqlite" else value


# --- Writing ------------------------------------------------------------------------------


def test_a_read_of_one_record_is_one_entry_naming_the_record_and_its_client(therapist, client_record):
    with transaction.atomic(), CaptureQueriesContext(connection) as queries:
        audit_record_view(actor=therapist, targets=[AuditTarget("session", "s-1", client_record.pk)])
    assert [q["sql"].split()[0] for q in queries.captured_queries] == ["INSERT"]
    entry = AuditEvent.objects.get()
    assert (entry.record_id, entry.client_id, entry.record_ids, entry.client_ids) == ("s-1", client_record.pk, [], [])


@pytest.mark.parametrize("count", [50, 500])
def test_a_list_page_is_one_unsealed_entry_naming_every_record_and_client_in_one_statement(therapist, practice, count):
    clients = ClientFactory.create_batch(3, practice=practice)
    targets = [AuditTarget("session", f"s-{i}", clients[i % 3].pk) for i in range(count)]
    with transaction.atomic(), CaptureQueriesContext(connection) as queries:
        audit_record_view(actor=therapist, targets=targets, ip_address="10.0.0.9")
    # No lock, no read of the chain's head, no savepoint: one INSERT.
    assert [q["sql"].split()[0] for q in queries.captured_queries] == ["INSERT"]
    entry = AuditEvent.objects.get()
    assert (entry.sequence, entry.prev_hash, entry.hash) == (None, None, None)
    # It names every record shown, in the page's order, and every client they belong to.
    assert entry.record_ids == [f"s-{i}" for i in range(count)]
    assert entry.client_ids == sorted(str(c.pk) for c in clients)
    assert (entry.record_id, entry.client_id) == ("", None)
    assert (entry.actor_id, entry.action, entry.ip_address, entry.practice_id) == (
        therapist.pk,
        "view",
        "10.0.0.9",
        practice.pk,
    )


def test_records_of_one_client_are_one_entry_with_that_client(therapist, client_record):
    audit_record_view(
        actor=therapist, targets=[AuditTarget("survey_response", f"r-{i}", client_record.pk) for i in range(3)]
    )
    entry = AuditEvent.objects.get()
    assert (entry.record_id, entry.record_ids) == ("", ["r-0", "r-1", "r-2"])
    assert (entry.client_id, entry.client_ids) == (client_record.pk, [])


def test_one_call_writes_one_entry_per_record_type_and_changed_fields(therapist, practice):
    clients = ClientFactory.create_batch(2, practice=practice)
    audit_log(
        actor=therapist,
        action="update",
        targets=[
            AuditTarget("medical_history", "m-1", clients[0].pk, ("a",)),
            AuditTarget("therapy_goal", "g-1", clients[0].pk, ("title",)),
            AuditTarget("therapy_goal", "g-2", clients[1].pk, ("title",)),
            AuditTarget("therapy_goal", "g-3", clients[1].pk, ("status",)),
        ],
    )
    entries = {(e.record_type, tuple(e.changed_fields)): e for e in AuditEvent.objects.all()}
    assert set(entries) == {("medical_history", ("a",)), ("therapy_goal", ("title",)), ("therapy_goal", ("status",))}
    assert (entries["therapy_goal", ("title",)].record_ids, entries["therapy_goal", ("title",)].client_ids) == (
        ["g-1", "g-2"],
        sorted(str(c.pk) for c in clients),
    )
    assert (entries["therapy_goal", ("status",)].record_id, entries["therapy_goal", ("status",)].client_id) == (
        "g-3",
        clients[1].pk,
    )


def test_a_list_entry_joins_the_chain_and_an_edit_of_its_clients_is_found(therapist, practice):
    clients = ClientFactory.create_batch(3, practice=practice)
    audit_record_view(actor=therapist, targets=[AuditTarget("session", f"s-{i}", c.pk) for i, c in enumerate(clients)])
    audit_seal()
    assert audit_chain_verify(practice=practice) == (1, None)
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {TABLE} SET client_ids = %s", ['["' + str(clients[0].pk) + '"]'])  # noqa: S608
    _, broken = audit_chain_verify(practice=practice)
    assert broken is not None and broken.reason == "content does not match its hash (edited)"


def test_an_entry_without_actor_names_its_practice_and_keeps_changed_fields(practice):
    audit_log(
        actor=None,
        action="update",
        targets=[AuditTarget("medical_history", "m-1", None, ("b", "a")), AuditTarget("session", "s-1")],
        practice=practice,
    )
    entries = {e.record_id: e for e in AuditEvent.objects.all()}
    assert entries["m-1"].changed_fields == ["a", "b"]
    assert entries["s-1"].changed_fields == []
    assert {(e.practice_id, e.actor_id, e.client_id, e.ip_address) for e in entries.values()} == {
        (practice.pk, None, None, None)
    }


def test_an_entry_written_in_a_failed_request_is_not_kept(therapist, client_record):
    with pytest.raises(RuntimeError), transaction.atomic():
        _read(therapist, [client_record])
        raise RuntimeError("the request fails after its audited read")
    assert not AuditEvent.objects.exists()


# --- Sealing ------------------------------------------------------------------------------


def test_sealing_links_the_entries_to_the_previous_head_in_write_order(therapist, practice):
    clients = ClientFactory.create_batch(3, practice=practice)
    _read(therapist, clients[:2])
    assert audit_seal() == {practice.pk: 2}
    head = audit_chain_head(practice=practice)
    assert head.sequence == 2
    _read(therapist, clients[2:], record_type="session_note")
    assert audit_seal(practice=practice) == {practice.pk: 1}

    chain = _chain(practice)
    assert [e.sequence for e in chain] == [1, 2, 3]
    assert chain[0].prev_hash == GENESIS_HASH
    assert chain[1].prev_hash == chain[0].hash
    assert chain[2].prev_hash == head.hash
    assert all(audit_entry_hash(e) == e.hash for e in chain)
    # Entries keep the order they were written in.
    assert [(e.record_type, e.client_id) for e in chain] == [
        ("session", clients[0].pk),
        ("session", clients[1].pk),
        ("session_note", clients[2].pk),
    ]
    assert audit_chain_verify(practice=practice) == (3, None)


def test_write_order_is_kept_even_when_the_clock_stands_still(therapist, practice):
    clients = ClientFactory.create_batch(4, practice=practice)
    with time_machine.travel(datetime.datetime(2026, 3, 10, 9, 0, tzinfo=datetime.UTC), tick=False):
        for client in clients:
            _read(therapist, [client])
    audit_seal()
    assert [e.client_id for e in _chain(practice)] == [c.pk for c in clients]


def test_sealing_again_seals_nothing_and_changes_nothing(therapist, practice):
    _read(therapist, ClientFactory.create_batch(3, practice=practice))
    audit_seal()
    before = [(e.pk, e.sequence, e.prev_hash, e.hash) for e in _chain(practice)]
    with CaptureQueriesContext(connection) as queries:
        assert audit_seal() == {}
    assert not any("UPDATE" in q["sql"] for q in queries.captured_queries)
    assert [(e.pk, e.sequence, e.prev_hash, e.hash) for e in _chain(practice)] == before


def test_entries_written_between_two_seals_join_the_chain(therapist, other_therapist, practice):
    clients = ClientFactory.create_batch(4, practice=practice)
    _read(therapist, clients[:2])
    audit_seal()
    _read(other_therapist, clients[2:3])
    _read(therapist, clients[3:])
    assert AuditEvent.objects.unsealed().count() == 2
    assert audit_seal() == {practice.pk: 2}
    assert not AuditEvent.objects.unsealed().exists()
    assert [e.sequence for e in _chain(practice)] == [1, 2, 3, 4]
    assert audit_chain_verify(practice=practice) == (4, None)


def test_each_practice_has_its_own_chain(therapist, practice, other_practice_therapist):
    _read(therapist, ClientFactory.create_batch(2, practice=practice))
    _read(other_practice_therapist, [ClientFactory(practice=other_practice_therapist.practice)])
    assert audit_seal(practice=other_practice_therapist.practice) == {other_practice_therapist.practice_id: 1}
    assert AuditEvent.objects.unsealed().filter(practice=practice).count() == 2
    assert audit_seal() == {practice.pk: 2}
    assert [e.sequence for e in _chain(practice)] == [1, 2]
    assert [e.sequence for e in _chain(other_practice_therapist.practice)] == [1]


def test_a_large_backlog_is_sealed_in_chunks(therapist, practice):
    clients = ClientFactory.create_batch(2, practice=practice)
    for _ in range(4):
        _read(therapist, clients * 2)
    with CaptureQueriesContext(connection) as queries:
        assert audit_seal(practice=practice, chunk_size=5) == {practice.pk: 16}
    # 16 entries in chunks of at most 5: four transactions, each with its own write.
    assert sum(f"UPDATE {TABLE}" in q["sql"].replace('"', "") for q in queries.captured_queries) == 4
    assert [e.sequence for e in _chain(practice)] == list(range(1, 17))
    assert audit_chain_verify(practice=practice) == (16, None)


def test_the_head_and_checkpoints_ignore_unsealed_entries(therapist, practice, settings, tmp_path):
    settings.AUDIT_CHECKPOINT_PATH = str(tmp_path / "checkpoints.jsonl")
    _read(therapist, ClientFactory.create_batch(2, practice=practice))
    audit_seal()
    _read(therapist, [ClientFactory(practice=practice)])
    # Unsealed entries sort first in a descending order on PostgreSQL; they are not the head.
    assert audit_chain_head(practice=practice).sequence == 2
    assert audit_chain_verify(practice=practice) == (2, None)
    # Written after the command sealed (as a request would while it runs): not recorded.
    call_command("verify_audit_trail")
    _read(therapist, [ClientFactory(practice=practice)])
    lines = (tmp_path / "checkpoints.jsonl").read_text().splitlines()
    assert len(lines) == 1 and '"sequence":3' in lines[0]
    assert AuditEvent.objects.unsealed().count() == 1


# --- The one write sealed entries allow -----------------------------------------------------


def test_the_sealing_path_never_touches_a_sealed_entry(therapist, practice):
    _read(therapist, [ClientFactory(practice=practice)])
    audit_seal()
    entry = _chain(practice)[0]
    original = (entry.sequence, entry.prev_hash, entry.hash)
    entry.sequence, entry.prev_hash, entry.hash = 7, "f" * 64, "e" * 64
    assert AuditEvent.objects.seal([entry]) == 0
    entry.refresh_from_db()
    assert (entry.sequence, entry.prev_hash, entry.hash) == original
    # And the ORM still refuses every other edit.
    with pytest.raises(PermissionError):
        AuditEvent.objects.filter(pk=entry.pk).update(sequence=None)


def test_an_entry_is_either_fully_sealed_or_not_at_all(therapist, practice):
    _read(therapist, [ClientFactory(practice=practice)])
    entry = AuditEvent.objects.get()
    entry.sequence, entry.prev_hash, entry.hash = 1, GENESIS_HASH, None
    with pytest.raises(IntegrityError), transaction.atomic():
        AuditEvent.objects.seal([entry])
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"UPDATE {TABLE} SET sequence = 1 WHERE id = %s", [_key(entry.pk)])  # noqa: S608
    assert AuditEvent.objects.unsealed().count() == 1


def test_two_entries_cannot_share_a_position(therapist, practice):
    _read(therapist, ClientFactory.create_batch(2, practice=practice))
    first, second = AuditEvent.objects.order_by("created_at", "id")
    first.sequence, first.prev_hash, first.hash = 1, GENESIS_HASH, "a" * 64
    second.sequence, second.prev_hash, second.hash = 1, GENESIS_HASH, "b" * 64
    assert AuditEvent.objects.seal([first]) == 1
    with pytest.raises(IntegrityError), transaction.atomic():
        AuditEvent.objects.seal([second])


# --- verify_audit_trail and prune_audit_trail seal first ------------------------------------


def test_verify_seals_first_then_checks_the_whole_chain(therapist, practice, capsys):
    _read(therapist, ClientFactory.create_batch(3, practice=practice))
    call_command("verify_audit_trail")
    out = capsys.readouterr().out
    assert "Test Practice: sealed 3 new entries into the chain." in out
    assert out.index("sealed 3") < out.index("3 entries, chain intact")
    assert not AuditEvent.objects.unsealed().exists()


def test_verify_reports_a_sealed_entry_edited_afterwards(therapist, practice, capsys):
    _read(therapist, ClientFactory.create_batch(3, practice=practice))
    call_command("verify_audit_trail")
    edited = _chain(practice)[1]
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {TABLE} SET record_id = 'other' WHERE id = %s", [_key(edited.pk)])  # noqa: S608
    _read(therapist, [ClientFactory(practice=practice)])  # later entries are sealed and checked too
    with pytest.raises(CommandError):
        call_command("verify_audit_trail")
    out = capsys.readouterr().out
    assert f"chain broken at entry #2 (id {edited.pk}): content does not match its hash (edited)" in out


def test_verify_reports_a_sealed_entry_removed_afterwards(therapist, practice, capsys):
    _read(therapist, ClientFactory.create_batch(3, practice=practice))
    audit_seal()
    AuditEvent.objects.filter(sequence=2)._raw_delete(connection.alias)
    _read(therapist, [ClientFactory(practice=practice)])
    with pytest.raises(CommandError):
        call_command("verify_audit_trail")
    assert "entry #2 is missing" in capsys.readouterr().out


def test_prune_works_with_unsealed_young_entries_present(therapist, client_record, practice, settings, capsys):
    retention = datetime.timedelta(days=settings.AUDIT_RETENTION_DAYS)
    old = timezone.now() - retention - datetime.timedelta(days=30)
    with time_machine.travel(old, tick=False):
        _read(therapist, [client_record] * 3)
    audit_seal()
    _read(therapist, [client_record] * 2)  # young, not sealed yet
    # The service alone (without the command's sealing first) removes the old sealed prefix only.
    outcome = audit_trail_prune(practice=practice)
    assert (outcome.removed, outcome.through_sequence) == (3, 3)
    remaining = _chain(practice)
    assert [e.sequence for e in remaining] == [4, 5, 6]
    announcement = remaining[-1]
    assert (announcement.record_type, announcement.action, announcement.record_id) == ("audit_trail", "delete", "3")
    assert not AuditEvent.objects.unsealed().exists()  # its announcement was sealed with them
    assert AuditChainAnchor.objects.get(practice=practice).through_sequence == 3
    assert audit_chain_verify(practice=practice) == (3, None)

    _read(therapist, [client_record])
    call_command("prune_audit_trail")
    out = capsys.readouterr().out
    assert out.index("sealed 1 new entries") < out.index("nothing past the retention period")
    call_command("verify_audit_trail")
    assert "4 entries, chain intact" in capsys.readouterr().out


def test_a_dry_run_prune_seals_but_removes_nothing(therapist, client_record, practice, capsys):
    _read(therapist, [client_record] * 2)
    call_command("prune_audit_trail", "--dry-run")
    assert "sealed 2 new entries" in capsys.readouterr().out
    assert [e.sequence for e in _chain(practice)] == [1, 2]
    assert not AuditChainAnchor.objects.exists()


# --- seal_audit_trail -----------------------------------------------------------------------


def test_the_command_seals_every_practice_or_the_one_named(
    therapist, practice, other_practice_therapist, other_practice, capsys
):
    _read(therapist, [ClientFactory(practice=practice)])
    _read(other_practice_therapist, ClientFactory.create_batch(2, practice=other_practice))
    call_command("seal_audit_trail", "--practice", str(other_practice.pk))
    assert capsys.readouterr().out == "Elsewhere: sealed 2 new entries into the chain.\n"
    assert AuditEvent.objects.unsealed().filter(practice=practice).count() == 1
    call_command("seal_audit_trail")
    assert capsys.readouterr().out == "Test Practice: sealed 1 new entries into the chain.\n"
    call_command("seal_audit_trail")
    assert capsys.readouterr().out == "No audit entries waiting to be sealed.\n"


@pytest.mark.parametrize(
    ("value", "message"),
    [("not-a-uuid", "is not a practice id"), ("6f1b7c3e-0000-4000-8000-000000000000", "No practice with id")],
)
def test_the_command_refuses_an_unknown_practice(practice, value, message):
    with pytest.raises(CommandError, match=message):
        call_command("seal_audit_trail", practice=value)


# --- Readers of the trail -------------------------------------------------------------------


def test_the_access_log_lists_an_entry_before_and_after_it_is_sealed(staff_api, therapist, client_record):
    _read(therapist, [client_record])
    url = f"/api/clients/{client_record.pk}/access-log"

    def reads_of_the_record():
        # Reading the access log is audited too (record type access_log): left out here.
        lines = staff_api.get(url).json()["data"]
        return [
            (line["record_type"], line["actor"]["id"], line["count"])
            for line in lines
            if line["record_type"] != "access_log"
        ]

    assert reads_of_the_record() == [("session", str(therapist.pk), 1)]
    assert AuditEvent.objects.unsealed().filter(record_type="session").exists()
    audit_seal()
    assert reads_of_the_record() == [("session", str(therapist.pk), 1)]
