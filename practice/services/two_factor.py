"""Two-factor authentication: TOTP (RFC 6238, pyotp) with one-time recovery codes.

Setup creates a pending authenticator and shows its secret, QR code and ten recovery
codes once; proving one code turns it on. A TOTP code is accepted for the current time
step and one step either side, and only for a step later than the last one accepted, by a
single conditional update: a code is never accepted twice, not even by two concurrent
requests. A recovery code works once, by the same kind of update. Wrong codes count
towards the account lockout exactly like wrong passwords."""

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

import pyotp
import segno
from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy

from practice.errors import AuthenticationError, ConflictError, NotFoundError, PracticeError, ValidationFailed
from practice.models import AuditEvent, TwoFactorChallenge, TwoFactorDevice, TwoFactorRecoveryCode, User
from practice.services.audit import AuditTarget, audit_log
from practice.services.lockout import lockout_check, lockout_record_failure

TOTP_INTERVAL = 30
TOTP_DIGITS = 6
#: Steps accepted either side of the current one (clock drift, typing time).
TOTP_VALID_WINDOW = 1
RECOVERY_CODE_COUNT = 10
RECOVERY_CODE_LENGTH = 10
# No 0/O, 1/I/L: codes are read off paper.
RECOVERY_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
_TOTP_CODE = re.compile(rf"\d{{{TOTP_DIGITS}}}")
_RECOVERY_CODE = re.compile(rf"[A-Z0-9]{{{RECOVERY_CODE_LENGTH}}}")

INVALID_CODE = PracticeError.INVALID_TWO_FACTOR_CODE
TEMP_TOKEN_INVALID = gettext_lazy("This sign-in has expired or was already completed; sign in again.")


@dataclass(frozen=True)
class TwoFactorSetup:
    secret: str
    otpauth_uri: str
    qr_code_url: str
    recovery_codes: list[str]


def _time_step(now: datetime) -> int:
    return int(now.timestamp()) // TOTP_INTERVAL


def _matching_step(secret: str, code: str, now: datetime) -> int | None:
    """The latest time step within the window whose code is ``code``, else ``None``."""
    totp = pyotp.TOTP(secret, digits=TOTP_DIGITS, interval=TOTP_INTERVAL)
    current = _time_step(now)
    for step in range(current + TOTP_VALID_WINDOW, current - TOTP_VALID_WINDOW - 1, -1):
        if hmac.compare_digest(totp.generate_otp(step), code):
            return step
    return None


def _recovery_digest(code: str, salt: str) -> str:
    return hashlib.sha256(f"{salt}:{code}".encode()).hexdigest()


def _normalise(code: str) -> str:
    return re.sub(r"[\s-]", "", code).upper()


def _recovery_codes_create(device: TwoFactorDevice) -> list[str]:
    codes = [
        "".join(secrets.choice(RECOVERY_CODE_ALPHABET) for _ in range(RECOVERY_CODE_LENGTH))
        for _ in range(RECOVERY_CODE_COUNT)
    ]
    rows = []
    for code in codes:
        salt = secrets.token_hex(16)
        rows.append(TwoFactorRecoveryCode(device=device, salt=salt, digest=_recovery_digest(code, salt)))
    TwoFactorRecoveryCode.objects.bulk_create(rows)
    return codes


def _invalid_code(user: User, field: str = "code") -> ValidationFailed:
    lockout_record_failure(user.email)
    message = gettext("The verification code is not valid.")
    return ValidationFailed(INVALID_CODE, message, errors=[{"field": field, "message": message}])


def _accept_totp(device: TwoFactorDevice, code: str, now: datetime) -> bool:
    step = _matching_step(device.secret, code, now)
    if step is None:
        return False
    # Only for a step later than the last accepted one: a replayed code (or an older one
    # of the window) matches no row, even against a concurrent request with the same code.
    accepted = (
        TwoFactorDevice.objects.filter(pk=device.pk)
        .filter(Q(last_used_step__isnull=True) | Q(last_used_step__lt=step))
        .update(last_used_step=step, last_used_at=now)
    )
    return accepted == 1


def _accept_recovery_code(device: TwoFactorDevice, code: str, now: datetime) -> bool:
    for candidate in TwoFactorRecoveryCode.objects.filter(device=device, used_at__isnull=True):
        if hmac.compare_digest(_recovery_digest(code, candidate.salt), candidate.digest):
            used = TwoFactorRecoveryCode.objects.filter(pk=candidate.pk, used_at__isnull=True).update(used_at=now)
            return used == 1
    return False


def two_factor_device(user: User) -> TwoFactorDevice | None:
    try:
        return user.two_factor
    except TwoFactorDevice.DoesNotExist:
        return None


def two_factor_is_enabled(user: User) -> bool:
    device = two_factor_device(user)
    return device is not None and device.enabled


def two_factor_verify(*, user: User, code: str, field: str = "code", allow_recovery: bool = True) -> None:
    """Accept a current TOTP code of the user's enabled authenticator, or (when
    ``allow_recovery``) one of their unused recovery codes; each is accepted once.

    Raises ``AccountLockedError`` while the account is locked and ``ValidationFailed``
    (``invalid_two_factor_code``, counted as a failed sign-in) for any other code."""
    lockout_check(user.email)
    device = TwoFactorDevice.objects.filter(user=user, enabled=True).first()
    if device is None:
        raise ConflictError(PracticeError.TWO_FACTOR_NOT_ENABLED, gettext("Two-factor authentication is not enabled."))
    now = timezone.now()
    code = _normalise(code)
    if _TOTP_CODE.fullmatch(code):
        accepted = _accept_totp(device, code, now)
    else:
        accepted = allow_recovery and bool(_RECOVERY_CODE.fullmatch(code)) and _accept_recovery_code(device, code, now)
    if not accepted:
        raise _invalid_code(user, field)


