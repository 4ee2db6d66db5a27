"""Error codes of clinical records and sessions. Raised with the domain errors of
``practice.errors``; the values are part of the API contract."""

import enum


class ClinicalError(enum.StrEnum):
    SESSION_ALREADY_STARTED = "session_already_started"
    SESSION_NOT_IN_PROGRESS = "session_not_in_progress"
    CLIENT_NOT_ASSIGNED = "client_not_assigned"
    SESSION_NOTE_NOT_AUTHOR = "session_note_not_author"
    SESSION_NOTE_LOCKED = "session_note_locked"
