from django.utils.translation import gettext
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import APIView

from practice.api.envelope import envelope
from practice.api.request import client_ip
from practice.api.serializers import ErrorEnvelopeSerializer
from scheduling.errors import NoShowAlreadyAppliedError, SchedulingError
from scheduling.serializers.no_show import NoShowApplyInputSerializer, NoShowRecordSerializer
from scheduling.services.no_show import appointment_mark_no_show


class AppointmentNoShowView(APIView):
    """Record that the client missed an appointment, with the practice's no-show policy."""

    throttle_scope = "no_show"

    @extend_schema(
        operation_id="appointment_no_show_apply",
        summary="Apply the no-show policy to an appointment",
        description=(
            "By the appointment's therapist or practice staff (anyone else: 404). Allowed once the "
            "start plus the policy's grace minutes has passed, for an appointment that is not "
            "cancelled, completed or in progress (409 "
            f"`{SchedulingError.NO_SHOW_NOT_ALLOWED}` / `{SchedulingError.NO_SHOW_TOO_EARLY}`). "
            "Marks the appointment `no_show` and records the reason and, with `applyFee`, a fee of "
            "`feeAmount` or the policy's default in the practice's currency, never above the policy's "
            "maximum (400). Without an active policy, `applyFee` needs a `feeAmount` (400). A second "
            f"application is a 409 `{SchedulingError.NO_SHOW_ALREADY_APPLIED}` whose `data` is the existing "
            "record. With "
            "`notifyClient` the client's email is queued in the same transaction and sent after commit: "
            "`notificationStatus` is `pending` in this response, and a mail failure never undoes the "
            "no-show (the outbox retries it)."
        ),
        request=NoShowApplyInputSerializer,
        responses={
            201: NoShowRecordSerializer,
            409: OpenApiResponse(
                ErrorEnvelopeSerializer,
                description="Already applied (with the existing record in `data`), too early, or not allowed.",
            ),
        },
        tags=["appointments"],
    )
    def post(self, request, pk):
        serializer = NoShowApplyInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            record = appointment_mark_no_show(
                actor=request.user, appointment_id=pk, ip_address=client_ip(request), **serializer.validated_data
            )
        except NoShowAlreadyAppliedError as exc:
            exc.data = NoShowRecordSerializer(exc.record).data
            raise
        return Response(
            envelope(NoShowRecordSerializer(record).data, message=gettext("No-show recorded.")),
            status=status.HTTP_201_CREATED,
        )
