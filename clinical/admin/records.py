"""Medical histories and therapy goals in the admin: who has one, who wrote it and when,
never the clinical content (only the assigned therapists read that, through the API,
where every read is audited). A list only, without detail pages (whose titles would show
the goal's text); clinical records change only through the API."""

from django.contrib import admin

from practice.admin_scoping import PracticeScopedAdmin

from ..models import MedicalHistory, TherapyGoal


class ClinicalMetadataAdmin(PracticeScopedAdmin):
    practice_path = "client__practice"
    list_display_links = None

    def has_view_permission(self, request, obj=None):
        return obj is None and super().has_view_permission(request, obj)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(MedicalHistory)
class MedicalHistoryAdmin(ClinicalMetadataAdmin):
    list_display = ["client", "updated_by", "created_at", "updated_at"]
    list_filter = ["client__practice", ("updated_at", admin.DateFieldListFilter)]
    list_select_related = ["client", "updated_by"]
    search_fields = ["client__first_name", "client__last_name", "client__email"]
    autocomplete_fields = ["client", "updated_by"]
    readonly_fields = ["created_at", "updated_at"]
    show_full_result_count = False


@admin.register(TherapyGoal)
class TherapyGoalAdmin(ClinicalMetadataAdmin):
    list_display = ["client", "therapist", "status", "progress", "target_date", "created_at", "completed_at"]
    list_filter = ["status", "client__practice", ("created_at", admin.DateFieldListFilter)]
    list_select_related = ["client", "therapist"]
    search_fields = ["client__first_name", "client__last_name", "client__email", "therapist__email"]
    autocomplete_fields = ["client", "therapist"]
    readonly_fields = ["created_at", "updated_at"]
    show_full_result_count = False
