"""Error codes of clinical records and sessions. Raised with the domain errors of
``practice.errors``; the values are part of the API contract."""

import enum


class ClinicalError(enum.StrEnum):
    SESSION_ALREADY_STARTED = "session_already_started"
    SESSION_NOT_IN_PROGRESS = "session_not_in_progress"
    CLIENT_NOT_ASSIGNED = "client_not_assigned"
    SESSION_NOTE_NOT_AUTHOR = "session_note_not_author"
    SESSION_NOTE_LOCKED = "session_note_locked"
    THERAPISTS_ONLY = "therapists_only"


class SurveyError(enum.StrEnum):
    STANDARD_SURVEY_READ_ONLY = "standard_survey_read_only"
    NOT_SURVEY_AUTHOR = "not_survey_author"
    SURVEY_ARCHIVED = "survey_archived"
    SURVEY_ALREADY_ASSIGNED = "survey_already_assigned"
    ASSIGNMENT_NOT_PENDING = "assignment_not_pending"


class HomeworkError(enum.StrEnum):
    """Codes of challenges and resources and their assignments."""

    ALREADY_ASSIGNED = "already_assigned"
    NOT_ASSIGNABLE = "not_assignable"
    NOT_AUTHOR = "not_author"
    INVALID_ASSIGNMENT_TRANSITION = "invalid_assignment_transition"
