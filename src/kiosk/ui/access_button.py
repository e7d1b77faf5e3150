"""The visitors' accessibility button: always reachable (in kiosk mode too), at the top right
left of the language switch, with the universal access symbol and "无障碍 · Access" in both
languages whatever the show's language. It opens the accessibility panel (ui/access.py).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPainterPath, QPen

from kiosk.core.player import Overlay, Player
from kiosk.slides.cache import LayerCache
from kiosk.slides.theme import SlideTheme
from kiosk.slides.typeset import ALIGN_MIDDLE, fit_text
from kiosk.ui.chrome import TOP_ROW
from kiosk.ui.layers import HitTarget

ThemeGetter = Callable[[], SlideTheme]

BUTTON_LABEL = "无障碍 · Access"


def access_button_rect(canvas: QRectF) -> QRectF:
    """Where the accessibility button sits: its slot in the row of chrome buttons at the top
    right (ui/chrome.py `TOP_ROW`), left of the language switch."""
    return TOP_ROW.rect("access", canvas)


def paint_access_symbol(painter: QPainter, rect: QRectF, color: QColor) -> None:
    """The universal access symbol (ISO 7001 style): a figure with open arms in a ring."""
    side = min(rect.width(), rect.height())
    c = rect.center()
    unit = side / 24.0
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(QPen(color, 1.6 * unit))
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.drawEllipse(c, 10.8 * unit, 10.8 * unit)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(color)
    painter.drawEllipse(QPointF(c.x(), c.y() - 6.2 * unit), 1.9 * unit, 1.9 * unit)
    figure = QPainterPath()
    figure.moveTo(c.x() - 6.5 * unit, c.y() - 2.8 * unit)  # arms
    figure.lineTo(c.x() + 6.5 * unit, c.y() - 2.8 * unit)
    figure.moveTo(c.x(), c.y() - 2.6 * unit)  # body
    figure.lineTo(c.x(), c.y() + 1.8 * unit)
    figure.moveTo(c.x() - 3.6 * unit, c.y() + 7.4 * unit)  # legs
    figure.lineTo(c.x(), c.y() + 1.6 * unit)
    figure.lineTo(c.x() + 3.6 * unit, c.y() + 7.4 * unit)
    pen = QPen(color, 2.2 * unit, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap)
    pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
    painter.setPen(pen)
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.drawPath(figure)
    painter.restore()


class AccessButtonLayer:
    """The always-reachable accessibility button (in kiosk mode too)."""

    def __init__(self, player: Player, theme: ThemeGetter) -> None:
        self._player = player
        self._theme = theme
        self._cache = LayerCache()  # painted on every frame of a transition: one image copy

    def visible(self) -> bool:
        """Shown on every slide except under a blackout or the staff keypad."""
        return not self._player.blackout and self._player.overlay is not Overlay.STAFF

    def modal(self) -> bool:
        """Never takes every tap."""
        return False

    def frame_interval(self, now: float) -> int:
        """Still."""
        return 0

    def changing_area(self, canvas: QRectF, now: float) -> QRectF:
        """None of it changes by itself."""
        return QRectF()

    def targets(self, canvas: QRectF) -> list[HitTarget]:
        """The whole button opens (or closes) the panel."""
        return [
            HitTarget(
                access_button_rect(canvas),
                "access",
                lambda: self._player.toggle_overlay(Overlay.ACCESS),
            )
        ]

    def paint(self, painter: QPainter, canvas: QRectF, now: float) -> None:
        """A pill like the language switch: the symbol, then the words in both languages."""
        theme = self._theme()
        rect = access_button_rect(canvas)
        open_ = self._player.overlay is Overlay.ACCESS
        colours = tuple(c.rgba() for c in (theme.accent, theme.surface, theme.text, theme.muted))
        key = ("access", open_, colours, theme.solid, theme.family, theme.text_scale)
        self._cache.draw(
            painter,
            key,
            rect.adjusted(-2, -2, 2, 2),
            lambda target: self._paint_button(target, rect, theme, open_),
        )

    def _paint_button(
        self, painter: QPainter, rect: QRectF, theme: SlideTheme, open_: bool
    ) -> None:
        painter.save()
        backdrop = QColor(theme.accent if open_ else theme.surface)
        backdrop.setAlphaF(1.0 if theme.solid or open_ else 0.85)
        painter.setPen(QPen(QColor(theme.text if theme.solid else theme.muted), 1.5))
        painter.setBrush(backdrop)
        painter.drawRoundedRect(rect, rect.height() / 2, rect.height() / 2)
        ink = theme.background if open_ else theme.text
        symbol = QRectF(rect.left() + 10, rect.top() + 8, rect.height() - 16, rect.height() - 16)
        paint_access_symbol(painter, symbol, ink if open_ else theme.accent)
        fit_text(
            BUTTON_LABEL,
            QRectF(symbol.right() + 10, rect.top() + 4, rect.right() - symbol.right() - 28, 48),
            theme,
            size=22,
            bold=True,
            color=ink,
            align=ALIGN_MIDDLE,
            wrap=False,
        ).draw(painter)
        painter.restore()
