"""The therapist workspace under ``/api/therapist/``: the client list, a client's profile
and the session history. Therapists only (staff: 403)."""

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import viewsets
from rest_framework.response import Response

from practice.api.permissions import IsTherapist
from practice.api.request import client_ip
from practice.models import Client

from ..selectors.workspace import (
    therapist_client_list,
    therapist_client_list_rows,
    therapist_client_rows_add_figures,
)
from ..serializers.workspace import (
    TherapistClientProfileSerializer,
    TherapistClientSerializer,
    therapist_client_list_item,
)
from ..services.workspace import therapist_client_profile_record_view
from .sessions import SessionViewSet


@extend_schema_view(
    list=extend_schema(
        operation_id="therapist_clients_list",
        description=(
            "Your assigned clients by name, with your completed sessions with each (count and latest "
            "date) and your next appointment with them. `data` is the list."
        ),
    ),
    retrieve=extend_schema(
        operation_id="therapist_clients_retrieve",
        responses={200: TherapistClientProfileSerializer},
        description=(
            "The client profile: contact, emergency contact, medical history, active therapy goals and "
            "your session figures. Assigned therapists only (anyone else: 404); the read of the medical "
            "history and goals is recorded in the audit trail."
        ),
    ),
)
@extend_schema(tags=["therapist"])
class TherapistClientViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Client.objects.none()  # the real one comes from the selector, per caller
    serializer_class = TherapistClientSerializer
    permission_classes = [IsTherapist]
    lookup_url_kwarg = "client_id"
    lookup_value_converter = "uuid"
    throttle_scope = "clinical"

    def get_queryset(self):
        return therapist_client_list(actor=self.request.user)

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(therapist_client_list_rows(self.filter_queryset(self.get_queryset())))
        rows = therapist_client_rows_add_figures(therapist=request.user, rows=page)
        return self.get_paginated_response([therapist_client_list_item(r, therapist_id=request.user.pk) for r in rows])

    def retrieve(self, request, client_id=None):
        client = therapist_client_profile_record_view(
            actor=request.user, client_id=client_id, ip_address=client_ip(request)
        )
        return Response(TherapistClientProfileSerializer(client).data)


@extend_schema_view(
    list=extend_schema(
        operation_id="therapist_sessions_list",
        description=(
            "Your session history, newest first (the same sessions and filters as `GET /api/sessions`). "
            "Every session returned is recorded in the audit trail."
        ),
    )
)
@extend_schema(tags=["therapist"])
class TherapistSessionViewSet(SessionViewSet):
    permission_classes = [IsTherapist]
    http_method_names = ["get", "head", "options"]
