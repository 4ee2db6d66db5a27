"""Checkpoints of the audit chain's head, kept outside the database.

The hash chain shows an entry edited or removed *inside* the chain, but not the newest
entries removed: the shortened chain is still intact. Each ``verify_audit_trail`` run
therefore records every practice's head (sequence and hash) in an append-only file
(``AUDIT_CHECKPOINT_PATH``) and in the log, each line signed with an HMAC whose key is a
setting (``AUDIT_CHECKPOINT_KEY``), never stored in the database. The next run checks that
the chain still reaches every recorded head with the same hash: a chain that now ends
earlier, or holds another entry at that position, has been cut or rewritten since.

Someone who can change the database but not the file (or the log, or the key) cannot hide
a truncation. Someone who can also rewrite the file and knows the key can; and entries
written after the last checkpoint and removed before the next run are not seen."""

import hashlib
import hmac
import json
from dataclasses import dataclass
from pathlib import Path
from uuid import UUID

from django.conf import settings


@dataclass(frozen=True)
class Checkpoint:
    practice_id: UUID
    sequence: int
    hash: str
    recorded_at: str


class CheckpointFileTampered(Exception):
    """A line of the checkpoint file is not one this key signed."""


def _key() -> bytes:
    key = settings.AUDIT_CHECKPOINT_KEY or settings.SECRET_KEY
    # Derived, so that the checkpoint MAC is never the same value as any other use of the key.
    return hmac.new(key.encode(), b"practice.audit-checkpoint", hashlib.sha256).digest()


def _mac(practice_id: str, sequence: int, head_hash: str, recorded_at: str) -> str:
    message = json.dumps([practice_id, sequence, head_hash, recorded_at], separators=(",", ":"))
    return hmac.new(_key(), message.encode(), hashlib.sha256).hexdigest()


def checkpoint_line(checkpoint: Checkpoint) -> str:
    """The signed JSON line that records ``checkpoint``."""
    fields = [str(checkpoint.practice_id), checkpoint.sequence, checkpoint.hash, checkpoint.recorded_at]
    return json.dumps(
        {
            "practice": fields[0],
            "sequence": fields[1],
            "hash": fields[2],
            "recordedAt": fields[3],
            "mac": _mac(*fields),
        },
        separators=(",", ":"),
    )


def checkpoint_path() -> Path | None:
    path = settings.AUDIT_CHECKPOINT_PATH
    return Path(path) if path else None


def latest_checkpoints(path: Path | None) -> dict[UUID, Checkpoint]:
    """The newest checkpoint recorded for each practice; ``CheckpointFileTampered`` when a
    line's signature does not match (edited, or written with another key)."""
    latest: dict[UUID, Checkpoint] = {}
    if path is None or not path.exists():
        return latest
    with path.open(encoding="utf-8") as lines:
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            try:
                item = json.loads(line)
                fields = [item["practice"], int(item["sequence"]), item["hash"], item["recordedAt"]]
                valid = hmac.compare_digest(_mac(*fields), item["mac"])
            except (ValueError, KeyError, TypeError):
                valid = False
            if not valid:
                raise CheckpointFileTampered(f"line {number} of {path} is not a valid signed checkpoint")
            checkpoint = Checkpoint(UUID(fields[0]), fields[1], fields[2], fields[3])
            previous = latest.get(checkpoint.practice_id)
            if previous is None or checkpoint.sequence >= previous.sequence:
                latest[checkpoint.practice_id] = checkpoint
    return latest


def append_checkpoints(path: Path | None, checkpoints: list[Checkpoint]) -> list[str]:
    """Append the signed lines to the file (when one is configured); return them for the log."""
    lines = [checkpoint_line(checkpoint) for checkpoint in checkpoints]
    if path is not None and lines:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("a", encoding="utf-8") as file:
            file.write("".join(f"{line}\n" for line in lines))
    return lines
