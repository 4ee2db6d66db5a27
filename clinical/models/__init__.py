"""Clinical records. One module per area; everything is re-exported here."""

from .homework import AssignmentStatus, Challenge, ChallengeAssignment, Resource, ResourceAssignment
from .notes import SessionNote, SessionNoteVersion
from .records import MedicalHistory, TherapyGoal
from .sessions import MoodReading, Session, SessionTally, SessionTemplate
from .surveys import Survey, SurveyAssignment, SurveyResponse

__all__ = [
    "AssignmentStatus",
    "Challenge",
    "ChallengeAssignment",
    "MedicalHistory",
    "MoodReading",
    "Resource",
    "ResourceAssignment",
    "Session",
    "SessionNote",
    "SessionNoteVersion",
    "SessionTally",
    "SessionTemplate",
    "Survey",
    "SurveyAssignment",
    "SurveyResponse",
    "TherapyGoal",
]
