"""Surveys over the API: the therapists' questionnaires and the built-in PHQ-9 and GAD-7,
their assignment to clients, the responses (health data, audited) and a client's outcome
scores over time."""

from django.utils.translation import gettext
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from practice.api.envelope import envelope
from practice.api.pagination import keyed_pagination
from practice.api.request import client_ip
from practice.api.serializers import CamelCaseFieldsMixin, ErrorEnvelopeSerializer

from ..models import Survey
from ..selectors import surveys as selectors
from ..serializers.surveys import (
    ClientOutcomeScoresSerializer,
    SurveyAssignInputSerializer,
    SurveyAssignmentListSerializer,
    SurveyCreateSerializer,
    SurveyResponseCreateSerializer,
    SurveyResponseSerializer,
    SurveySerializer,
    survey_list_item,
)
from ..services import surveys as services

CONFLICT = OpenApiResponse(ErrorEnvelopeSerializer, description="Conflicts with the survey's state (see code).")
SURVEY_ID = OpenApiParameter("id", OpenApiTypes.UUID, OpenApiParameter.PATH, description="The survey's id (UUID).")
VISIBILITY = (
    "A survey is visible to its author, or to every therapist of the practice when practice-wide (the "
    "PHQ-9 and GAD-7 always are); staff see the practice-wide ones; anything else is a 404."
)


class SurveyDeletedSerializer(CamelCaseFieldsMixin, serializers.Serializer):
    id = serializers.UUIDField()
    status = serializers.ChoiceField(choices=Survey.Status.choices)
    is_deleted = serializers.BooleanField(
        help_text="True: gone from every list. False: archived and still listed, because it has responses."
    )


