"""Clinical records. One module per area; everything is re-exported here."""

from .notes import SessionNote, SessionNoteVersion
from .records import MedicalHistory, TherapyGoal
from .sessions import MoodReading, Session, SessionTemplate
from .surveys import Survey, SurveyAssignment, SurveyResponse

__all__ = [
    "MedicalHistory",
    "MoodReading",
    "Session",
    "SessionNote",
    "SessionNoteVersion",
    "SessionTemplate",
    "Survey",
    "SurveyAssignment",
    "SurveyResponse",
    "TherapyGoal",
]
