from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from practice.api.filters import filter_each
from practice.api.request import client_ip
from practice.api.serializers import ErrorEnvelopeSerializer
from scheduling.errors import SchedulingError
from scheduling.filters import AppointmentFilter
from scheduling.models import Appointment
from scheduling.selectors.appointments import (
    appointment_list,
    appointment_list_rows,
    appointment_visible_queryset,
)
from scheduling.selectors.availability import availability_covers
from scheduling.serializers.appointments import (
    AppointmentCancelInputSerializer,
    AppointmentCreatedSerializer,
    AppointmentCreateInputSerializer,
    AppointmentSerializer,
    AppointmentUpdateInputSerializer,
    appointment_list_item,
)
from scheduling.services.appointments import (
    appointment_cancel,
    appointment_create,
)
from scheduling.services.bookings import appointment_change_from_page

CONFLICT = OpenApiResponse(ErrorEnvelopeSerializer, description="Conflicts with the current state (see code).")


@extend_schema_view(
    list=extend_schema(
        operation_id="appointments_list",
        description=(
            "The caller's appointments (a therapist their own, staff the whole practice's), "
            "by start time. Each carries the client's contact details, emergency contact, "
            "completed-session count and last session date."
        ),
    ),
    retrieve=extend_schema(operation_id="appointments_retrieve"),
    create=extend_schema(
        operation_id="appointments_create",
        request=AppointmentCreateInputSerializer,
        responses={201: AppointmentCreatedSerializer, 409: CONFLICT},
        description=(
            "Book an appointment (status scheduled). Outside the therapist's availability it is still "
            "booked, with `outside_availability: true`. Therapists book for themselves, staff for "
            "any therapist of the practice; the client must be assigned to the therapist. "
            "Overlapping another non-cancelled appointment of the therapist is a 409 "
            f"`{SchedulingError.APPOINTMENT_OVERLAP}` whose `data.conflictingAppointment` names the clash."
        ),
    ),
    update=extend_schema(
        operation_id="appointments_update",
        request=AppointmentUpdateInputSerializer,
        responses={200: AppointmentSerializer, 409: CONFLICT},
        description=(
            "Change what is sent; the rest keeps its value (the appointment pages send only the status, or a "
            "move with its reason). A booking edit needs a scheduled or confirmed appointment (else 409 "
            f"`{SchedulingError.APPOINTMENT_NOT_EDITABLE}`) and a new time must not overlap (409 "
            f"`{SchedulingError.APPOINTMENT_OVERLAP}`). `status: cancelled` cancels with a reason, `no_show` "
            "records a no-show under the practice's policy (its 409s apply), `rescheduled` moves the booking "
            "on the practice's clock; an impossible change is a 409 "
            f"`{SchedulingError.INVALID_STATUS_TRANSITION}`."
        ),
    ),
    partial_update=extend_schema(
        operation_id="appointments_partial_update",
        request=AppointmentUpdateInputSerializer,
        responses={200: AppointmentSerializer, 409: CONFLICT},
        description="The same as PUT: only the fields sent change.",
    ),
)
@extend_schema(tags=["appointments"])
class AppointmentViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.UpdateModelMixin, viewsets.GenericViewSet
):
    """Appointments: the calendar of therapists (their own) and staff (the practice's)."""

    queryset = Appointment.objects.none()  # the real one comes from the selector, per caller
    serializer_class = AppointmentSerializer
    filterset_class = AppointmentFilter
    lookup_value_converter = "uuid"
    throttle_scope = "api"

    def get_queryset(self):
        return appointment_list(actor=self.request.user)

    def list(self, request, *args, **kwargs):
        # The total counts the filtered appointments alone: the rows' joins only fill the items.
        rows, appointments = filter_each(
            self, appointment_list_rows(actor=request.user), appointment_visible_queryset(actor=request.user)
        )
        page = self.paginator.paginate_queryset(rows, request, view=self, count=appointments)
        return self.get_paginated_response([appointment_list_item(item) for item in page])

    def _payload(self, appointment: Appointment) -> dict:
        # Read back through the list selector so the payload carries the same client details.
        fresh = self.get_queryset().get(pk=appointment.pk)
        return self.get_serializer(fresh).data

    def create(self, request, *args, **kwargs):
        serializer = AppointmentCreateInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        appointment = appointment_create(actor=request.user, **serializer.validated_data)
        fresh = self.get_queryset().get(pk=appointment.pk)
        fresh.outside_availability = not availability_covers(
            fresh.therapist, fresh.starts_at, fresh.ends_at, tzinfo=fresh.practice.tzinfo
        )
        payload = AppointmentCreatedSerializer(fresh, context=self.get_serializer_context()).data
        return Response(payload, status=status.HTTP_201_CREATED)

    def update(self, request, *args, partial: bool = False, **kwargs):
        serializer = AppointmentUpdateInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        appointment = appointment_change_from_page(
            actor=request.user,
            appointment_id=kwargs["pk"],
            data=serializer.validated_data,
            ip_address=client_ip(request),
        )
        return Response(self._payload(appointment))

    @extend_schema(
        operation_id="appointments_cancel",
        request=AppointmentCancelInputSerializer,
        responses={200: AppointmentSerializer, 409: CONFLICT},
        description=(
            "Cancel a scheduled or confirmed appointment with a reason (required). Anything else "
            f"is a 409 `{SchedulingError.INVALID_STATUS_TRANSITION}`. The slot becomes free again."
        ),
    )
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        serializer = AppointmentCancelInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        appointment = appointment_cancel(actor=request.user, appointment_id=pk, **serializer.validated_data)
        return Response(self._payload(appointment))