@extend_schema_view(
    list=extend_schema(
        operation_id="surveys_list",
        responses={200: SurveySerializer(many=True)},
        description=(
            "Your surveys as `data.surveys`: the standard PHQ-9 and GAD-7 first, then the newest. "
            f"`assignedCount` and `responseCount` count your own clients. {VISIBILITY}"
        ),
    ),
    retrieve=extend_schema(
        operation_id="surveys_retrieve",
        parameters=[SURVEY_ID],
        responses={200: SurveySerializer},
        description=f"One survey with its questions in order. {VISIBILITY}",
    ),
    create=extend_schema(
        operation_id="surveys_create",
        request=SurveyCreateSerializer,
        responses={201: SurveySerializer},
        description=(
            "Create a survey (therapists; staff 403). Question types: `text`, `multipleChoice` (2-50 distinct "
            "options), `scale` (whole-number min below max, optional end labels), `yesNo`. Options and scales "
            "sent with other types are ignored. Yours alone unless `isPracticeWide`; `status: template` or "
            "`isTemplate` saves a template."
        ),
    ),
    destroy=extend_schema(
        operation_id="surveys_delete",
        parameters=[SURVEY_ID],
        responses={200: SurveyDeletedSerializer},
        description=(
            "Delete your survey (its author only: 403 for anyone else who sees it, and for the standard "
            "instruments). Nothing is destroyed: a survey with responses is archived and keeps them; one "
            f"without disappears. Open assignments are cancelled. {VISIBILITY}"
        ),
    ),
)
@extend_schema(tags=["surveys"])
class SurveyViewSet(viewsets.GenericViewSet):
    queryset = Survey.objects.none()  # the real one comes from the selector, per caller
    serializer_class = SurveySerializer
    pagination_class = keyed_pagination("surveys")
    filterset_class = None
    lookup_value_converter = "uuid"
    throttle_scope = "api"

    def list(self, request):
        page = self.paginate_queryset(selectors.survey_list(actor=request.user))
        surveys = selectors.survey_add_counts(actor=request.user, surveys=page)
        return self.get_paginated_response([survey_list_item(survey) for survey in surveys])

    def retrieve(self, request, pk):
        return Response(SurveySerializer(selectors.survey_get(actor=request.user, survey_id=pk)).data)

    def create(self, request):
        serializer = SurveyCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        survey = services.survey_create(actor=request.user, **serializer.validated_data)
        payload = SurveySerializer(selectors.survey_get(actor=request.user, survey_id=survey.pk)).data
        return Response(payload, status=status.HTTP_201_CREATED)

    def destroy(self, request, pk):
        survey = services.survey_delete(actor=request.user, survey_id=pk)
        is_deleted = survey.deleted_at is not None
        payload = SurveyDeletedSerializer({"id": survey.pk, "status": survey.status, "is_deleted": is_deleted}).data
        message = gettext("Survey deleted.") if is_deleted else gettext("Survey archived: its responses are kept.")
        return Response(envelope(payload, message))

    @extend_schema(
        operation_id="surveys_assign",
        parameters=[SURVEY_ID],
        request=SurveyAssignInputSerializer,
        responses={201: SurveyAssignmentListSerializer, 409: CONFLICT},
        description=(
            "Assign the survey to one or more of your clients (`clientId`, or `clientIds`), optionally with a "
            "due date (today or later, practice time zone) and a recurrence. A client who is not yours is a "
            "400 and nothing is assigned; 409 `survey_already_assigned` when the client has an open assignment "
            f"of it; 409 `survey_archived` for an archived survey; staff 403. {VISIBILITY}"
        ),
    )
    @action(detail=True, methods=["post"], filterset_class=None)
    def assign(self, request, pk=None):
        serializer = SurveyAssignInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        assignments = services.survey_assign(
            actor=request.user, survey_id=pk, ip_address=client_ip(request), **serializer.validated_data
        )
        payload = SurveyAssignmentListSerializer({"assignments": assignments}).data
        return Response(payload, status=status.HTTP_201_CREATED)

    @extend_schema(
        methods=["GET"],
        operation_id="surveys_responses_list",
        parameters=[SURVEY_ID],
        responses={200: SurveyResponseSerializer(many=True)},
        description=(
            "The responses of your own clients to this survey, newest first, as `data.responses` (staff: "
            "none). Each one returned is recorded in the audit trail. " + VISIBILITY
        ),
    )
    @extend_schema(
        methods=["POST"],
        operation_id="surveys_responses_create",
        parameters=[SURVEY_ID],
        request=SurveyResponseCreateSerializer,
        responses={201: SurveyResponseSerializer, 409: CONFLICT},
        description=(
            "Enter a client's answers (for instance during a session): `answers` as `{questionId, value}`, "
            "every required question answered with a value of its type. The PHQ-9 and GAD-7 need all items, "
            "each 0-3; the server computes `totalScore` and `severity`, and sets `needsFollowUp` when PHQ-9 "
            "item 9 is above 0. Completes the named open assignment (or the client's oldest open one). A "
            "client or session that is not yours is a 400; 409 `assignment_not_pending` for an assignment "
            f"already completed or cancelled; staff 403. Audited. {VISIBILITY}"
        ),
    )
    @action(
        detail=True,
        methods=["get", "post"],
        filterset_class=None,
        pagination_class=keyed_pagination("responses"),
        throttle_scope="clinical",
    )
    def responses(self, request, pk=None):
        if request.method == "POST":
            return self._response_create(request, pk)
        _survey, responses = selectors.survey_response_list(actor=request.user, survey_id=pk)
        page = self.paginate_queryset(responses)
        services.survey_response_views(actor=request.user, responses=page, ip_address=client_ip(request))
        return self.get_paginated_response(SurveyResponseSerializer(page, many=True).data)

    def _response_create(self, request, pk):
        serializer = SurveyResponseCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        response = services.survey_response_create(
            actor=request.user, survey_id=pk, ip_address=client_ip(request), **serializer.validated_data
        )
        return Response(SurveyResponseSerializer(response).data, status=status.HTTP_201_CREATED)


class ClientOutcomeScoresView(APIView):
    throttle_scope = "clinical"

    @extend_schema(
        operation_id="client_outcome_scores",
        tags=["clinical records"],
        parameters=[
            OpenApiParameter("client_id", OpenApiTypes.UUID, OpenApiParameter.PATH, description="The client's id.")
        ],
        responses={200: ClientOutcomeScoresSerializer},
        description=(
            "The client's PHQ-9 and GAD-7 totals over time, oldest first, each with its date (practice time "
            "zone), severity band and follow-up flag; both instruments are always listed. Only the client's "
            "assigned therapist(s); anyone else gets a 404. Every score read is recorded in the audit trail."
        ),
    )
    def get(self, request, client_id):
        client, instruments = services.client_outcome_scores_read(
            actor=request.user, client_id=client_id, ip_address=client_ip(request)
        )
        return Response(ClientOutcomeScoresSerializer({"client_id": client.pk, "instruments": instruments}).data)
