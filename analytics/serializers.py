"""Input and output of the analytics endpoints. Keys are camelCase on the wire (the
parser and renderer convert); the class names are unique across the API schema."""

from rest_framework import serializers

from practice.api.fields import StrictDateField
from practice.api.serializers import CamelCaseFieldsMixin
from scheduling.serializers.appointments import AppointmentSerializer


class SessionStatsQuerySerializer(serializers.Serializer):
    """``?startDate=YYYY-MM-DD&endDate=YYYY-MM-DD`` (after camelCase conversion)."""

    start_date = StrictDateField(required=False)
    end_date = StrictDateField(required=False)

    def to_internal_value(self, data):
        # An empty parameter (a cleared date picker) means "not given", as in the list filters.
        return super().to_internal_value({key: value for key, value in data.items() if value != ""})


class TherapistSessionStatsSerializer(CamelCaseFieldsMixin, serializers.Serializer):
    start_date = serializers.DateField(help_text="First day of the window (practice timezone, inclusive).")
    end_date = serializers.DateField(help_text="Last day of the window (practice timezone, inclusive).")
    total_sessions = serializers.IntegerField(
        min_value=0, help_text="The therapist's appointments starting in the window, whatever their status."
    )
    completed_sessions = serializers.IntegerField(min_value=0, help_text="Of those, status completed.")
    cancelled_sessions = serializers.IntegerField(min_value=0, help_text="Of those, status cancelled.")
    no_shows = serializers.IntegerField(min_value=0, help_text="Of those, status no_show.")
    average_session_duration = serializers.FloatField(
        min_value=0,
        help_text=(
            "Mean duration in minutes (one decimal) of the completed ones: the clinical session's actual "
            "start-to-end time where recorded, else the scheduled length. 0 when there are none."
        ),
    )
    client_retention_rate = serializers.FloatField(
        min_value=0,
        max_value=100,
        help_text=(
            "Of the distinct clients with a completed appointment in the window, the percentage (one decimal) "
            "who are repeat clients: two or more completed appointments with the therapist up to endDate. "
            "0 when no client was seen."
        ),
    )


class ClientSessionSummarySerializer(CamelCaseFieldsMixin, serializers.Serializer):
    total_sessions = serializers.IntegerField(min_value=0, help_text="Completed sessions.")
    last_session_date = serializers.DateField(
        allow_null=True, help_text="Date (practice timezone) of the latest completed session; null when none."
    )
    average_mood_improvement = serializers.FloatField(
        allow_null=True,
        help_text=(
            "Mean of (end mood - start mood) over completed sessions with both values, one decimal; null when none."
        ),
    )
    common_themes = serializers.ListField(
        child=serializers.CharField(),
        max_length=5,
        help_text=(
            "Up to five most frequent themes, counted case-insensitively across the sessions' client concerns, "
            "session goals and the appointments' focus areas; ties go to the most recent."
        ),
    )
    progress_summary = serializers.CharField(
        help_text=(
            "Plain-language sentence built from the data: sessions attended and since when, mood trend, "
            "goals active/completed and their average progress; then the PHQ-9 and GAD-7 scores, first "
            "and latest with their severity bands."
        )
    )


class TherapistDashboardStatsSerializer(CamelCaseFieldsMixin, serializers.Serializer):
    active_clients = serializers.IntegerField(help_text="Your assigned clients whose status is active.")
    today_appointments = serializers.IntegerField(help_text="Your appointments today (not cancelled).")
    weekly_appointments = serializers.IntegerField(help_text="Your appointments this week, Monday to Sunday.")
    completed_sessions = serializers.IntegerField(help_text="Your sessions completed this month.")
    monthly_revenue = serializers.DecimalField(
        max_digits=12, decimal_places=2, help_text="Your invoices issued this month, in `currency`."
    )
    currency = serializers.CharField()
    average_rating = serializers.FloatField(
        allow_null=True, help_text="Always null: the practice collects no client ratings."
    )
    unread_notifications = serializers.IntegerField()


class TherapistDashboardSerializer(CamelCaseFieldsMixin, serializers.Serializer):
    stats = TherapistDashboardStatsSerializer()
    upcoming_appointments = AppointmentSerializer(many=True, help_text="Your next appointments (at most five).")
