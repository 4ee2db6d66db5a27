"""The audit trail's hash chain: how one entry's hash is computed. Shared by the writer
(``practice.services.audit``) and the verifier (``practice.selectors``)."""

import datetime
import hashlib
import json

GENESIS_HASH = "0" * 64


def audit_entry_hash(entry) -> str:
    """SHA-256 over the entry's own fields and the previous entry's hash. A list entry's
    ``record_ids`` and ``client_ids`` follow when it has them, so that the hash of an
    entry without them is the one it had before they existed."""
    fields = [
        str(entry.practice_id),
        entry.sequence,
        str(entry.actor_id) if entry.actor_id else None,
        entry.action,
        entry.record_type,
        entry.record_id,
        str(entry.client_id) if entry.client_id else None,
        entry.ip_address,
        list(entry.changed_fields),
        entry.created_at.astimezone(datetime.UTC).isoformat(),
        entry.prev_hash,
    ]
    if entry.record_ids or entry.client_ids:
        fields += [list(entry.record_ids), list(entry.client_ids)]
    payload = json.dumps(fields, separators=(",", ":"))
    return hashlib.sha256(payload.encode()).hexdigest()
