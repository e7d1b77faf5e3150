"""Full-screen panels over the slides: the help (from the key table) and the overview grid."""

from __future__ import annotations

import math
from collections.abc import Callable

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QImage, QPainter, QPen

from kiosk.controllers.bindings import GOTO_HELP, KEY_BINDINGS
from kiosk.core.player import Overlay, Player
from kiosk.slides.base import SlideView
from kiosk.slides.canvas import Canvas, main_span, seams_of
from kiosk.slides.render import render_view
from kiosk.slides.theme import SlideTheme
from kiosk.slides.typeset import ALIGN_CENTER, ALIGN_LEFT, ALIGN_MIDDLE, TextBox, fit_text
from kiosk.ui.layers import HitTarget

ThemeGetter = Callable[[], SlideTheme]
MAX_COLUMN = 1800.0  # the help table's widest column (keys and what they do), canvas px


def _dim(painter: QPainter, canvas: QRectF, theme: SlideTheme, alpha: float = 0.92) -> None:
    backdrop = QColor(theme.background)
    backdrop.setAlphaF(alpha)
    painter.fillRect(canvas, backdrop)


class HelpLayer:
    """Every key binding, in the show's language, from the same table the keyboard uses."""

    def __init__(self, player: Player, theme: ThemeGetter) -> None:
        self._player = player
        self._theme = theme

    def visible(self) -> bool:
        """Open while the Player's overlay is HELP."""
        return self._player.overlay is Overlay.HELP

    def modal(self) -> bool:
        """Takes every tap (a tap closes it)."""
        return True

    def frame_interval(self, now: float) -> int:
        """Still."""
        return 0

    def rows(self) -> list[tuple[str, str]]:
        """(keys, what they do) in the current language, in table order."""
        zh = self._player.language == "zh"
        rows = [(b.labels, b.help_zh if zh else b.help_en) for b in KEY_BINDINGS]
        rows.append((GOTO_HELP[0], GOTO_HELP[1] if zh else GOTO_HELP[2]))
        return rows

    def targets(self, canvas: QRectF) -> list[HitTarget]:
        """Anywhere closes the help."""
        return [HitTarget(canvas, "help:close", lambda: self._player.set_overlay(Overlay.NONE))]

    def paint(self, painter: QPainter, canvas: QRectF, now: float) -> None:
        """A two-column table: keys on the left, actions on the right."""
        _dim(painter, canvas, self._theme())
        for box in self.text_boxes(canvas):
            box.draw(painter)

    def text_boxes(self, canvas: QRectF) -> list[TextBox]:
        """Title, each row's keys and action, and the closing hint, laid out for `canvas`."""
        theme = self._theme()
        zh = self._player.language == "zh"
        rows = self.rows()
        landscape = canvas.width() >= canvas.height()
        margin = 96.0 if landscape else 56.0
        # One column of at most MAX_COLUMN, in the seam-free part nearest the centre: on a bar
        # display or a wall the keys stay next to what they do.
        span = main_span(canvas, margin)
        width = min(span.width(), MAX_COLUMN)
        left, right = span.center().x() - width / 2, span.center().x() + width / 2
        title = QRectF(left, margin * 0.7, width, 80)
        boxes = [fit_text("按键说明" if zh else "Keys", title, theme, size=52, bold=True)]
        top = title.bottom() + 24
        footer = 60.0
        row_height = min(64.0, (canvas.height() - top - margin - footer) / len(rows))
        split = left - margin + (width + 2 * margin) * (0.42 if landscape else 0.5)
        for number, (keys, words) in enumerate(rows):
            y = top + number * row_height
            key_rect = QRectF(left, y, split - left - 24, row_height)
            word_rect = QRectF(split, y, right - split, row_height)
            boxes.append(
                fit_text(
                    keys,
                    key_rect,
                    theme,
                    size=28,
                    bold=True,
                    color=theme.accent,
                    align=Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                    wrap=False,
                )
            )
            boxes.append(
                fit_text(
                    words,
                    word_rect,
                    theme,
                    size=28,
                    align=Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                    wrap=False,
                )
            )
        close = QRectF(left, canvas.height() - margin - footer + 16, width, footer - 16)
        boxes.append(
            fit_text(
                "轻触任意处关闭" if zh else "Tap anywhere to close",
                close,
                theme,
                size=22,
                color=theme.muted,
                align=ALIGN_CENTER,
            )
        )
        return boxes


