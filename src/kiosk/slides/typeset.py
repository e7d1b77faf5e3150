"""Text that always fits its box: shrink step by step, wrap, and elide only as a last resort.

Every piece of slide text has a role, and each role a smallest readable size (`ROLE_MIN`,
canvas px; the canvas's short side is 1080). Text never shrinks below it: a layout that cannot
fit its text at that size must reflow (wrap, take another arrangement, move to another
column); if even that fails the text is cut with "…", `fits` says False, and tests and
`kiosk check` report it.
"""

from __future__ import annotations

import itertools
import math
import re
from collections import OrderedDict
from dataclasses import dataclass, replace

from PySide6.QtCore import QPoint, QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QImage, QPainter, QTransform

from kiosk.slides.cache import ImageStore, draw_on_device_pixels, is_plain_scale
from kiosk.slides.theme import SlideTheme, is_latin

ALIGN_LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop
ALIGN_CENTER = Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop
ALIGN_MIDDLE = Qt.AlignmentFlag.AlignCenter
SHRINK_STEP = 0.92  # each try is 8 % smaller: fast, and fine enough to look deliberate
# Text is drawn once into a sprite per scale and copied, on whole device pixels, at every
# frame. Qt's raster engine caches glyphs only up to 64 device pixels, so larger text (titles at
# 4K) is filled as outlines on every frame; smaller text is laid out again (wrapped) at every
# drawText. Offscreen at 4K, sprites for every text took an indicators slide's entrance frame
# from 13.9 to 11.3 ms on average (worst 26 -> 17) and a cards slide's from 10.0 to 7.0 ms.
SPRITE_BUDGET_BYTES = 64 * 1024 * 1024  # a title at 4K is 1-4 MB, a line of body text ~0.2
SPRITE_PAD = 6.0  # canvas px around the box for glyph overhang
_sprites = ImageStore(SPRITE_BUDGET_BYTES)

# The smallest size of each role of text, in canvas px (1 px = 1 screen px at 1080p; on a
# 55-inch 1080p panel 22 px is a 14 mm em, readable from about 4 m).
ROLE_MIN: dict[str, float] = {
    "heading": 28.0,  # slide titles, the cover's title
    "body": 22.0,  # facts, event texts, statements, captions, subtitles
    "label": 18.0,  # what a figure is: indicator and chart labels, card titles, years, chrome
    "source": 14.0,  # source lines, the year · source line under a figure
    "figure": 40.0,  # the big numbers of the indicators
}


@dataclass(frozen=True)
class TextBox:
    """A laid-out piece of text: where it goes, in which font, and whether it fits."""

    rect: QRectF
    text: str
    font: QFont
    color: QColor
    align: Qt.AlignmentFlag
    wrap: bool = True
    fits: bool = True
    role: str | None = None  # a key of ROLE_MIN: slide text always has one

    @property
    def min_size(self) -> float:
        """The smallest size this text may take (its role's)."""
        return ROLE_MIN.get(self.role or "", 0.0)

    @property
    def at_minimum(self) -> bool:
        """True when the text only fits at its role's smallest size (no room to spare)."""
        return self.role is not None and self.font.pixelSize() <= self.min_size + 0.5

    @property
    def flags(self) -> int:
        """Qt text flags for drawText and boundingRect."""
        flags = int(self.align.value)
        if self.wrap:
            flags |= int(Qt.TextFlag.TextWordWrap.value)
        return flags

    def used_rect(self) -> QRectF:
        """The rectangle the text really covers inside `rect`."""
        metrics = QFontMetricsF(self.font)
        return metrics.boundingRect(self.rect, self.flags, self.text)

    def draw(
        self, painter: QPainter, *, opacity: float = 1.0, dx: float = 0, dy: float = 0
    ) -> None:
        """Paint the text, optionally faded and offset (for entrances)."""
        if opacity <= 0.0 or not self.text:
            return
        device = painter.deviceTransform()
        if is_plain_scale(device):
            self._draw_sprite(painter, device, opacity, dx, dy)
            return
        painter.save()
        painter.setOpacity(painter.opacity() * min(1.0, opacity))
        painter.setFont(self.font)
        painter.setPen(self.color)
        painter.drawText(self.rect.translated(QPointF(dx, dy)), self.flags, self.text)
        painter.restore()

    def _draw_sprite(
        self, painter: QPainter, device: QTransform, opacity: float, dx: float, dy: float
    ) -> None:
        """Blend the text from a cached image rendered once at this scale, on whole device
        pixels (no resampling: as crisp as drawText, at most half a device pixel away)."""
        scale = device.m11()
        key = self._sprite_key(scale)
        sprite = _sprites.get(key)
        if sprite is None:
            sprite = self._render_sprite(scale)
            _sprites.put(key, sprite)
        corner = device.map(
            QPointF(self.rect.left() - SPRITE_PAD + dx, self.rect.top() - SPRITE_PAD + dy)
        )
        painter.save()
        painter.setOpacity(painter.opacity() * min(1.0, opacity))
        draw_on_device_pixels(painter, corner + QPointF(sprite.offset()), sprite)
        painter.restore()

    def warm(self, scale: float) -> bool:
        """Make the sprite this text is drawn from at `scale` device px per canvas px, ahead
        of its first frame; False when there was nothing to make."""
        if not self.text:
            return False
        key = self._sprite_key(scale)
        if _sprites.get(key) is not None:
            return False
        _sprites.put(key, self._render_sprite(scale))
        return True

    def _sprite_key(self, scale: float) -> tuple[object, ...]:
        return (
            self.text,
            self.font.key(),
            self.color.rgba(),
            self.flags,
            self.rect.width(),
            self.rect.height(),
            round(scale, 4),
        )

    def _render_sprite(self, scale: float) -> QImage:
        """The text at `scale`, cut to the part it covers (and the pad): a box is laid out
        for the longest wording and the largest size, so most of it is often empty, and
        every frame blends the whole sprite. Its offset() is where it starts, in whole device
        pixels from the padded box's corner, so each glyph lands where it would in a sprite
        of the whole box. Every bundled slide in Chinese at 1080p: 37 -> 17 MiB of sprites;
        at 4K the budget held 58 of their 121 sprites, now 119 (pixel-identical renders)."""
        used = QFontMetricsF(self.font).boundingRect(self.rect, self.flags, self.text)
        left = math.floor((used.left() - self.rect.left()) * scale)
        top = math.floor((used.top() - self.rect.top()) * scale)
        right = math.ceil((used.right() - self.rect.left() + 2 * SPRITE_PAD) * scale)
        bottom = math.ceil((used.bottom() - self.rect.top() + 2 * SPRITE_PAD) * scale)
        sprite = QImage(
            max(1, right - left), max(1, bottom - top), QImage.Format.Format_ARGB32_Premultiplied
        )
        sprite.fill(Qt.GlobalColor.transparent)
        sprite.setOffset(QPoint(left, top))
        painter = QPainter(sprite)
        painter.setRenderHints(
            QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing
        )
        painter.translate(-left, -top)
        painter.scale(scale, scale)
        painter.setFont(self.font)
        painter.setPen(self.color)
        painter.drawText(
            QRectF(SPRITE_PAD, SPRITE_PAD, self.rect.width(), self.rect.height()),
            self.flags,
            self.text,
        )
        painter.end()
        return sprite


