from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import APIView

from practice.api.serializers import ErrorEnvelopeSerializer
from scheduling.errors import SchedulingError
from scheduling.serializers.recurring import (
    RecurringSeriesInputSerializer,
    RecurringSeriesOutcomeSerializer,
    RecurringSeriesStopSerializer,
)
from scheduling.services.recurring import recurring_series_set, recurring_series_stop


class AppointmentRecurringView(APIView):
    """The recurring series an appointment starts. Open to the appointment's therapist and
    to practice staff; for anyone else the appointment does not exist (404)."""

    throttle_scope = "api"

    @extend_schema(
        operation_id="appointment_recurring_set",
        summary="Make an appointment recurring, or replace its pattern",
        description=(
            "Turns the appointment into the first occurrence of a weekly, biweekly or monthly series "
            "(201), or, posted again for the series' first appointment, replaces its pattern (200). "
            "Occurrences keep the wall-clock time in the practice's timezone across daylight-saving "
            "changes; monthly series fall on the last day of shorter months. `endDate` is inclusive, "
            "after the first occurrence and at most two years after it; every exception must be a "
            "date the pattern produces. Occurrences are created up to the rolling horizon "
            "(`RECURRING_HORIZON_WEEKS`, 12 weeks by default); a slot where the therapist already has "
            "a non-cancelled appointment is skipped and listed under `conflicts`. Replacing removes "
            "future occurrences nothing has touched and generates the new pattern; occurrences with a "
            "session, a status other than scheduled/confirmed, or edited since they were generated, "
            "are kept. "
            f"400 `{SchedulingError.APPOINTMENT_CANCELLED}` / `{SchedulingError.APPOINTMENT_IN_OTHER_SERIES}` when the "
            f"appointment cannot start a series; 409 `{SchedulingError.SERIES_STOPPED}` for a stopped series."
        ),
        request=RecurringSeriesInputSerializer,
        responses={
            200: RecurringSeriesOutcomeSerializer,
            201: RecurringSeriesOutcomeSerializer,
            409: ErrorEnvelopeSerializer,
        },
        tags=["appointments"],
    )
    def post(self, request, pk):
        serializer = RecurringSeriesInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        outcome = recurring_series_set(actor=request.user, appointment_id=pk, **serializer.validated_data)
        return Response(
            RecurringSeriesOutcomeSerializer(outcome).data,
            status=status.HTTP_201_CREATED if outcome.is_new else status.HTTP_200_OK,
        )

    @extend_schema(
        operation_id="appointment_recurring_stop",
        summary="Stop the recurring series",
        description=(
            "Stops the series the appointment belongs to (its first appointment or any occurrence): "
            "it is no longer extended, and every future occurrence nothing has touched is cancelled; "
            "the first appointment and touched occurrences are kept. Stopping a stopped series "
            f"cancels nothing. 404 `{SchedulingError.SERIES_NOT_FOUND}` when the appointment is not part of a series."
        ),
        responses={200: RecurringSeriesStopSerializer},
        tags=["appointments"],
    )
    def delete(self, request, pk):
        outcome = recurring_series_stop(actor=request.user, appointment_id=pk)
        return Response(RecurringSeriesStopSerializer(outcome).data)
