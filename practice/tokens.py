"""JWT refresh tokens and their families, on top of simplejwt and its blacklist.

Each sign-in starts a token family (a claim every rotated successor carries). Rotating
blacklists the presented token; presenting a rotated token again revokes its family.
This module is the only one that talks to simplejwt's token classes, so the auth services
above it stay free of the HTTP framework."""

import uuid

from django.db import transaction
from rest_framework_simplejwt.exceptions import TokenBackendError, TokenError
from rest_framework_simplejwt.settings import api_settings as jwt_settings
from rest_framework_simplejwt.state import token_backend
from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken, OutstandingToken
from rest_framework_simplejwt.tokens import RefreshToken

from practice.errors import AuthenticationError, PracticeError
from practice.models import RevokedTokenFamily, User

FAMILY_CLAIM = "fam"


def token_family_start(user: User) -> RefreshToken:
    """A refresh token for ``user`` that starts a new token family."""
    refresh = RefreshToken.for_user(user)
    refresh[FAMILY_CLAIM] = str(uuid.uuid4())
    OutstandingToken.objects.filter(jti=refresh[jwt_settings.JTI_CLAIM]).update(token=str(refresh))
    return refresh


def _token_family(token: RefreshToken) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(token.get(FAMILY_CLAIM)))
    except ValueError:
        return None


def token_rotate(token: str) -> tuple[User, RefreshToken]:
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
        raise AuthenticationError(PracticeError.TOKEN_NOT_VALID, str(exc)) from exc
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
                raise AuthenticationError(
                    PracticeError.NO_ACTIVE_ACCOUNT, "No active account found for the given token."
                )
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
    raise AuthenticationError(PracticeError.TOKEN_NOT_VALID, "Token is blacklisted")


@transaction.atomic
def token_revoke(token: str) -> None:
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
