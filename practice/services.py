"""Writes of the core domain, and the audit trail every clinical read and write uses."""

import datetime
import hashlib
import json
import math
import time
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from uuid import UUID

from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth.models import update_last_login
from django.core.cache import cache
from django.db import IntegrityError, connection, models, transaction
from django.utils import timezone
from rest_framework_simplejwt.exceptions import TokenBackendError, TokenError
from rest_framework_simplejwt.settings import api_settings as jwt_settings
from rest_framework_simplejwt.state import token_backend
from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken, OutstandingToken
from rest_framework_simplejwt.tokens import RefreshToken

from .api.exceptions import AccountLockedError, AuthenticationError
from .models import AuditEvent, Client, EmergencyContact, Practice, RevokedTokenFamily, User

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

FAMILY_CLAIM = "fam"


def _login_failures_key(email: str) -> str:
    return f"login-failures:{hashlib.sha256(email.encode()).hexdigest()}"


def _login_lock_key(email: str) -> str:
    return f"login-locked:{hashlib.sha256(email.encode()).hexdigest()}"


def _check_not_locked(email: str) -> None:
    locked_until = cache.get(_login_lock_key(email))
    if locked_until is not None:
        wait = max(1, int(locked_until - time.time()))
        raise AccountLockedError(
            "account_locked",
            f"Too many failed sign-ins. Try again in {math.ceil(wait / 60)} minute(s).",
            headers={"Retry-After": str(wait)},
        )


def _record_login_failure(email: str) -> None:
    """Count a failed sign-in; at the limit, lock the account for the lockout period.

    Counted in the cache with atomic increments, so concurrent attempts (and, with Redis,
    attempts on other server processes) all count."""
    key = _login_failures_key(email)
    window = settings.LOGIN_LOCKOUT_SECONDS
    cache.add(key, 0, timeout=window)
    try:
        failures = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window)
        failures = 1
    if failures >= settings.LOGIN_FAILURE_LIMIT:
        cache.set(_login_lock_key(email), time.time() + window, timeout=window)
        cache.delete(key)


def auth_login(*, email: str, password: str, request=None) -> tuple[User, RefreshToken]:
    """Check the credentials and issue a refresh token that starts a new token family.

    Wrong email, wrong password and an inactive account answer alike. After
    ``LOGIN_FAILURE_LIMIT`` failures the account is locked for ``LOGIN_LOCKOUT_SECONDS``,
    even for the right password."""
    email = email.strip().lower()
    _check_not_locked(email)
    user = authenticate(request, email=email, password=password)
    if user is None:
        _record_login_failure(email)
        raise AuthenticationError("invalid_credentials", "Invalid email or password.")
    cache.delete(_login_failures_key(email))
    refresh = RefreshToken.for_user(user)
    refresh[FAMILY_CLAIM] = str(uuid.uuid4())
    OutstandingToken.objects.filter(jti=refresh[jwt_settings.JTI_CLAIM]).update(token=str(refresh))
    update_last_login(None, user)
    return user, refresh


def _token_family(token: RefreshToken) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(token.get(FAMILY_CLAIM)))
    except ValueError:
        return None


def auth_refresh(*, token: str) -> tuple[User, RefreshToken]:
    """Rotate a refresh token: the presented one is blacklisted and a new one of the same
    family issued.

    The token's outstanding row is locked, so two concurrent refreshes with one token
    cannot both succeed. A token presented again after its rotation revokes its whole
    family (committed even though the request fails)."""
    try:
        # Signature, algorithm and expiry first; the blacklist is checked below, under a
        # row lock, where a blacklisted token means reuse rather than just "invalid".
        token_backend.decode(token, verify=True)
        refresh = RefreshToken(token, verify=False)
        refresh.verify_token_type()
    except (TokenError, TokenBackendError) as exc:
        raise AuthenticationError("token_not_valid", str(exc)) from exc
    family = _token_family(refresh)
    with transaction.atomic():
        outstanding = (
            OutstandingToken.objects.select_for_update().filter(jti=refresh[jwt_settings.JTI_CLAIM]).order_by().first()
        )
        reused = outstanding is not None and BlacklistedToken.objects.filter(token=outstanding).exists()
        revoked = family is not None and RevokedTokenFamily.objects.filter(family=family).exists()
        if outstanding is not None and not reused and not revoked:
            user = User.objects.select_related("practice").filter(pk=refresh.get(jwt_settings.USER_ID_CLAIM)).first()
            if user is None or not user.is_active:
                raise AuthenticationError("no_active_account", "No active account found for the given token.")
            BlacklistedToken.objects.create(token=outstanding)
            refresh.set_jti()
            refresh.set_exp()
            refresh.set_iat()
            refresh.outstand()
            return user, refresh
    if reused and family is not None and not revoked:
        with transaction.atomic():
            RevokedTokenFamily.objects.get_or_create(
                family=family, defaults={"user_id": refresh.get(jwt_settings.USER_ID_CLAIM), "reason": "reuse"}
            )
    raise AuthenticationError("token_not_valid", "Token is blacklisted")


