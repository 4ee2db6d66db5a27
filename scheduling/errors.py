"""Error codes of scheduling (appointments, recurring series, no-shows). Raised with the
domain errors of ``practice.errors``; the values are part of the API contract."""

import enum


class SchedulingError(enum.StrEnum):
    INVALID_STATUS_TRANSITION = "invalid_status_transition"
    APPOINTMENT_OVERLAP = "appointment_overlap"
    APPOINTMENT_NOT_EDITABLE = "appointment_not_editable"
    APPOINTMENT_NOT_UPCOMING = "appointment_not_upcoming"
    APPOINTMENT_CANCELLED = "appointment_cancelled"
    APPOINTMENT_IN_OTHER_SERIES = "appointment_in_other_series"
    SERIES_EXISTS = "series_exists"
    SERIES_STOPPED = "series_stopped"
    SERIES_NOT_FOUND = "series_not_found"
    NO_SHOW_ALREADY_APPLIED = "no_show_already_applied"
    NO_SHOW_NOT_ALLOWED = "no_show_not_allowed"
    NO_SHOW_TOO_EARLY = "no_show_too_early"
