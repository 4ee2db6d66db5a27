"""Clinical records. One module per area; everything is re-exported here."""

from .homework import AssignmentStatus, Challenge, ChallengeAssignment, Resource, ResourceAssignment
from .records import MedicalHistory, TherapyGoal
from .sessions import MoodReading, Session, SessionTemplate

__all__ = [
    "AssignmentStatus",
    "Challenge",
    "ChallengeAssignment",
    "MedicalHistory",
    "MoodReading",
    "Resource",
    "ResourceAssignment",
    "Session",
    "SessionTemplate",
    "TherapyGoal",
]
