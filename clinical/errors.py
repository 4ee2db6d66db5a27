"""Error codes of the clinical app (plain Python; the API turns them into the envelope)."""

import enum


class SurveyError(enum.StrEnum):
    STANDARD_SURVEY_READ_ONLY = "standard_survey_read_only"
    NOT_SURVEY_AUTHOR = "not_survey_author"
    THERAPISTS_ONLY = "therapists_only"
    SURVEY_ARCHIVED = "survey_archived"
    SURVEY_ALREADY_ASSIGNED = "survey_already_assigned"
    ASSIGNMENT_NOT_PENDING = "assignment_not_pending"
