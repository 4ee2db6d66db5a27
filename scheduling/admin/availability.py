"""Therapists' availability in the admin, read-only: each therapist sets their own on the
availability page, where the overlap rules are checked."""

from django.contrib import admin

from practice.admin_scoping import PracticeScopedAdmin, ReadOnlyAdminMixin
from scheduling.models import Availability, AvailabilityDay, AvailabilityException, AvailabilitySlot


class AvailabilityDayInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = AvailabilityDay
    extra = 0


class AvailabilityExceptionInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = AvailabilityException
    extra = 0


@admin.register(Availability)
class AvailabilityAdmin(ReadOnlyAdminMixin, PracticeScopedAdmin):
    list_display = ["therapist", "practice", "session_duration", "buffer_time", "vacation_mode", "updated_at"]
    list_filter = ["vacation_mode", "practice"]
    list_select_related = ["therapist", "practice"]
    search_fields = ["therapist__email", "therapist__first_name", "therapist__last_name"]
    autocomplete_fields = ["therapist", "practice"]
    inlines = [AvailabilityDayInline, AvailabilityExceptionInline]


@admin.register(AvailabilityDay)
class AvailabilityDayAdmin(ReadOnlyAdminMixin, PracticeScopedAdmin):
    practice_path = "availability__practice"
    list_display = ["availability", "weekday", "is_available"]
    list_filter = ["weekday", "is_available"]
    list_select_related = ["availability__therapist"]
    search_fields = ["availability__therapist__email"]


@admin.register(AvailabilitySlot)
class AvailabilitySlotAdmin(ReadOnlyAdminMixin, PracticeScopedAdmin):
    practice_path = "day__availability__practice"
    list_display = ["day", "start_time", "end_time", "is_break"]
    list_filter = ["is_break", "day__weekday"]
    list_select_related = ["day__availability__therapist"]
    search_fields = ["day__availability__therapist__email"]


@admin.register(AvailabilityException)
class AvailabilityExceptionAdmin(ReadOnlyAdminMixin, PracticeScopedAdmin):
    practice_path = "availability__practice"
    list_display = ["availability", "date", "reason"]
    list_filter = [("date", admin.DateFieldListFilter)]
    list_select_related = ["availability__therapist"]
    search_fields = ["availability__therapist__email", "reason"]
    date_hierarchy = "date"
