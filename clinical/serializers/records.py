"""Medical history and therapy goals, in and out (the seed's camelCase payloads out, snake_case or camelCase in)."""

from django.utils.translation import gettext
from rest_framework import serializers

from practice.api.fields import StrictBooleanField, StrictCharField, StrictDateField, StrictIntegerField
from practice.api.serializers import CamelCaseFieldsMixin

from ..models import MedicalHistory, TherapyGoal

LIST_ITEM_MAX_LENGTH = 200
LIST_MAX_ITEMS = 50
DETAILS_MAX_LENGTH = 5000


def _text_list(help_text: str, **kwargs) -> serializers.ListField:
    return serializers.ListField(
        child=StrictCharField(max_length=LIST_ITEM_MAX_LENGTH),
        max_length=LIST_MAX_ITEMS,
        help_text=f"{help_text} At most {LIST_MAX_ITEMS} entries of at most {LIST_ITEM_MAX_LENGTH} characters.",
        **kwargs,
    )


class MedicalHistorySerializer(CamelCaseFieldsMixin, serializers.ModelSerializer):
    """The seed's medical history payload. A client without a history yet has the empty
    shape: empty lists, ``previousTherapy: false`` and ``updatedAt: null``."""

    current_medications = _text_list("Current medications.", read_only=True)
    allergies = _text_list("Allergies.", read_only=True)
    medical_conditions = _text_list("Medical conditions.", read_only=True)
    hospitalizations = _text_list("Hospitalizations.", read_only=True)
    updated_at = serializers.DateTimeField(read_only=True, allow_null=True, help_text="Null until first written.")

    class Meta:
        model = MedicalHistory
        fields = [
            "current_medications",
            "allergies",
            "previous_therapy",
            "previous_therapy_details",
            "medical_conditions",
            "hospitalizations",
            "updated_at",
        ]
        read_only_fields = fields


class MedicalHistoryInputSerializer(serializers.Serializer):
    """Every field is optional: the fields sent are written, the others keep their value.
    Send an empty list or string to clear one."""

    current_medications = _text_list("Current medications.", required=False)
    allergies = _text_list("Allergies.", required=False)
    previous_therapy = StrictBooleanField(required=False)
    previous_therapy_details = StrictCharField(max_length=DETAILS_MAX_LENGTH, allow_blank=True, required=False)
    medical_conditions = _text_list("Medical conditions.", required=False)
    hospitalizations = _text_list("Hospitalizations.", required=False)


class TherapyGoalSerializer(CamelCaseFieldsMixin, serializers.ModelSerializer):
    class Meta:
        model = TherapyGoal
        fields = ["id", "goal", "status", "progress", "created_at", "target_date", "updated_at", "completed_at"]
        read_only_fields = fields


class TherapyGoalCreateSerializer(serializers.Serializer):
    goal = StrictCharField(max_length=500)
    status = serializers.ChoiceField(choices=TherapyGoal.Status.choices, default=TherapyGoal.Status.ACTIVE)
    progress = StrictIntegerField(min_value=0, max_value=100, default=0)
    target_date = StrictDateField(
        required=False, allow_null=True, help_text="Today or later, in the practice's time zone."
    )


class TherapyGoalUpdateSerializer(serializers.Serializer):
    #: The schema states it (practice.api.schema): at least one of the fields.
    min_properties = 1

    goal = StrictCharField(max_length=500, required=False)
    status = serializers.ChoiceField(choices=TherapyGoal.Status.choices, required=False)
    progress = StrictIntegerField(min_value=0, max_value=100, required=False)
    target_date = StrictDateField(required=False, allow_null=True, help_text="Null clears it.")

    def validate(self, attrs):
        if not attrs:
            raise serializers.ValidationError(gettext("Send at least one of goal, status, progress, targetDate."))
        return attrs
