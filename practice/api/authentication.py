"""Bearer-token authentication: simplejwt's, plus the access-token denylist (tokens ended
by logout) and the user loaded with what every request's permission check reads."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from rest_framework_simplejwt import authentication
from rest_framework_simplejwt.exceptions import AuthenticationFailed, InvalidToken
from rest_framework_simplejwt.settings import api_settings as jwt_settings

from practice.i18n import activate_for_user
from practice.models import User
from practice.tokens import access_token_is_revoked


class JWTAuthentication(authentication.JWTAuthentication):
    """An access token ended by logout is refused at once (a cache lookup, no query), and
    the user comes with their practice and two-factor state in the same single query.

    DRF authenticates inside the view, after every middleware ran: this is where the user
    is first known, so the rest of the request is answered in their language from here."""

    def authenticate(self, request):
        result = super().authenticate(request)
        if result is not None:
            activate_for_user(request._request, result[0])
        return result

    def get_validated_token(self, raw_token):
        token = super().get_validated_token(raw_token)
        if access_token_is_revoked(token):
            raise InvalidToken({"detail": gettext("Token has been revoked."), "code": "token_not_valid"})
        return token

    def get_user(self, validated_token) -> User:
        try:
            user_id = validated_token[jwt_settings.USER_ID_CLAIM]
        except KeyError as exc:
            raise InvalidToken(gettext("Token contained no recognizable user identification")) from exc
        try:
            user = User.objects.select_related("practice", "two_factor").get(**{jwt_settings.USER_ID_FIELD: user_id})
        except (User.DoesNotExist, ValueError, TypeError, ValidationError) as exc:
            raise AuthenticationFailed(gettext("User not found"), code="user_not_found") from exc
        if jwt_settings.CHECK_USER_IS_ACTIVE and not user.is_active:
            raise AuthenticationFailed(gettext("User is inactive"), code="user_inactive")
        return user
