from django.contrib import admin
from django.db import models

from clinical.models import Challenge, ChallengeAssignment, Resource, ResourceAssignment
from practice.admin_scoping import PracticeScopedAdmin


class HomeworkContentAdmin(PracticeScopedAdmin):
    list_display = ["title", "category", "difficulty", "author", "is_public", "deleted_at", "created_at"]
    list_filter = ["is_public", "difficulty", "practice", ("deleted_at", admin.EmptyFieldListFilter)]
    list_select_related = ["author", "practice"]
    search_fields = ["title", "category", "author__email"]
    autocomplete_fields = ["practice", "author"]
    readonly_fields = ["id", "created_at", "updated_at"]


@admin.register(Challenge)
class ChallengeAdmin(HomeworkContentAdmin):
    pass


@admin.register(Resource)
class ResourceAdmin(HomeworkContentAdmin):
    list_display = ["title", "type", "category", "status", "author", "is_public", "deleted_at", "created_at"]
    list_filter = ["type", "status", "is_public", "practice", ("deleted_at", admin.EmptyFieldListFilter)]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


class AssignmentAdmin(PracticeScopedAdmin):
    """Assignments name a client: the list shows who, what and the status; the notes are
    on the change form, for users granted the clinical permissions."""

    list_filter = ["status", "practice", ("created_at", admin.DateFieldListFilter)]
    search_fields = ["client__first_name", "client__last_name", "therapist__email"]
    readonly_fields = ["id", "created_at", "updated_at", "completed_at"]
    date_hierarchy = "created_at"
    show_full_result_count = False


@admin.register(ChallengeAssignment)
class ChallengeAssignmentAdmin(AssignmentAdmin):
    list_display = ["created_at", "challenge", "client", "therapist", "status", "start_date", "due_date"]
    list_select_related = ["challenge", "client", "therapist"]
    autocomplete_fields = ["practice", "challenge", "client", "therapist", "session"]


@admin.register(ResourceAssignment)
class ResourceAssignmentAdmin(AssignmentAdmin):
    list_display = ["created_at", "resource", "client", "therapist", "status", "priority", "due_date"]
    list_select_related = ["resource", "client", "therapist"]
    autocomplete_fields = ["practice", "resource", "client", "therapist", "session"]
