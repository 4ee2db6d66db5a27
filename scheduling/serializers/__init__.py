"""Scheduling serializers, one module per area (import from the module itself)."""
