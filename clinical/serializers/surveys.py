"""Surveys, assignments and responses in and out.

Out: the names the survey pages read (``isTemplate``, ``responseCount``, ``assignedCount``,
``createdAt``; a response's ``clientName``, ``responses``, ``submittedAt``), camelCase as
those pages spell them. In: snake_case or camelCase (the JSON parser accepts both); keys a
page sends that are not listed here (a duplicated survey's counts) are ignored."""

from django.utils.translation import gettext
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from practice.api.fields import StrictBooleanField, StrictCharField, StrictDateField, StrictIntegerField
from practice.api.serializers import CamelCaseFieldsMixin
from practice.formats import utc_iso

from .. import scoring
from ..models import Survey, SurveyAssignment, SurveyResponse
from ..services.surveys import (
    MAX_OPTIONS,
    MAX_QUESTIONS,
    QUESTION_TYPES,
    SCALE_BOUND,
    TEXT_ANSWER_MAX_LENGTH,
)

QUESTION_ID_MAX_LENGTH = 64
MAX_ANSWERS = MAX_QUESTIONS
MAX_CLIENTS_PER_ASSIGNMENT = 50
#: What a new survey's ``status`` may be: ``template`` is the create page's "save as template".
SURVEY_CREATE_STATUSES = (Survey.Status.ACTIVE.value, Survey.Status.DRAFT.value, "template")

ANSWER_VALUE_SCHEMA = {
    "oneOf": [
        {"type": "string", "maxLength": TEXT_ANSWER_MAX_LENGTH},
        {"type": "integer"},
        {"type": "boolean"},
    ],
    "nullable": True,
    "description": (
        "Text for a text question, one of the options for multiple choice, a whole number within the "
        "scale for a scale (0-3 for the PHQ-9 and GAD-7), true or false for yes/no; null or left out "
        "for an optional question not answered."
    ),
}


@extend_schema_field(ANSWER_VALUE_SCHEMA)
class AnswerValueField(serializers.Field):
    """A JSON string, whole number or boolean (or null); which one the question decides."""

    default_error_messages = {"invalid": "A string, a whole number or true/false."}

    def to_internal_value(self, data):
        if data is None or isinstance(data, bool | int | str):
            if isinstance(data, str) and len(data) > TEXT_ANSWER_MAX_LENGTH:
                self.fail("invalid")
            return data
        self.fail("invalid")

    def to_representation(self, value):
        return value


# --- Out ---------------------------------------------------------------------------------


class SurveyScaleSerializer(serializers.Serializer):
    min = serializers.IntegerField()
    max = serializers.IntegerField()


class SurveyScaleLabelsSerializer(serializers.Serializer):
    min = serializers.CharField(allow_blank=True)
    max = serializers.CharField(allow_blank=True)


class SurveyQuestionSerializer(CamelCaseFieldsMixin, serializers.Serializer):
    id = serializers.CharField()
    text = serializers.CharField()
    type = serializers.ChoiceField(choices=QUESTION_TYPES)
    required = serializers.BooleanField()
    options = serializers.ListField(
        child=serializers.CharField(),
        allow_null=True,
        help_text="Multiple choice: the options. PHQ-9/GAD-7: the labels of the answers 0-3. Else null.",
    )
    scale = SurveyScaleSerializer(allow_null=True, help_text="Scale questions: the range. Else null.")
    scale_labels = SurveyScaleLabelsSerializer(allow_null=True, help_text="Scale questions: end labels.")


