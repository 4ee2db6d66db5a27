from rest_framework import serializers

from clinical.models import SessionTemplate
from practice.api.serializers import CamelCaseFieldsMixin


class SessionTemplateSerializer(CamelCaseFieldsMixin, serializers.ModelSerializer):
    type = serializers.CharField(source="session_type", read_only=True)
    default_goals = serializers.ListField(child=serializers.CharField(), read_only=True)
    common_techniques = serializers.ListField(child=serializers.CharField(), read_only=True)
    duration = serializers.IntegerField(source="duration_minutes", read_only=True, help_text="Minutes.")
    therapist_id = serializers.UUIDField(
        read_only=True, allow_null=True, help_text="The owner; null for a practice-wide template."
    )

    class Meta:
        model = SessionTemplate
        fields = ["id", "name", "type", "default_goals", "common_techniques", "duration", "therapist_id"]
        read_only_fields = fields


class SessionTemplateListSerializer(CamelCaseFieldsMixin, serializers.Serializer):
    templates = SessionTemplateSerializer(many=True)