class OverviewLayer:
    """All slides as a grid of thumbnails: tap one to go there."""

    def __init__(
        self,
        player: Player,
        theme: ThemeGetter,
        views: Callable[[], list[SlideView]],
        scale: Callable[[], float],
    ) -> None:
        self._player = player
        self._theme = theme
        self._views = views
        self._scale = scale
        self._thumbs: dict[tuple[object, ...], QImage] = {}
        player.content_changed.connect(self._thumbs.clear)

    def visible(self) -> bool:
        """Open while the Player's overlay is OVERVIEW."""
        return self._player.overlay is Overlay.OVERVIEW

    def modal(self) -> bool:
        """Takes every tap."""
        return True

    def frame_interval(self, now: float) -> int:
        """Still."""
        return 0

    def cells(self, canvas: QRectF) -> list[QRectF]:
        """The thumbnail rectangle of each slide, in reading order: the grid that makes the
        thumbnails largest, in the seam-free part of the canvas nearest its centre."""
        count = max(1, self._player.count)
        aspect = canvas.width() / canvas.height()
        margin, gap, label = 64.0, 24.0, 40.0
        top = 150.0
        span = main_span(canvas, margin)
        available = canvas.height() - top - margin
        best: tuple[float, int] = (0.0, 1)
        for columns in range(1, count + 1):
            rows = math.ceil(count / columns)
            width = (span.width() - (columns - 1) * gap) / columns
            width = min(width, (available / rows - label - gap) * aspect)
            if width > best[0] + 0.5:
                best = (width, columns)
        width, columns = best
        height = width / aspect
        left = span.center().x() - (columns * width + (columns - 1) * gap) / 2
        return [
            QRectF(
                left + (n % columns) * (width + gap),
                top + (n // columns) * (height + label + gap),
                width,
                height,
            )
            for n in range(count)
        ]

    def targets(self, canvas: QRectF) -> list[HitTarget]:
        """One target per thumbnail (with its label); a tap beside them does nothing."""
        return [
            HitTarget(cell.adjusted(0, 0, 0, 40), f"slide:{index}", self._jump(index))
            for index, cell in enumerate(self.cells(canvas))
        ]

    def _jump(self, index: int) -> Callable[[], None]:
        def jump() -> None:
            self._player.set_overlay(Overlay.NONE)
            self._player.go_to(index)

        return jump

    def _thumb(self, index: int, cell: QRectF, canvas: QRectF) -> QImage:
        scale = self._scale()
        size = QSize(max(16, round(cell.width() * scale)), max(9, round(cell.height() * scale)))
        seams = seams_of(canvas)
        key = (index, self._player.language, size.width(), size.height(), seams)
        if key not in self._thumbs:
            if len(self._thumbs) > 4 * max(1, self._player.count):
                self._thumbs.clear()
            # The stage's own canvas (seams included), so a thumbnail shows the slide's layout.
            stage_canvas = Canvas(canvas.width(), canvas.height(), seams)
            self._thumbs[key] = render_view(
                self._views()[index], size, self._player.language, canvas=stage_canvas
            )
        return self._thumbs[key]

    def paint(self, painter: QPainter, canvas: QRectF, now: float) -> None:
        """The grid; the current slide framed in the accent colour."""
        theme = self._theme()
        _dim(painter, canvas, theme, 0.96)
        zh = self._player.language == "zh"
        span = main_span(canvas, 64)
        fit_text(
            "全部幻灯片 · 轻触跳转" if zh else "All slides · tap one to go there",
            QRectF(span.left(), 48, min(span.width(), canvas.width() - 128 - 280), 72),
            theme,
            size=40,
            bold=True,
            align=ALIGN_LEFT,
        ).draw(painter)
        views = self._views()
        for index, cell in enumerate(self.cells(canvas)):
            if index >= len(views):
                break
            painter.drawImage(cell, self._thumb(index, cell, canvas))
            current = index == self._player.index
            painter.setPen(
                QPen(theme.accent if current else QColor(theme.muted), 4 if current else 1)
            )
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRect(cell)
            title = self._player.content.slides[index].title[self._player.language]
            fit_text(
                f"{index + 1} · {title}",
                QRectF(cell.left(), cell.bottom() + 4, cell.width(), 34),
                theme,
                size=20,
                min_size=12,
                color=theme.text if current else theme.muted,
                align=ALIGN_MIDDLE,
                wrap=False,
            ).draw(painter)
