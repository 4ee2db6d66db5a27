from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from clinical.serializers.preparation import (
    AppointmentPreparationInputSerializer,
    AppointmentPreparationResultSerializer,
)
from clinical.services.preparation import appointment_prepare_with_review
from practice.api.request import client_ip
from practice.api.serializers import ErrorEnvelopeSerializer
from scheduling.errors import SchedulingError


class AppointmentPreparationView(APIView):
    """The therapist's preparation of an appointment. Served here rather than by the
    appointment viewset because its payload includes a clinical read."""

    throttle_scope = "api"

    @extend_schema(
        operation_id="appointments_preparation",
        request=AppointmentPreparationInputSerializer,
        responses={
            200: AppointmentPreparationResultSerializer,
            409: OpenApiResponse(ErrorEnvelopeSerializer, description="Conflicts with the current state (see code)."),
        },
        description=(
            "The therapist's preparation notes for an upcoming appointment (scheduled or confirmed, "
            f"not yet started; else 409 `{SchedulingError.APPOINTMENT_NOT_UPCOMING}`). Only the "
            "appointment's therapist: anyone else, staff included, gets a 404. With "
            "`reviewPreviousSession` the payload adds a digest of the client's previous "
            "completed session."
        ),
        tags=["appointments"],
    )
    def put(self, request, pk):
        serializer = AppointmentPreparationInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        appointment, previous = appointment_prepare_with_review(
            actor=request.user, appointment_id=pk, ip_address=client_ip(request), **serializer.validated_data
        )
        result = {
            "appointment_id": appointment.pk,
            "preparation_notes": appointment.preparation_notes,
            "review_previous_session": appointment.review_previous_session,
            "focus_areas": appointment.focus_areas,
            "prepared_at": appointment.prepared_at,
            "previous_session": previous,
        }
        return Response(AppointmentPreparationResultSerializer(result).data)
