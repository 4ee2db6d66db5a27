"""The audit trail (SPEC §9): hash-chained entries of the clinical records read or changed,
one per record, or one per list page for the records of one kind it shows.

Writing and chaining are two steps, the way a transparency log integrates its entries:

- ``audit_log`` (inside the request's transaction) inserts the entries *unsealed*, in one
  statement, without a lock and without reading the chain, so that requests of one practice
  never wait for each other.
- ``audit_seal`` (``manage.py seal_audit_trail``, every minute from cron; also the first step
  of ``verify_audit_trail`` and ``prune_audit_trail``) links the committed unsealed entries
  into their practice's chain, in short transactions of its own under the practice's lock:
  consecutive sequences from the sealed head, ``prev_hash`` and ``hash`` as
  ``practice.audit_chain`` computes them. The chain's order is the order of sealing
  (``created_at``, then ``id``, which increases in the order a process wrote them), so it
  does not matter in which order requests commit."""

import os
import sqlite3
import threading
import time
from collections.abc import Iterable, Sequence
from contextlib import nullcontext
from dataclasses import dataclass, field
from functools import cache
from uuid import UUID

from django.db import connections, router, transaction
from django.utils import timezone

from practice.audit_chain import GENESIS_HASH, audit_entry_hash
from practice.models import AuditEvent, Practice, User

#: Entries sealed per transaction: a large backlog holds the practice's lock in short turns.
SEAL_CHUNK_SIZE = 5000
#: Bind parameters one statement may carry where the database does not say (PostgreSQL's
#: protocol limit).
_MAX_QUERY_PARAMS = 65535
#: The columns an entry is written with, in the order of the INSERT; the chain fields stay NULL.
_INSERT_FIELDS = (
    "id",
    "practice",
    "actor",
    "action",
    "record_type",
    "record_id",
    "client",
    "record_ids",
    "client_ids",
    "ip_address",
    "changed_fields",
    "created_at",
)


@dataclass(frozen=True)
class AuditTarget:
    """One clinical record touched by a request."""

    record_type: str
    record_id: UUID | str
    client_id: UUID | None = None
    changed_fields: Sequence[str] = field(default_factory=tuple)


@cache
def _insert_fields() -> dict:
    return {name: AuditEvent._meta.get_field(name) for name in _INSERT_FIELDS}


_UUID7_VERSION, _UUID_VARIANT, _RANDOM_62_BITS = 0x7 << 76, 0b10 << 62, (1 << 62) - 1
_id_lock = threading.Lock()
_id_last = 0  # the last (millisecond << 12 | counter) handed out by this process


