import uuid

from drf_spectacular.utils import extend_schema_field
from phonenumber_field.serializerfields import PhoneNumberField
from rest_framework import serializers

from .api.fields import PhoneNumberTextField, StrictCharField
from .api.serializers import CamelCaseFieldsMixin, FieldsBuiltOnceMixin
from .models import Client, EmergencyContact, Language, Message, Practice, User, UserNotification
from .selectors import user_profile_photo_url

PHONE_MAX_LENGTH = 32


class StrictPhoneNumberField(PhoneNumberField):
    """A phone number given as a string (a JSON number has lost its leading zero or plus),
    rejected by length before it is parsed so the parser's work stays bounded."""

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        if self.max_length is not None and len(data) > self.max_length:
            self.fail("max_length", max_length=self.max_length)
        return super().to_internal_value(data)


class PracticeSummarySerializer(FieldsBuiltOnceMixin, serializers.ModelSerializer):
    class Meta:
        model = Practice
        fields = ["id", "name", "timezone", "currency", "country"]


class UserSerializer(FieldsBuiltOnceMixin, serializers.ModelSerializer):
    """The signed-in user, in the field names of the frontend's ``User`` type (snake_case)."""

    status = serializers.SerializerMethodField(help_text="``active``, or ``inactive`` for a deactivated account.")
    phone = serializers.SerializerMethodField(help_text="E.164, or null.")
    two_factor_enabled = serializers.SerializerMethodField()
    two_factor_setup_completed = serializers.SerializerMethodField(
        help_text="Two-factor setup was completed (the frontend sends a therapist without it to its setup page)."
    )
    created_at = serializers.DateTimeField(source="date_joined", read_only=True)
    profile_photo_url = serializers.SerializerMethodField()
    full_name = serializers.CharField(read_only=True)
    preferred_language = serializers.ChoiceField(
        choices=Language.choices,
        source="display_language",
        read_only=True,
        help_text="The user's own choice, else the practice's default language.",
    )
    practice = PracticeSummarySerializer(read_only=True)

    class Meta:
        model = User
        fields = [
            "id",
            "email",
            "role",
            "status",
            "first_name",
            "last_name",
            "full_name",
            "phone",
            "preferred_language",
            "two_factor_enabled",
            "two_factor_setup_completed",
            "email_verified",
            "last_login",
            "created_at",
            "updated_at",
            "profile_photo_url",
            "practice",
        ]
        read_only_fields = fields

    @extend_schema_field({"type": "string", "enum": ["active", "inactive"]})
    def get_status(self, user: User) -> str:
        return "active" if user.is_active else "inactive"

    def get_phone(self, user: User) -> str | None:
        return str(user.phone) if user.phone else None

    def _device(self, user: User):
        return getattr(user, "two_factor", None)

    def get_two_factor_enabled(self, user: User) -> bool:
        device = self._device(user)
        return bool(device and device.enabled)

    def get_two_factor_setup_completed(self, user: User) -> bool:
        device = self._device(user)
        return bool(device and device.enabled and device.confirmed_at)

    @extend_schema_field({"type": "string", "format": "uri", "nullable": True})
    def get_profile_photo_url(self, user: User) -> str | None:
        return user_profile_photo_url(user)


class LoginInputSerializer(serializers.Serializer):
    email = serializers.EmailField(max_length=254)
    password = StrictCharField(max_length=256, trim_whitespace=False, style={"input_type": "password"})
    two_factor_code = StrictCharField(
        max_length=32,
        required=False,
        allow_blank=True,
        help_text=(
            "With two-factor authentication on: a current code of the authenticator app, or a recovery code. "
            "Without it (or empty, as the frontend's login form sends it) such a login answers requiresTwoFactor "
            "and a tempToken."
        ),
    )


class RefreshInputSerializer(serializers.Serializer):
    refresh_token = StrictCharField(
        max_length=2048,
        required=False,
        help_text="The refresh token; may be omitted when the httpOnly refresh cookie is sent.",
    )


