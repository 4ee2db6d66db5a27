"""Removing audit entries past the retention period (``AUDIT_RETENTION_DAYS``), honestly:
only a prefix of a practice's chain, announced in the chain itself, and anchored so that
the remainder still verifies."""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from practice.models import AuditChainAnchor, AuditEvent, Practice, User
from practice.services.audit import AuditTarget, audit_log, audit_seal


@dataclass(frozen=True)
class PruneOutcome:
    practice: Practice
    removed: int
    through_sequence: int | None


def audit_retention_cutoff(*, now: datetime.datetime | None = None) -> datetime.datetime:
    """Entries created before this instant are past the retention period."""
    days = max(settings.AUDIT_RETENTION_DAYS, settings.AUDIT_RETENTION_MIN_DAYS)
    return (now or timezone.now()) - datetime.timedelta(days=days)


@transaction.atomic
def audit_trail_prune(
    *, practice: Practice, actor: User | None = None, now: datetime.datetime | None = None, dry_run: bool = False
) -> PruneOutcome:
    """Remove the practice's entries older than the retention period.

    Rules: only the oldest entries up to the first one still within the retention
    period are removed (a prefix of the chain: nothing younger, and no gap); the removal
    is first appended to the chain as an entry of its own (record type ``audit_trail``,
    action ``delete``, record id the last removed sequence), then an ``AuditChainAnchor``
    records where the chain now starts (that sequence and its hash), so that
    ``verify_audit_trail`` checks the remainder from there. Only sealed entries count:
    unsealed ones are young and not in the chain yet; the announcement is sealed here,
    before the removal, so the anchor and its announcement are committed together. Audit
    entries refuse deletion through the ORM; this is the one place that removes them, with
    SQL."""
    cutoff = audit_retention_cutoff(now=now)
    events = AuditEvent.objects.sealed().filter(practice=practice)
    anchor = AuditChainAnchor.objects.filter(practice=practice).order_by("-through_sequence").first()
    first_young = events.filter(created_at__gte=cutoff).order_by("sequence").values_list("sequence", flat=True).first()
    last_old = events.filter(created_at__lt=cutoff)
    if first_young is not None:
        last_old = last_old.filter(sequence__lt=first_young)
    through = last_old.order_by("-sequence").values_list("sequence", "hash").first()
    if through is None:
        return PruneOutcome(practice, 0, None)
    through_sequence, through_hash = through
    start = anchor.through_sequence + 1 if anchor else 1
    removed = through_sequence - start + 1
    if dry_run:
        return PruneOutcome(practice, removed, through_sequence)
    # Announced in the chain first: the entry is young, so it always survives the removal,
    # and the chain never becomes empty (appending continues from its sequence).
    audit_log(
        actor=actor,
        action=AuditEvent.Action.DELETE,
        targets=[AuditTarget(AuditEvent.RecordType.AUDIT_TRAIL, str(through_sequence))],
        practice=practice,
    )
    # Holds the practice's chain lock (sealers only) until the removal commits.
    audit_seal(practice=practice)
    AuditChainAnchor.objects.create(
        practice=practice,
        through_sequence=through_sequence,
        through_hash=through_hash,
        removed_count=removed,
        removed_before=cutoff,
    )
    table = connection.ops.quote_name(AuditEvent._meta.db_table)
    practice_key = AuditEvent._meta.get_field("practice").target_field.get_db_prep_value(practice.pk, connection)
    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {table} WHERE practice_id = %s AND sequence <= %s",  # noqa: S608 (table name only)
            [practice_key, through_sequence],
        )
        deleted = cursor.rowcount
    if deleted != removed:
        raise RuntimeError(f"Expected to remove {removed} audit entries, removed {deleted}; nothing was removed.")
    return PruneOutcome(practice, removed, through_sequence)
