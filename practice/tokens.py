"""JWT refresh tokens and their families, on top of simplejwt and its blacklist, and the
denylist of access tokens ended by logout.

Each sign-in starts a token family (a claim every rotated successor carries). Rotating
blacklists the presented token; presenting a rotated token again revokes its family,
except within the grace window after the rotation, when it answers with the successor it
already produced. This module is the only one that talks to simplejwt's token classes, so
the auth services above it stay free of the HTTP framework."""

import time
import uuid
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext
from rest_framework_simplejwt.exceptions import TokenBackendError, TokenError
from rest_framework_simplejwt.settings import api_settings as jwt_settings
from rest_framework_simplejwt.state import token_backend
from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken, OutstandingToken
from rest_framework_simplejwt.tokens import AccessToken, RefreshToken
from rest_framework_simplejwt.utils import datetime_from_epoch

from practice.errors import AuthenticationError, PracticeError
from practice.models import RefreshTokenRotation, RevokedTokenFamily, User

FAMILY_CLAIM = "fam"


@dataclass(frozen=True)
class TokenPair:
    """What a sign-in or a refresh hands out."""

    refresh: str
    access: str


def token_family_start(user: User) -> TokenPair:
    """A token pair for ``user`` whose refresh token starts a new token family."""
    refresh = RefreshToken.for_user(user)
    refresh[FAMILY_CLAIM] = str(uuid.uuid4())
    OutstandingToken.objects.filter(jti=refresh[jwt_settings.JTI_CLAIM]).update(token=str(refresh))
    return TokenPair(refresh=str(refresh), access=str(refresh.access_token))


def _token_family(token: RefreshToken) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(token.get(FAMILY_CLAIM)))
    except ValueError:
        return None


def _verified_refresh(token: str) -> RefreshToken:
    """Signature, algorithm, expiry and type; the blacklist is the caller's business."""
    try:
        token_backend.decode(token, verify=True)
        refresh = RefreshToken(token, verify=False)
        refresh.verify_token_type()
    except (TokenError, TokenBackendError) as exc:
        raise AuthenticationError(PracticeError.TOKEN_NOT_VALID, str(exc)) from exc
    return refresh


def _active_user(user_id) -> User:
    user = User.objects.select_related("practice", "two_factor").filter(pk=user_id).first()
    if user is None or not user.is_active:
        raise AuthenticationError(
            PracticeError.NO_ACTIVE_ACCOUNT, gettext("No active account found for the given token.")
        )
    return user


def token_rotate(token: str) -> tuple[User, TokenPair]:
    """Rotate a refresh token: the presented one is blacklisted and a new one of the same
    family issued.

    The token's outstanding row is locked, so concurrent refreshes with one token are
    serialised. The first rotates; within ``AUTH_REFRESH_GRACE_SECONDS`` after it, the same
    token answers with that same successor pair (every open tab of one browser refreshes on
    its own timer, often at the same moment). Presented again later, or after its successor
    was itself used, the token was copied: its whole family is revoked (committed even
    though the request fails)."""
    refresh = _verified_refresh(token)
    jti = refresh[jwt_settings.JTI_CLAIM]
    family = _token_family(refresh)
    with transaction.atomic():
        outstanding = OutstandingToken.objects.select_for_update().filter(jti=jti).order_by().first()
        reused = outstanding is not None and BlacklistedToken.objects.filter(token=outstanding).exists()
        revoked = family is not None and RevokedTokenFamily.objects.filter(family=family).exists()
        if outstanding is not None and not reused and not revoked:
            user = _active_user(refresh.get(jwt_settings.USER_ID_CLAIM))
            BlacklistedToken.objects.create(token=outstanding)
            refresh.set_jti()
            refresh.set_exp()
            refresh.set_iat()
            successor = OutstandingToken.objects.create(
                jti=refresh[jwt_settings.JTI_CLAIM],
                user=user,
                token=str(refresh),
                created_at=refresh.current_time,
                expires_at=datetime_from_epoch(refresh["exp"]),
            )
            pair = TokenPair(refresh=str(refresh), access=str(refresh.access_token))
            RefreshTokenRotation.objects.create(previous_jti=jti, successor=successor, access_token=pair.access)
            return user, pair
        if reused and not revoked:
            pair = _grace_successor(jti)
            if pair is not None:
                return _active_user(refresh.get(jwt_settings.USER_ID_CLAIM)), pair
    if reused and family is not None and not revoked:
        with transaction.atomic():
            RevokedTokenFamily.objects.get_or_create(
                family=family, defaults={"user_id": refresh.get(jwt_settings.USER_ID_CLAIM), "reason": "reuse"}
            )
    raise AuthenticationError(PracticeError.TOKEN_NOT_VALID, gettext("Token is blacklisted"))


def _grace_successor(jti: str) -> TokenPair | None:
    """The pair the rotation of ``jti`` produced, while the grace window lasts and that
    successor is still unused."""
    since = timezone.now() - timedelta(seconds=settings.AUTH_REFRESH_GRACE_SECONDS)
    rotation = (
        RefreshTokenRotation.objects.select_related("successor").filter(previous_jti=jti, rotated_at__gte=since).first()
    )
    if rotation is None or BlacklistedToken.objects.filter(token_id=rotation.successor_id).exists():
        return None
    return TokenPair(refresh=rotation.successor.token, access=rotation.access_token)


def token_revoke(token: str) -> str | None:
    """Blacklist the refresh token and end its family. Returns the id of the user it
    belonged to; an invalid (forged, expired) token has nothing to revoke: ``None``."""
    try:
        refresh = RefreshToken(token)
    except TokenError:
        return None
    refresh.blacklist()
    user_id = refresh.get(jwt_settings.USER_ID_CLAIM)
    family = _token_family(refresh)
    if family is not None:
        RevokedTokenFamily.objects.get_or_create(family=family, defaults={"user_id": user_id, "reason": "logout"})
    return str(user_id) if user_id is not None else None


def _access_denylist_key(jti: str) -> str:
    return f"access-denied:{jti}"


def access_token_user_id(token: str) -> str | None:
    """The user id of a valid (signed, unexpired) access token, else ``None``."""
    try:
        access = AccessToken(token)
    except TokenError:
        return None
    user_id = access.get(jwt_settings.USER_ID_CLAIM)
    return str(user_id) if user_id is not None else None


def access_token_revoke(token: str) -> bool:
    """End a valid access token now: its id goes on the denylist in the cache (shared by
    every process with Redis) until the token would have expired anyway. A forged or
    expired token ends nothing (``False``)."""
    try:
        access = AccessToken(token)
    except TokenError:
        return False
    remaining = int(access["exp"] - time.time()) + 1
    if remaining > 0:
        cache.set(_access_denylist_key(access[jwt_settings.JTI_CLAIM]), True, timeout=remaining)
    return True


def access_token_is_revoked(token) -> bool:
    """Whether a validated access token was ended by logout (one cache lookup)."""
    jti = token.get(jwt_settings.JTI_CLAIM)
    return jti is not None and cache.get(_access_denylist_key(jti)) is not None
