from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import APIView

from practice.api.permissions import IsTherapist
from practice.api.serializers import ErrorEnvelopeSerializer
from scheduling.selectors.appointments import appointment_list
from scheduling.selectors.availability import availability_covers
from scheduling.serializers.appointments import AppointmentCreatedSerializer
from scheduling.serializers.workspace import TherapistAppointmentCreateInputSerializer
from scheduling.services.bookings import appointment_create_local


class TherapistAppointmentCreateView(APIView):
    """The therapist frontend's booking form."""

    permission_classes = [IsTherapist]
    throttle_scope = "api"

    @extend_schema(
        operation_id="therapist_appointments_create",
        tags=["therapist"],
        request=TherapistAppointmentCreateInputSerializer,
        responses={
            201: AppointmentCreatedSerializer,
            409: OpenApiResponse(ErrorEnvelopeSerializer, description="`appointment_overlap`: the slot is taken."),
        },
        description=(
            "Book an appointment for yourself on a local date, from `startTime` to `endTime` on the "
            "practice's clock. The client must be assigned to you; a time inside the spring-forward gap or an "
            "end not after the start is a 400; a double booking a 409 `appointment_overlap`. Outside your "
            "availability it is still booked, with `outside_availability: true`."
        ),
    )
    def post(self, request):
        serializer = TherapistAppointmentCreateInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        appointment = appointment_create_local(
            actor=request.user,
            client_id=data["client_id"],
            day=data["appointment_date"],
            start=data["start_time"],
            end=data["end_time"],
            therapy_type=data["therapy_type"],
            location=data["location"],
            notes=data["notes"],
        )
        created = appointment_list(actor=request.user).get(pk=appointment.pk)
        created.outside_availability = not availability_covers(
            created.therapist, created.starts_at, created.ends_at, tzinfo=created.practice.tzinfo
        )
        payload = AppointmentCreatedSerializer(created, context={"request": request}).data
        return Response(payload, status=status.HTTP_201_CREATED)
