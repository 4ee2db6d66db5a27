"""Clinical records. One module per area; everything is re-exported here."""

from .records import MedicalHistory, TherapyGoal
from .sessions import MoodReading, Session, SessionTemplate

__all__ = ["MedicalHistory", "MoodReading", "Session", "SessionTemplate", "TherapyGoal"]
