"""Surveys in the admin. Questionnaires themselves are not health data: staff may look at
them, but not change them (a survey's questions never change once it exists, so its
answers keep matching; therapists create and delete through the API). Assignments and
responses are the client's clinical record: a list of who, when and which survey, never
the answers or scores (the assigned therapists read those through the audited API)."""

from django.contrib import admin

from practice.admin_scoping import PracticeScopedAdmin, ReadOnlyAdminMixin

from ..models import Survey, SurveyAssignment, SurveyResponse
from .records import ClinicalMetadataAdmin


@admin.register(Survey)
class SurveyAdmin(ReadOnlyAdminMixin, PracticeScopedAdmin):
    list_display = ["title", "type", "status", "is_standard", "is_practice_wide", "created_by", "created_at"]
    list_filter = ["is_standard", "type", "status", "is_practice_wide", "practice"]
    list_select_related = ["created_by"]
    search_fields = ["title", "created_by__email"]
    show_full_result_count = False


class ClientSurveyMetadataAdmin(ClinicalMetadataAdmin):
    practice_path = "practice"
    search_fields = ["client__first_name", "client__last_name", "client__email", "survey__title"]
    show_full_result_count = False


@admin.register(SurveyAssignment)
class SurveyAssignmentAdmin(ClientSurveyMetadataAdmin):
    list_display = ["survey", "client", "assigned_by", "status", "due_date", "created_at", "completed_at"]
    list_filter = ["status", "practice", ("created_at", admin.DateFieldListFilter)]
    list_select_related = ["survey", "client", "assigned_by"]


@admin.register(SurveyResponse)
class SurveyResponseAdmin(ClientSurveyMetadataAdmin):
    list_display = ["survey", "client", "entered_by", "submitted_at"]
    list_filter = ["practice", ("submitted_at", admin.DateFieldListFilter)]
    list_select_related = ["survey", "client", "entered_by"]
