"""Scheduling. One module per area; everything is re-exported here."""

from .appointments import Appointment
from .no_show import NoShowPolicy, NoShowRecord
from .notifications import Notification
from .recurring import RecurringSeries

__all__ = ["Appointment", "NoShowPolicy", "NoShowRecord", "Notification", "RecurringSeries"]
