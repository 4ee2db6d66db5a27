from datetime import datetime, time, timedelta

from django import forms
from django.contrib import admin
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from practice.admin_scoping import PracticeScopedAdmin
from practice.errors import DomainError
from scheduling.models import Appointment
from scheduling.services.appointments import UPDATABLE_FIELDS, appointment_create, appointment_update

#: The service's field names for the form's (``therapist_id`` is the ``therapist`` field).
_FORM_FIELD = {"therapist_id": "therapist", "client_id": "client"}


class AppointmentAdminForm(forms.ModelForm):
    """A booking made in the admin goes through the API's services, as the signed-in staff
    member: ``appointment_create`` (a therapist of the practice, a client assigned to that
    therapist, sensible times, no double booking) and ``appointment_update`` (what may
    change, and to which status). A refusal is shown on the form; the service's write
    happens in a savepoint of the admin's transaction, so a refused one writes nothing."""

    #: Set by ``AppointmentAdmin.get_form``: the service runs as the signed-in user.
    request = None

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        try:
            with transaction.atomic():
                self.instance = self._through_service(data)
        except DomainError as exc:
            self._show(exc)
        return data

    def _through_service(self, data) -> Appointment:
        actor = self.request.user
        if self.instance._state.adding:
            return appointment_create(
                actor=actor,
                therapist_id=data["therapist"].pk,
                client_id=data["client"].pk,
                starts_at=data["starts_at"],
                ends_at=data["ends_at"],
                appointment_type=data["appointment_type"],
                mode=data["mode"],
                location=data.get("location", ""),
                notes=data.get("notes", ""),
            )
        changes = {
            name: data[name] for name in UPDATABLE_FIELDS if name in data and data[name] != getattr(self.instance, name)
        }
        return appointment_update(actor=actor, appointment_id=self.instance.pk, changes=changes)

    def _show(self, exc: DomainError) -> None:
        shown = False
        for error in exc.errors:
            field = _FORM_FIELD.get(error.get("field") or "", error.get("field"))
            if field in self.fields:
                self.add_error(field, error["message"])
                shown = True
        if not shown:
            self.add_error(None, exc.message)


class WeekFilter(admin.SimpleListFilter):
    """A therapist's week at a glance: last, this or next week (Monday to Sunday, in the
    practice's time zone); with the therapist filter and the date drill-down above the
    list this is the day and week view of the calendar."""

    title = _("week")
    parameter_name = "week"

    def lookups(self, request, model_admin):
        return [("-1", _("Last week")), ("0", _("This week")), ("1", _("Next week"))]

    def queryset(self, request, queryset):
        if self.value() not in ("-1", "0", "1"):
            return queryset
        today = timezone.localdate()
        monday = today - timedelta(days=today.weekday()) + timedelta(weeks=int(self.value()))
        start = timezone.make_aware(datetime.combine(monday, time.min))
        end = timezone.make_aware(datetime.combine(monday + timedelta(days=7), time.min))
        return queryset.filter(starts_at__gte=start, starts_at__lt=end)


@admin.register(Appointment)
class AppointmentAdmin(PracticeScopedAdmin):
    form = AppointmentAdminForm
    list_display = ["when", "client", "therapist", "status", "appointment_type", "mode", "practice"]
    list_filter = [
        WeekFilter,
        ("therapist", admin.RelatedOnlyFieldListFilter),
        "status",
        ("starts_at", admin.DateFieldListFilter),
        "appointment_type",
        "practice",
    ]
    list_select_related = ["client", "therapist", "practice"]
    search_fields = ["client__first_name", "client__last_name", "client__email"]
    autocomplete_fields = ["therapist", "client"]
    date_hierarchy = "starts_at"
    ordering = ["-starts_at"]
    show_full_result_count = False
    #: What the services take: a new booking is scheduled in the signed-in user's practice;
    #: a booking keeps its therapist and client. Cancelling, sessions and no-shows have their
    #: own endpoints, which also say who is told.
    add_fields = ["therapist", "client", "starts_at", "ends_at", "appointment_type", "mode", "location", "notes"]
    change_fields = [*add_fields, "status"]
    change_readonly_fields = [
        "id",
        "practice",
        "therapist",
        "client",
        "cancellation_reason",
        "cancelled_at",
        "cancelled_by",
        "created_at",
        "updated_at",
    ]

    def get_fields(self, request, obj=None):
        return self.add_fields if obj is None else [*self.change_readonly_fields, *self.change_fields[2:]]

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None else self.change_readonly_fields

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        form.request = request
        return form

    def save_model(self, request, obj, form, change):
        """Saved already, by the service the form called."""

    @admin.display(description=_("when"), ordering="starts_at")
    def when(self, obj):
        """Day, start and end on the practice's clocks (the admin runs in its time zone)."""
        starts, ends = timezone.localtime(obj.starts_at), timezone.localtime(obj.ends_at)
        return f"{formats.date_format(starts, 'D j M Y')} {starts:%H:%M}-{ends:%H:%M}"