class LogoutInputSerializer(RefreshInputSerializer):
    pass


class AuthTokensSerializer(serializers.Serializer):
    """Login, refresh and the second sign-in step answer with the tokens at the top level,
    next to ``success``, in the frontend's ``AuthResponse`` names."""

    is_envelope = True

    success = serializers.BooleanField()
    message = serializers.CharField(required=False)
    accessToken = serializers.CharField()
    refreshToken = serializers.CharField(
        help_text="Also set as the httpOnly refreshToken cookie, which browsers should use instead."
    )
    user = UserSerializer()


class LoginResponseSerializer(serializers.Serializer):
    """A login answers either with tokens, or (two-factor authentication on, no code sent)
    with ``requiresTwoFactor: true`` and the ``tempToken`` of the second step, no tokens."""

    is_envelope = True

    success = serializers.BooleanField()
    message = serializers.CharField()
    accessToken = serializers.CharField(required=False)
    refreshToken = serializers.CharField(required=False)
    user = UserSerializer(required=False)
    requiresTwoFactor = serializers.BooleanField(required=False)
    tempToken = serializers.CharField(
        required=False,
        help_text="For POST /api/auth/verify-2fa with the X-Temp-Token header; single use, short-lived.",
    )


class TwoFactorSetupSerializer(serializers.Serializer):
    """A new authenticator secret, shown once: the frontend's ``TwoFactorSetup``."""

    secret = serializers.CharField(help_text="Base32 TOTP secret, for typing into an authenticator app.")
    qrCodeUrl = serializers.CharField(help_text="The otpauth URI as a QR code, a PNG data URL.")
    otpauthUri = serializers.CharField(help_text="otpauth://totp/... (RFC 6238, SHA-1, 6 digits, 30 s).")
    backupCodes = serializers.ListField(
        child=serializers.CharField(), help_text="Ten one-time recovery codes, shown only now."
    )


class TwoFactorVerifyInputSerializer(serializers.Serializer):
    code = StrictCharField(max_length=32, help_text="A current code of the authenticator app (or a recovery code).")
    secret = StrictCharField(
        max_length=64,
        required=False,
        help_text="The secret setup returned: turns two-factor authentication on. Leave out with X-Temp-Token.",
    )


class TwoFactorVerifyResponseSerializer(serializers.Serializer):
    """Setup verified: the user (``two_factor_setup_completed`` now true). A sign-in
    completed with ``X-Temp-Token``: the tokens as well."""

    is_envelope = True

    success = serializers.BooleanField()
    message = serializers.CharField()
    user = UserSerializer()
    accessToken = serializers.CharField(required=False)
    refreshToken = serializers.CharField(required=False)


class TwoFactorCodeInputSerializer(serializers.Serializer):
    code = StrictCharField(max_length=32, help_text="A current code of the authenticator app, or a recovery code.")


class TherapistRefSerializer(serializers.ModelSerializer):
    full_name = serializers.CharField(read_only=True)

    class Meta:
        model = User
        fields = ["id", "first_name", "last_name", "full_name"]
        read_only_fields = fields


