"""The straightforward DRF implementation of the therapist's lists, served next to the
real API in the benchmark's server only, so that every report compares our endpoints with
what a typical implementation answers on the same data, server and database.

Each list is what a reviewer would write in an afternoon: a ModelViewSet over the caller's
rows, a ModelSerializer with the related objects nested, ``select_related`` and
``prefetch_related`` for them, DRF's limit/offset pagination (page of 50) and the project's
JWT authentication. No audit trail, no visibility rules beyond "the caller's own", no
local-time fields: it does less than ours, which is the point of the comparison."""

from datetime import datetime, time

from django.utils import timezone
from rest_framework import serializers, viewsets
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.permissions import IsAuthenticated
from rest_framework.renderers import JSONRenderer
from rest_framework.routers import SimpleRouter

from clinical.models import MoodReading, Session, SessionNote, Survey
from practice.models import Client
from scheduling.models import Appointment


class Page(LimitOffsetPagination):
    default_limit = 50
    max_limit = 100


class ClientSerializer(serializers.ModelSerializer):
    class Meta:
        model = Client
        fields = ["id", "first_name", "last_name", "email", "phone", "status"]


class AppointmentSerializer(serializers.ModelSerializer):
    client = ClientSerializer(read_only=True)

    class Meta:
        model = Appointment
        fields = "__all__"


class MoodReadingSerializer(serializers.ModelSerializer):
    class Meta:
        model = MoodReading
        fields = ["mood", "recorded_at"]


class SessionSerializer(serializers.ModelSerializer):
    client = ClientSerializer(read_only=True)
    mood_readings = MoodReadingSerializer(many=True, read_only=True)

    class Meta:
        model = Session
        fields = "__all__"


class FullClientSerializer(serializers.ModelSerializer):
    class Meta:
        model = Client
        exclude = ["therapists"]


class SessionNoteSerializer(serializers.ModelSerializer):
    client = ClientSerializer(read_only=True)

    class Meta:
        model = SessionNote
        fields = "__all__"


class SurveySerializer(serializers.ModelSerializer):
    class Meta:
        model = Survey
        fields = "__all__"


class BaselineViewSet(viewsets.ReadOnlyModelViewSet):
    pagination_class = Page
    permission_classes = [IsAuthenticated]
    renderer_classes = [JSONRenderer]
    filter_backends = []
    throttle_classes = []


class AppointmentViewSet(BaselineViewSet):
    """The caller's appointments from today on, soonest first (as ``GET /api/appointments``
    without parameters), or those of the ``startDate``..``endDate`` window."""

    serializer_class = AppointmentSerializer

    def get_queryset(self):
        params = self.request.query_params
        qs = Appointment.objects.filter(therapist=self.request.user).select_related("client")
        if "startDate" in params:
            start = datetime.combine(datetime.fromisoformat(params["startDate"]), time.min)
            end = datetime.combine(datetime.fromisoformat(params["endDate"]), time.max)
            qs = qs.filter(starts_at__gte=timezone.make_aware(start), starts_at__lte=timezone.make_aware(end))
        else:
            today = timezone.make_aware(datetime.combine(timezone.localdate(), time.min))
            qs = qs.filter(starts_at__gte=today)
        return qs.order_by("starts_at")


class SessionViewSet(BaselineViewSet):
    """The caller's sessions, newest first."""

    serializer_class = SessionSerializer

    def get_queryset(self):
        return (
            Session.objects.filter(therapist=self.request.user)
            .select_related("client")
            .prefetch_related("mood_readings")
            .order_by("-started_at")
        )


class ClientViewSet(BaselineViewSet):
    """The caller's clients, by name."""

    serializer_class = FullClientSerializer

    def get_queryset(self):
        return Client.objects.filter(therapists=self.request.user).order_by("last_name", "first_name")


class SessionNoteViewSet(BaselineViewSet):
    """The caller's session notes, newest first."""

    serializer_class = SessionNoteSerializer

    def get_queryset(self):
        return (
            SessionNote.objects.filter(therapist=self.request.user, deleted_at__isnull=True)
            .select_related("client")
            .order_by("-session_date", "-created_at")
        )


class SurveyViewSet(BaselineViewSet):
    """The surveys the caller may use: their own and the practice's."""

    serializer_class = SurveySerializer

    def get_queryset(self):
        user = self.request.user
        own = Survey.objects.filter(practice=user.practice, created_by=user)
        shared = Survey.objects.filter(practice=user.practice, is_practice_wide=True)
        return (own | shared).filter(deleted_at__isnull=True).order_by("-created_at")


router = SimpleRouter(trailing_slash=False)
router.register("appointments", AppointmentViewSet, basename="baseline-appointment")
router.register("sessions", SessionViewSet, basename="baseline-session")
router.register("clients", ClientViewSet, basename="baseline-client")
router.register("session-notes", SessionNoteViewSet, basename="baseline-session-note")
router.register("surveys", SurveyViewSet, basename="baseline-survey")
