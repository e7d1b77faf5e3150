"""What visitors can touch on every slide: chapters and progress dots, the language switch,
and the countdown before the show returns to its start.

The top right of every canvas is a row of chrome buttons (`TOP_ROW`), laid out right to left
from the canvas's right edge: the language switch first. A new button (say, the visitors'
accessibility button) adds its slot to `TOP_ROW` and asks `TOP_ROW.rect(name, canvas)` for
its place; the slide titles already start below the row, the "touch to explore" hint moves to
the left of the whole row, and the row keeps off a wall's bezel seams.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, replace

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPen

from kiosk.core.player import Mode, Player
from kiosk.slides.base import nav_rect
from kiosk.slides.cache import LayerCache
from kiosk.slides.canvas import (
    TOP_RIGHT_RESERVED,
    clear_of_seams,
    main_span,
    stacked_bottom,
)
from kiosk.slides.theme import SlideTheme
from kiosk.slides.typeset import ALIGN_MIDDLE, TextBox, fit_text
from kiosk.ui.layers import MIN_TARGET, HitTarget

ThemeGetter = Callable[[], SlideTheme]
DOT = 12.0
DWELL_TICK_MS = 100  # the autoplay line moves slowly: 10 updates a second are plenty


@dataclass(frozen=True)
class ButtonRow:
    """The row of chrome buttons at the top right, laid out right to left (first slot
    rightmost), each at least 48 canvas px high; titles start below it (`TOP_RIGHT_RESERVED`)."""

    slots: tuple[tuple[str, float], ...]  # (name, width in canvas px), right to left
    height: float = 56.0
    top: float = 14.0
    right_margin: float = 40.0
    gap: float = 16.0

    def with_slot(self, name: str, width: float) -> ButtonRow:
        """This row with one more button to the left of the others."""
        return replace(self, slots=(*self.slots, (name, width)))

    def rect(self, name: str, canvas: QRectF) -> QRectF:
        """Where button `name` sits on `canvas`."""
        right = self.row_rect(canvas).right()
        for slot, width in self.slots:
            if slot == name:
                return QRectF(right - width, self.top, width, self.height)
            right -= width + self.gap
        raise KeyError(f"no chrome button {name!r}; the row has {[s for s, _ in self.slots]}")

    def row_rect(self, canvas: QRectF) -> QRectF:
        """The whole row, kept clear of bezel seams."""
        width = sum(w for _, w in self.slots) + self.gap * (len(self.slots) - 1)
        rect = QRectF(canvas.right() - self.right_margin - width, self.top, width, self.height)
        return clear_of_seams(rect, canvas)


# Right to left: the language switch, then the visitors' accessibility button (access_button.py).
TOP_ROW = ButtonRow((("language", 200.0), ("access", 236.0)))
assert TOP_ROW.top + TOP_ROW.height <= TOP_RIGHT_RESERVED.height()


class NavigationLayer:
    """Chapter labels over a row of progress dots (48 px apart); both jump when tapped."""

    def __init__(self, player: Player, theme: ThemeGetter, clock: Callable[[], float]) -> None:
        self._player = player
        self._theme = theme
        self._clock = clock
        self._dwell_start = 0.0
        self._dwell_seconds = 0.0
        self._cache = LayerCache()  # overlays are painted on every frame of a transition
        player.dwell_started.connect(self._on_player_dwell_started)
        player.position_changed.connect(self._on_player_stopped_dwell)
        player.mode_changed.connect(self._on_player_stopped_dwell)

    def _on_player_dwell_started(self, seconds: float) -> None:
        self._dwell_start, self._dwell_seconds = self._clock(), seconds

    def _on_player_stopped_dwell(self, *_args: object) -> None:
        if self._player.dwell_remaining_ms() < 0:
            self._dwell_seconds = 0.0

    def dwell_fraction(self, now: float) -> float | None:
        """How much of the current slide's autoplay time has passed, or None."""
        if self._dwell_seconds <= 0 or self._player.mode is not Mode.ATTRACT:
            return None
        progress = self._player.slot_progress()
        if progress is not None:  # on the common timeline: as far as every other screen
            index = self._player.index
            dwell = self._player.dwell_seconds(index)
            into = progress - self._player.lead_in_seconds(index)
            return min(1.0, max(0.0, into / dwell)) if dwell > 0 else None
        return min(1.0, max(0.0, (now - self._dwell_start) / self._dwell_seconds))

    def chapters(self) -> list[tuple[int, int]]:
        """(first, last) slide index of each chapter."""
        slides = self._player.content.slides
        starts = [index for index, slide in enumerate(slides) if slide.chapter is not None]
        return [
            (start, (starts[n + 1] - 1) if n + 1 < len(starts) else len(slides) - 1)
            for n, start in enumerate(starts)
        ]

    def groups(self) -> list[tuple[int, int]]:
        """(first, last) of each group of dots: the slides before the first chapter (the
        cover) make a group of their own, then one per chapter."""
        chapters = self.chapters()
        if not chapters:
            return [(0, self._player.count - 1)]
        if chapters[0][0] > 0:
            return [(0, chapters[0][0] - 1), *chapters]
        return chapters

    def plan(self, canvas: QRectF) -> NavPlan:
        """Where each dot and chapter label goes, every one at least MIN_TARGET wide.

        All dots fit in a row up to NAV_WIDTH / MIN_TARGET slides (14). A longer show groups
        its dots by chapter: a label per chapter, and dots for the current chapter's slides
        only (a window of them around the current slide in a very long chapter).
        """
        area = nav_rect(canvas)
        count = max(1, self._player.count)
        fits = max(1, int(area.width() // MIN_TARGET))
        centred = stacked_bottom(canvas)
        label_h = area.height() - MIN_TARGET
        if count <= fits:
            left = area.right() - MIN_TARGET * count
            if centred:
                left = area.left() + (area.width() - MIN_TARGET * count) / 2
            dots = [(i, QRectF(left + i * MIN_TARGET, 0, MIN_TARGET, 0)) for i in range(count)]
            labels = [
                (
                    first,
                    last,
                    QRectF(
                        left + first * MIN_TARGET,
                        area.top(),
                        (last - first + 1) * MIN_TARGET,
                        label_h,
                    ),
                )
                for first, last in self.chapters()
            ]
            return NavPlan(area, _placed_dots(dots, area), labels, grouped=False)
        index = self._player.index
        groups = self.groups()
        current = next(n for n, (first, last) in enumerate(groups) if first <= index <= last)
        shown = _window(len(groups), current, fits)
        width = area.width() / len(shown)
        labels = [
            (
                groups[n][0],
                groups[n][1],
                QRectF(area.left() + k * width, area.top(), width, label_h),
            )
            for k, n in enumerate(shown)
        ]
        first, last = groups[current]
        members = list(range(first, last + 1))
        window = [members[k] for k in _window(len(members), index - first, fits)]
        left = area.right() - MIN_TARGET * len(window)
        if centred:
            left = area.left() + (area.width() - MIN_TARGET * len(window)) / 2
        dots = [
            (slide, QRectF(left + k * MIN_TARGET, 0, MIN_TARGET, 0))
            for k, slide in enumerate(window)
        ]
        return NavPlan(area, _placed_dots(dots, area), labels, grouped=True)

    # --- Layer -----------------------------------------------------------------------------

    def visible(self) -> bool:
        """Shown whenever there is more than one slide."""
        return self._player.count > 1 and not self._player.blackout

    def modal(self) -> bool:
        """Taps elsewhere still reach the slide."""
        return False

    def frame_interval(self, now: float) -> int:
        """Slow ticks while the autoplay line fills."""
        return DWELL_TICK_MS if self.dwell_fraction(now) is not None else 0

    def changing_area(self, canvas: QRectF, now: float) -> QRectF:
        """The autoplay line while it fills (labels and dots change with the slide)."""
        if self.dwell_fraction(now) is None:
            return QRectF()
        plan = self.plan(canvas)
        if not plan.dots:
            return QRectF()
        y = plan.area.bottom() - 6
        left, right = plan.dots[0][1].center().x(), plan.dots[-1][1].center().x()
        return QRectF(left - 4, y - 4, right - left + 8, 8)

    def targets(self, canvas: QRectF) -> list[HitTarget]:
        """A target per dot shown and per chapter label."""
        plan = self.plan(canvas)
        found = [HitTarget(rect, f"dot:{index}", self._go_to(index)) for index, rect in plan.dots]
        found += [
            HitTarget(rect, f"chapter:{first}", self._go_to(first))
            for first, _last, rect in plan.labels
        ]
        return found

    def _go_to(self, index: int) -> Callable[[], None]:
        return lambda: self._player.go_to(index)

    def paint(self, painter: QPainter, canvas: QRectF, now: float) -> None:
        """Chapter labels and dots from a cached image (they change only with the slide or
        the language), then the autoplay line, live."""
        theme = self._theme()
        plan = self.plan(canvas)
        key = (
            "nav",
            self._player.index,
            self._player.language,
            self._player.count,
            tuple(self.chapters()),
            theme.accent.rgba(),
            theme.muted.rgba(),
            theme.family,
            theme.text_scale,
        )
        self._cache.draw(
            painter,
            key,
            plan.area.adjusted(-2, -2, 2, 2),
            lambda target: self._paint_still(target, canvas),
        )
        fraction = self.dwell_fraction(now)
        if fraction is not None and plan.dots:
            faint = QColor(theme.muted)
            faint.setAlphaF(0.45)
            y = plan.area.bottom() - 6
            start = plan.dots[0][1].center().x()
            end = plan.dots[-1][1].center().x()
            painter.save()
            painter.setPen(QPen(faint, 2))
            painter.drawLine(QPointF(start, y), QPointF(end, y))
            painter.setPen(QPen(theme.accent, 2))
            painter.drawLine(QPointF(start, y), QPointF(start + (end - start) * fraction, y))
            painter.restore()

    def label_boxes(self, canvas: QRectF) -> list[tuple[QRectF, bool, TextBox]]:
        """Each chapter's (tap area, current, label), laid out to fit (tests read it too)."""
        theme = self._theme()
        index = self._player.index
        language = self._player.language
        muted = QColor(theme.muted)
        slides = self._player.content.slides
        found = []
        for first, last, rect in self.plan(canvas).labels:
            current = first <= index <= last
            chapter = slides[first].chapter  # the cover's group is named by its title
            label = chapter[language] if chapter is not None else slides[first].title[language]
            for scale in (theme.text_scale, 1.0):  # larger text, unless it would be cut
                box = fit_text(
                    label,
                    rect.adjusted(4, 6, -4, -10),
                    replace(theme, text_scale=scale),
                    size=18,
                    bold=current,
                    color=theme.accent if current else muted,
                    align=ALIGN_MIDDLE,
                    wrap=False,
                    role="label",
                )
                if box.fits:
                    break
            found.append((rect, current, box))
        return found

    def _paint_still(self, painter: QPainter, canvas: QRectF) -> None:
        """Chapter labels and dots (the current one long)."""
        theme = self._theme()
        index = self._player.index
        faint = QColor(theme.muted)
        faint.setAlphaF(0.45)
        painter.save()
        for rect, current, box in self.label_boxes(canvas):
            box.draw(painter)
            painter.setPen(QPen(theme.accent if current else faint, 2))
            painter.drawLine(
                QPointF(rect.left() + 8, rect.bottom() - 3),
                QPointF(rect.right() - 8, rect.bottom() - 3),
            )
        painter.setPen(Qt.PenStyle.NoPen)
        for dot, rect in self.plan(canvas).dots:
            centre = rect.center()
            if dot == index:
                painter.setBrush(theme.accent)
                painter.drawRoundedRect(
                    QRectF(centre.x() - DOT * 1.2, centre.y() - DOT / 2, DOT * 2.4, DOT),
                    DOT / 2,
                    DOT / 2,
                )
            else:
                painter.setBrush(faint)
                painter.drawEllipse(centre, DOT / 2.6, DOT / 2.6)
        painter.restore()


@dataclass(frozen=True)
class NavPlan:
    """Where the navigation's targets are: dots (slide index, rect) and chapter labels
    (first, last, rect), in canvas px; `grouped` when only the current chapter's dots show."""

    area: QRectF
    dots: list[tuple[int, QRectF]]
    labels: list[tuple[int, int, QRectF]]
    grouped: bool


def _placed_dots(dots: list[tuple[int, QRectF]], area: QRectF) -> list[tuple[int, QRectF]]:
    """The dots' targets on the bottom row of the navigation, MIN_TARGET high."""
    top = area.bottom() - MIN_TARGET
    return [(i, QRectF(rect.left(), top, rect.width(), MIN_TARGET)) for i, rect in dots]


def _window(total: int, current: int, size: int) -> list[int]:
    """`size` consecutive positions of `total`, with `current` among them (near the middle)."""
    if total <= size:
        return list(range(total))
    start = min(max(0, current - size // 2), total - size)
    return list(range(start, start + size))


class LanguageLayer:
    """The 中文 | EN switch at the top right, and a "touch to explore" hint in attract mode."""

    HINT_WIDTH = 380.0

    def __init__(self, player: Player, theme: ThemeGetter, row: ButtonRow = TOP_ROW) -> None:
        self._player = player
        self._theme = theme
        self._row = row
        self._cache = LayerCache()

    def switch_rect(self, canvas: QRectF) -> QRectF:
        """Where the switch sits: its slot in the row of chrome buttons."""
        return self._row.rect("language", canvas)

    def hint_rect(self, canvas: QRectF) -> QRectF:
        """Where the "touch to explore" hint sits: left of the whole row of buttons."""
        row = self._row.row_rect(canvas)
        hint = QRectF(row.left() - 24 - self.HINT_WIDTH, row.top(), self.HINT_WIDTH, row.height())
        return clear_of_seams(hint, canvas)

    def visible(self) -> bool:
        """Shown when the content offers two languages."""
        return len(self._player.content.settings.languages) > 1 and not self._player.blackout

    def modal(self) -> bool:
        """Never takes every tap."""
        return False

    def frame_interval(self, now: float) -> int:
        """Still."""
        return 0

    def changing_area(self, canvas: QRectF, now: float) -> QRectF:
        """The hint, which pulses in attract mode (the switch changes with the language)."""
        if self._player.mode is Mode.ATTRACT:
            return self.hint_rect(canvas).adjusted(-2, -2, 2, 2)
        return QRectF()

    def targets(self, canvas: QRectF) -> list[HitTarget]:
        """The whole switch toggles the language."""
        return [HitTarget(self.switch_rect(canvas), "language", self._player.toggle_language)]

    def paint(self, painter: QPainter, canvas: QRectF, now: float) -> None:
        """The switch and (in attract mode) the softly pulsing hint, from cached images."""
        theme = self._theme()
        rect = self.switch_rect(canvas)
        language = self._player.language
        colours = (
            theme.accent.rgba(),
            theme.surface.rgba(),
            theme.text.rgba(),
            theme.family,
            theme.text_scale,
        )
        self._cache.draw(
            painter,
            ("switch", language, colours),
            rect.adjusted(-2, -2, 2, 2),
            lambda target: self._paint_switch(target, rect),
        )
        if self._player.mode is Mode.ATTRACT:
            hint = self.hint_rect(canvas)
            # On the wall clock: every screen of a hall pulses together (sync or not); still
            # for a visitor who paused the show or reduced motion.
            still = self._player.paused or self._player.reduce_motion
            pulse = 0.7 if still else 0.55 + 0.25 * math.sin(self._player.wall_time() * 1.5)
            self._cache.draw(
                painter,
                ("hint", language, colours),
                hint,
                lambda target: self._paint_hint(target, hint),
                opacity=pulse,
            )

    def _paint_switch(self, painter: QPainter, rect: QRectF) -> None:
        """Two halves; the current language filled with the accent colour."""
        theme = self._theme()
        painter.save()
        backdrop = QColor(theme.surface)
        backdrop.setAlphaF(0.85)
        painter.setPen(QPen(QColor(theme.muted), 1.5))
        painter.setBrush(backdrop)
        radius = rect.height() / 2
        painter.drawRoundedRect(rect, radius, radius)
        for number, (language, label) in enumerate((("zh", "中文"), ("en", "EN"))):
            half = QRectF(
                rect.left() + number * rect.width() / 2, rect.top(), rect.width() / 2, rect.height()
            ).adjusted(5, 5, -5, -5)
            current = language == self._player.language
            if current:
                painter.setPen(Qt.PenStyle.NoPen)
                painter.setBrush(theme.accent)
                painter.drawRoundedRect(half, half.height() / 2, half.height() / 2)
            fit_text(
                label,
                half,
                theme,
                size=22,
                bold=current,
                color=theme.background if current else theme.text,
                align=ALIGN_MIDDLE,
                wrap=False,
            ).draw(painter)
        painter.restore()

    def _paint_hint(self, painter: QPainter, hint: QRectF) -> None:
        """The invitation to touch, in the show's language."""
        text = "轻触屏幕 开始探索" if self._player.language == "zh" else "Touch to explore"
        fit_text(
            text,
            hint,
            self._theme(),
            size=22,
            color=self._theme().text,
            wrap=False,
            align=Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
        ).draw(painter)


class CountdownLayer:
    """A calm notice before an idle show returns to its start: tapping anywhere keeps it."""

    def __init__(self, player: Player, theme: ThemeGetter) -> None:
        self._player = player
        self._theme = theme

    def visible(self) -> bool:
        """Shown while the idle countdown runs."""
        return self._player.idle_countdown >= 0

    def modal(self) -> bool:
        """Any tap is user input, which already stops the countdown."""
        return False

    def frame_interval(self, now: float) -> int:
        """Repainted when the Player's countdown changes."""
        return 0

    def changing_area(self, canvas: QRectF, now: float) -> QRectF:
        """Nothing by itself: a new count asks for a whole frame."""
        return QRectF()

    def targets(self, canvas: QRectF) -> list[HitTarget]:
        """None: a tap anywhere counts as input."""
        return []

    def paint(self, painter: QPainter, canvas: QRectF, now: float) -> None:
        """A pill above the navigation with the seconds left, in both languages (the show's
        first): a visitor who reads only the other one still knows one tap keeps them."""
        theme = self._theme()
        seconds = self._player.idle_countdown
        words = {
            "zh": f"{seconds} 秒后返回首页 · 轻触屏幕继续浏览",
            "en": f"Returning to the start in {seconds} s · touch to stay",
        }
        first = self._player.language
        second = "en" if first == "zh" else "zh"
        span = main_span(canvas, 40)
        width = min(820.0, span.width())
        rect = QRectF(span.center().x() - width / 2, canvas.height() * 0.42, width, 124)
        painter.save()
        backdrop = QColor(theme.background)  # opaque: nothing of the slide shows through
        painter.setPen(QPen(theme.accent, 2))
        painter.setBrush(backdrop)
        painter.drawRoundedRect(rect, 42, 42)
        inner = rect.adjusted(32, 10, -32, -10)
        fit_text(
            words[first],
            QRectF(inner.left(), inner.top(), inner.width(), inner.height() * 0.58),
            theme,
            size=30,
            bold=True,
            color=theme.text,
            align=ALIGN_MIDDLE,
            wrap=False,
        ).draw(painter)
        fit_text(
            words[second],
            QRectF(
                inner.left(),
                inner.top() + inner.height() * 0.58,
                inner.width(),
                inner.height() * 0.42,
            ),
            theme,
            size=24,
            color=theme.muted,
            align=ALIGN_MIDDLE,
            wrap=False,
        ).draw(painter)
        painter.restore()
