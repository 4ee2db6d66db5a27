"""Helpers the analytics reads share."""

from decimal import ROUND_HALF_UP, Decimal

_ONE_DECIMAL = Decimal("0.1")


def round_one_decimal(value: float | Decimal) -> float:
    """Half-up rounding (50.25 -> 50.3), not Python's round-half-even."""
    return float(Decimal(str(value)).quantize(_ONE_DECIMAL, rounding=ROUND_HALF_UP))
