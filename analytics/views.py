"""Thin views: parse the query, call one selector or service, serialise. Errors are raised."""

from dataclasses import asdict

from djangorestframework_camel_case.util import underscoreize
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from practice.api.permissions import IsTherapist
from practice.api.request import client_ip
from scheduling.serializers.appointments import appointment_list_item

from .selectors.dashboard import therapist_dashboard
from .selectors.statistics import therapist_session_stats
from .serializers import (
    ClientSessionSummarySerializer,
    SessionStatsQuerySerializer,
    TherapistDashboardSerializer,
    TherapistDashboardStatsSerializer,
    TherapistSessionStatsSerializer,
)
from .services import client_session_summary_record_view

STATS_DESCRIPTION = """
Session statistics of a therapist. A therapist may read their own; practice staff any
therapist of their practice; anyone else gets a 404.

Counted are the therapist's appointments that start in [startDate, endDate] (dates in the
practice's timezone, both inclusive; by default the last 30 days, today included):

- `totalSessions`: all of them, whatever the status; `completedSessions`: status completed;
  `cancelledSessions`: status cancelled; `noShows`: status no_show.
- `averageSessionDuration`: mean duration in minutes (one decimal) of the completed ones — the
  clinical session's actual start-to-end time where recorded, else the scheduled length. 0 when
  there are none.
- `clientRetentionRate`: of the distinct clients with a completed appointment in the window, the
  percentage (0-100, one decimal) who are repeat clients: two or more completed appointments with
  the therapist up to endDate. 0 when no client was seen.

`startDate` after `endDate`, a malformed date or a window of more than five years is a 400.
""".strip()

SUMMARY_DESCRIPTION = """
Summary of a client's session history, for a therapist assigned to the client (anyone else,
staff included, gets a 404). It covers the caller's own completed sessions with the client
(a therapist sees only their own sessions) and all of the client's therapy goals. Every read
is written to the audit trail.

- `totalSessions`: completed sessions; `lastSessionDate`: date of the latest completed one
  (practice timezone; null when none).
- `averageMoodImprovement`: mean of (end mood - start mood) over completed sessions with both
  values, one decimal; null when none.
- `commonThemes`: up to five most frequent themes, case-insensitively counted, across the
  sessions' client concerns, session goals and the appointments' focus areas (each entry is one
  mention); ties go to the most recent. A theme is spelled as in its latest mention.
- `progressSummary`: a deterministic plain-language sentence built from the data (sessions
  attended and since when, mood trend, goals active/completed and their average progress), then
  the client's PHQ-9 and GAD-7 scores, first and latest with their bands ("PHQ-9 went from 16
  (moderately severe) to 8 (mild).").
""".strip()


class TherapistSessionStatsView(APIView):
    throttle_scope = "api"

    @extend_schema(
        operation_id="therapist_session_stats",
        summary="Session statistics of a therapist",
        description=STATS_DESCRIPTION,
        parameters=[
            OpenApiParameter("id", OpenApiTypes.UUID, OpenApiParameter.PATH, description="The therapist's user id."),
            OpenApiParameter(
                "startDate",
                OpenApiTypes.DATE,
                OpenApiParameter.QUERY,
                description="First day (YYYY-MM-DD, practice timezone, inclusive). Default: 29 days before endDate.",
            ),
            OpenApiParameter(
                "endDate",
                OpenApiTypes.DATE,
                OpenApiParameter.QUERY,
                description="Last day (YYYY-MM-DD, practice timezone, inclusive). Default: today.",
            ),
        ],
        responses={200: TherapistSessionStatsSerializer},
        tags=["therapists"],
    )
    def get(self, request, pk):
        params = SessionStatsQuerySerializer(data=underscoreize(request.query_params.dict()))
        params.is_valid(raise_exception=True)
        stats = therapist_session_stats(actor=request.user, therapist_id=pk, **params.validated_data)
        return Response(TherapistSessionStatsSerializer(stats).data)


class ClientSessionSummaryView(APIView):
    throttle_scope = "clinical"

    @extend_schema(
        operation_id="client_session_summary",
        summary="Session history summary of a client",
        description=SUMMARY_DESCRIPTION,
        parameters=[OpenApiParameter("id", OpenApiTypes.UUID, OpenApiParameter.PATH, description="The client's id.")],
        responses={200: ClientSessionSummarySerializer},
        tags=["clients"],
    )
    def get(self, request, pk):
        summary = client_session_summary_record_view(actor=request.user, client_id=pk, ip_address=client_ip(request))
        return Response(ClientSessionSummarySerializer(summary).data)


class TherapistDashboardView(APIView):
    """The therapist dashboard: the day's, week's and month's figures and what comes next."""

    permission_classes = [IsTherapist]
    throttle_scope = "api"

    @extend_schema(
        operation_id="therapist_dashboard",
        tags=["therapist"],
        responses={200: TherapistDashboardSerializer},
        description=(
            "Your figures in the practice's timezone: active clients, appointments today and this week (not "
            "cancelled), sessions completed this month, invoices issued this month, unread notifications, and "
            "your next scheduled or confirmed appointments (at most five) in the appointment list's shape. "
            "Therapists only."
        ),
    )
    def get(self, request):
        dashboard = therapist_dashboard(actor=request.user)
        stats = {**asdict(dashboard), "average_rating": None}
        stats.pop("upcoming_appointments")
        payload = {
            "stats": TherapistDashboardStatsSerializer(stats).data,
            "upcomingAppointments": [appointment_list_item(a) for a in dashboard.upcoming_appointments],
        }
        return Response(payload)