def _fits(text: str, rect: QRectF, font: QFont, flags: int) -> bool:
    used = QFontMetricsF(font).boundingRect(rect, flags, text)
    return used.width() <= rect.width() + 0.5 and used.height() <= rect.height() + 0.5


MAX_FITTED = 2048  # remembered layouts (a few hundred labels in both languages and sizes)
_FITTED: OrderedDict[tuple[object, ...], TextBox] = OrderedDict()


def fit_text(
    text: str,
    rect: QRectF,
    theme: SlideTheme,
    *,
    size: float,
    min_size: float | None = None,
    bold: bool = False,
    color: QColor | None = None,
    align: Qt.AlignmentFlag = ALIGN_LEFT,
    wrap: bool = True,
    role: str | None = None,
) -> TextBox:
    """Lay out `text` in `rect` at `size` canvas pixels, shrinking (not below `min_size`, and
    never below the smallest size of its `role`).

    If it still does not fit at the smallest size, the text is cut with an ellipsis so that
    nothing ever paints outside its box; `fits` then says False so tests and `check` see it.
    Results are remembered (TextBox is immutable): overlays lay out the same few labels on
    every frame, and measuring them again showed in every frame's paint time
    (`kiosk show --fps`).
    """
    box_color = color if color is not None else theme.text
    if role is not None:
        floor = ROLE_MIN[role]
        min_size = max(floor, size * 0.45 if min_size is None else min_size)
        size = max(size, floor)
    key = (
        text,
        rect.getRect(),
        theme.family,
        theme.text_scale,
        size,
        min_size,
        bold,
        box_color.rgba(),
        int(align.value),
        wrap,
        role,
    )
    found = _FITTED.get(key)
    if found is not None:
        _FITTED.move_to_end(key)
        return found
    found = _fit_text(text, rect, theme, size, min_size, bold, box_color, align, wrap)
    if role is not None:
        found = replace(found, role=role)
    _FITTED[key] = found
    if len(_FITTED) > MAX_FITTED:
        _FITTED.popitem(last=False)
    return found


def _fit_text(
    text: str,
    rect: QRectF,
    theme: SlideTheme,
    size: float,
    min_size: float | None,
    bold: bool,
    box_color: QColor,
    align: Qt.AlignmentFlag,
    wrap: bool,
) -> TextBox:
    min_size = size * 0.45 if min_size is None else min_size
    latin = is_latin(text)
    current = size
    while True:
        font = theme.font(current, bold=bold, latin=latin)
        probe = TextBox(rect, text, font, box_color, align, wrap)
        if _fits(text, rect, font, probe.flags):
            return probe
        smaller = current * SHRINK_STEP
        if smaller < min_size:
            break
        current = smaller
    font = theme.font(min_size, bold=bold, latin=latin)
    return TextBox(rect, _elide(text, rect, font, align, wrap), font, box_color, align, wrap, False)


