"""Challenges and resources over the API: the therapist's content library and its
assignment to clients.

Lists answer ``data.challenges`` / ``data.resources`` (the frontend's list pages) with the
page envelope's ``pagination``. Practice-wide items are seen by the whole practice, personal
ones by their author only (404 for anyone else); only the author changes or deletes an item
(staff: also practice-wide ones), others who see it get a 403. Assigning is for therapists,
to their own assigned clients."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from practice.api.pagination import keyed_pagination
from practice.api.request import client_ip
from practice.api.serializers import ErrorEnvelopeSerializer, MessageSerializer

from ..models import Challenge, Resource
from ..selectors import homework as selectors
from ..serializers.homework import (
    ChallengeAssignInputSerializer,
    ChallengeAssignmentSerializer,
    ChallengeCreateInputSerializer,
    ChallengeSerializer,
    ResourceAssignInputSerializer,
    ResourceAssignmentSerializer,
    ResourceCreateInputSerializer,
    ResourceSerializer,
    ResourceUpdateInputSerializer,
)
from ..services import homework as services

CONFLICT = OpenApiResponse(ErrorEnvelopeSerializer, description="Already open for this client, or not assignable.")
ASSIGN_RULES = (
    "Therapists only (staff: 403), to one of your assigned clients (anyone else: 400), optionally in one of "
    "your sessions with them (`sessionId`). A client has at most one open (assigned or in progress) assignment "
    "of an item: a second is a 409 `already_assigned`. Recorded in the audit trail."
)
DELETE_RULES = (
    "Only its author (staff: also a practice-wide one; others who see it: 403). An item that was ever assigned "
    "is hidden rather than removed, so the clients' assignments keep it."
)


def _id(kind: str) -> OpenApiParameter:
    return OpenApiParameter("id", OpenApiTypes.UUID, OpenApiParameter.PATH, description=f"The {kind}.")


def _deleted(hidden: bool) -> Response:
    detail = "Hidden: it has assignments." if hidden else "Deleted."
    return Response({"detail": detail})


@extend_schema_view(
    list=extend_schema(
        operation_id="challenges_list",
        description=(
            "The challenges you may assign, newest first, as `data.challenges`: the practice-wide ones and your "
            "own (staff: the practice-wide ones), with your assignment counts."
        ),
    ),
    create=extend_schema(
        operation_id="challenges_create",
        request=ChallengeCreateInputSerializer,
        responses={201: ChallengeSerializer},
        description="Write a challenge (therapists; staff: 403). `isPublic: true` shares it with the practice.",
    ),
    destroy=extend_schema(
        operation_id="challenges_delete",
        parameters=[_id("challenge")],
        responses={200: MessageSerializer},
        description=f"Delete a challenge. {DELETE_RULES}",
    ),
)
@extend_schema(tags=["challenges"])
class ChallengeViewSet(viewsets.GenericViewSet):
    queryset = Challenge.objects.none()  # the real one comes from the selector, per caller
    serializer_class = ChallengeSerializer
    pagination_class = keyed_pagination("challenges")
    lookup_value_converter = "uuid"
    throttle_scope = "api"

    def get_queryset(self):
        return selectors.challenge_list(actor=self.request.user)

    def list(self, request):
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def create(self, request):
        serializer = ChallengeCreateInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        challenge = services.challenge_create(actor=request.user, data=serializer.validated_data)
        challenge = selectors.homework_with_counts(actor=request.user, item=challenge)
        return Response(ChallengeSerializer(challenge).data, status=status.HTTP_201_CREATED)

    def destroy(self, request, pk):
        return _deleted(services.challenge_delete(actor=request.user, challenge_id=pk))

    @extend_schema(
        operation_id="challenges_assign",
        parameters=[_id("challenge")],
        request=ChallengeAssignInputSerializer,
        responses={201: ChallengeAssignmentSerializer, 409: CONFLICT},
        description=(
            "Assign a challenge to a client, from `startDate` (default today; not in the past, within a year), "
            f"due after its duration. {ASSIGN_RULES}"
        ),
    )
    @action(detail=True, methods=["post"], pagination_class=None)
    def assign(self, request, pk):
        serializer = ChallengeAssignInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        assignment = services.challenge_assign(
            actor=request.user,
            challenge_id=pk,
            client_id=data["client_id"],
            start_date=data.get("start_date"),
            custom_instructions=data.get("custom_instructions") or "",
            session_id=data.get("session_id"),
            ip_address=client_ip(request),
        )
        return Response(ChallengeAssignmentSerializer(assignment).data, status=status.HTTP_201_CREATED)


@extend_schema_view(
    list=extend_schema(
        operation_id="resources_list",
        description=(
            "The resources you may assign, newest first, as `data.resources`: the practice-wide ones and your "
            "own (staff: the practice-wide ones), with your assignment counts."
        ),
    ),
    create=extend_schema(
        operation_id="resources_create",
        request=ResourceCreateInputSerializer,
        responses={201: ResourceSerializer},
        description=(
            "Write a resource (therapists; staff: 403): text (`contentBody`) and/or an http(s) address "
            "(`contentUrl`), stored as given and never fetched by the server."
        ),
    ),
    update=extend_schema(
        operation_id="resources_update",
        parameters=[_id("resource")],
        request=ResourceUpdateInputSerializer,
        responses={200: ResourceSerializer},
        description=(
            "Change a resource: the fields sent change, the others keep their value. Only its author (staff: "
            "also a practice-wide one; others who see it: 403)."
        ),
    ),
    destroy=extend_schema(
        operation_id="resources_delete",
        parameters=[_id("resource")],
        responses={200: MessageSerializer},
        description=f"Delete a resource. {DELETE_RULES}",
    ),
)
@extend_schema(tags=["resources"])
class ResourceViewSet(viewsets.GenericViewSet):
    queryset = Resource.objects.none()  # the real one comes from the selector, per caller
    serializer_class = ResourceSerializer
    pagination_class = keyed_pagination("resources")
    lookup_value_converter = "uuid"
    throttle_scope = "api"

    def get_queryset(self):
        return selectors.resource_list(actor=self.request.user)

    def list(self, request):
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def create(self, request):
        serializer = ResourceCreateInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        resource = services.resource_create(actor=request.user, data=serializer.validated_data)
        resource = selectors.homework_with_counts(actor=request.user, item=resource)
        return Response(ResourceSerializer(resource).data, status=status.HTTP_201_CREATED)

    def update(self, request, pk):
        serializer = ResourceUpdateInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        resource = services.resource_update(actor=request.user, resource_id=pk, data=serializer.validated_data)
        resource = selectors.homework_with_counts(actor=request.user, item=resource)
        return Response(ResourceSerializer(resource).data)

    def destroy(self, request, pk):
        return _deleted(services.resource_delete(actor=request.user, resource_id=pk))

    @extend_schema(
        operation_id="resources_assign",
        parameters=[_id("resource")],
        request=ResourceAssignInputSerializer,
        responses={201: ResourceAssignmentSerializer, 409: CONFLICT},
        description=(
            "Assign a published resource to a client (draft or archived: 409 `not_assignable`), optionally due "
            f"on `dueDate` (not in the past, within a year). {ASSIGN_RULES}"
        ),
    )
    @action(detail=True, methods=["post"], pagination_class=None)
    def assign(self, request, pk):
        serializer = ResourceAssignInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        assignment = services.resource_assign(
            actor=request.user,
            resource_id=pk,
            client_id=data["client_id"],
            due_date=data.get("due_date"),
            priority=data["priority"],
            notes=data.get("notes") or "",
            session_id=data.get("session_id"),
            ip_address=client_ip(request),
        )
        return Response(ResourceAssignmentSerializer(assignment).data, status=status.HTTP_201_CREATED)
