"""Every operation of the schema has a summary, the line Swagger UI and Redoc list it by,
instead of its raw operation id: the view's own ``summary`` (extend_schema), else the
one named here, else one made from the method and the path. A test keeps every
operation covered."""

_VERBS = {"get": "Read", "post": "Create", "put": "Replace", "patch": "Update", "delete": "Delete"}

SUMMARIES = {
    "admin_therapist_photo_delete": "Remove a therapist's photo (staff)",
    "admin_therapist_photo_upload": "Upload a therapist's photo (staff)",
    "appointments_list": "List appointments",
    "appointments_create": "Book an appointment",
    "appointments_retrieve": "Read an appointment",
    "appointments_update": "Change an appointment",
    "appointments_partial_update": "Change some fields of an appointment",
    "appointments_cancel": "Cancel an appointment",
    "appointment_no_show_apply": "Record a no-show (and its fee)",
    "appointments_preparation": "Write the preparation of an appointment",
    "appointment_recurring_set": "Make an appointment recurring",
    "appointment_recurring_stop": "Stop a recurring series",
    "auth_disable_2fa": "Turn two-factor authentication off",
    "auth_login": "Sign in",
    "auth_logout": "Sign out",
    "auth_logout_delete": "Sign out (DELETE)",
    "auth_me": "The signed-in user",
    "auth_refresh_token": "Refresh the access token",
    "auth_setup_2fa": "Start setting up two-factor authentication",
    "auth_verify_2fa": "Confirm two-factor setup, or complete a two-factor sign-in",
    "challenges_list": "List challenges",
    "challenges_create": "Write a challenge",
    "challenges_delete": "Delete a challenge",
    "challenges_assign": "Assign a challenge to a client",
    "clients_list": "List clients",
    "client_emergency_contact_get": "Read a client's emergency contact",
    "client_emergency_contact_put": "Write a client's emergency contact",
    "client_medical_history_get": "Read a client's medical history",
    "client_medical_history_put": "Write a client's medical history",
    "client_outcome_scores": "A client's PHQ-9 and GAD-7 scores over time",
    "client_therapy_goals_list": "List a client's therapy goals",
    "client_therapy_goals_create": "Add a therapy goal",
    "client_therapy_goals_update": "Change a therapy goal",
    "clients_retrieve": "Read a client",
    "client_access_log": "The client's access log (NEN 7513)",
    "client_session_summary": "Session history summary of a client",
    "health": "Liveness and readiness",
    "messages_list": "List messages",
    "messages_send": "Send a message",
    "messages_mark_read": "Mark a message read",
    "messages_conversation": "The conversation with one user",
    "messages_conversations": "List conversations",
    "notifications_list": "List your notifications",
    "notifications_delete": "Remove a notification",
    "notifications_mark_read": "Mark a notification read",
    "notifications_mark_all_read": "Mark all notifications read",
    "profile_get": "Read your profile",
    "profile_update": "Update your profile",
    "profile_photo_upload": "Upload your photo",
    "profile_photo_delete": "Remove your photo",
    "profile_photo_get": "A user's photo",
    "resources_list": "List resources",
    "resources_create": "Write a resource",
    "resources_update": "Change a resource",
    "resources_delete": "Delete a resource",
    "resources_assign": "Assign a resource to a client",
    "sessions_list": "List sessions",
    "sessions_retrieve": "Read a session",
    "sessions_end": "End a session",
    "sessions_generate_invoice": "Invoice a session",
    "sessions_progress": "Write a session's progress",
    "sessions_active": "Your sessions in progress",
    "sessions_start": "Start a session",
    "surveys_list": "List surveys",
    "surveys_create": "Create a survey",
    "surveys_retrieve": "Read a survey",
    "surveys_delete": "Delete or archive a survey",
    "surveys_assign": "Assign a survey to clients",
    "surveys_responses_list": "List a survey's responses",
    "surveys_responses_create": "Enter a client's answers",
    "therapist_appointments_create": "Book an appointment (booking form)",
    "therapist_availability_get": "Read your availability",
    "therapist_availability_set": "Replace your availability",
    "therapist_clients_list": "List your clients",
    "therapist_clients_retrieve": "A client's profile",
    "therapist_notification_counts": "Your unread counts",
    "therapist_session_notes_list": "List session notes",
    "therapist_session_notes_create": "Write a session note",
    "therapist_session_notes_retrieve": "Read a session note",
    "therapist_session_notes_update": "Edit a session note",
    "therapist_session_notes_delete": "Delete a session note",
    "therapist_sessions_list": "List your sessions",
    "therapist_session_stats": "Session statistics of a therapist",
    "therapists_session_templates": "The session templates a therapist can use",
    "api_root": "The API's name, version and links",
}


def _from_path(method: str, path: str) -> str:
    words = [part for part in path.strip("/").split("/")[1:] if not part.startswith("{")]
    return f"{_VERBS.get(method, method.upper())} {' '.join(words).replace('-', ' ') or 'API'}"


def add_operation_summaries(result, generator, request, public):
    for path, operations in result.get("paths", {}).items():
        for method, operation in operations.items():
            if isinstance(operation, dict) and not operation.get("summary"):
                operation["summary"] = SUMMARIES.get(operation.get("operationId"), _from_path(method, path))
    return result
