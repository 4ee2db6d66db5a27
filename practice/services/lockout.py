"""The account lockout: failed sign-ins (wrong passwords and wrong two-factor codes alike)
counted per account in the cache; at the limit the account is locked for a while, even
for the right credentials."""

import hashlib
import math
import time

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import gettext

from practice.errors import AccountLockedError, PracticeError


def _failures_key(email: str) -> str:
    return f"login-failures:{hashlib.sha256(email.encode()).hexdigest()}"


def _lock_key(email: str) -> str:
    return f"login-locked:{hashlib.sha256(email.encode()).hexdigest()}"


def lockout_check(email: str) -> None:
    """Raise ``AccountLockedError`` (with ``Retry-After``) while the account is locked."""
    locked_until = cache.get(_lock_key(email.lower()))
    if locked_until is not None:
        wait = max(1, int(locked_until - time.time()))
        raise AccountLockedError(
            PracticeError.ACCOUNT_LOCKED,
            gettext("Too many failed sign-ins. Try again in %(minutes)s minute(s).")
            % {"minutes": math.ceil(wait / 60)},
            headers={"Retry-After": str(wait)},
        )


def lockout_record_failure(email: str) -> None:
    """Count a failed attempt; at ``LOGIN_FAILURE_LIMIT``, lock the account for
    ``LOGIN_LOCKOUT_SECONDS``.

    Counted in the cache with atomic increments, so concurrent attempts (and, with Redis,
    attempts on other server processes) all count, and a failed request's rollback does
    not undo the count."""
    email = email.lower()
    key = _failures_key(email)
    window = settings.LOGIN_LOCKOUT_SECONDS
    cache.add(key, 0, timeout=window)
    try:
        failures = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window)
        failures = 1
    if failures >= settings.LOGIN_FAILURE_LIMIT:
        cache.set(_lock_key(email), time.time() + window, timeout=window)
        cache.delete(key)


def lockout_clear(email: str) -> None:
    """A complete sign-in starts the count afresh."""
    cache.delete(_failures_key(email.lower()))