class SurveySerializer(CamelCaseFieldsMixin, serializers.ModelSerializer):
    """A survey as the survey pages read it."""

    created_by = serializers.UUIDField(source="created_by_id", allow_null=True, help_text="Null for a standard.")
    instrument = serializers.SerializerMethodField(help_text="phq9 or gad7 for a scored instrument, else null.")
    max_score = serializers.SerializerMethodField(help_text="Highest total of a scored instrument, else null.")
    questions = SurveyQuestionSerializer(many=True)
    response_count = serializers.IntegerField(help_text="Responses of your clients.")
    assigned_count = serializers.IntegerField(help_text="Open and completed assignments to your clients.")
    assignment_count = serializers.IntegerField(source="assigned_count", help_text="Same as assignedCount.")

    class Meta:
        model = Survey
        fields = [
            "id",
            "title",
            "description",
            "type",
            "status",
            "is_template",
            "is_practice_wide",
            "is_standard",
            "instrument",
            "max_score",
            "created_by",
            "questions",
            "response_count",
            "assigned_count",
            "assignment_count",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.ChoiceField(choices=Survey.Instrument.choices, allow_null=True))
    def get_instrument(self, survey: Survey) -> str | None:
        return survey.instrument or None

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_max_score(self, survey: Survey) -> int | None:
        return scoring.definition(survey.instrument).max_score if survey.instrument else None


def _question_item(question: dict) -> dict:
    options, scale, labels = question["options"], question["scale"], question["scale_labels"]
    return {
        "id": str(question["id"]),
        "text": str(question["text"]),
        "type": question["type"],
        "required": bool(question["required"]),
        "options": [str(option) for option in options] if options is not None else None,
        "scale": {"min": int(scale["min"]), "max": int(scale["max"])} if scale is not None else None,
        "scaleLabels": {"min": str(labels["min"]), "max": str(labels["max"])} if labels is not None else None,
    }


def survey_list_item(survey: Survey) -> dict:
    """``SurveySerializer``'s payload, built directly for the surveys list (DRF builds a
    fresh set of fields for each survey and each of its questions, most of the list's
    cost); ``survey`` carries the counts of ``clinical.selectors.surveys.survey_add_counts``.
    ``SurveySerializer`` stays the contract and the schema; a test keeps the two identical."""
    return {
        "id": str(survey.pk),
        "title": survey.title,
        "description": survey.description,
        "type": survey.type,
        "status": survey.status,
        "isTemplate": survey.is_template,
        "isPracticeWide": survey.is_practice_wide,
        "isStandard": survey.is_standard,
        "instrument": survey.instrument or None,
        "maxScore": scoring.definition(survey.instrument).max_score if survey.instrument else None,
        "createdBy": str(survey.created_by_id) if survey.created_by_id else None,
        "questions": [_question_item(question) for question in survey.questions],
        "responseCount": survey.response_count,
        "assignedCount": survey.assigned_count,
        "assignmentCount": survey.assigned_count,
        "createdAt": utc_iso(survey.created_at),
        "updatedAt": utc_iso(survey.updated_at),
    }


class SurveyAssignmentSerializer(CamelCaseFieldsMixin, serializers.ModelSerializer):
    survey_id = serializers.UUIDField()
    client_id = serializers.UUIDField()
    client_name = serializers.CharField(source="client.full_name")
    assigned_by = serializers.UUIDField(source="assigned_by_id")
    session_id = serializers.UUIDField(allow_null=True)
    recurrence_pattern = serializers.SerializerMethodField()

    class Meta:
        model = SurveyAssignment
        fields = [
            "id",
            "survey_id",
            "client_id",
            "client_name",
            "assigned_by",
            "session_id",
            "status",
            "due_date",
            "is_recurring",
            "recurrence_pattern",
            "notes",
            "send_notification",
            "completed_at",
            "created_at",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.ChoiceField(choices=SurveyAssignment.Recurrence.choices, allow_null=True))
    def get_recurrence_pattern(self, assignment: SurveyAssignment) -> str | None:
        return assignment.recurrence_pattern or None


class SurveyAssignmentListSerializer(serializers.Serializer):
    assignments = SurveyAssignmentSerializer(many=True)


class SurveyAnswerSerializer(CamelCaseFieldsMixin, serializers.Serializer):
    question_id = serializers.CharField()
    value = AnswerValueField()


