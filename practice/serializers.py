from rest_framework import serializers

from .api.fields import StrictCharField
from .models import Client, Practice, User


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


class AuthTokensSerializer(serializers.Serializer):
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
    phone = serializers.CharField(read_only=True, allow_blank=True, help_text="E.164, or empty.")
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

    def to_representation(self, instance):
        data = super().to_representation(instance)
        data["phone"] = str(instance.phone) if instance.phone else ""
        return data


class HealthSerializer(serializers.Serializer):
    status = serializers.CharField()
    database = serializers.CharField()
    cache = serializers.CharField()
