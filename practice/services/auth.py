"""Sign-in: credentials, the second factor, the account lockout, and the tokens a session
runs on."""

from dataclasses import dataclass

from django.contrib.auth import authenticate
from django.contrib.auth.models import update_last_login
from django.db import transaction
from django.utils.translation import gettext

from practice.errors import AuthenticationError, PracticeError
from practice.models import User
from practice.services.lockout import lockout_check, lockout_clear, lockout_record_failure
from practice.services.two_factor import (
    two_factor_challenge_consume,
    two_factor_challenge_start,
    two_factor_challenge_user,
    two_factor_is_enabled,
    two_factor_verify,
)
from practice.tokens import (
    TokenPair,
    access_token_revoke,
    access_token_user_id,
    token_family_start,
    token_revoke,
    token_rotate,
)


@dataclass(frozen=True)
class LoginResult:
    """Either the tokens of a complete sign-in, or (two-factor authentication on, no code
    given) the ``temp_token`` of its second step."""

    user: User
    tokens: TokenPair | None = None
    temp_token: str | None = None


def _signed_in(user: User) -> TokenPair:
    lockout_clear(user.email)
    tokens = token_family_start(user)
    update_last_login(None, user)
    return tokens


@transaction.atomic
def auth_login(*, email: str, password: str, two_factor_code: str | None = None, request=None) -> LoginResult:
    """Check the credentials and issue a token pair that starts a new token family.

    Wrong email, wrong password and an inactive account answer alike. With two-factor
    authentication on, the right password alone earns only a ``temp_token`` for the
    second step; the same login with ``two_factor_code`` (a current code or a recovery
    code) completes it. Wrong passwords and wrong codes count alike: after
    ``LOGIN_FAILURE_LIMIT`` of them the account is locked for ``LOGIN_LOCKOUT_SECONDS``,
    even for the right credentials, and only a complete sign-in resets the count."""
    email = email.strip().lower()
    lockout_check(email)
    user = authenticate(request, email=email, password=password)
    if user is None:
        lockout_record_failure(email)
        raise AuthenticationError(PracticeError.INVALID_CREDENTIALS, gettext("Invalid email or password."))
    if two_factor_is_enabled(user):
        if not two_factor_code:
            return LoginResult(user=user, temp_token=two_factor_challenge_start(user=user))
        two_factor_verify(user=user, code=two_factor_code, field="two_factor_code")
    return LoginResult(user=user, tokens=_signed_in(user))


@transaction.atomic
def auth_login_second_factor(*, temp_token: str, code: str) -> tuple[User, TokenPair]:
    """Complete a sign-in with the ``temp_token`` its password earned and a code (or a
    recovery code). The token is used once; a wrong code leaves it usable until it
    expires and counts as a failed sign-in."""
    user = two_factor_challenge_user(temp_token=temp_token)
    two_factor_verify(user=user, code=code)
    two_factor_challenge_consume(temp_token=temp_token)
    return user, _signed_in(user)


def auth_refresh(*, token: str) -> tuple[User, TokenPair]:
    """Exchange a refresh token for a new one of its family (``practice.tokens.token_rotate``)."""
    return token_rotate(token)


@transaction.atomic
def auth_logout(*, refresh_token: str | None, access_token: str | None) -> None:
    """End the refresh token and its family, and the access token at once (not at its
    expiry). A forged or expired token ends nothing; an access token of another user than
    the refresh token's is left alone (a logout ends one person's session)."""
    refresh_user = token_revoke(refresh_token) if refresh_token else None
    if access_token:
        access_user = access_token_user_id(access_token)
        if access_user is not None and (refresh_user is None or refresh_user == access_user):
            access_token_revoke(access_token)
