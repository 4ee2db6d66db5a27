from django import forms
from django.contrib import admin

from practice.admin_scoping import PracticeScopedAdmin
from scheduling.models import Appointment
from scheduling.selectors.appointments import appointment_overlaps


class AppointmentAdminForm(forms.ModelForm):
    """The API's booking rules, for bookings made in the admin: one practice, and no
    double booking (PostgreSQL's constraint would refuse it anyway, less politely)."""

    def clean(self):
        data = super().clean()
        practice, therapist, client = data.get("practice"), data.get("therapist"), data.get("client")
        if practice and therapist and therapist.practice_id != practice.pk:
            self.add_error("therapist", "The therapist works for another practice.")
        if practice and client and client.practice_id != practice.pk:
            self.add_error("client", "The client belongs to another practice.")
        starts_at, ends_at = data.get("starts_at"), data.get("ends_at")
        if therapist and starts_at and ends_at and ends_at > starts_at and data.get("status") != "cancelled":
            clash = appointment_overlaps(therapist.pk, starts_at, ends_at, exclude_id=self.instance.pk).first()
            if clash is not None:
                raise forms.ValidationError(f"The therapist already has an appointment then: {clash}.")
        return data


@admin.register(Appointment)
class AppointmentAdmin(PracticeScopedAdmin):
    form = AppointmentAdminForm
    list_display = ["starts_at", "ends_at", "client", "therapist", "status", "appointment_type", "mode", "practice"]
    list_filter = [
        "status",
        ("starts_at", admin.DateFieldListFilter),
        ("therapist", admin.RelatedOnlyFieldListFilter),
        "appointment_type",
        "practice",
    ]
    list_select_related = ["client", "therapist", "practice"]
    search_fields = ["client__first_name", "client__last_name", "client__email"]
    autocomplete_fields = ["practice", "therapist", "client", "cancelled_by"]
    date_hierarchy = "starts_at"
    ordering = ["-starts_at"]
    show_full_result_count = False
    readonly_fields = ["id", "cancelled_at", "created_at", "updated_at"]
    # Preparation notes belong to the therapist; staff working in the admin do not see them.
    exclude = ["preparation_notes", "review_previous_session", "focus_areas", "prepared_at"]