@transaction.atomic
def two_factor_setup(*, user: User) -> TwoFactorSetup:
    """Start (or restart) setting up an authenticator: a new secret, its otpauth URI and
    QR code (a PNG data URL drawn here, no outside service) and ten recovery codes, shown
    this once and stored only hashed. Nothing changes for sign-in until
    ``two_factor_enable``. With two-factor authentication already on, a conflict."""
    existing = TwoFactorDevice.objects.select_for_update().filter(user=user).first()
    if existing is not None and existing.enabled:
        raise ConflictError(
            PracticeError.TWO_FACTOR_ALREADY_ENABLED, gettext("Two-factor authentication is already enabled.")
        )
    if existing is not None:
        existing.delete()
    secret = pyotp.random_base32()
    device = TwoFactorDevice(user=user)
    device.secret = secret
    device.save()
    issuer = settings.TWO_FACTOR_ISSUER
    uri = pyotp.TOTP(secret, digits=TOTP_DIGITS, interval=TOTP_INTERVAL).provisioning_uri(
        name=user.email, issuer_name=issuer
    )
    qr = segno.make(uri, error="m").png_data_uri(scale=5, border=2)
    return TwoFactorSetup(secret=secret, otpauth_uri=uri, qr_code_url=qr, recovery_codes=_recovery_codes_create(device))


@transaction.atomic
def two_factor_enable(*, user: User, secret: str, code: str) -> TwoFactorDevice:
    """Turn on the pending authenticator: ``secret`` must be the one setup showed (a page
    left open on an older setup cannot turn on a secret the user never saw) and ``code``
    a current code of it (not a recovery code)."""
    lockout_check(user.email)
    device = TwoFactorDevice.objects.select_for_update().filter(user=user).first()
    if device is None:
        raise NotFoundError(
            PracticeError.TWO_FACTOR_NOT_SET_UP, gettext("Start two-factor setup first (POST /api/auth/setup-2fa).")
        )
    if device.enabled:
        raise ConflictError(
            PracticeError.TWO_FACTOR_ALREADY_ENABLED, gettext("Two-factor authentication is already enabled.")
        )
    if not hmac.compare_digest(_normalise(secret).encode(), device.secret.encode()):
        raise ValidationFailed.for_field(
            "secret",
            gettext("This is not the secret of the current setup; start setup again."),
            PracticeError.TWO_FACTOR_SECRET_MISMATCH,
        )
    now = timezone.now()
    code = _normalise(code)
    if not _TOTP_CODE.fullmatch(code) or not _accept_totp(device, code, now):
        raise _invalid_code(user)
    device.refresh_from_db()
    device.enabled = True
    device.confirmed_at = now
    device.save(update_fields=["enabled", "confirmed_at"])
    return device


@transaction.atomic
def two_factor_disable(*, user: User, code: str) -> None:
    """Turn two-factor authentication off, proven with a current code or a recovery code.
    A therapist (or staff of a practice that requires it) must then set it up again
    before using the API."""
    two_factor_verify(user=user, code=code)
    TwoFactorDevice.objects.filter(user=user).delete()


@transaction.atomic
def two_factor_reset(*, actor: User, user: User, ip_address: str | None = None) -> bool:
    """Practice staff remove a user's authenticator (a lost phone): the user sets up a new
    one at their next sign-in. Written to the audit trail. Returns whether there was one."""
    deleted, _ = TwoFactorDevice.objects.filter(user=user).delete()
    TwoFactorChallenge.objects.filter(user=user, used_at__isnull=True).delete()
    practice = user.practice or actor.practice
    if practice is not None:
        audit_log(
            actor=actor,
            action=AuditEvent.Action.DELETE,
            targets=[AuditTarget(record_type="two_factor", record_id=user.pk)],
            ip_address=ip_address,
            practice=practice,
        )
    return bool(deleted)


def _challenge_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def two_factor_challenge_start(*, user: User) -> str:
    """The ``tempToken`` of a sign-in whose password was right: good for
    ``TWO_FACTOR_TEMP_TOKEN_SECONDS`` and one completed second step, for this user only."""
    token = secrets.token_urlsafe(32)
    now = timezone.now()
    TwoFactorChallenge.objects.filter(user=user, expires_at__lt=now).delete()  # the user's stale ones
    TwoFactorChallenge.objects.create(
        user=user,
        digest=_challenge_digest(token),
        created_at=now,
        expires_at=now + timedelta(seconds=settings.TWO_FACTOR_TEMP_TOKEN_SECONDS),
    )
    return token


def two_factor_challenge_user(*, temp_token: str) -> User:
    """The user of an unused, unexpired ``tempToken``; otherwise a 401."""
    challenge = (
        TwoFactorChallenge.objects.select_related("user")
        .filter(digest=_challenge_digest(temp_token), used_at__isnull=True, expires_at__gt=timezone.now())
        .first()
    )
    if challenge is None or not challenge.user.is_active:
        raise AuthenticationError(PracticeError.INVALID_TEMP_TOKEN, TEMP_TOKEN_INVALID)
    return challenge.user


def two_factor_challenge_consume(*, temp_token: str) -> None:
    """Use up a ``tempToken``: one conditional update, so two requests racing with the
    same token cannot both complete a sign-in."""
    used = TwoFactorChallenge.objects.filter(
        digest=_challenge_digest(temp_token), used_at__isnull=True, expires_at__gt=timezone.now()
    ).update(used_at=timezone.now())
    if used != 1:
        raise AuthenticationError(PracticeError.INVALID_TEMP_TOKEN, TEMP_TOKEN_INVALID)
