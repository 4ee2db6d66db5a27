from phonenumber_field.serializerfields import PhoneNumberField
from rest_framework import serializers

from .api.fields import PhoneNumberTextField, StrictCharField
from .api.serializers import CamelCaseFieldsMixin
from .models import Client, EmergencyContact, Practice, User

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


class PracticeSummarySerializer(serializers.ModelSerializer):
    class Meta:
        model = Practice
        fields = ["id", "name", "timezone", "currency", "country"]


class UserSerializer(serializers.ModelSerializer):
    full_name = serializers.CharField(read_only=True)
    practice = PracticeSummarySerializer(read_only=True)

    class Meta:
        model = User
        fields = ["id", "email", "first_name", "last_name", "full_name", "role", "practice"]
        read_only_fields = fields


class LoginInputSerializer(serializers.Serializer):
    email = serializers.EmailField(max_length=254)
    password = StrictCharField(max_length=256, trim_whitespace=False, style={"input_type": "password"})


class RefreshInputSerializer(serializers.Serializer):
    refresh_token = StrictCharField(
        max_length=2048,
        required=False,
        help_text="The refresh token; may be omitted when the httpOnly refresh cookie is sent.",
    )


class LogoutInputSerializer(RefreshInputSerializer):
    pass


class AuthTokensSerializer(CamelCaseFieldsMixin, serializers.Serializer):
    """Login and refresh answer with the tokens at the top level, next to ``success``."""

    is_envelope = True

    success = serializers.BooleanField()
    message = serializers.CharField(required=False)
    access_token = serializers.CharField()
    refresh_token = serializers.CharField()
    user = UserSerializer()


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
