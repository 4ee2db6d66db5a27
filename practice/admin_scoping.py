"""Admin conventions shared by every app: practice staff see, filter and pick only their
own practice's rows (superusers see every practice), and some records are read-only."""

from django.contrib import admin
from django.db import models
from django.db.models import Model, QuerySet
from django.utils import timezone
from django.utils.translation import gettext

from .admin_forms import LinesField
from .models import Client, Practice, User


def _practice_filter(path: str, practice_id) -> dict:
    return {"pk": practice_id} if not path else {f"{path}__id": practice_id}


def scope_to_practice(queryset: QuerySet, request, path: str = "practice") -> QuerySet:
    """``queryset`` limited to the signed-in staff member's practice; ``path`` leads from the
    model to its Practice ("" for Practice itself)."""
    user = request.user
    if user.is_superuser:
        return queryset
    if not user.practice_id:
        return queryset.none()
    return queryset.filter(**_practice_filter(path, user.practice_id))


def _choices_for(model: type[Model], request) -> QuerySet | None:
    """What a staff member may pick in a foreign-key or many-to-many field."""
    if model is Practice:
        return scope_to_practice(Practice.objects.all(), request, "")
    if model in (User, Client) or any(f.name == "practice" for f in model._meta.fields):
        return scope_to_practice(model._default_manager.all(), request)
    return None


class PracticeScopedAdminMixin:
    """Mix into a ModelAdmin: the change list, detail pages, autocomplete results, list
    filters and foreign-key choices never show another practice's rows to practice staff.

    Also: ``list_fields`` (JSON lists of strings) are edited one item per line; a
    "therapist" field offers therapists only; a new record's practice is the staff
    member's own; date-time fields say which time zone they are in (the practice's,
    activated by ``practice.middleware.AdminLocaleMiddleware``)."""

    practice_path = "practice"
    #: JSON list fields edited as text, one item per line.
    list_fields: tuple[str, ...] = ()

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name in self.list_fields:
            return LinesField(
                required=not db_field.blank,
                label=db_field.verbose_name.capitalize(),
                help_text=gettext("One item per line."),
            )
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        if formfield is not None and isinstance(db_field, models.DateTimeField):
            zone = gettext("Time in %(zone)s.") % {"zone": timezone.get_current_timezone_name()}
            formfield.help_text = f"{formfield.help_text} {zone}".strip() if formfield.help_text else zone
        return formfield

    def get_list_display(self, request):
        display = list(super().get_list_display(request))
        # Staff see one practice only: its name in every row says nothing and pushes
        # the other columns off the screen.
        return display if request.user.is_superuser else [name for name in display if name != "practice"]

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        if request.user.practice_id and any(f.name == "practice" for f in self.model._meta.fields):
            initial.setdefault("practice", request.user.practice_id)
        return initial

    def get_queryset(self, request):
        return scope_to_practice(super().get_queryset(request), request, self.practice_path)

    def get_list_filter(self, request):
        filters = super().get_list_filter(request)
        if request.user.is_superuser:
            return filters
        # Staff only ever see their own practice: other practices' names stay hidden.
        return [spec for spec in filters if not (isinstance(spec, str) and spec.split("__")[-1] == "practice")]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if not request.user.is_superuser:
            choices = _choices_for(db_field.related_model, request)
            if choices is not None:
                kwargs["queryset"] = choices
        if db_field.related_model is User and db_field.name == "therapist":
            queryset = kwargs.get("queryset", User.objects.all())
            kwargs["queryset"] = queryset.filter(role=User.Role.THERAPIST)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if not request.user.is_superuser:
            choices = _choices_for(db_field.related_model, request)
            if choices is not None:
                kwargs["queryset"] = choices
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class PracticeScopedAdmin(PracticeScopedAdminMixin, admin.ModelAdmin):
    pass


class ReadOnlyAdminMixin:
    """Records nobody edits in the admin (audit entries, fee history, the outbox)."""

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields]

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