def _elide(text: str, rect: QRectF, font: QFont, align: Qt.AlignmentFlag, wrap: bool) -> str:
    flags = TextBox(rect, text, font, QColor(), align, wrap).flags
    low, high = 0, len(text)
    while low < high:  # longest prefix that fits with an ellipsis
        middle = (low + high + 1) // 2
        if _fits(text[:middle].rstrip() + "…", rect, font, flags):
            low = middle
        else:
            high = middle - 1
    return text[:low].rstrip() + "…" if low > 0 else ""


LIST_SEPARATOR = re.compile(r"\s+[·・•]\s+")
SEPARATOR = " · "
_HYPHEN_BETWEEN_LETTERS = re.compile(r"(?<=\w)-(?=\w)")


def no_break_hyphens(text: str) -> str:
    """Glue hyphenated words (a word joiner after the hyphen): "High-tech" never splits."""
    return _HYPHEN_BETWEEN_LETTERS.sub("-\u2060", text)


def fit_statement(
    text: str,
    rect: QRectF,
    theme: SlideTheme,
    *,
    size: float,
    min_size: float,
    color: QColor | None = None,
    align: Qt.AlignmentFlag = ALIGN_CENTER,
    one_item_a_line: bool = False,
    role: str = "body",
) -> TextBox:
    """`fit_text` for display lines: lists ("a · b · c") break only between their items, into
    even lines, at the largest size that fits; prose gets balanced lines (no lonely last word).

    With `one_item_a_line`, a list is set one item a line whenever that costs no size.
    """
    items = LIST_SEPARATOR.split(text.strip())
    if len(items) >= 3:
        metrics = QFontMetricsF(theme.font(size, latin=is_latin(text)))
        widths = [metrics.horizontalAdvance(item) for item in items]
        gap = metrics.horizontalAdvance(SEPARATOR)
        best: TextBox | None = None
        for count in range(1, min(len(items), 8) + 1):
            lines = [SEPARATOR.join(items[a:b]) for a, b in _even_lines(widths, gap, count)]
            box = fit_text(
                "\n".join(lines),
                rect,
                theme,
                size=size,
                min_size=min_size,
                color=color,
                align=align,
                wrap=False,
                role=role,
            )  # breaks only where we put them
            if not box.fits:
                continue
            larger = best is None or box.font.pixelSize() > best.font.pixelSize()
            listed = (
                one_item_a_line
                and count == len(items)
                and best is not None
                and box.font.pixelSize() == best.font.pixelSize()
            )
            if larger or listed:
                best = box
        if best is not None:
            return best
    return _balanced(
        fit_text(
            no_break_hyphens(text),
            rect,
            theme,
            size=size,
            min_size=min_size,
            color=color,
            align=align,
            role=role,
        )
    )


def _even_lines(widths: list[float], gap: float, count: int) -> list[tuple[int, int]]:
    """Split items into `count` consecutive lines whose widest line is as narrow as possible."""
    n = len(widths)

    def span(a: int, b: int) -> float:
        return sum(widths[a:b]) + gap * (b - a - 1)

    # best[k][i]: (widest line, cuts) for the first i items on k lines
    best: dict[tuple[int, int], tuple[float, list[int]]] = {(0, 0): (0.0, [])}
    for lines in range(1, count + 1):
        for end in range(lines, n - (count - lines) + 1):
            options = [
                (
                    max(best[(lines - 1, start)][0], span(start, end)),
                    [*best[(lines - 1, start)][1], end],
                )
                for start in range(lines - 1, end)
                if (lines - 1, start) in best
            ]
            best[(lines, end)] = min(options, key=lambda option: option[0])
    cuts = [0, *best[(count, n)][1]]
    return list(itertools.pairwise(cuts))


def _balanced(box: TextBox) -> TextBox:
    """Narrow a box to the least width that keeps its line count, so lines come out even."""
    metrics = QFontMetricsF(box.font)
    height = box.used_rect().height()

    def same_lines(width: float) -> bool:
        used = metrics.boundingRect(QRectF(0, 0, width, box.rect.height()), box.flags, box.text)
        return used.height() <= height + 0.5 and used.width() <= width + 0.5

    low, high = box.used_rect().width() * 0.5, box.rect.width()
    for _ in range(14):
        middle = (low + high) / 2
        if same_lines(middle):
            high = middle
        else:
            low = middle
    width = min(box.rect.width(), high + 2)
    left = box.rect.left()
    if box.align & Qt.AlignmentFlag.AlignHCenter:
        left = box.rect.center().x() - width / 2
    return replace(box, rect=QRectF(left, box.rect.top(), width, box.rect.height()))
