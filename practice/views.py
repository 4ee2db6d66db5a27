from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import generics, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from . import selectors
from .api.envelope import Envelope, envelope
from .api.pagination import keyed_pagination
from .api.permissions import IsPracticeMember
from .api.request import body_size_check, client_ip
from .api.serializers import ErrorEnvelopeSerializer, MessageSerializer
from .errors import AuthenticationError, ErrorCode, ValidationFailed
from .filters import ClientFilter, MessageFilter, UserNotificationFilter
from .models import Client, Message, UserNotification
from .serializers import (
    AuthTokensSerializer,
    ClientSerializer,
    ConversationSerializer,
    EmergencyContactEnvelopeSerializer,
    EmergencyContactInputSerializer,
    EmergencyContactSerializer,
    HealthSerializer,
    LoginInputSerializer,
    LoginResponseSerializer,
    LogoutInputSerializer,
    MarkAllReadSerializer,
    MessageCreateInputSerializer,
    NotificationCountsSerializer,
    PracticeMessageSerializer,
    RefreshInputSerializer,
    TwoFactorCodeInputSerializer,
    TwoFactorSetupSerializer,
    TwoFactorVerifyInputSerializer,
    TwoFactorVerifyResponseSerializer,
    UserNotificationSerializer,
    UserSerializer,
)
from .services import auth, messages, notifications, records, two_factor
from .tokens import TokenPair


def _set_refresh_cookie(response: Response, refresh_token: str) -> None:
    response.set_cookie(
        settings.AUTH_REFRESH_COOKIE_NAME,
        refresh_token,
        max_age=int(settings.SIMPLE_JWT["REFRESH_TOKEN_LIFETIME"].total_seconds()),
        path=settings.AUTH_REFRESH_COOKIE_PATH,
        domain=settings.AUTH_REFRESH_COOKIE_DOMAIN,
        secure=settings.AUTH_REFRESH_COOKIE_SECURE,
        httponly=True,
        samesite=settings.AUTH_REFRESH_COOKIE_SAMESITE,
    )


def _clear_refresh_cookie(response: Response) -> None:
    response.delete_cookie(
        settings.AUTH_REFRESH_COOKIE_NAME,
        path=settings.AUTH_REFRESH_COOKIE_PATH,
        domain=settings.AUTH_REFRESH_COOKIE_DOMAIN,
        samesite=settings.AUTH_REFRESH_COOKIE_SAMESITE,
    )


def _tokens_response(user, tokens: TokenPair, message: str | None = None) -> Response:
    body = Envelope(success=True)
    if message:
        body["message"] = message
    body.update(accessToken=tokens.access, refreshToken=tokens.refresh, user=UserSerializer(user).data)
    response = Response(body)
    _set_refresh_cookie(response, tokens.refresh)
    return response


def _refresh_token_from(request, serializer) -> str | None:
    return serializer.validated_data.get("refresh_token") or request.COOKIES.get(settings.AUTH_REFRESH_COOKIE_NAME)


def _refresh_token_required(request, serializer) -> str:
    token = _refresh_token_from(request, serializer)
    if not token:
        # No credentials at all is a 401, as for a missing access token.
        message = gettext("A refresh token is required (body or cookie).")
        raise AuthenticationError(
            ErrorCode.NOT_AUTHENTICATED, message, errors=[{"field": "refreshToken", "message": message}]
        )
    return token


def _bearer_token(request) -> str | None:
    header = request.META.get("HTTP_AUTHORIZATION", "")
    scheme, _, token = header.partition(" ")
    return token.strip() or None if scheme in settings.SIMPLE_JWT["AUTH_HEADER_TYPES"] else None


