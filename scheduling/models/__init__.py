"""Scheduling. One module per area; everything is re-exported here."""

from .appointments import Appointment
from .recurring import RecurringSeries

__all__ = ["Appointment", "RecurringSeries"]