def _entry_ids(count: int) -> list[str]:
    """``count`` new UUIDv7 ids as 32 hex digits (RFC 9562: Unix milliseconds, a 12-bit
    counter, random bits), increasing within this process even when the clock stands still
    (or is frozen in a test) or steps back. The sealer orders entries of the same
    ``created_at`` by id, so the chain keeps the order in which one process wrote them; and
    new ids land at the end of the primary-key index instead of anywhere in it."""
    global _id_last
    with _id_lock:
        first = max((time.time_ns() // 1_000_000) << 12, _id_last + 1)
        _id_last = first + count - 1
    tails = memoryview(os.urandom(8 * count)).cast("Q")
    return [
        f"{(stamp >> 12) << 80 | _UUID7_VERSION | (stamp & 0xFFF) << 64 | _UUID_VARIANT | tail & _RANDOM_62_BITS:032x}"
        for stamp, tail in zip(range(first, first + count), tails, strict=True)
    ]


def _max_rows_per_insert(conn) -> int:
    limit = conn.features.max_query_params
    if conn.vendor == "sqlite":
        # Django assumes SQLite's old compile-time default (999); ask the library itself.
        conn.ensure_connection()
        limit = conn.connection.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
    return max(1, (limit or _MAX_QUERY_PARAMS) // len(_INSERT_FIELDS))


@dataclass(frozen=True)
class _Entry:
    """One row to write: one record, or the records of one kind a call names together."""

    record_type: str
    record_id: str
    client_id: str | None
    record_ids: list[str]
    client_ids: list[str]
    changed_fields: list[str]


def _entries(targets: Iterable[AuditTarget]) -> list[_Entry]:
    """The entries for a call's targets: one per record type and set of changed fields.

    A lone record is an entry of its own (``record_id``, ``client``). Several records of
    one kind (a list page) are one entry that names them all in ``record_ids``, with their
    client in ``client`` when they share one and in ``client_ids`` when they are of several."""
    groups: dict[tuple[str, tuple[str, ...]], list[AuditTarget]] = {}
    for target in targets:
        groups.setdefault((target.record_type, tuple(sorted(target.changed_fields))), []).append(target)
    entries = []
    for (record_type, changed), group in groups.items():
        record_ids = list(dict.fromkeys(str(target.record_id) for target in group))
        # Distinct before converting: a page shows many records of few clients.
        clients = sorted({_uuid_text(client) for client in {target.client_id for target in group if target.client_id}})
        single_record, single_client = len(record_ids) == 1, len(clients) <= 1
        entries.append(
            _Entry(
                record_type=record_type,
                record_id=record_ids[0] if single_record else "",
                client_id=clients[0] if clients and single_client else None,
                record_ids=[] if single_record else record_ids,
                client_ids=[] if single_client else clients,
                changed_fields=list(changed),
            )
        )
    return entries


def audit_log(
    *,
    actor: User | None,
    action: str,
    targets: Iterable[AuditTarget],
    ip_address: str | None = None,
    practice: Practice | None = None,
) -> None:
    """Record the targets as unsealed entries, in one INSERT: one entry per record, except
    that the records of one kind a call names together (a list page) are one entry that
    names every one of them and every client they belong to (``_entries``).

    Runs inside the caller's transaction, so a request that fails leaves no entry. Takes
    no lock and reads nothing: the entries join the practice's hash chain when
    ``audit_seal`` seals them (within a minute, or first thing when the chain is verified).
    Builds the rows itself rather than model instances (``bulk_create``), which cost more
    than the insert."""
    entries = _entries(targets)
    if not entries:
        return
    practice_id = practice.pk if practice else actor.practice_id  # an entry without actor names its practice
    conn = connections[router.db_for_write(AuditEvent)]
    fields = _insert_fields()
    # What every entry of the call shares, as the database takes it.
    shared = {
        "practice": fields["practice"].get_db_prep_save(practice_id, conn),
        "actor": fields["actor"].get_db_prep_save(actor.pk if actor else None, conn),
        "action": action,
        "ip_address": fields["ip_address"].get_db_prep_save(ip_address, conn),
        "created_at": fields["created_at"].get_db_prep_save(timezone.now(), conn),
    }
    _insert(conn, shared, entries)


def _columns(conn) -> str:
    return ", ".join(conn.ops.quote_name(field.column) for field in _insert_fields().values())


def _uuid_text(value: UUID | str) -> str:
    return str(value if isinstance(value, UUID) else UUID(value))


def _insert(conn, shared: dict, entries: list[_Entry]) -> None:
    """One multi-row ``VALUES`` insert (a call has an entry per record type it names, a
    handful at most), in batches only when the entries need more parameters than one
    statement may carry, then together or not at all."""
    fields = _insert_fields()
    prep = {
        name: fields[name].get_db_prep_save for name in ("id", "client", "record_ids", "client_ids", "changed_fields")
    }
    rows = [
        (
            prep["id"](UUID(entry_id), conn),
            shared["practice"],
            shared["actor"],
            shared["action"],
            e.record_type,
            e.record_id,
            prep["client"](UUID(e.client_id) if e.client_id else None, conn),
            prep["record_ids"](e.record_ids, conn),
            prep["client_ids"](e.client_ids, conn),
            shared["ip_address"],
            prep["changed_fields"](e.changed_fields, conn),
            shared["created_at"],
        )
        for e, entry_id in zip(entries, _entry_ids(len(entries)), strict=True)
    ]
    table = conn.ops.quote_name(AuditEvent._meta.db_table)
    row_sql = f"({', '.join(['%s'] * len(_INSERT_FIELDS))})"
    batch = _max_rows_per_insert(conn)
    atomic = transaction.atomic(using=conn.alias, savepoint=False) if len(rows) > batch else nullcontext()
    with atomic, conn.cursor() as cursor:
        for start in range(0, len(rows), batch):
            chunk = rows[start : start + batch]
            cursor.execute(
                f"INSERT INTO {table} ({_columns(conn)}) VALUES {', '.join([row_sql] * len(chunk))}",  # noqa: S608
                [value for row in chunk for value in row],
            )


def audit_record_view(*, actor: User, targets: Iterable[AuditTarget], ip_address: str | None = None) -> None:
    """Record that ``actor`` read the given clinical records: the one way an audited read
    is logged, so that ``grep audit_record_view`` lists every read of health data."""
    audit_log(actor=actor, action=AuditEvent.Action.VIEW, targets=targets, ip_address=ip_address)


def _lock_practice_chain(practice_id: UUID) -> None:
    # Serialise sealers of one practice's chain until the transaction ends; requests never
    # take it. SQLite serialises all writers anyway.
    conn = connections[router.db_for_write(AuditEvent)]
    if conn.vendor == "postgresql":
        key = practice_id.int & 0x7FFF_FFFF_FFFF_FFFF
        with conn.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [key])


def _seal_chunk(practice_id: UUID, limit: int) -> int:
    """Seal up to ``limit`` of the practice's unsealed entries in one transaction."""
    with transaction.atomic(using=router.db_for_write(AuditEvent)):
        _lock_practice_chain(practice_id)
        # After the lock: every statement from here sees what earlier sealers committed.
        head = (
            AuditEvent.objects.sealed()
            .filter(practice_id=practice_id)
            .order_by("-sequence")
            .values_list("sequence", "hash")
            .first()
        )
        sequence, prev_hash = head if head else (0, GENESIS_HASH)
        entries = list(
            AuditEvent.objects.unsealed().filter(practice_id=practice_id).order_by("created_at", "id")[:limit]
        )
        for entry in entries:
            sequence += 1
            entry.sequence = sequence
            entry.prev_hash = prev_hash
            entry.hash = audit_entry_hash(entry)
            prev_hash = entry.hash
        sealed = AuditEvent.objects.seal(entries)
        if sealed != len(entries):
            # Someone sealed without the lock; write nothing rather than a forked chain.
            raise RuntimeError(f"Sealed {sealed} of {len(entries)} audit entries; nothing was sealed.")
        return sealed


def audit_seal(*, practice: Practice | None = None, chunk_size: int = SEAL_CHUNK_SIZE) -> dict[UUID, int]:
    """Link the committed unsealed entries of ``practice`` (or of every practice) into
    its hash chain; return how many were sealed, per practice that had any.

    Rules: only a sealer takes the practice's chain lock, for one transaction of at most
    ``chunk_size`` entries; it continues the chain from its sealed head, in the entries'
    order (``created_at``, then ``id``), and writes only rows still unsealed. Entries
    committed after a chunk was read are sealed by the next chunk or the next run. Run it
    outside a request (``manage.py seal_audit_trail``): inside another transaction, the
    lock would be held until that one ends."""
    if practice is not None:
        practice_ids = [practice.pk]
    else:
        practice_ids = list(AuditEvent.objects.unsealed().order_by().values_list("practice_id", flat=True).distinct())
    sealed: dict[UUID, int] = {}
    for practice_id in practice_ids:
        count = 0
        while True:
            chunk = _seal_chunk(practice_id, chunk_size)
            count += chunk
            if chunk < chunk_size:
                break
        if count:
            sealed[practice_id] = count
    return sealed
