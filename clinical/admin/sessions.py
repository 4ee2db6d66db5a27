from django import forms
from django.contrib import admin
from django.utils.translation import gettext

from clinical.models import MoodReading, Session, SessionTemplate
from practice.admin_scoping import PracticeScopedAdmin


class MoodReadingInline(admin.TabularInline):
    model = MoodReading
    extra = 0
    fields = ["recorded_at", "mood"]


@admin.register(Session)
class SessionAdmin(PracticeScopedAdmin):
    """Sessions hold clinical notes: the list shows who, when and the status only, never
    the notes; the change form is for users granted the clinical permissions."""

    list_display = ["started_at", "client", "therapist", "status", "ended_at", "practice"]
    list_filter = ["status", ("started_at", admin.DateFieldListFilter), "practice"]
    list_select_related = ["client", "therapist", "practice"]
    search_fields = ["client__first_name", "client__last_name", "therapist__email"]
    autocomplete_fields = ["practice", "appointment", "therapist", "client", "template"]
    date_hierarchy = "started_at"
    ordering = ["-started_at"]
    show_full_result_count = False
    readonly_fields = ["id", "created_at", "updated_at"]
    inlines = [MoodReadingInline]


@admin.register(MoodReading)
class MoodReadingAdmin(PracticeScopedAdmin):
    practice_path = "session__practice"
    list_display = ["recorded_at", "mood", "session"]
    list_select_related = ["session__client"]
    list_filter = [("recorded_at", admin.DateFieldListFilter)]
    search_fields = ["session__client__first_name", "session__client__last_name"]
    autocomplete_fields = ["session"]
    show_full_result_count = False


class SessionTemplateAdminForm(forms.ModelForm):
    def clean(self):
        data = super().clean()
        practice, therapist = data.get("practice"), data.get("therapist")
        if practice and therapist and therapist.practice_id != practice.pk:
            self.add_error("therapist", gettext("The therapist works for another practice."))
        if therapist and not therapist.is_therapist:
            self.add_error("therapist", gettext("Only a therapist can own a template."))
        return data


@admin.register(SessionTemplate)
class SessionTemplateAdmin(PracticeScopedAdmin):
    """Staff manage the practice's templates: practice-wide (no therapist) or one
    therapist's own."""

    form = SessionTemplateAdminForm
    list_fields = ("default_goals", "common_techniques")
    list_display = ["name", "session_type", "therapist", "duration_minutes", "is_active", "practice"]
    list_filter = ["is_active", "session_type", "practice"]
    list_select_related = ["therapist", "practice"]
    search_fields = ["name", "session_type", "therapist__email", "therapist__last_name"]
    autocomplete_fields = ["practice", "therapist"]
    readonly_fields = ["id", "created_at", "updated_at"]
