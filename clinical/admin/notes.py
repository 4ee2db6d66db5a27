"""Session notes in the admin: who wrote a note about whom, when, how often it was edited
and whether it was deleted, never its content (only the author and the client's assigned
therapists read that, through the API, audited). Lists only; notes change only through
the API, and are never erased."""

from django.contrib import admin

from ..models import SessionNote, SessionNoteVersion
from .records import ClinicalMetadataAdmin


@admin.register(SessionNote)
class SessionNoteAdmin(ClinicalMetadataAdmin):
    practice_path = "practice"
    list_display = ["session_date", "client", "therapist", "version", "is_locked", "deleted_at", "created_at"]
    list_filter = [
        "practice",
        "is_locked",
        ("deleted_at", admin.EmptyFieldListFilter),
        ("session_date", admin.DateFieldListFilter),
    ]
    list_select_related = ["client", "therapist"]
    search_fields = ["client__first_name", "client__last_name", "client__email", "therapist__email"]
    autocomplete_fields = ["client", "therapist"]
    readonly_fields = ["created_at", "updated_at"]
    date_hierarchy = "session_date"
    show_full_result_count = False


@admin.register(SessionNoteVersion)
class SessionNoteVersionAdmin(ClinicalMetadataAdmin):
    practice_path = "note__practice"
    list_display = ["note", "version", "edited_by", "replaced_at"]
    list_filter = [("replaced_at", admin.DateFieldListFilter)]
    list_select_related = ["note", "edited_by"]
    search_fields = ["note__client__first_name", "note__client__last_name", "edited_by__email"]
    autocomplete_fields = ["edited_by"]
    show_full_result_count = False
