"""How values are written as text on the wire, for the serializers and for the context
``data`` of domain errors alike (no HTTP framework here)."""

from datetime import UTC, datetime

from phonenumber_field.phonenumber import PhoneNumber


def phone_text(value: PhoneNumber | str | None) -> str:
    """A stored phone number as E.164 text (``+31612345678``), or ``""`` when there is none."""
    return str(value) if value else ""


def utc_iso(value: datetime | None) -> str | None:
    """A datetime as DRF renders it: UTC, ISO 8601, ``Z`` (``2026-03-11T08:00:00Z``)."""
    if value is None:
        return None
    return value.astimezone(UTC).isoformat().replace("+00:00", "Z")
