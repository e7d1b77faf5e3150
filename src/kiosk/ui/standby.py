"""The standby screen: black, or a dim clock or the logo drifting slowly, so that no pixel of
the panel shows the same thing for hours (`settings.standby.screen`).

It covers the slides (the stage paints black under it in standby) and takes every tap: what a
touch does in standby is the Player's decision (`standby.touch_wakes`).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import datetime

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QImage, QPainter

from kiosk.core.player import Player
from kiosk.slides.media import paint_image_contain
from kiosk.slides.theme import SlideTheme
from kiosk.ui.layers import HitTarget

ThemeGetter = Callable[[], SlideTheme]
LogoGetter = Callable[[str], QImage | None]
CLOCK_FRAME_MS = 1000  # the clock moves about 2 canvas px a second: a frame a second is plenty
LOGO_FRAME_MS = 2000
DRIFT_PERIODS_S = (1789.0, 1213.0)  # across and down: the path repeats after many hours
DIM = 0.32  # opacity of the clock or logo: readable in a dark hall, gentle on the panel


def drift(canvas: QRectF, size: tuple[float, float], wall: float) -> QPointF:
    """Top left of a `size` box that wanders slowly over the canvas, as a function of UTC
    time (every screen of the hall draws it in the same place)."""
    width, height = size
    free_x, free_y = max(0.0, canvas.width() - width), max(0.0, canvas.height() - height)
    across = (math.sin(2 * math.pi * wall / DRIFT_PERIODS_S[0]) + 1) / 2
    down = (math.sin(2 * math.pi * wall / DRIFT_PERIODS_S[1] + 1.0) + 1) / 2
    return QPointF(canvas.left() + free_x * across, canvas.top() + free_y * down)


class StandbyLayer:
    """Black, a dim clock or the dim logo, drifting; shown while the Player is in standby."""

    def __init__(self, player: Player, theme: ThemeGetter, logo: LogoGetter) -> None:
        self._player = player
        self._theme = theme
        self._logo = logo

    def _screen(self) -> str:
        screen: str = self._player.full_content.settings.standby.screen
        return screen

    def visible(self) -> bool:
        """Shown in standby only."""
        return self._player.standby

    def modal(self) -> bool:
        """Nothing under it takes a tap."""
        return True

    def frame_interval(self, now: float) -> int:
        """Still when black; a slow tick for the clock and the logo."""
        screen = self._screen()
        return {"clock": CLOCK_FRAME_MS, "logo": LOGO_FRAME_MS}.get(screen, 0)

    def targets(self, canvas: QRectF) -> list[HitTarget]:
        """None: a tap anywhere is input, and the Player decides what it does."""
        return []

    def paint(self, painter: QPainter, canvas: QRectF, now: float) -> None:
        """Black, and the clock or the logo where the drift has it now."""
        painter.fillRect(canvas, Qt.GlobalColor.black)
        screen = self._screen()
        wall = self._player.wall_time()
        if screen == "clock":
            self._paint_clock(painter, canvas, wall)
        elif screen == "logo":
            self._paint_logo(painter, canvas, wall)

    def clock_text(self) -> str:
        """HH:MM in the hall's zone (what the clock shows)."""
        local = datetime.fromtimestamp(self._player.wall_time(), self._player.calendar.zone)
        return f"{local:%H:%M}"

    def _paint_clock(self, painter: QPainter, canvas: QRectF, wall: float) -> None:
        theme = self._theme()
        size = canvas.height() * 0.12
        font = theme.font(size, latin=True)
        painter.setFont(font)
        text = self.clock_text()
        box = painter.fontMetrics().boundingRect(text)
        where = drift(canvas, (box.width() + 8, box.height()), wall)
        color = QColor(theme.muted)
        color.setAlphaF(DIM)
        painter.setPen(color)
        painter.drawText(
            QRectF(where.x(), where.y(), box.width() + 8, box.height()),
            Qt.AlignmentFlag.AlignCenter,
            text,
        )

    def _paint_logo(self, painter: QPainter, canvas: QRectF, wall: float) -> None:
        logo = self._theme().logo
        image = self._logo(logo) if logo else None
        if image is None or image.isNull():
            return
        side = canvas.height() * 0.22
        ratio = image.width() / max(1, image.height())
        size = (side * ratio, side)
        where = drift(canvas, size, wall)
        painter.setOpacity(DIM)
        paint_image_contain(painter, image, QRectF(where.x(), where.y(), *size))
        painter.setOpacity(1.0)