class ClientSerializer(serializers.ModelSerializer):
    full_name = serializers.CharField(read_only=True)
    phone = PhoneNumberTextField(read_only=True, allow_blank=True, help_text="E.164, or empty.")
    therapists = TherapistRefSerializer(many=True, read_only=True)

    class Meta:
        model = Client
        fields = [
            "id",
            "first_name",
            "last_name",
            "full_name",
            "email",
            "phone",
            "date_of_birth",
            "profile_photo_url",
            "status",
            "therapists",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class HealthSerializer(serializers.Serializer):
    status = serializers.CharField()
    database = serializers.CharField()
    cache = serializers.CharField()


class EmergencyContactSerializer(CamelCaseFieldsMixin, serializers.ModelSerializer):
    """A client's emergency contact; phone numbers in E.164, empty optional values as ``""``."""

    phone = PhoneNumberTextField(read_only=True, help_text="E.164, e.g. +31612345678.")
    alternate_phone = PhoneNumberTextField(read_only=True, help_text="E.164, or empty.")

    class Meta:
        model = EmergencyContact
        fields = ["name", "relationship", "phone", "alternate_phone", "email", "updated_at"]
        read_only_fields = fields


class EmergencyContactEnvelopeSerializer(serializers.Serializer):
    """``GET`` answers ``data: null`` while a client has no emergency contact."""

    is_envelope = True

    success = serializers.BooleanField()
    data = EmergencyContactSerializer(allow_null=True)
    message = serializers.CharField(required=False)


class EmergencyContactInputSerializer(serializers.Serializer):
    """Name and phone are required; the optional fields left out keep their value (send
    ``""`` or null to clear one). Phone numbers may be written nationally (in the practice's
    country) or internationally and are stored in E.164."""

    name = StrictCharField(max_length=200)
    relationship = StrictCharField(max_length=100, allow_blank=True, required=False)
    phone = StrictPhoneNumberField(max_length=PHONE_MAX_LENGTH)
    alternate_phone = StrictPhoneNumberField(
        max_length=PHONE_MAX_LENGTH, allow_blank=True, allow_null=True, required=False
    )
    email = serializers.EmailField(max_length=254, allow_blank=True, allow_null=True, required=False)

    def __init__(self, *args, region: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if region:
            # The practice's country: "06 12345678" is read as a Dutch mobile number in a Dutch practice.
            self.fields["phone"].region = region
            self.fields["alternate_phone"].region = region

    def validate(self, attrs):
        # Optional values cleared with null are stored empty, as the model keeps them.
        return {key: "" if value is None else value for key, value in attrs.items()}


# --- In-app notifications --------------------------------------------------------------


class UserNotificationSerializer(serializers.ModelSerializer):
    """A notification as the bell and the dashboard read it."""

    type = serializers.ChoiceField(
        choices=UserNotification.TYPES,
        read_only=True,
        help_text="The broad category (the bell's icon); `kind` says exactly what happened.",
    )
    action_url = serializers.CharField(read_only=True, allow_null=True, help_text="A frontend path, or null.")
    related_entity_type = serializers.CharField(read_only=True, allow_null=True)

    class Meta:
        model = UserNotification
        fields = [
            "id",
            "type",
            "kind",
            "priority",
            "title",
            "message",
            "action_url",
            "related_entity_type",
            "related_entity_id",
            "is_read",
            "read_at",
            "created_at",
        ]
        read_only_fields = fields

    def to_representation(self, instance):
        data = super().to_representation(instance)
        data["action_url"] = instance.action_url or None
        data["related_entity_type"] = instance.related_entity_type or None
        return data


class NotificationCountsSerializer(serializers.Serializer):
    clients = serializers.IntegerField(help_text="Unread notifications about clients (flagged answers, homework).")
    appointments = serializers.IntegerField(help_text="Unread notifications about appointments.")
    messages = serializers.IntegerField(help_text="Unread messages received.")
    total = serializers.IntegerField(help_text="Everything unread: notifications and messages, each once.")


class MarkAllReadSerializer(serializers.Serializer):
    updated = serializers.IntegerField(help_text="How many notifications were marked read.")


# --- Messages --------------------------------------------------------------------------

_CONVERSATION_NAMESPACE = uuid.UUID("6f1c2a52-5c0e-4d8a-9a51-3b0f3c8e9d21")


def conversation_id(first_user_id, second_user_id) -> str:
    """The same id for a conversation whichever of its two members asks."""
    low, high = sorted([str(first_user_id), str(second_user_id)])
    return str(uuid.uuid5(_CONVERSATION_NAMESPACE, f"{low}:{high}"))


ROLE = serializers.ChoiceField(choices=User.Role.choices, read_only=True)


class PracticeMessageSerializer(serializers.ModelSerializer):
    """A message as the frontend's ``Message`` types read it (sender and recipient names
    flat; ``read`` and ``is_read`` both say whether the recipient has read it)."""

    conversation_id = serializers.SerializerMethodField()
    sender_id = serializers.UUIDField(read_only=True)
    sender_name = serializers.CharField(source="sender.full_name", read_only=True)
    sender_first_name = serializers.CharField(source="sender.first_name", read_only=True)
    sender_last_name = serializers.CharField(source="sender.last_name", read_only=True)
    sender_role = serializers.ChoiceField(source="sender.role", choices=User.Role.choices, read_only=True)
    recipient_id = serializers.UUIDField(read_only=True)
    recipient_name = serializers.CharField(source="recipient.full_name", read_only=True)
    recipient_first_name = serializers.CharField(source="recipient.first_name", read_only=True)
    recipient_last_name = serializers.CharField(source="recipient.last_name", read_only=True)
    recipient_role = serializers.ChoiceField(source="recipient.role", choices=User.Role.choices, read_only=True)
    read = serializers.BooleanField(source="is_read", read_only=True)
    is_read = serializers.BooleanField(read_only=True)
    parent_message_id = serializers.UUIDField(source="parent_id", read_only=True, allow_null=True)

    class Meta:
        model = Message
        fields = [
            "id",
            "conversation_id",
            "sender_id",
            "sender_name",
            "sender_first_name",
            "sender_last_name",
            "sender_role",
            "recipient_id",
            "recipient_name",
            "recipient_first_name",
            "recipient_last_name",
            "recipient_role",
            "subject",
            "content",
            "priority",
            "read",
            "is_read",
            "read_at",
            "parent_message_id",
            "created_at",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.UUIDField())
    def get_conversation_id(self, message: Message) -> str:
        return conversation_id(message.sender_id, message.recipient_id)


class ConversationSerializer(serializers.Serializer):
    """One conversation of the inbox: the other member, the last message and how many of
    theirs are unread. Read from a member annotated by ``conversation_list``."""

    conversation_id = serializers.SerializerMethodField()
    participant_id = serializers.UUIDField(source="id", read_only=True)
    participant_first_name = serializers.CharField(source="first_name", read_only=True)
    participant_last_name = serializers.CharField(source="last_name", read_only=True)
    participant_name = serializers.CharField(source="full_name", read_only=True)
    participant_role = serializers.ChoiceField(source="role", choices=User.Role.choices, read_only=True)
    last_message_id = serializers.UUIDField(read_only=True)
    last_message = serializers.CharField(source="last_message_content", read_only=True)
    last_message_subject = serializers.CharField(read_only=True)
    last_message_time = serializers.DateTimeField(source="last_message_at", read_only=True)
    last_message_sender_id = serializers.UUIDField(read_only=True)
    is_read = serializers.SerializerMethodField(help_text="Whether you have read all of their messages.")
    unread_count = serializers.IntegerField(read_only=True)

    @extend_schema_field(serializers.UUIDField())
    def get_conversation_id(self, participant: User) -> str:
        return conversation_id(self.context["actor"].pk, participant.pk)

    @extend_schema_field(serializers.BooleanField())
    def get_is_read(self, participant: User) -> bool:
        return participant.unread_count == 0


class MessageCreateInputSerializer(serializers.Serializer):
    recipient_id = serializers.UUIDField(help_text="A staff member or therapist of your practice.")
    subject = StrictCharField(max_length=200, allow_blank=True, required=False, default="")
    content = StrictCharField(max_length=20_000, help_text="The message; health information, never logged.")
    priority = serializers.ChoiceField(choices=Message.Priority.choices, required=False, default="normal")
    parent_message_id = serializers.UUIDField(required=False, allow_null=True, help_text="The message replied to.")
