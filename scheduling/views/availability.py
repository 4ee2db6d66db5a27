"""The therapist's availability (`/api/therapist/availability`): read and replace it whole,
as the availability page does. Therapists only, each their own (staff: 403)."""

from drf_spectacular.utils import extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from practice.api.permissions import IsTherapist
from scheduling.selectors.availability import availability_get
from scheduling.serializers.availability import (
    AvailabilityInputSerializer,
    AvailabilitySerializer,
    availability_payload,
)
from scheduling.services.availability import PREFERENCE_FIELDS, availability_replace


class TherapistAvailabilityView(APIView):
    permission_classes = [IsTherapist]
    throttle_scope = "api"

    def _payload(self, request) -> dict:
        schedule = availability_get(therapist=request.user)
        return AvailabilitySerializer(availability_payload(schedule, timezone=request.user.practice.timezone)).data

    @extend_schema(
        operation_id="therapist_availability_get",
        tags=["therapist"],
        responses={200: AvailabilitySerializer},
        description=(
            "Your weekly working hours (Monday to Sunday, with breaks), your exceptions by date and your "
            "booking preferences; times are wall-clock `HH:MM` in the practice's time zone. Until you save "
            "your own it is the default week (Monday to Friday 09:00-17:00, `isDefault: true`). Booking "
            "outside it is allowed; a new appointment's `outside_availability` says so."
        ),
    )
    def get(self, request):
        return Response(self._payload(request))

    @extend_schema(
        operation_id="therapist_availability_set",
        tags=["therapist"],
        request=AvailabilityInputSerializer,
        responses={200: AvailabilitySerializer},
        description=(
            "Replace your whole availability with the object sent (what GET returns). Weekdays left out "
            "are unavailable. Two working slots, or two breaks, of one day that overlap are a 400 "
            "`availability_overlap` (touching is fine); one exception per date."
        ),
    )
    def post(self, request):
        serializer = AvailabilityInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        availability_replace(
            actor=request.user,
            regular_hours=data["regular_hours"],
            exceptions=data["exceptions"],
            preferences={name: data[name] for name in PREFERENCE_FIELDS},
        )
        return Response(self._payload(request))
