"""Challenges and resources, in and out.

Out: the names the frontend's challenge and resource pages read (``durationMinutes``,
``isPublic``, ``assignedCount``, ``contentBody``, ``url``, ...), and beside them the
snake_case names its ``Challenge``/``Resource`` types declare for the same values
(``created_at``, ``is_public``, ``content_url``, ...). In: snake_case or camelCase."""

import copy

from django.core.validators import URLValidator
from django.utils.translation import gettext
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.fields import empty

from practice.api.case import camel_key
from practice.api.fields import StrictBooleanField, StrictCharField, StrictDateField, StrictIntegerField
from practice.api.serializers import CamelCaseFieldsMixin

from ..models import Challenge, ChallengeAssignment, Resource, ResourceAssignment
from ..models.homework import Difficulty


class PageAndTypeNamesMixin(CamelCaseFieldsMixin):
    """camelCase names for the pages, plus ``snake_aliases``: the same values again under
    the snake_case names of the frontend's entity types, and ``aliases`` (other name ->
    the page's name) where the type's name differs more."""

    snake_aliases: tuple[str, ...] = ()
    aliases: dict[str, str] = {}

    def get_fields(self):
        fields = super().get_fields()
        pairs = {**{name: camel_key(name) for name in self.snake_aliases}, **self.aliases}
        for alias, wire_name in pairs.items():
            fields[alias] = copy.deepcopy(fields[wire_name])
        return fields


def _percent(part: int, whole: int) -> int:
    return round(100 * part / whole) if whole else 0


class ChallengeSerializer(PageAndTypeNamesMixin, serializers.ModelSerializer):
    duration = serializers.IntegerField(source="duration_days", read_only=True, help_text="Days.")
    instructions = serializers.ListField(child=serializers.CharField(), read_only=True)
    tips = serializers.ListField(child=serializers.CharField(), read_only=True)
    milestones = serializers.JSONField(read_only=True, help_text="[{title, target, reward}]")
    rewards = serializers.JSONField(read_only=True, help_text="{completion, milestones}")
    created_by = serializers.UUIDField(source="author_id", read_only=True, help_text="The author's user id.")
    creator_name = serializers.CharField(source="author.full_name", read_only=True)
    assigned_count = serializers.IntegerField(read_only=True, help_text="Your assignments of it (staff: all).")
    active_count = serializers.IntegerField(read_only=True, help_text="Of those, assigned or in progress.")
    completion_rate = serializers.SerializerMethodField(help_text="Percent of those completed, 0-100.")
    participant_count = serializers.IntegerField(source="assigned_count", read_only=True)

    snake_aliases = ("is_public", "created_by", "created_at", "updated_at", "completion_rate")
    aliases = {"durationDays": "duration"}

    class Meta:
        model = Challenge
        fields = [
            "id",
            "title",
            "description",
            "category",
            "difficulty",
            "duration",
            "duration_minutes",
            "frequency_per_week",
            "total_weeks",
            "target_value",
            "target_unit",
            "is_public",
            "instructions",
            "tips",
            "milestones",
            "rewards",
            "assigned_count",
            "active_count",
            "completion_rate",
            "participant_count",
            "created_by",
            "creator_name",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.IntegerField(min_value=0, max_value=100))
    def get_completion_rate(self, challenge) -> int:
        return _percent(challenge.completed_count, challenge.assigned_count)


