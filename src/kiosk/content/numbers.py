"""Figures as they are written on the slides (no Qt): shared by the views, read-aloud and the
screen-reader tree, so every one of them says the same number."""

from __future__ import annotations

from decimal import Decimal


def decimals_of(value: float) -> int:
    """Digits after the point of `value` as written (1150.2 -> 1, 318 -> 0), at most 4."""
    exponent = Decimal(repr(float(value))).normalize().as_tuple().exponent
    return min(4, max(0, -exponent)) if isinstance(exponent, int) else 0


def format_number(value: float, decimals: int) -> str:
    """`value` with `decimals` digits; thousands grouped only from 10 000 on (1150.2 stays)."""
    text = f"{value:.{decimals}f}"
    if abs(value) >= 10_000:
        text = f"{value:,.{decimals}f}"
    return text
