"""Error codes of clinical records and sessions. Raised with the domain errors of
``practice.errors``; the values are part of the API contract."""

import enum


class ClinicalError(enum.StrEnum):
    SESSION_ALREADY_STARTED = "session_already_started"
    SESSION_NOT_IN_PROGRESS = "session_not_in_progress"
    CLIENT_NOT_ASSIGNED = "client_not_assigned"


class HomeworkError(enum.StrEnum):
    """Codes of challenges and resources and their assignments."""

    ALREADY_ASSIGNED = "already_assigned"
    NOT_ASSIGNABLE = "not_assignable"
    NOT_AUTHOR = "not_author"
    THERAPISTS_ONLY = "therapists_only"
    INVALID_ASSIGNMENT_TRANSITION = "invalid_assignment_transition"
