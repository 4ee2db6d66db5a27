"""Error codes of scheduling (appointments, recurring series, no-shows), raised with the
domain errors of ``practice.errors`` (the values are part of the API contract), and the
errors that carry a record for the view to show."""

from __future__ import annotations

import enum
from typing import TYPE_CHECKING

from practice.errors import ConflictError

if TYPE_CHECKING:
    from scheduling.models import NoShowRecord


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
    AVAILABILITY_OVERLAP = "availability_overlap"
    INVOICE_ALREADY_EXISTS = "invoice_already_exists"
    INVOICE_NOT_BILLABLE = "invoice_not_billable"
    SESSION_RATE_MISSING = "session_rate_missing"
    INVALID_INVOICE_TRANSITION = "invalid_invoice_transition"


class NoShowAlreadyAppliedError(ConflictError):
    """The appointment already has its no-show record. ``record`` is that record; the view
    serialises it into the error's ``data``, exactly as the endpoint's payload shows it."""

    def __init__(self, record: NoShowRecord) -> None:
        super().__init__(
            SchedulingError.NO_SHOW_ALREADY_APPLIED, "A no-show has already been recorded for this appointment."
        )
        self.record = record
