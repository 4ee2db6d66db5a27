from functools import partial

from django.utils.translation import gettext
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from clinical.errors import ClinicalError
from clinical.filters import SessionFilter
from clinical.models import Session
from clinical.selectors.sessions import (
    session_list,
    session_list_rows,
    session_listing,
    session_mood_timelines,
)
from clinical.serializers.sessions import (
    SessionEndInputSerializer,
    SessionProgressInputSerializer,
    SessionSerializer,
    SessionStartInputSerializer,
    session_list_item,
)
from clinical.services.invoices import session_invoice_create
from clinical.services.sessions import session_end, session_record_views, session_start, session_update_progress
from practice.api.envelope import envelope
from practice.api.filters import filter_given
from practice.api.request import client_ip
from practice.api.serializers import ErrorEnvelopeSerializer
from scheduling.errors import SchedulingError
from scheduling.models import Invoice
from scheduling.serializers.invoices import InvoiceSerializer, SessionInvoiceInputSerializer
from scheduling.services.invoices import InvoiceAlreadyExists

CONFLICT = OpenApiResponse(ErrorEnvelopeSerializer, description="Conflicts with the session's state (see code).")


@extend_schema_view(
    list=extend_schema(
        operation_id="sessions_list",
        description=(
            "Your sessions, newest first, with techniques, interventions, moods and the mood "
            "timeline, goals discussed and homework. Only the session's therapist reads it, "
            "while the client is assigned to them; staff see none. Every session returned is "
            "recorded in the audit trail."
        ),
    ),
    retrieve=extend_schema(
        operation_id="sessions_retrieve",
        description="One of your sessions (anything else is a 404). Recorded in the audit trail.",
    ),
)
@extend_schema(tags=["sessions"])
class SessionViewSet(viewsets.ReadOnlyModelViewSet):
    """Clinical sessions: started from an appointment, updated while in progress, ended."""

    queryset = Session.objects.none()  # the real one comes from the selector, per caller
    serializer_class = SessionSerializer
    filterset_class = SessionFilter
    lookup_value_converter = "uuid"
    throttle_scope = "clinical"

    def get_queryset(self):
        return session_list(actor=self.request.user)

    def _audited_page(self, sessions, total=None):
        # The page is read as rows; the total is counted on the sessions alone, or given.
        page = self.paginator.paginate_queryset(
            session_list_rows(sessions), self.request, view=self, count=sessions if total is None else total
        )
        session_record_views(
            actor=self.request.user,
            shown=[(row["id"], row["client_id"]) for row in page],
            ip_address=client_ip(self.request),
        )
        timelines = session_mood_timelines(session_ids=[row["id"] for row in page])
        return self.get_paginated_response([session_list_item(row, timeline=timelines[row["id"]]) for row in page])

    def _payload(self, session: Session) -> dict:
        # Read back through the list selector: the same shape (and mood timeline) as a read.
        return self.get_serializer(self.get_queryset().get(pk=session.pk)).data

    def list(self, request, *args, **kwargs):
        listing = session_listing(actor=request.user)
        sessions, given = filter_given(self, listing.sessions)
        if given.keys() <= {"clientId"}:
            # No filter but the client: the tally tells how many, without counting the history.
            return self._audited_page(sessions, total=partial(listing.total, client_id=given.get("clientId")))
        return self._audited_page(sessions)

    def retrieve(self, request, *args, **kwargs):
        session = self.get_object()
        session_record_views(actor=request.user, shown=[(session.pk, session.client_id)], ip_address=client_ip(request))
        return Response(self.get_serializer(session).data)

    @extend_schema(
        operation_id="sessions_active",
        responses={200: SessionSerializer(many=True)},
        description="Your sessions in progress, newest first. Recorded in the audit trail.",
    )
    @action(detail=False, methods=["get"], filterset_class=None)
    def active(self, request):
        sessions = session_listing(actor=request.user).sessions
        return self._audited_page(sessions.filter(status=Session.Status.IN_PROGRESS))

    @extend_schema(
        operation_id="sessions_start",
        request=SessionStartInputSerializer,
        responses={201: SessionSerializer, 409: CONFLICT},
        description=(
            "Start the session of one of your scheduled or confirmed appointments; the "
            "appointment becomes in progress. A template pre-fills the goals and techniques. "
            f"409 `{ClinicalError.SESSION_ALREADY_STARTED}` when it was started before; "
            f"409 `{SchedulingError.INVALID_STATUS_TRANSITION}` for a cancelled, no-show or "
            "completed appointment."
        ),
    )
    @action(detail=False, methods=["post"], throttle_scope="api")
    def start(self, request):
        serializer = SessionStartInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        session = session_start(actor=request.user, ip_address=client_ip(request), **serializer.validated_data)
        return Response(self._payload(session), status=status.HTTP_201_CREATED)

    @extend_schema(
        operation_id="sessions_progress",
        request=SessionProgressInputSerializer,
        responses={200: SessionSerializer, 409: CONFLICT},
        description=(
            f"Record progress while the session is in progress (409 `{ClinicalError.SESSION_NOT_IN_PROGRESS}` "
            "after it ended). Only the fields sent change; each `clientMoodCurrent` also "
            "appends a timestamped reading to the mood timeline."
        ),
    )
    @action(detail=True, methods=["put"], throttle_scope="api", filterset_class=None)
    def progress(self, request, pk=None):
        serializer = SessionProgressInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        session = session_update_progress(
            actor=request.user, session_id=pk, changes=dict(serializer.validated_data), ip_address=client_ip(request)
        )
        return Response(self._payload(session))

    @extend_schema(
        operation_id="sessions_end",
        request=SessionEndInputSerializer,
        responses={200: SessionSerializer, 409: CONFLICT},
        description=(
            "End a session in progress: it becomes completed and so does its appointment "
            f"(409 `{ClinicalError.SESSION_NOT_IN_PROGRESS}` when it already ended)."
        ),
    )
    @action(detail=True, methods=["post"], throttle_scope="api", filterset_class=None)
    def end(self, request, pk=None):
        serializer = SessionEndInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        session = session_end(
            actor=request.user, session_id=pk, ip_address=client_ip(request), **serializer.validated_data
        )
        return Response(self._payload(session))

    @extend_schema(
        operation_id="sessions_generate_invoice",
        request=SessionInvoiceInputSerializer,
        responses={201: InvoiceSerializer, 409: CONFLICT},
        description=(
            "Invoice one of your completed sessions at the practice's rate for its appointment type: "
            "numbered per practice and year without gaps (`2026-0001`), VAT-exempt by default (with the "
            "exemption note), due after the practice's payment term, status `draft` (`sent` when "
            "`autoSend` and the client has an email address: it is emailed). One invoice per session: a "
            "second call is a 409 `invoice_already_exists` whose `data` is the existing invoice. 409 "
            "`invoice_not_billable` before the session is completed, `session_rate_missing` when staff "
            "have set no rate for the type."
        ),
    )
    @action(
        detail=True,
        methods=["post"],
        url_path="generate-invoice",
        throttle_scope="api",
        filterset_class=None,
        pagination_class=None,
    )
    def generate_invoice(self, request, pk=None):
        serializer = SessionInvoiceInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        try:
            invoice = session_invoice_create(
                actor=request.user,
                session_id=pk,
                appointment_id=data.get("appointment_id"),
                client_id=data.get("client_id"),
                send=data["auto_send"],
                ip_address=client_ip(request),
            )
        except InvoiceAlreadyExists as exc:
            exc.data = InvoiceSerializer(exc.invoice).data
            raise
        message = (
            gettext("Invoice created and sent.")
            if invoice.status == Invoice.Status.SENT
            else gettext("Invoice created as a draft.")
        )
        return Response(envelope(InvoiceSerializer(invoice).data, message), status=status.HTTP_201_CREATED)
