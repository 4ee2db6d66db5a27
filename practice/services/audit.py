"""The audit trail (SPEC §9): one hash-chained entry per clinical record read or changed."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from uuid import UUID

from django.db import connection, transaction
from django.utils import timezone

from practice.audit_chain import GENESIS_HASH, audit_entry_hash
from practice.models import AuditEvent, Practice, User


@dataclass(frozen=True)
class AuditTarget:
    """One clinical record touched by a request."""

    record_type: str
    record_id: UUID | str
    client_id: UUID | None = None
    changed_fields: Sequence[str] = field(default_factory=tuple)


def _lock_practice_chain(practice_id: UUID) -> None:
    # Serialise appends to one practice's chain until the transaction ends. SQLite
    # serialises all writers anyway.
    if connection.vendor == "postgresql":
        key = practice_id.int & 0x7FFF_FFFF_FFFF_FFFF
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [key])


@transaction.atomic
def audit_log(
    *,
    actor: User | None,
    action: str,
    targets: Iterable[AuditTarget],
    ip_address: str | None = None,
    practice: Practice | None = None,
) -> list[AuditEvent]:
    """Append one entry per target to the practice's hash chain, in one bulk insert.

    Runs inside the caller's transaction, so a request that fails leaves no entry."""
    targets = list(targets)
    if not targets:
        return []
    practice_id = practice.pk if practice else actor.practice_id  # an entry without actor names its practice
    _lock_practice_chain(practice_id)
    last = (
        AuditEvent.objects.filter(practice_id=practice_id).order_by("-sequence").values_list("sequence", "hash").first()
    )
    sequence, prev_hash = last if last else (0, GENESIS_HASH)
    now = timezone.now()
    entries = []
    for target in targets:
        sequence += 1
        entry = AuditEvent(
            practice_id=practice_id,
            sequence=sequence,
            actor=actor,
            action=action,
            record_type=target.record_type,
            record_id=str(target.record_id),
            client_id=target.client_id,
            ip_address=ip_address,
            changed_fields=sorted(target.changed_fields),
            created_at=now,
            prev_hash=prev_hash,
        )
        entry.hash = audit_entry_hash(entry)
        prev_hash = entry.hash
        entries.append(entry)
    return AuditEvent.objects.bulk_create(entries)


def audit_record_view(
    *, actor: User, targets: Iterable[AuditTarget], ip_address: str | None = None
) -> list[AuditEvent]:
    """Record that ``actor`` read the given clinical records: the one way an audited read
    is logged, so that ``grep audit_record_view`` lists every read of health data."""
    return audit_log(actor=actor, action=AuditEvent.Action.VIEW, targets=targets, ip_address=ip_address)
