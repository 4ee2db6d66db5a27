"""Scheduling. One module per area; everything is re-exported here."""

from .appointments import Appointment, CompletedAppointmentTally
from .availability import Availability, AvailabilityDay, AvailabilityException, AvailabilitySlot, Weekday
from .invoices import BillingSettings, Invoice, InvoiceItem, InvoiceNumberCounter, SessionRate
from .no_show import NoShowPolicy, NoShowRecord
from .notifications import Notification
from .recurring import RecurringSeries

__all__ = [
    "Appointment",
    "Availability",
    "AvailabilityDay",
    "AvailabilityException",
    "AvailabilitySlot",
    "BillingSettings",
    "CompletedAppointmentTally",
    "Invoice",
    "InvoiceItem",
    "InvoiceNumberCounter",
    "NoShowPolicy",
    "NoShowRecord",
    "Notification",
    "RecurringSeries",
    "SessionRate",
    "Weekday",
]
