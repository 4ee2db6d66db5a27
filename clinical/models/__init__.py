"""Clinical records. One module per area; everything is re-exported here."""

from .notes import SessionNote, SessionNoteVersion
from .records import MedicalHistory, TherapyGoal
from .sessions import MoodReading, Session, SessionTemplate

__all__ = [
    "MedicalHistory",
    "MoodReading",
    "Session",
    "SessionNote",
    "SessionNoteVersion",
    "SessionTemplate",
    "TherapyGoal",
]
