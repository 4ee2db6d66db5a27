"""Scheduling views, one module per area (import from the module itself)."""
