"""A client's clinical record over the API: medical history and therapy goals.

Readable and writable only by the client's assigned therapist(s); for staff, other
therapists and other practices the client does not exist (404). Every successful read
and write leaves exactly one audit entry; a denied or failed request leaves none (the
request's transaction is rolled back)."""

import django_filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import status, viewsets
from rest_framework.response import Response
from rest_framework.views import APIView

from practice.api.filters import FilterSet
from practice.api.pagination import PagePagination
from practice.api.request import client_ip

from ..models import TherapyGoal
from ..serializers.records import (
    MedicalHistoryInputSerializer,
    MedicalHistorySerializer,
    TherapyGoalCreateSerializer,
    TherapyGoalSerializer,
    TherapyGoalUpdateSerializer,
)
from ..services import records as services

CLIENT_ID = OpenApiParameter(
    "client_id", OpenApiTypes.UUID, OpenApiParameter.PATH, description="The client's id (UUID)."
)
NOT_VISIBLE = (
    "Only the client's assigned therapist(s) may use this; for anyone else (staff, other therapists, "
    "another practice) the client is a 404. Every successful call is recorded in the audit trail (which "
    "fields changed, never their values)."
)


class MedicalHistoryView(APIView):
    throttle_scope = "clinical"

    @extend_schema(
        operation_id="client_medical_history_get",
        tags=["clinical records"],
        parameters=[CLIENT_ID],
        responses={200: MedicalHistorySerializer},
        description=(
            "The client's medical history. A client without one yet answers the empty shape (empty lists, "
            f"`previousTherapy: false`, `updatedAt: null`), not a 404. {NOT_VISIBLE}"
        ),
    )
    def get(self, request, client_id):
        history = services.medical_history_record_view(
            actor=request.user, client_id=client_id, ip_address=client_ip(request)
        )
        return Response(MedicalHistorySerializer(history).data)

    @extend_schema(
        operation_id="client_medical_history_put",
        tags=["clinical records"],
        parameters=[CLIENT_ID],
        request=MedicalHistoryInputSerializer,
        responses={200: MedicalHistorySerializer},
        description=(
            "Write the client's medical history (created on the first write). The fields sent are written; "
            f'fields left out keep their value, so send `[]` or `""` to clear one. {NOT_VISIBLE}'
        ),
    )
    def put(self, request, client_id):
        serializer = MedicalHistoryInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        history = services.medical_history_update(
            actor=request.user, client_id=client_id, data=serializer.validated_data, ip_address=client_ip(request)
        )
        return Response(MedicalHistorySerializer(history).data)


class TherapyGoalFilter(FilterSet):
    status = django_filters.ChoiceFilter(choices=TherapyGoal.Status.choices, label="Only goals of this status.")

    class Meta:
        model = TherapyGoal
        fields: list[str] = []


class TherapyGoalPagination(PagePagination):
    """The usual page envelope with the seed's payload: ``data: {"goals": [...]}``."""

    def get_envelope(self, data):
        return super().get_envelope({"goals": data})

    def get_paginated_response_schema(self, schema):
        envelope = super().get_paginated_response_schema(schema)
        envelope["properties"]["data"] = {"type": "object", "required": ["goals"], "properties": {"goals": schema}}
        return envelope


@extend_schema_view(
    list=extend_schema(
        operation_id="client_therapy_goals_list",
        parameters=[CLIENT_ID],
        responses={200: TherapyGoalSerializer(many=True)},
        description=f"The client's therapy goals, oldest first, as `data.goals`. {NOT_VISIBLE}",
    ),
    create=extend_schema(
        operation_id="client_therapy_goals_create",
        parameters=[CLIENT_ID],
        request=TherapyGoalCreateSerializer,
        responses={201: TherapyGoalSerializer},
        description=(
            "Add a goal. `targetDate` may not lie in the past (practice time zone); a goal created as "
            f"`completed` has progress 100. {NOT_VISIBLE}"
        ),
    ),
    partial_update=extend_schema(
        operation_id="client_therapy_goals_update",
        parameters=[
            CLIENT_ID,
            OpenApiParameter("id", OpenApiTypes.UUID, OpenApiParameter.PATH, description="The goal's id (UUID)."),
        ],
        request=TherapyGoalUpdateSerializer,
        responses={200: TherapyGoalSerializer},
        description=(
            "Change a goal's text, status, progress (0-100) or target date. Setting status `completed` sets "
            "progress to 100; a completed goal's progress cannot be lowered without reopening it (status "
            f"`active` or `paused`). {NOT_VISIBLE}"
        ),
    ),
)
@extend_schema(tags=["clinical records"])
class TherapyGoalViewSet(viewsets.GenericViewSet):
    queryset = TherapyGoal.objects.none()  # the real one comes from the selector, per caller
    serializer_class = TherapyGoalSerializer
    filterset_class = TherapyGoalFilter
    pagination_class = TherapyGoalPagination
    lookup_value_converter = "uuid"
    throttle_scope = "clinical"

    def list(self, request, client_id):
        goals = services.therapy_goal_list_record_view(
            actor=request.user, client_id=client_id, ip_address=client_ip(request)
        )
        page = self.paginate_queryset(self.filter_queryset(goals))
        return self.get_paginated_response(TherapyGoalSerializer(page, many=True).data)

    def create(self, request, client_id):
        serializer = TherapyGoalCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        goal = services.therapy_goal_create(
            actor=request.user, client_id=client_id, ip_address=client_ip(request), **serializer.validated_data
        )
        return Response(TherapyGoalSerializer(goal).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request, client_id, pk):
        serializer = TherapyGoalUpdateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        goal = services.therapy_goal_update(
            actor=request.user,
            client_id=client_id,
            goal_id=pk,
            data=serializer.validated_data,
            ip_address=client_ip(request),
        )
        return Response(TherapyGoalSerializer(goal).data)
