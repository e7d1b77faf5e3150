"""The calm screen a kiosk shows when its content file is broken and it has no last good copy
of that file: a short line for visitors, the located problems for staff, nothing else.

It never shows another show's content. The app keeps watching the file and starts the show as
soon as a save of it loads.
"""

from __future__ import annotations

from PySide6.QtCore import QRectF, QSizeF, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent
from PySide6.QtWidgets import QWidget

from kiosk.content.model import Theme
from kiosk.slides.canvas import place
from kiosk.slides.theme import SlideTheme
from kiosk.slides.typeset import ALIGN_LEFT, fit_text

MAX_LINES = 8  # problems listed; the rest are counted ("and 3 more")
VISITOR_LINE = "展示暂停，请稍候 · The show will be back shortly"


class ProblemScreen(QWidget):
    """Paints the visitors' line and the staff's problem list on the default theme."""

    def __init__(self, font_family: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        self._theme = SlideTheme.from_content(Theme(), font_family)
        self._path = ""
        self._problems: list[str] = []

    @property
    def problems(self) -> list[str]:
        """The problem lines shown (PATH:LINE:COL: error: message)."""
        return list(self._problems)

    def show_problems(self, path: str, problems: list[str]) -> None:
        """Show these problems of the content file at `path`."""
        self._path, self._problems = path, list(problems)
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        """The visitors' line large, then the staff's explanation and the located problems."""
        theme = self._theme
        placement = place(self.width(), self.height())
        painter = QPainter(self)
        try:
            painter.setRenderHints(
                QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing
            )
            painter.fillRect(self.rect(), theme.background)
            placement.apply(painter)  # the canvas of every screen shape (slides/canvas.py)
            self._paint_text(painter, placement.canvas)
        finally:
            painter.end()

    def _paint_text(self, painter: QPainter, canvas: QSizeF) -> None:
        theme = self._theme
        margin = 96.0
        width = canvas.width() - 2 * margin
        y = canvas.height() * 0.2
        headline = fit_text(
            VISITOR_LINE, QRectF(margin, y, width, 140), theme, size=56, min_size=28, bold=True
        )
        headline.draw(painter)
        y += headline.used_rect().height() + 48
        painter.fillRect(QRectF(margin, y, 96, 4), theme.accent)
        y += 36
        staff = (
            f"工作人员：内容文件有错误，且没有它上次正确的副本。请修正后保存，展示会自动开始。\n"
            f"Staff: {self._path} has problems and no last good copy of its own. "
            "Fix and save it: the show starts by itself."
        )
        explanation = fit_text(
            staff, QRectF(margin, y, width, 130), theme, size=26, min_size=16, color=theme.muted
        )
        explanation.draw(painter)
        y += explanation.used_rect().height() + 28
        shown = self._problems[:MAX_LINES]
        if len(self._problems) > MAX_LINES:
            shown.append(f"… {len(self._problems) - MAX_LINES} more (kiosk check {self._path})")
        line_h = min(44.0, (canvas.height() - margin - y) / max(1, len(shown)))
        warm = QColor(theme.accent2)
        for line in shown:
            fit_text(
                line,
                QRectF(margin, y, width, line_h),
                theme,
                size=22,
                min_size=12,
                color=warm,
                wrap=False,
                align=ALIGN_LEFT,
            ).draw(painter)
            y += line_h
