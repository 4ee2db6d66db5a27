from django.conf import settings
from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from practice.admin_scoping import PracticeScopedAdmin
from scheduling.models import Appointment, RecurringSeries
from scheduling.services.recurring import recurring_series_extend


class OccurrenceInline(admin.TabularInline):
    """The series' appointments, read-only: they are edited as appointments."""

    model = Appointment
    fk_name = "series"
    fields = ["occurrence_date", "starts_at", "ends_at", "status", "updated_at"]
    readonly_fields = fields
    ordering = ["occurrence_date"]
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(RecurringSeries)
class RecurringSeriesAdmin(PracticeScopedAdmin):
    """Series are created, replaced and stopped through the API (which keeps their
    occurrences consistent); staff read them here and can extend them at once."""

    list_display = ["pattern", "client", "therapist", "start_date", "end_date", "generated_until", "is_active"]
    list_filter = ["pattern", "is_active", "practice"]
    list_select_related = ["client", "therapist", "practice"]
    search_fields = ["client__first_name", "client__last_name", "therapist__email", "therapist__last_name"]
    autocomplete_fields = ["practice", "therapist", "client"]
    raw_id_fields = ["first_appointment"]
    readonly_fields = ["id", "generated_until", "stopped_at", "created_at", "updated_at"]
    # The rules of a series (first occurrence, pattern, exceptions) hold only when it is
    # changed through the API, which regenerates its occurrences; here it is read and extended.
    fields = [
        "id",
        "practice",
        "first_appointment",
        "therapist",
        "client",
        "pattern",
        "start_date",
        "end_date",
        "exceptions",
        "timezone",
        "local_start_time",
        "duration_minutes",
        "generated_until",
        "is_active",
        "stopped_at",
        "created_at",
        "updated_at",
    ]
    date_hierarchy = "start_date"
    inlines = [OccurrenceInline]
    actions = ["extend_now"]

    def get_readonly_fields(self, request, obj=None):
        return self.fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        # The page is read-only (no Save button); the list's action still needs the permission.
        return obj is None and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Extend now (materialise up to the horizon)"), permissions=["change"])
    def extend_now(self, request, queryset):
        ids = list(queryset.filter(is_active=True).values_list("id", flat=True))
        outcomes = recurring_series_extend(series_ids=ids, horizon_weeks=settings.RECURRING_HORIZON_WEEKS)
        created = sum(len(outcome.occurrences) for outcome in outcomes)
        conflicts = sum(len(outcome.conflicts) for outcome in outcomes)
        skipped = len(ids) - len(outcomes)
        self.message_user(
            request,
            f"Created {created} occurrences; skipped {conflicts} that conflict with other appointments"
            + (f"; {skipped} series were busy (being extended elsewhere)." if skipped else "."),
            messages.SUCCESS,
        )
