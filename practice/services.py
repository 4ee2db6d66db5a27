"""Writes of the core domain, and the audit trail every clinical read and write uses."""

import contextlib
import datetime
import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from uuid import UUID

from django.contrib.auth import authenticate
from django.contrib.auth.models import update_last_login
from django.db import connection, transaction
from django.utils import timezone
from rest_framework_simplejwt.exceptions import TokenError
from rest_framework_simplejwt.settings import api_settings as jwt_settings
from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken, OutstandingToken
from rest_framework_simplejwt.tokens import RefreshToken

from .api.exceptions import AuthenticationError
from .models import AuditEvent, Practice, User

GENESIS_HASH = "0" * 64


@dataclass(frozen=True)
class AuditTarget:
    """One clinical record touched by a request."""

    record_type: str
    record_id: UUID | str
    client_id: UUID | None = None
    changed_fields: Sequence[str] = field(default_factory=tuple)


def audit_entry_hash(entry: AuditEvent) -> str:
    """SHA-256 over the entry's own fields and the previous entry's hash."""
    payload = json.dumps(
        [
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
        ],
        separators=(",", ":"),
    )
    return hashlib.sha256(payload.encode()).hexdigest()


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
    actor: User,
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
    practice_id = practice.pk if practice else actor.practice_id
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


# --- Authentication -------------------------------------------------------------------------


def auth_login(*, email: str, password: str, request=None) -> tuple[User, RefreshToken]:
    """Check the credentials and issue a refresh token (the access token derives from it).
    Wrong email, wrong password and an inactive account answer alike."""
    user = authenticate(request, email=email.strip().lower(), password=password)
    if user is None:
        raise AuthenticationError("invalid_credentials", "Invalid email or password.")
    refresh = RefreshToken.for_user(user)
    update_last_login(None, user)
    return user, refresh


@transaction.atomic
def auth_refresh(*, token: str) -> tuple[User, RefreshToken]:
    """Rotate a refresh token: the presented one is blacklisted and a new one issued.

    The token's outstanding row is locked, so two concurrent refreshes with the same token
    cannot both succeed."""
    try:
        refresh = RefreshToken(token)
    except TokenError as exc:
        raise AuthenticationError("token_not_valid", str(exc)) from exc
    outstanding = (
        OutstandingToken.objects.select_for_update().filter(jti=refresh[jwt_settings.JTI_CLAIM]).order_by().first()
    )
    if outstanding is None or BlacklistedToken.objects.filter(token=outstanding).exists():
        raise AuthenticationError("token_not_valid", "Token is blacklisted")
    user = User.objects.select_related("practice").filter(pk=refresh.get(jwt_settings.USER_ID_CLAIM)).first()
    if user is None or not user.is_active:
        raise AuthenticationError("no_active_account", "No active account found for the given token.")
    BlacklistedToken.objects.create(token=outstanding)
    refresh.set_jti()
    refresh.set_exp()
    refresh.set_iat()
    refresh.outstand()
    return user, refresh


@transaction.atomic
def auth_logout(*, token: str) -> None:
    """Blacklist the refresh token. An already invalid token has nothing left to revoke."""
    with contextlib.suppress(TokenError):
        RefreshToken(token).blacklist()
