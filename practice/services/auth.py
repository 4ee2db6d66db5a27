"""Sign-in: credentials, the account lockout, and the token pair a session runs on."""

import hashlib
import math
import time

from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth.models import update_last_login
from django.core.cache import cache

from practice.errors import AccountLockedError, AuthenticationError, PracticeError
from practice.models import User
from practice.tokens import RefreshToken, token_family_start, token_revoke, token_rotate


def _login_failures_key(email: str) -> str:
    return f"login-failures:{hashlib.sha256(email.encode()).hexdigest()}"


def _login_lock_key(email: str) -> str:
    return f"login-locked:{hashlib.sha256(email.encode()).hexdigest()}"


def _check_not_locked(email: str) -> None:
    locked_until = cache.get(_login_lock_key(email))
    if locked_until is not None:
        wait = max(1, int(locked_until - time.time()))
        raise AccountLockedError(
            PracticeError.ACCOUNT_LOCKED,
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
        raise AuthenticationError(PracticeError.INVALID_CREDENTIALS, "Invalid email or password.")
    cache.delete(_login_failures_key(email))
    refresh = token_family_start(user)
    update_last_login(None, user)
    return user, refresh


def auth_refresh(*, token: str) -> tuple[User, RefreshToken]:
    """Exchange a refresh token for a new one of its family (``practice.tokens.token_rotate``)."""
    return token_rotate(token)


def auth_logout(*, token: str) -> None:
    """End the refresh token and its family."""
    token_revoke(token)
