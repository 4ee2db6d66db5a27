from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import viewsets
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from . import selectors
from .api.envelope import Envelope, envelope
from .api.request import client_ip
from .api.serializers import ErrorEnvelopeSerializer, MessageSerializer
from .errors import AuthenticationError, ErrorCode
from .filters import ClientFilter
from .models import Client
from .serializers import (
    AuthTokensSerializer,
    ClientSerializer,
    EmergencyContactEnvelopeSerializer,
    EmergencyContactInputSerializer,
    EmergencyContactSerializer,
    HealthSerializer,
    LoginInputSerializer,
    LogoutInputSerializer,
    RefreshInputSerializer,
    UserSerializer,
)
from .services import auth, records


def _set_refresh_cookie(response: Response, refresh_token: str) -> None:
    response.set_cookie(
        settings.AUTH_REFRESH_COOKIE_NAME,
        refresh_token,
        max_age=int(settings.SIMPLE_JWT["REFRESH_TOKEN_LIFETIME"].total_seconds()),
        path=settings.AUTH_REFRESH_COOKIE_PATH,
        secure=settings.AUTH_REFRESH_COOKIE_SECURE,
        httponly=True,
        samesite=settings.AUTH_REFRESH_COOKIE_SAMESITE,
    )


def _tokens_response(user, refresh, message: str | None = None) -> Response:
    body = Envelope(success=True)
    if message:
        body["message"] = message
    body.update(
        accessToken=str(refresh.access_token),
        refreshToken=str(refresh),
        user=UserSerializer(user).data,
    )
    response = Response(body)
    _set_refresh_cookie(response, str(refresh))
    return response


def _refresh_token_from(request, serializer) -> str:
    token = serializer.validated_data.get("refresh_token") or request.COOKIES.get(settings.AUTH_REFRESH_COOKIE_NAME)
    if not token:
        # No credentials at all is a 401, as for a missing access token.
        message = "A refresh token is required (body or cookie)."
        raise AuthenticationError(
            ErrorCode.NOT_AUTHENTICATED, message, errors=[{"field": "refreshToken", "message": message}]
        )
    return token


# The refresh token may come as the httpOnly cookie set at login instead of in the body.
REFRESH_COOKIE_PARAMETER = OpenApiParameter(
    settings.AUTH_REFRESH_COOKIE_NAME,
    str,
    OpenApiParameter.COOKIE,
    required=False,
    description="The refresh token, when it is not in the body.",
)


class NonAtomicAPIView(APIView):
    """For the auth endpoints, whose failures must still persist a write (a revoked token
    family); their services open their own transactions."""

    atomic_request = False

    @classmethod
    def as_view(cls, **initkwargs):
        return transaction.non_atomic_requests(super().as_view(**initkwargs))


class LoginView(NonAtomicAPIView):
    """Sign in with email and password. Answers with a short-lived access token and a
    rotating refresh token (also set as an httpOnly cookie)."""

    authentication_classes: list = []
    permission_classes = [AllowAny]
    throttle_scope = "login"

    @extend_schema(
        operation_id="auth_login",
        request=LoginInputSerializer,
        responses={200: AuthTokensSerializer},
        tags=["auth"],
    )
    def post(self, request):
        serializer = LoginInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user, refresh = auth.auth_login(**serializer.validated_data, request=request)
        return _tokens_response(user, refresh, "Login successful.")


class RefreshTokenView(NonAtomicAPIView):
    """Exchange a refresh token (body or cookie) for a new access token and a new refresh
    token. The presented refresh token is blacklisted; using it again fails."""

    authentication_classes: list = []
    permission_classes = [AllowAny]
    throttle_scope = "refresh"

    @extend_schema(
        operation_id="auth_refresh_token",
        request=RefreshInputSerializer,
        parameters=[REFRESH_COOKIE_PARAMETER],
        responses={200: AuthTokensSerializer},
        tags=["auth"],
    )
    def post(self, request):
        serializer = RefreshInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user, refresh = auth.auth_refresh(token=_refresh_token_from(request, serializer))
        return _tokens_response(user, refresh)