@transaction.atomic
def auth_logout(*, token: str) -> None:
    """Blacklist the refresh token and end its family. An invalid token has nothing left
    to revoke."""
    try:
        refresh = RefreshToken(token)
    except TokenError:
        return
    refresh.blacklist()
    family = _token_family(refresh)
    if family is not None:
        RevokedTokenFamily.objects.get_or_create(
            family=family, defaults={"user_id": refresh.get(jwt_settings.USER_ID_CLAIM), "reason": "logout"}
        )


# --- Emergency contacts ---------------------------------------------------------------------

EMERGENCY_CONTACT = "emergency_contact"
EMERGENCY_CONTACT_FIELDS = ("name", "relationship", "phone", "alternate_phone", "email")


def emergency_contact_audit_target(*, client: Client, contact: EmergencyContact | None) -> AuditTarget:
    """A client without a contact yet is still a read of their record: the entry then
    names the client as the record."""
    return AuditTarget(EMERGENCY_CONTACT, contact.pk if contact else client.pk, client.pk)


def client_record_write(
    *,
    model: type[models.Model],
    client: Client,
    actor: User,
    fields: Sequence[str],
    data: Mapping[str, object],
    record_type: str,
    ip_address: str | None = None,
    stamps: Mapping[str, object] | None = None,
) -> models.Model:
    """Write the given ``fields`` of the client's single ``model`` record (one-to-one with
    the client), creating it on the first write; fields not given keep their value. The
    write is audited with the names of the fields that changed.

    The row is read under a lock, so concurrent writes apply one after the other; two
    concurrent first writes cannot create two records (the one-to-one is unique in the
    database): the loser applies its write on top of the winner's row. ``stamps`` are set
    whenever something changed (e.g. who wrote it)."""
    stamps = dict(stamps or {})
    while True:
        record = model.objects.select_for_update().filter(client=client).first()
        created = record is None
        if created:
            record = model(client=client)
        before = {name: getattr(record, name) for name in fields}
        for name in fields:
            if name in data:
                setattr(record, name, data[name])
        changed = [name for name in fields if getattr(record, name) != before[name]]
        if created or changed:
            for name, value in stamps.items():
                setattr(record, name, value)
            # The client was resolved by the caller; the one-to-one is enforced by the database.
            record.full_clean(exclude=["client", *stamps], validate_unique=False)
            if not created:
                record.save(update_fields=[*changed, *stamps, "updated_at"])
            else:
                try:
                    with transaction.atomic():
                        record.save(force_insert=True)
                except IntegrityError:
                    continue  # a concurrent first write won: apply this one on top of it
        audit_log(
            actor=actor,
            action=AuditEvent.Action.CREATE if created else AuditEvent.Action.UPDATE,
            targets=[AuditTarget(record_type, record.pk, client.pk, changed)],
            ip_address=ip_address,
        )
        return record


@transaction.atomic
def emergency_contact_update(
    *, actor: User, client_id: UUID, data: Mapping[str, object], ip_address: str | None = None
) -> EmergencyContact:
    """Write the client's one emergency contact (``client_record_write``): staff (front
    desk) and the client's assigned therapists may. Phone numbers arrive parsed (E.164 on
    save)."""
    from .selectors import client_get  # selectors import this module

    return client_record_write(
        model=EmergencyContact,
        client=client_get(actor=actor, client_id=client_id),
        actor=actor,
        fields=EMERGENCY_CONTACT_FIELDS,
        data=data,
        record_type=EMERGENCY_CONTACT,
        ip_address=ip_address,
    )
