"""Removing audit entries past the retention period: only those, in order, and the
remaining chain still verifies."""

import datetime
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test import override_settings
from django.utils import timezone

from practice.models import AuditChainAnchor, AuditEvent
from practice.selectors import audit_chain_verify
from practice.services.audit import AuditTarget, audit_log, audit_seal
from practice.services.audit_retention import audit_trail_prune

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


def _entry(actor, client, age: datetime.timedelta):
    """One entry created ``age`` ago (moved back in time with SQL: the ORM refuses), sealed:
    the head of the chain."""
    audit_log(actor=actor, action="view", targets=[AuditTarget("medical_history", client.pk, client.pk)])
    audit_seal()
    entry = AuditEvent.objects.sealed().filter(practice=actor.practice_id).order_by("-sequence").first()
    entry.created_at = timezone.now() - age
    from practice.audit_chain import audit_entry_hash

    # Rewrite created_at and the hashes from this entry on, as if it had been written then.
    table = AuditEvent._meta.db_table
    key = entry.pk.hex if connection.vendor == "sqlite" else entry.pk
    prev = AuditEvent.objects.filter(practice=entry.practice_id, sequence=entry.sequence - 1).first()
    entry.prev_hash = prev.hash if prev else entry.prev_hash
    entry.hash = audit_entry_hash(entry)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET created_at = %s, prev_hash = %s, hash = %s WHERE id = %s",  # noqa: S608
            [entry.created_at, entry.prev_hash, entry.hash, key],
        )
    return entry


@pytest.fixture
def chain(therapist, client_record, settings):
    retention = datetime.timedelta(days=settings.AUDIT_RETENTION_DAYS)
    ages = [retention + 30 * DAY, retention + 20 * DAY, retention + DAY, retention - DAY, 10 * DAY, DAY]
    return [_entry(therapist, client_record, age) for age in ages]


def test_prune_removes_only_what_is_past_retention_and_the_chain_verifies(chain, practice, capsys):
    assert audit_chain_verify(practice=practice) == (6, None)

    call_command("prune_audit_trail")

    remaining = list(AuditEvent.objects.filter(practice=practice).order_by("sequence"))
    assert [entry.sequence for entry in remaining] == [4, 5, 6, 7]
    assert {entry.pk for entry in remaining[:3]} == {entry.pk for entry in chain[3:]}
    announcement = remaining[-1]
    assert (announcement.record_type, announcement.action, announcement.record_id) == ("audit_trail", "delete", "3")
    anchor = AuditChainAnchor.objects.get(practice=practice)
    assert (anchor.through_sequence, anchor.through_hash, anchor.removed_count) == (3, chain[2].hash, 3)
    assert "removed 3 entries, up to #3" in capsys.readouterr().out
    assert audit_chain_verify(practice=practice) == (4, None)
    call_command("verify_audit_trail")


def test_pruning_again_continues_from_the_anchor(chain, practice, therapist, client_record):
    audit_trail_prune(practice=practice)
    assert audit_trail_prune(practice=practice).removed == 0
    later = timezone.now() + 5 * DAY
    outcome = audit_trail_prune(practice=practice, now=later)
    assert (outcome.removed, outcome.through_sequence) == (1, 4)
    assert audit_chain_verify(practice=practice) == (4, None)
    assert AuditEvent.objects.filter(practice=practice).order_by("sequence").first().sequence == 5
    # New entries keep chaining on.
    audit_log(actor=therapist, action="view", targets=[AuditTarget("medical_history", client_record.pk)])
    assert audit_seal(practice=practice) == {practice.pk: 1}
    assert audit_chain_verify(practice=practice) == (5, None)


def test_dry_run_removes_nothing(chain, practice, capsys):
    call_command("prune_audit_trail", "--dry-run")
    assert AuditEvent.objects.filter(practice=practice).count() == 6
    assert not AuditChainAnchor.objects.exists()
    assert "would remove 3 entries" in capsys.readouterr().out


def test_an_old_entry_after_a_young_one_is_kept(therapist, client_record, practice, settings):
    retention = datetime.timedelta(days=settings.AUDIT_RETENTION_DAYS)
    _entry(therapist, client_record, retention + 5 * DAY)
    _entry(therapist, client_record, DAY)
    _entry(therapist, client_record, retention + 2 * DAY)  # out of order: not part of the old prefix
    assert audit_trail_prune(practice=practice).removed == 1
    assert audit_chain_verify(practice=practice) == (3, None)


def test_a_removal_the_chain_does_not_announce_fails_verification(chain, practice):
    table = AuditEvent._meta.db_table
    key = practice.pk.hex if connection.vendor == "sqlite" else practice.pk
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table} WHERE practice_id = %s AND sequence <= 2", [key])  # noqa: S608
    AuditChainAnchor.objects.create(
        practice=practice,
        through_sequence=2,
        through_hash=chain[1].hash,
        removed_count=2,
        removed_before=timezone.now(),
    )
    _checked, chain_break = audit_chain_verify(practice=practice)
    assert chain_break is not None and "does not record the removal" in chain_break.reason


def test_retention_below_five_years_is_refused(chain):
    with override_settings(AUDIT_RETENTION_DAYS=365):
        from django.core.checks import run_checks

        assert "practice.E003" in {error.id for error in run_checks()}
        with pytest.raises(CommandError, match="minimum"):
            call_command("prune_audit_trail")
    assert AuditEvent.objects.count() == 6


def test_verify_after_pruning_accepts_a_checkpoint_the_pruning_removed(chain, practice, settings, tmp_path, capsys):
    settings.AUDIT_CHECKPOINT_PATH = str(tmp_path / "checkpoints.jsonl")
    # A checkpoint recorded long ago, at entry #2, which the retention now removes.
    from practice.audit_checkpoint import Checkpoint, append_checkpoints

    append_checkpoints(
        Path(settings.AUDIT_CHECKPOINT_PATH), [Checkpoint(practice.pk, 2, chain[1].hash, "2020-01-01T00:00:00")]
    )
    call_command("prune_audit_trail")
    call_command("verify_audit_trail")
    assert "chain intact" in capsys.readouterr().out
