"""Shared pieces of the indicators' charts: number formatting, nice axis steps, titles."""

from __future__ import annotations

import math
from typing import Any

from PySide6.QtCore import QRectF
from PySide6.QtGui import QColor

from kiosk.content.model import Language
from kiosk.content.numbers import decimals_of as decimals_of  # shared with read-aloud
from kiosk.content.numbers import format_number as format_number
from kiosk.slides.theme import SlideTheme
from kiosk.slides.typeset import ALIGN_LEFT, TextBox, fit_text


def nice_ceiling(value: float) -> float:
    """The smallest 1, 2, 2.5 or 5 × 10^k at or above `value` (axis top when none is given)."""
    if value <= 0:
        return 1.0
    power = 10.0 ** math.floor(math.log10(value))
    for step in (1.0, 2.0, 2.5, 5.0, 10.0):
        if step * power >= value * (1 - 1e-9):
            return step * power
    return 10.0 * power


def nice_step(span: float, ticks: int = 5) -> float:
    """A round tick step giving about `ticks` intervals over `span`."""
    raw = span / ticks
    power = 10.0 ** math.floor(math.log10(raw))
    return min(
        (m * power for m in (1.0, 2.0, 2.5, 5.0, 10.0)), key=lambda step: abs(math.log(step / raw))
    )


def faint(color: QColor, alpha: float) -> QColor:
    """`color` at `alpha` opacity (tracks, grid lines)."""
    result = QColor(color)
    result.setAlphaF(alpha)
    return result


def title_box(title: Any, rect: QRectF, language: Language, theme: SlideTheme) -> TextBox | None:
    if title is None:
        return None
    return fit_text(
        title[language],
        QRectF(rect.left(), rect.top(), rect.width(), 44),
        theme,
        size=28,
        color=theme.muted,
        wrap=False,
        align=ALIGN_LEFT,
        role="label",
    )


def below(title: TextBox | None, rect: QRectF) -> float:
    return rect.top() + (64.0 if title is not None else 0.0)


# --- bars -------------------------------------------------------------------------------