# The refresh token may come as the httpOnly cookie set at login instead of in the body.
REFRESH_COOKIE_PARAMETER = OpenApiParameter(
    settings.AUTH_REFRESH_COOKIE_NAME,
    str,
    OpenApiParameter.COOKIE,
    required=False,
    description="The refresh token, when it is not in the body.",
)
TEMP_TOKEN_PARAMETER = OpenApiParameter(
    "X-Temp-Token",
    str,
    OpenApiParameter.HEADER,
    required=False,
    description="The tempToken of a login that answered requiresTwoFactor: completes that sign-in.",
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
    rotating refresh token (also set as an httpOnly cookie). With two-factor
    authentication on, the password alone answers ``requiresTwoFactor: true`` and a
    ``tempToken`` instead; send the login again with ``twoFactorCode`` (or the code to
    ``verify-2fa`` with ``X-Temp-Token``) to complete it."""

    authentication_classes: list = []
    permission_classes = [AllowAny]
    throttle_scope = "login"

    @extend_schema(
        operation_id="auth_login",
        request=LoginInputSerializer,
        responses={200: LoginResponseSerializer},
        tags=["auth"],
    )
    def post(self, request):
        serializer = LoginInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        result = auth.auth_login(**serializer.validated_data, request=request)
        if result.tokens is None:
            return Response(
                Envelope(
                    success=True,
                    message=gettext("Enter the code of your authenticator app."),
                    requiresTwoFactor=True,
                    tempToken=result.temp_token,
                )
            )
        return _tokens_response(result.user, result.tokens, gettext("Login successful."))


class RefreshTokenView(NonAtomicAPIView):
    """Exchange a refresh token (body or cookie) for a new access token and a new refresh
    token. The presented refresh token is blacklisted: presented again within
    ``AUTH_REFRESH_GRACE_SECONDS`` it answers with the same new pair, later it revokes
    every token of its sign-in."""

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
        user, tokens = auth.auth_refresh(token=_refresh_token_required(request, serializer))
        return _tokens_response(user, tokens)


class LogoutView(APIView):
    """End the session: blacklist the refresh token (body or cookie) and its family, end
    the access token of the ``Authorization`` header at once, and clear the cookie."""

    authentication_classes: list = []
    permission_classes = [AllowAny]
    throttle_scope = "refresh"

    def _logout(self, request, serializer):
        refresh_token = _refresh_token_from(request, serializer)
        access_token = _bearer_token(request)
        if not refresh_token and not access_token:
            message = gettext("A refresh token (body or cookie) or an access token is required.")
            raise AuthenticationError(
                ErrorCode.NOT_AUTHENTICATED, message, errors=[{"field": "refreshToken", "message": message}]
            )
        auth.auth_logout(refresh_token=refresh_token, access_token=access_token)
        response = Response(envelope({"detail": gettext("Logged out.")}, message=gettext("Logged out.")))
        _clear_refresh_cookie(response)
        return response

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
        return self._logout(request, serializer)

    @extend_schema(
        operation_id="auth_logout_delete",
        request=LogoutInputSerializer,
        parameters=[REFRESH_COOKIE_PARAMETER],
        responses={200: MessageSerializer},
        tags=["auth"],
        description="As POST; the way the frontend logs out, with no body: the refresh token from the cookie.",
    )
    def delete(self, request):
        return self.post(request)


class MeView(APIView):
    """The signed-in user. Their ``id`` identifies a therapist everywhere in the API."""

    two_factor_exempt = True

    @extend_schema(operation_id="auth_me", responses={200: UserSerializer}, tags=["auth"])
    def get(self, request):
        return Response(UserSerializer(request.user).data)


class TwoFactorSetupView(APIView):
    """Start setting up two-factor authentication: a new TOTP secret, its QR code and ten
    recovery codes, shown once. Sign-in is unchanged until ``verify-2fa`` with a code."""

    two_factor_exempt = True
    throttle_scope = "two_factor"

    @extend_schema(
        operation_id="auth_setup_2fa",
        request=None,
        responses={200: TwoFactorSetupSerializer, 409: ErrorEnvelopeSerializer},
        tags=["auth"],
    )
    def post(self, request):
        setup = two_factor.two_factor_setup(user=request.user)
        return Response(
            {
                "secret": setup.secret,
                "qrCodeUrl": setup.qr_code_url,
                "otpauthUri": setup.otpauth_uri,
                "backupCodes": setup.recovery_codes,
            }
        )


class TwoFactorVerifyView(APIView):
    """Two uses. Signed in, with ``{code, secret}``: turn on the authenticator setup
    created. With the ``X-Temp-Token`` header of a login that answered
    ``requiresTwoFactor``, and ``{code}`` (or a recovery code): complete that sign-in and
    receive the tokens."""

    permission_classes = [AllowAny]
    two_factor_exempt = True
    throttle_scope = "two_factor"

    @extend_schema(
        operation_id="auth_verify_2fa",
        request=TwoFactorVerifyInputSerializer,
        parameters=[TEMP_TOKEN_PARAMETER],
        responses={200: TwoFactorVerifyResponseSerializer, 409: ErrorEnvelopeSerializer},
        tags=["auth"],
    )
    def post(self, request):
        serializer = TwoFactorVerifyInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        code = serializer.validated_data["code"]
        temp_token = request.headers.get("X-Temp-Token")
        secret = serializer.validated_data.get("secret")
        if temp_token and not secret:
            user, tokens = auth.auth_login_second_factor(temp_token=temp_token, code=code)
            return _tokens_response(user, tokens, gettext("Login successful."))
        if not IsPracticeMember().has_permission(request, self):
            raise AuthenticationError(
                ErrorCode.NOT_AUTHENTICATED, gettext("Authentication credentials were not provided.")
            )
        if not secret:
            raise ValidationFailed.for_field(
                "secret", gettext("The secret from setup-2fa is required (or send X-Temp-Token).")
            )
        two_factor.two_factor_enable(user=request.user, secret=secret, code=code)
        body = Envelope(
            success=True,
            message=gettext("Two-factor authentication is on."),
            user=UserSerializer(selectors.user_me(actor=request.user)).data,
        )
        return Response(body)


class TwoFactorDisableView(APIView):
    """Turn two-factor authentication off, with a current code or a recovery code. Where
    it is required (therapists), the API is closed again until it is set up anew."""

    two_factor_exempt = True
    throttle_scope = "two_factor"

    @extend_schema(
        operation_id="auth_disable_2fa",
        request=TwoFactorCodeInputSerializer,
        responses={200: MessageSerializer, 409: ErrorEnvelopeSerializer},
        tags=["auth"],
    )
    def post(self, request):
        serializer = TwoFactorCodeInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        two_factor.two_factor_disable(user=request.user, code=serializer.validated_data["code"])
        message = gettext("Two-factor authentication is off.")
        return Response(envelope({"detail": message}, message=message))


class HealthView(NonAtomicAPIView):
    """Liveness and readiness: the database and the cache answer (else a 503 in the error
    envelope). Not wrapped in the request transaction, which would need the database before
    the check could say it is missing."""

    authentication_classes: list = []
    permission_classes = [AllowAny]
    # Unthrottled: the throttle counts live in the cache, and the check must answer (503)
    # when the cache does not. It costs one SELECT 1.
    throttle_classes: list = []

    @extend_schema(
        operation_id="health",
        responses={200: HealthSerializer, 503: ErrorEnvelopeSerializer},
        tags=["health"],
    )
    def get(self, request):
        return Response(selectors.system_health())


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


# --- In-app notifications --------------------------------------------------------------

UNREAD_COUNT = {"type": "integer", "minimum": 0, "description": "All of your unread ones, whatever the filter."}
NOTIFICATION_ID = OpenApiParameter("id", OpenApiTypes.UUID, OpenApiParameter.PATH, description="The notification.")
OWN_ONLY = "Each user sees and changes only their own notifications; anyone else's is a 404."


@extend_schema_view(
    list=extend_schema(
        operation_id="notifications_list",
        description=(
            "Your notifications, newest first, as `data.notifications`, with `data.unreadCount`. "
            "`unreadOnly=true` (or `isRead=false`) keeps the unread ones."
        ),
    ),
    destroy=extend_schema(
        operation_id="notifications_delete",
        parameters=[NOTIFICATION_ID],
        responses={200: MessageSerializer},
        description=f"Remove one of your notifications. {OWN_ONLY}",
    ),
)
@extend_schema(tags=["notifications"])
class UserNotificationViewSet(viewsets.GenericViewSet):
    """The bell: notifications the domain wrote for you (appointments booked, moved or
    cancelled by staff, no-shows, new messages, ...)."""

    queryset = UserNotification.objects.none()  # the real one comes from the selector, per caller
    serializer_class = UserNotificationSerializer
    filterset_class = UserNotificationFilter
    pagination_class = keyed_pagination("notifications", unreadCount=UNREAD_COUNT)
    lookup_value_converter = "uuid"
    throttle_scope = "api"

    def get_queryset(self):
        return selectors.notification_list(actor=self.request.user)

    def list(self, request):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.paginator.get_paginated_response(
            self.get_serializer(page, many=True).data,
            unreadCount=selectors.notification_unread_count(actor=request.user),
        )

    def destroy(self, request, pk):
        notifications.notification_delete(actor=request.user, notification_id=pk)
        return Response({"detail": gettext("Notification deleted.")})

    @extend_schema(
        operation_id="notifications_mark_read",
        parameters=[NOTIFICATION_ID],
        request=None,
        responses={200: UserNotificationSerializer},
        description=f"Mark one of your notifications read (no body). {OWN_ONLY}",
    )
    @action(detail=True, methods=["put"], filterset_class=None)
    def read(self, request, pk):
        body_size_check(request)
        notification = notifications.notification_mark_read(actor=request.user, notification_id=pk)
        return Response(UserNotificationSerializer(notification).data)


class NotificationMarkAllReadView(APIView):
    # A view of its own: DRF's OPTIONS answer would look for one notification on a
    # viewset's list-level PUT.
    throttle_scope = "api"

    @extend_schema(
        operation_id="notifications_mark_all_read",
        tags=["notifications"],
        request=None,
        responses={200: MarkAllReadSerializer},
        description="Mark all of your unread notifications read (no body).",
    )
    def put(self, request):
        body_size_check(request)
        return Response({"updated": notifications.notification_mark_all_read(actor=request.user)})


class NotificationCountsView(APIView):
    """The sidebar's badges, polled every 30 seconds."""

    throttle_scope = "api"

    @extend_schema(
        operation_id="therapist_notification_counts",
        tags=["notifications"],
        responses={200: NotificationCountsSerializer},
        description=(
            "Your unread counts: notifications about clients and about appointments, messages received, and "
            "the total of everything unread. Every member of a practice has their own."
        ),
    )
    def get(self, request):
        return Response(selectors.notification_counts(actor=request.user))


# --- Messages --------------------------------------------------------------------------

MESSAGES_AUDITED = (
    "Only the sender and the recipient read a message. Every message returned is recorded in the audit "
    "trail (record type `message`); bodies are never logged."
)
MESSAGE_PAGINATION = keyed_pagination(
    "messages",
    unreadCount={"type": "integer", "minimum": 0, "description": "Unread messages received, in this scope."},
)


@extend_schema_view(
    list=extend_schema(
        operation_id="messages_list",
        description=(
            "Your messages, newest first, as `data.messages` with `data.unreadCount` (all unread messages you "
            f"received). `folder`: inbox (received), sent, or all (the default). {MESSAGES_AUDITED}"
        ),
    ),
    create=extend_schema(
        operation_id="messages_send",
        request=MessageCreateInputSerializer,
        responses={201: PracticeMessageSerializer},
        description=(
            "Send a message to a staff member or therapist of your practice; a recipient outside it is a 404, "
            "yourself a 400. The recipient gets an in-app notification (sender and subject, never the body)."
        ),
    ),
)
@extend_schema(tags=["messages"])
class MessageViewSet(viewsets.GenericViewSet):
    queryset = Message.objects.none()  # the real one comes from the selector, per caller
    serializer_class = PracticeMessageSerializer
    filterset_class = MessageFilter
    pagination_class = MESSAGE_PAGINATION
    lookup_value_converter = "uuid"
    throttle_scope = "clinical"

    def get_throttles(self):
        if self.action == "create":
            self.throttle_scope = "messages"
        return super().get_throttles()

    def get_queryset(self):
        return selectors.message_list(actor=self.request.user)

    def list(self, request):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        messages.message_record_views(actor=request.user, messages=page, ip_address=client_ip(request))
        return self.paginator.get_paginated_response(
            self.get_serializer(page, many=True).data,
            unreadCount=selectors.message_unread_count(actor=request.user),
        )

    def create(self, request):
        serializer = MessageCreateInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        message = messages.message_send(
            actor=request.user,
            recipient_id=data["recipient_id"],
            content=data["content"],
            subject=data["subject"],
            priority=data["priority"],
            parent_id=data.get("parent_message_id"),
            ip_address=client_ip(request),
        )
        return Response(PracticeMessageSerializer(message).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        operation_id="messages_mark_read",
        parameters=[OpenApiParameter("id", OpenApiTypes.UUID, OpenApiParameter.PATH, description="The message.")],
        request=None,
        responses={200: PracticeMessageSerializer},
        description=(
            "The recipient marks a message read (no body): `read_at` is the read receipt the sender sees. The "
            "sender gets a 403; anyone else a 404."
        ),
    )
    @action(detail=True, methods=["put"], filterset_class=None)
    def read(self, request, pk):
        body_size_check(request)
        message = messages.message_mark_read(actor=request.user, message_id=pk, ip_address=client_ip(request))
        return Response(PracticeMessageSerializer(message).data)

    @extend_schema(
        operation_id="messages_conversations",
        responses={200: ConversationSerializer(many=True)},
        description=(
            "Your conversations, latest first, as `data.conversations`: the other member, the last message "
            f"and how many of theirs you have not read. {MESSAGES_AUDITED}"
        ),
    )
    @action(
        detail=False,
        methods=["get"],
        filterset_class=None,
        pagination_class=keyed_pagination("conversations"),
    )
    def conversations(self, request):
        page = self.paginate_queryset(selectors.conversation_list(actor=request.user))
        messages.message_record_views(
            actor=request.user,
            messages=[Message(pk=participant.last_message_id) for participant in page],
            ip_address=client_ip(request),
        )
        data = ConversationSerializer(page, many=True, context={"actor": request.user}).data
        return self.get_paginated_response(data)


class MessageConversationView(generics.GenericAPIView):
    queryset = Message.objects.none()  # the real one comes from the selector, per caller
    serializer_class = PracticeMessageSerializer
    pagination_class = MESSAGE_PAGINATION
    throttle_scope = "clinical"

    @extend_schema(
        operation_id="messages_conversation",
        tags=["messages"],
        parameters=[OpenApiParameter("user_id", OpenApiTypes.UUID, OpenApiParameter.PATH, description="A member.")],
        responses={200: PracticeMessageSerializer(many=True), 404: OpenApiResponse(ErrorEnvelopeSerializer)},
        description=(
            "The messages between you and this member of your practice, newest first, as `data.messages`, "
            "with `data.unreadCount` (theirs you have not read). Your own id answers all of your messages, "
            f"sent and received (the inbox page asks so). A user outside your practice is a 404. {MESSAGES_AUDITED}"
        ),
    )
    def get(self, request, user_id):
        other, queryset = selectors.message_conversation(actor=request.user, user_id=user_id)
        page = self.paginate_queryset(queryset)
        messages.message_record_views(actor=request.user, messages=page, ip_address=client_ip(request))
        sender_id = None if other.pk == request.user.pk else other.pk
        return self.paginator.get_paginated_response(
            self.get_serializer(page, many=True).data,
            unreadCount=selectors.message_unread_count(actor=request.user, sender_id=sender_id),
        )
