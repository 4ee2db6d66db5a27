"""Scheduling. One module per area; everything is re-exported here."""

from .appointments import Appointment

__all__ = ["Appointment"]
