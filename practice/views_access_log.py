"""A client's access log (NEN 7513) for practice staff."""

from djangorestframework_camel_case.util import underscoreize
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.generics import GenericAPIView

from .api.pagination import PagePagination
from .api.permissions import IsPracticeStaff
from .api.request import client_ip
from .models import AuditEvent
from .selectors_access_log import access_log_row
from .serializers_access_log import AccessLogEntrySerializer, AccessLogQuerySerializer
from .services.access_log import client_access_log_read


class ClientAccessLogView(GenericAPIView):
    permission_classes = [IsPracticeStaff]
    throttle_scope = "clinical"
    pagination_class = PagePagination
    serializer_class = AccessLogEntrySerializer
    queryset = AuditEvent.objects.none()  # the rows come from the service, per caller

    @extend_schema(
        operation_id="client_access_log",
        summary="The client's access log (NEN 7513)",
        description=(
            "Who opened or changed which part of the client's record, and when, from the audit trail: "
            "chronological, one line per day, person, part of the record and action (`count` says how often "
            "that day). Labels are in the response's language (`Content-Language`). Practice staff only: a "
            "therapist gets a 403, another practice's client is a 404. Reading the log is itself written to "
            "the audit trail (record type `access_log`). `startDate` after `endDate` is a 400."
        ),
        parameters=[
            OpenApiParameter("id", OpenApiTypes.UUID, OpenApiParameter.PATH, description="The client's id."),
            OpenApiParameter(
                "startDate",
                OpenApiTypes.DATE,
                OpenApiParameter.QUERY,
                description="First day (YYYY-MM-DD, practice time zone, inclusive). Default: the oldest kept entry.",
            ),
            OpenApiParameter(
                "endDate",
                OpenApiTypes.DATE,
                OpenApiParameter.QUERY,
                description="Last day (YYYY-MM-DD, practice time zone, inclusive). Default: today.",
            ),
        ],
        responses={200: AccessLogEntrySerializer(many=True)},
        tags=["clients"],
    )
    def get(self, request, pk):
        params = AccessLogQuerySerializer(data=underscoreize(request.query_params.dict()))
        params.is_valid(raise_exception=True)
        client, _window, rows = client_access_log_read(
            actor=request.user, client_id=pk, ip_address=client_ip(request), **params.validated_data
        )
        page = self.paginate_queryset(rows)
        tz = client.practice.tzinfo
        data = AccessLogEntrySerializer([access_log_row(row, tzinfo=tz) for row in page], many=True).data
        return self.get_paginated_response(data)