class SurveyResponseSerializer(CamelCaseFieldsMixin, serializers.ModelSerializer):
    """A response as the responses page reads it: ``responses`` holds the answers in the
    survey's question order (unanswered optional questions left out)."""

    survey_id = serializers.UUIDField()
    client_id = serializers.UUIDField()
    client_name = serializers.CharField(source="client.full_name")
    assignment_id = serializers.UUIDField(allow_null=True)
    session_id = serializers.UUIDField(allow_null=True)
    entered_by = serializers.UUIDField(source="entered_by_id")
    responses = SurveyAnswerSerializer(source="answers", many=True)
    completion_time = serializers.IntegerField(
        source="completion_time_minutes", allow_null=True, help_text="Minutes, when recorded."
    )
    instrument = serializers.SerializerMethodField()
    severity = serializers.SerializerMethodField(help_text="Band of a scored instrument, else null.")
    severity_label = serializers.SerializerMethodField()

    class Meta:
        model = SurveyResponse
        fields = [
            "id",
            "survey_id",
            "client_id",
            "client_name",
            "assignment_id",
            "session_id",
            "entered_by",
            "responses",
            "submitted_at",
            "completion_time",
            "instrument",
            "total_score",
            "severity",
            "severity_label",
            "needs_follow_up",
            "created_at",
        ]
        read_only_fields = fields
        extra_kwargs = {"total_score": {"help_text": "Total of a scored instrument, else null."}}

    @extend_schema_field(serializers.ChoiceField(choices=Survey.Instrument.choices, allow_null=True))
    def get_instrument(self, response: SurveyResponse) -> str | None:
        return response.instrument or None

    @extend_schema_field(serializers.ChoiceField(choices=scoring.SEVERITY_CODES, allow_null=True))
    def get_severity(self, response: SurveyResponse) -> str | None:
        return response.severity or None

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_severity_label(self, response: SurveyResponse) -> str | None:
        if not response.instrument:
            return None
        return scoring.severity_band(response.instrument, response.total_score).label


class OutcomeScoreSerializer(CamelCaseFieldsMixin, serializers.Serializer):
    response_id = serializers.UUIDField()
    date = serializers.DateField(help_text="Local date (practice time zone).")
    submitted_at = serializers.DateTimeField()
    total_score = serializers.IntegerField()
    severity = serializers.ChoiceField(choices=scoring.SEVERITY_CODES)
    severity_label = serializers.CharField()
    needs_follow_up = serializers.BooleanField()


class InstrumentScoresSerializer(CamelCaseFieldsMixin, serializers.Serializer):
    instrument = serializers.ChoiceField(choices=Survey.Instrument.choices)
    name = serializers.CharField()
    max_score = serializers.IntegerField()
    scores = OutcomeScoreSerializer(many=True, help_text="Oldest first.")


class ClientOutcomeScoresSerializer(CamelCaseFieldsMixin, serializers.Serializer):
    client_id = serializers.UUIDField()
    instruments = InstrumentScoresSerializer(many=True)


# --- In ----------------------------------------------------------------------------------


class SurveyScaleInputSerializer(serializers.Serializer):
    min = StrictIntegerField(min_value=-SCALE_BOUND, max_value=SCALE_BOUND)
    max = StrictIntegerField(min_value=-SCALE_BOUND, max_value=SCALE_BOUND)


class SurveyScaleLabelsInputSerializer(serializers.Serializer):
    min = StrictCharField(max_length=100, allow_blank=True, required=False)
    max = StrictCharField(max_length=100, allow_blank=True, required=False)