class ResourceSerializer(PageAndTypeNamesMixin, serializers.ModelSerializer):
    url = serializers.CharField(source="content_url", read_only=True, help_text="An http(s) address, or empty.")
    content_url = serializers.CharField(read_only=True, help_text="The same as url.")
    tags = serializers.ListField(child=serializers.CharField(), read_only=True)
    created_by = serializers.UUIDField(source="author_id", read_only=True, help_text="The author's user id.")
    author_name = serializers.CharField(source="author.full_name", read_only=True)
    creator_first_name = serializers.CharField(source="author.first_name", read_only=True)
    creator_last_name = serializers.CharField(source="author.last_name", read_only=True)
    assignment_count = serializers.IntegerField(
        source="assigned_count", read_only=True, help_text="Your assignments of it (staff: all)."
    )
    view_count = serializers.IntegerField(
        source="started_count", read_only=True, help_text="Of those, opened by the client (in progress or completed)."
    )

    snake_aliases = (
        "short_description",
        "content_body",
        "content_url",
        "duration_minutes",
        "is_public",
        "view_count",
        "created_by",
        "author_name",
        "creator_first_name",
        "creator_last_name",
        "created_at",
        "updated_at",
    )

    class Meta:
        model = Resource
        fields = [
            "id",
            "title",
            "description",
            "short_description",
            "type",
            "category",
            "content_body",
            "url",
            "content_url",
            "duration_minutes",
            "difficulty",
            "tags",
            "is_public",
            "status",
            "assignment_count",
            "view_count",
            "created_by",
            "author_name",
            "creator_first_name",
            "creator_last_name",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class ChallengeAssignmentSerializer(serializers.ModelSerializer):
    challenge_id = serializers.UUIDField(read_only=True)
    client_id = serializers.UUIDField(read_only=True)
    therapist_id = serializers.UUIDField(read_only=True)
    session_id = serializers.UUIDField(read_only=True, allow_null=True)
    assigned_at = serializers.DateTimeField(source="created_at", read_only=True)

    class Meta:
        model = ChallengeAssignment
        fields = [
            "id",
            "challenge_id",
            "client_id",
            "therapist_id",
            "session_id",
            "status",
            "start_date",
            "due_date",
            "custom_instructions",
            "assigned_at",
            "completed_at",
        ]
        read_only_fields = fields


class ResourceAssignmentSerializer(serializers.ModelSerializer):
    resource_id = serializers.UUIDField(read_only=True)
    client_id = serializers.UUIDField(read_only=True)
    therapist_id = serializers.UUIDField(read_only=True)
    session_id = serializers.UUIDField(read_only=True, allow_null=True)
    assigned_at = serializers.DateTimeField(source="created_at", read_only=True)

    class Meta:
        model = ResourceAssignment
        fields = [
            "id",
            "resource_id",
            "client_id",
            "therapist_id",
            "session_id",
            "status",
            "due_date",
            "priority",
            "notes",
            "assigned_at",
            "completed_at",
        ]
        read_only_fields = fields


# --- Input -----------------------------------------------------------------------------


def _texts(max_items: int, max_length: int, **kwargs) -> serializers.ListField:
    return serializers.ListField(
        child=StrictCharField(max_length=max_length, allow_blank=True),
        max_length=max_items,
        help_text=f"At most {max_items} entries of at most {max_length} characters; blank ones are dropped.",
        **kwargs,
    )


def _without_blanks(values: list[str]) -> list[str]:
    return [value for value in values if value.strip()]


class ChallengeMilestoneInputSerializer(serializers.Serializer):
    title = StrictCharField(max_length=200)
    target = StrictIntegerField(min_value=0, max_value=100_000, required=False, default=0)
    reward = StrictCharField(max_length=200, allow_blank=True, required=False, default="")


class ChallengeRewardsInputSerializer(serializers.Serializer):
    completion = StrictCharField(max_length=500, allow_blank=True, required=False, default="")
    milestones = _texts(20, 200, required=False, default=list)


class ChallengeCreateInputSerializer(serializers.Serializer):
    title = StrictCharField(max_length=200)
    description = StrictCharField(max_length=5000, allow_blank=True, required=False, default="")
    category = StrictCharField(max_length=50, required=False, default="mindfulness", help_text="e.g. mindfulness.")
    difficulty = serializers.ChoiceField(choices=Difficulty.choices, required=False, default=Difficulty.BEGINNER)
    duration = StrictIntegerField(
        source="duration_days", min_value=1, max_value=365, required=False, default=30, help_text="Days."
    )
    duration_minutes = StrictIntegerField(min_value=1, max_value=480, required=False, default=15)
    frequency_per_week = StrictIntegerField(min_value=1, max_value=21, required=False, default=7)
    total_weeks = StrictIntegerField(min_value=1, max_value=52, required=False, default=4)
    target_value = StrictIntegerField(min_value=0, max_value=100_000, required=False, default=30)
    target_unit = StrictCharField(max_length=32, required=False, default="days")
    is_public = StrictBooleanField(required=False, default=False, help_text="Practice-wide.")
    instructions = _texts(50, 1000, required=False, default=list)
    tips = _texts(50, 1000, required=False, default=list)
    milestones = ChallengeMilestoneInputSerializer(many=True, required=False, default=list, max_length=20)
    rewards = ChallengeRewardsInputSerializer(required=False)

    def validate(self, attrs):
        for name in ("instructions", "tips"):
            attrs[name] = _without_blanks(attrs.get(name, []))
        attrs["milestones"] = [dict(milestone) for milestone in attrs.get("milestones", [])]
        rewards = attrs.get("rewards") or {"completion": "", "milestones": []}
        attrs["rewards"] = {"completion": rewards["completion"], "milestones": _without_blanks(rewards["milestones"])}
        return attrs


@extend_schema_field({"type": "string", "maxLength": 2000, "pattern": "^https?://[^\\u0000]+$"})
class WebAddressField(StrictCharField):
    """An http or https address (or empty): stored and shown, never fetched by the server."""

    def __init__(self, **kwargs):
        super().__init__(max_length=2000, **kwargs)
        self.validators.append(
            URLValidator(schemes=["http", "https"], message=gettext("Enter an http or https address."))
        )

    def run_validators(self, value):
        if value == "":
            return
        super().run_validators(value)


class ResourceCreateInputSerializer(serializers.Serializer):
    title = StrictCharField(max_length=200)
    description = StrictCharField(max_length=5000, allow_blank=True, required=False, default="")
    short_description = StrictCharField(max_length=300, allow_blank=True, required=False, default="")
    type = serializers.ChoiceField(choices=Resource.Type.choices, required=False, default=Resource.Type.ARTICLE)
    category = StrictCharField(max_length=50, required=False, default="mental_health")
    content_body = StrictCharField(max_length=50_000, allow_blank=True, required=False, default="")
    content_url = WebAddressField(allow_blank=True, required=False, default="")
    duration_minutes = StrictIntegerField(min_value=1, max_value=1440, required=False, allow_null=True)
    difficulty = serializers.ChoiceField(choices=Difficulty.choices, required=False, default=Difficulty.BEGINNER)
    tags = serializers.ListField(
        child=StrictCharField(max_length=50), max_length=30, required=False, default=list, help_text="At most 30."
    )
    is_public = StrictBooleanField(required=False, default=False, help_text="Practice-wide.")
    status = serializers.ChoiceField(choices=Resource.Status.choices, required=False, default=Resource.Status.PUBLISHED)


class ResourceUpdateInputSerializer(ResourceCreateInputSerializer):
    """Every field optional: those sent change, the others keep their value."""

    def get_fields(self):
        fields = super().get_fields()
        for field in fields.values():
            field.required = False
            field.default = empty
        return fields


class ChallengeAssignInputSerializer(serializers.Serializer):
    client_id = serializers.UUIDField(help_text="One of your assigned clients.")
    start_date = StrictDateField(required=False, allow_null=True, help_text="Default: today.")
    custom_instructions = StrictCharField(max_length=5000, allow_blank=True, allow_null=True, required=False)
    send_notification = StrictBooleanField(
        required=False, help_text="Accepted; clients have no notification channel yet."
    )
    session_id = serializers.UUIDField(required=False, allow_null=True, help_text="The session it is assigned in.")


class ResourceAssignInputSerializer(serializers.Serializer):
    client_id = serializers.UUIDField(help_text="One of your assigned clients.")
    due_date = StrictDateField(required=False, allow_null=True)
    priority = serializers.ChoiceField(
        choices=ResourceAssignment.Priority.choices, required=False, default=ResourceAssignment.Priority.NORMAL
    )
    notes = StrictCharField(max_length=5000, allow_blank=True, allow_null=True, required=False)
    session_id = serializers.UUIDField(required=False, allow_null=True, help_text="The session it is assigned in.")
