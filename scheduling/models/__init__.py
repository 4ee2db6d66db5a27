"""Scheduling. One module per area; everything is re-exported here."""