class SurveyQuestionInputSerializer(serializers.Serializer):
    id = StrictCharField(
        max_length=QUESTION_ID_MAX_LENGTH, required=False, allow_blank=True, help_text="Kept when given."
    )
    text = StrictCharField(max_length=1000)
    type = serializers.ChoiceField(choices=QUESTION_TYPES)
    required = StrictBooleanField(default=True)
    options = serializers.ListField(
        child=StrictCharField(max_length=200, allow_blank=True),
        max_length=MAX_OPTIONS,
        required=False,
        allow_null=True,
        help_text=f"multipleChoice: 2 to {MAX_OPTIONS} distinct, non-blank options. Ignored for other types.",
    )
    scale = SurveyScaleInputSerializer(
        required=False, allow_null=True, help_text="scale: whole numbers, min below max. Ignored for other types."
    )
    scale_labels = SurveyScaleLabelsInputSerializer(required=False, allow_null=True)


class SurveyCreateSerializer(serializers.Serializer):
    title = StrictCharField(max_length=200)
    description = StrictCharField(max_length=2000, allow_blank=True, default="")
    type = serializers.ChoiceField(choices=Survey.Type.choices, default=Survey.Type.ASSESSMENT)
    status = serializers.ChoiceField(
        choices=SURVEY_CREATE_STATUSES,
        default=Survey.Status.ACTIVE,
        help_text="`template` saves a template (same as isTemplate: true).",
    )
    is_template = StrictBooleanField(default=False)
    is_practice_wide = StrictBooleanField(
        default=False, help_text="Visible to every therapist of the practice; else only yours."
    )
    questions = serializers.ListField(child=SurveyQuestionInputSerializer(), min_length=1, max_length=MAX_QUESTIONS)


class SurveyAssignInputSerializer(serializers.Serializer):
    client_id = serializers.UUIDField(required=False, help_text="One of your clients (or use clientIds).")
    client_ids = serializers.ListField(
        child=serializers.UUIDField(),
        required=False,
        min_length=1,
        max_length=MAX_CLIENTS_PER_ASSIGNMENT,
        help_text="Several of your clients at once.",
    )
    due_date = StrictDateField(
        required=False, allow_null=True, help_text="Today or later, in the practice's time zone."
    )
    is_recurring = StrictBooleanField(default=False)
    recurrence_pattern = serializers.ChoiceField(
        choices=SurveyAssignment.Recurrence.choices,
        required=False,
        allow_null=True,
        help_text="Required when isRecurring.",
    )
    notes = StrictCharField(max_length=2000, allow_blank=True, allow_null=True, required=False)
    send_notification = StrictBooleanField(default=True)
    session_id = serializers.UUIDField(required=False, allow_null=True, help_text="Assigned during this session.")

    def validate(self, attrs):
        client_ids = list(attrs.pop("client_ids", []))
        if "client_id" in attrs:
            client_ids.insert(0, attrs.pop("client_id"))
        if not client_ids:
            raise serializers.ValidationError({"client_id": [gettext("Name a client (clientId or clientIds).")]})
        attrs["client_ids"] = client_ids
        attrs["recurrence_pattern"] = attrs.get("recurrence_pattern") or ""
        attrs["notes"] = attrs.get("notes") or ""
        return attrs


class SurveyAnswerInputSerializer(serializers.Serializer):
    question_id = StrictCharField(max_length=QUESTION_ID_MAX_LENGTH)
    value = AnswerValueField(allow_null=True, required=False)


class SurveyResponseCreateSerializer(serializers.Serializer):
    client_id = serializers.UUIDField(help_text="One of your clients.")
    assignment_id = serializers.UUIDField(
        required=False, allow_null=True, help_text="The open assignment this completes (default: the oldest open one)."
    )
    session_id = serializers.UUIDField(required=False, allow_null=True, help_text="Your session with this client.")
    answers = serializers.ListField(child=SurveyAnswerInputSerializer(), min_length=1, max_length=MAX_ANSWERS)
    completion_time = StrictIntegerField(
        required=False, allow_null=True, min_value=0, max_value=1440, help_text="Minutes it took."
    )