class LogoutView(APIView):
    """Blacklist the refresh token (body or cookie) and clear the cookie."""

    authentication_classes: list = []
    permission_classes = [AllowAny]
    throttle_scope = "refresh"

    @extend_schema(
        operation_id="auth_logout",
        request=LogoutInputSerializer,
        parameters=[REFRESH_COOKIE_PARAMETER],
        responses={200: MessageSerializer},
        tags=["auth"],
    )
    def post(self, request):
        serializer = LogoutInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        auth.auth_logout(token=_refresh_token_from(request, serializer))
        response = Response(envelope({"detail": "Logged out."}, message="Logged out."))
        response.delete_cookie(settings.AUTH_REFRESH_COOKIE_NAME, path=settings.AUTH_REFRESH_COOKIE_PATH)
        return response


class MeView(APIView):
    """The signed-in user. Their ``id`` identifies a therapist everywhere in the API."""

    @extend_schema(operation_id="auth_me", responses={200: UserSerializer}, tags=["auth"])
    def get(self, request):
        return Response(UserSerializer(request.user).data)


class HealthView(APIView):
    """Liveness and readiness: the database and the cache answer."""

    authentication_classes: list = []
    permission_classes = [AllowAny]
    throttle_scope = "api"

    @extend_schema(
        operation_id="health",
        responses={200: HealthSerializer, 503: ErrorEnvelopeSerializer},
        tags=["health"],
    )
    def get(self, request):
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        cache.get("health-check")
        return Response({"status": "ok", "database": connection.vendor, "cache": "ok"})


@extend_schema(tags=["clients"])
class ClientViewSet(viewsets.ReadOnlyModelViewSet):
    """Clients the caller may see: a therapist their assigned clients, staff the whole
    practice's."""

    queryset = Client.objects.none()  # the real one comes from the selector, per caller
    serializer_class = ClientSerializer
    filterset_class = ClientFilter
    lookup_value_converter = "uuid"
    throttle_scope = "api"

    def get_queryset(self):
        return selectors.client_list(actor=self.request.user)


class EmergencyContactView(APIView):
    """A client's emergency contact: front-desk data that staff and the client's assigned
    therapists read and update. Every read and write is written to the audit trail."""

    throttle_scope = "clinical"

    @extend_schema(
        operation_id="client_emergency_contact_get",
        tags=["clients"],
        responses={200: EmergencyContactEnvelopeSerializer},
        description=(
            "The client's emergency contact, or `data: null` when none is recorded. Staff and the client's "
            "assigned therapists; anyone else gets a 404."
        ),
    )
    def get(self, request, client_id):
        contact = records.emergency_contact_record_view(
            actor=request.user, client_id=client_id, ip_address=client_ip(request)
        )
        return Response(EmergencyContactSerializer(contact).data if contact else None)

    @extend_schema(
        operation_id="client_emergency_contact_put",
        tags=["clients"],
        request=EmergencyContactInputSerializer,
        responses={200: EmergencyContactSerializer},
        description=(
            "Write the client's emergency contact (created on the first write). `name` and `phone` are "
            "required; phone numbers are validated, read in the practice's country unless written with a "
            "`+` country code, and stored in E.164. Optional fields left out keep their value. Staff and the "
            "client's assigned therapists; anyone else gets a 404."
        ),
    )
    def put(self, request, client_id):
        serializer = EmergencyContactInputSerializer(data=request.data, region=request.user.practice.country)
        serializer.is_valid(raise_exception=True)
        contact = records.emergency_contact_update(
            actor=request.user, client_id=client_id, data=serializer.validated_data, ip_address=client_ip(request)
        )
        return Response(EmergencyContactSerializer(contact).data)
