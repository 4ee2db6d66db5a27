"""The profile page's request and response bodies, and the photo endpoints'."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from .api.fields import StrictCharField, StrictIntegerField
from .models import Therapist, User
from .selectors import user_profile_photo_url
from .serializers import PHONE_MAX_LENGTH, StrictPhoneNumberField, UserSerializer

SHORT_TEXT = 200


def _text_list(max_items: int, max_length: int = SHORT_TEXT, **kwargs) -> serializers.ListField:
    return serializers.ListField(
        child=StrictCharField(max_length=max_length), max_length=max_items, required=False, **kwargs
    )


class QualificationSerializer(serializers.Serializer):
    degree = StrictCharField(max_length=SHORT_TEXT)
    institution = StrictCharField(max_length=SHORT_TEXT, allow_blank=True, required=False, default="")
    year = StrictIntegerField(min_value=1900, max_value=2100, allow_null=True, required=False, default=None)


class AvailabilitySummarySerializer(serializers.Serializer):
    """What the profile page shows: the working days and hours as text (the bookable hours
    are the availability endpoints')."""

    days = _text_list(7, max_length=20)
    hours = StrictCharField(max_length=100, allow_blank=True, required=False)


class ProfileAddressSerializer(serializers.Serializer):
    street = StrictCharField(max_length=200, allow_blank=True, required=False)
    postal_code = StrictCharField(max_length=20, allow_blank=True, required=False)
    city = StrictCharField(max_length=100, allow_blank=True, required=False)
    country = StrictCharField(max_length=100, allow_blank=True, required=False)


# Request field -> model field of the therapist profile, for the flat fields.
_THERAPIST_FLAT_FIELDS = {
    "bio": "bio",
    "specializations": "specialties",
    "qualifications": "qualifications",
    "languages": "languages",
    "years_of_experience": "years_of_experience",
    "registration_number": "license_number",
    "insurance_accepted": "insurance_accepted",
    "session_types": "session_types",
    "target_age": "target_age_groups",
}


class ProfileUpdateInputSerializer(serializers.Serializer):
    """``PUT /api/profile``: the profile page sends its whole profile object; every field is
    optional and one left out keeps its value. Read-only values it sends along (``id``,
    ``email``, ``rating``, ``totalClients``, ...) are ignored: the email is the sign-in name and
    is not changed here. The professional fields are a therapist's only."""

    first_name = StrictCharField(max_length=100, required=False)
    last_name = StrictCharField(max_length=100, required=False)
    phone = StrictPhoneNumberField(
        max_length=PHONE_MAX_LENGTH,
        allow_blank=True,
        allow_null=True,
        required=False,
        help_text="National (in the practice's country) or international; stored in E.164.",
    )
    preferred_language = serializers.ChoiceField(choices=User.Language.choices, required=False)
    bio = StrictCharField(max_length=5000, allow_blank=True, required=False)
    specializations = _text_list(50)
    qualifications = QualificationSerializer(many=True, required=False, max_length=30)
    languages = _text_list(30, max_length=50)
    years_of_experience = StrictIntegerField(min_value=0, max_value=80, allow_null=True, required=False)
    registration_number = StrictCharField(
        max_length=64, allow_blank=True, required=False, help_text="Professional registration (e.g. BIG) number."
    )
    insurance_accepted = _text_list(50)
    session_types = _text_list(30)
    target_age = _text_list(20)
    availability = AvailabilitySummarySerializer(required=False)
    address = ProfileAddressSerializer(required=False)

    def __init__(self, *args, region: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if region:
            self.fields["phone"].region = region

    def validate(self, attrs):
        user_data = {name: attrs[name] for name in ("first_name", "last_name", "preferred_language") if name in attrs}
        if "phone" in attrs:
            user_data["phone"] = attrs["phone"] or ""
        therapist_data = {model: attrs[name] for name, model in _THERAPIST_FLAT_FIELDS.items() if name in attrs}
        if "qualifications" in therapist_data:
            therapist_data["qualifications"] = [dict(item) for item in therapist_data["qualifications"]]
        availability = attrs.get("availability", {})
        if "days" in availability:
            therapist_data["availability_days"] = availability["days"]
        if "hours" in availability:
            therapist_data["availability_hours"] = availability["hours"]
        for name, value in attrs.get("address", {}).items():
            therapist_data[f"address_{name}"] = value
        return {"user": user_data, "therapist": therapist_data}


class TherapistProfileSerializer(serializers.ModelSerializer):
    specializations = serializers.ListField(child=serializers.CharField(), source="specialties")
    qualifications = QualificationSerializer(many=True)
    languages = serializers.ListField(child=serializers.CharField())
    registration_number = serializers.CharField(source="license_number")
    insurance_accepted = serializers.ListField(child=serializers.CharField())
    session_types = serializers.ListField(child=serializers.CharField())
    target_age = serializers.ListField(child=serializers.CharField(), source="target_age_groups")
    availability = serializers.SerializerMethodField()
    address = serializers.SerializerMethodField()

    class Meta:
        model = Therapist
        fields = [
            "bio",
            "specializations",
            "qualifications",
            "languages",
            "years_of_experience",
            "registration_number",
            "insurance_accepted",
            "session_types",
            "target_age",
            "availability",
            "address",
        ]
        read_only_fields = fields

    @extend_schema_field(AvailabilitySummarySerializer)
    def get_availability(self, profile: Therapist) -> dict:
        return {"days": profile.availability_days, "hours": profile.availability_hours}

    @extend_schema_field(ProfileAddressSerializer)
    def get_address(self, profile: Therapist) -> dict:
        return {
            "street": profile.address_street,
            "postal_code": profile.address_postal_code,
            "city": profile.address_city,
            "country": profile.address_country,
        }


_PROFILE_EXTRA_FIELDS = ["phone", "preferred_language", "profile_photo_url", "therapist_profile"]


class ProfileSerializer(UserSerializer):
    """The signed-in user with their professional profile (``null`` for staff)."""

    phone = serializers.SerializerMethodField(help_text="E.164, or empty.")
    profile_photo_url = serializers.SerializerMethodField(
        help_text="Signed link to the photo (opens in an <img> without a token), or null."
    )
    therapist_profile = serializers.SerializerMethodField()

    class Meta(UserSerializer.Meta):
        fields = [
            *UserSerializer.Meta.fields,
            *(name for name in _PROFILE_EXTRA_FIELDS if name not in UserSerializer.Meta.fields),
        ]
        read_only_fields = fields

    def get_phone(self, user: User) -> str:
        return str(user.phone) if user.phone else ""

    def get_profile_photo_url(self, user: User) -> str | None:
        return user_profile_photo_url(user)

    @extend_schema_field(TherapistProfileSerializer(allow_null=True))
    def get_therapist_profile(self, user: User) -> dict | None:
        profile = getattr(user, "therapist_profile", None) if user.is_therapist else None
        return TherapistProfileSerializer(profile).data if profile is not None else None


class PhotoUploadInputSerializer(serializers.Serializer):
    photo = serializers.FileField(
        max_length=255, help_text="JPEG, PNG or WebP, at most 5 MB (told from the bytes, not the name)."
    )


class PhotoLinkSerializer(serializers.Serializer):
    """The photo endpoints answer with the photo's link, as the frontend reads it."""

    # The frontend's name for it.
    photoUrl = serializers.URLField(
        allow_null=True, help_text="Signed link to the photo (opens in an <img> without a token)."
    )
