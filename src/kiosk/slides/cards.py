"""Cards that rise in turn: an icon, a title and a few key facts on each (e.g. industry peaks)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

from PySide6.QtCore import QPointF, QRectF, QSizeF, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QImage,
    QLinearGradient,
    QPainter,
    QPainterPath,
    QPen,
)

from kiosk.content.model import CardsSlide, Language
from kiosk.core.easing import out_back, out_cubic, stagger
from kiosk.slides.base import Frame, SlideView, content_bottom, margins
from kiosk.slides.cache import LayerCache
from kiosk.slides.canvas import seams_of, spread, within_span
from kiosk.slides.changes import Track, text_reach, text_track, track, united
from kiosk.slides.media import MediaLibrary, paint_placeholder
from kiosk.slides.theme import SlideTheme
from kiosk.slides.typeset import ALIGN_LEFT, ROLE_MIN, TextBox, fit_text

# (card title px, fact px), largest facts first, then the largest title that goes with them;
# all cards of a slide share one pair so they match
TYPE_SCALE = tuple(
    (title, fact)
    for fact in range(36, round(ROLE_MIN["body"]) - 1, -1)
    for title in range(min(50, round(fact * 1.45)), round(fact * 1.15) - 1, -2)
)
IMAGE_SCALE = 2.0  # icons are pre-scaled for 4K (2x the canvas); 1080p draws them halved
RISE = 70.0  # canvas px a card travels while it rises into place
RADIUS = 22.0
ROW_CARD_MIN = 480.0  # five or six cards stand in one row only when each gets this width
BESIDE_MIN = 760.0  # a card this wide (and wider than tall) puts its icon beside the text
MAX_CARD = {"above": 520.0, "beside": 1040.0, "header": math.inf}  # keep cards card-shaped
WRAP_FLAGS = int(ALIGN_LEFT.value) | int(Qt.TextFlag.TextWordWrap.value)


@dataclass(frozen=True)
class CardGeometry:
    """Spacing inside one card, and where its icon goes.

    `above`: icon over the text (cards in a row); `beside`: icon in a column left of the text
    (a stack of wide cards); `header`: a small icon left of the title, facts at full width
    below (a grid, where height is scarce).
    """

    place: Literal["above", "beside", "header"]
    pad: float
    icon: float
    icon_gap: float
    rule_space: float = 40.0  # accent rule under the card title, with air around it
    fact_gap: float = 14.0
    max_title_lines: int = 2
    max_fact_px: int = 36  # narrow cards wrap big type into ragged lines; keep it calmer there
    bullet_indent: float = 26.0

    def title_width(self, card_width: float) -> float:
        """Width of the card title."""
        inner = card_width - 2 * self.pad
        return inner if self.place == "above" else inner - self.icon - self.icon_gap

    def fact_width(self, card_width: float) -> float:
        """Width of the column the facts hang in, after the bullet."""
        inner = card_width - 2 * self.pad - self.bullet_indent
        return inner - self.icon - self.icon_gap if self.place == "beside" else inner

    def content_height(self, title_h: float, fact_hs: list[float]) -> float:
        """Height of icon, title, rule and facts together, without the padding."""
        facts_h = sum(fact_hs) + self.fact_gap * (len(fact_hs) - 1)
        if self.place == "above":
            return self.icon + self.icon_gap + title_h + self.rule_space + facts_h
        if self.place == "beside":
            return max(self.icon, title_h + self.rule_space + facts_h)
        return max(self.icon, title_h) + self.rule_space + facts_h


@dataclass(frozen=True)
class CardSizes:
    """Type sizes shared by every card of a slide, the height of each row of cards, and
    whether they fit their room at all."""

    title_px: float
    fact_px: float
    row_heights: tuple[float, ...]
    fits: bool


COMPACT = CardGeometry(
    "header",
    pad=20,
    icon=52,
    icon_gap=14,
    rule_space=22,
    fact_gap=6,
    max_fact_px=26,
    bullet_indent=22,
)
COMPACT_GAP = 24.0


@dataclass(frozen=True)
class CardLayout:
    """One card: its panel, icon, title, accent rule and facts with their bullets."""

    panel: QPainterPath
    bounds: QRectF
    icon: QRectF
    icon_image: QImage | None
    title: TextBox
    rule: QRectF
    facts: list[TextBox]
    bullets: list[QPointF]


@dataclass(frozen=True)
class CardsLayout:
    """Positions of everything on a cards slide for one canvas and language."""

    title: TextBox
    subtitle: TextBox | None
    source: TextBox | None
    cards: list[CardLayout]
    card_fill: QLinearGradient
    card_step: float


class CardsSlideView(SlideView[CardsSlide]):
    """Up to six cards rising one after another, in a row, a grid or a stack by screen shape."""

    entrance_seconds = 2.2

    def __init__(self, slide: CardsSlide, theme: SlideTheme, media: MediaLibrary) -> None:
        super().__init__(slide, theme, media)
        self._icons: dict[tuple[str, int], QImage | None] = {}
        # Each card's panel, badge, icon, title and rule, as one image per scale: filling
        # the panels' gradients and outlines every frame cost ~5 ms a frame at 4K.
        self._bodies = LayerCache()

    # --- layout --------------------------------------------------------------------------

    def build_layout(self, canvas: QSizeF, language: Language) -> CardsLayout:
        """Title, optional subtitle, the card grid and the source for this canvas."""
        margin = margins(canvas)
        title = self.title_box(canvas, language)
        top = title.used_rect().bottom()
        subtitle = None
        if self.slide.subtitle is not None:
            rect = within_span(QRectF(margin, top + 10, canvas.width() - 2 * margin, 56), canvas)
            subtitle = fit_text(
                self.slide.subtitle[language],
                rect,
                self.theme,
                size=32,
                min_size=22,
                color=self.theme.muted,
                wrap=False,
                role="body",
            )
            if not subtitle.fits:  # a narrow screen: two lines rather than a cut one
                rect.setHeight(100)
                subtitle = fit_text(
                    self.slide.subtitle[language],
                    rect,
                    self.theme,
                    size=32,
                    color=self.theme.muted,
                    role="body",
                )
            top = subtitle.used_rect().bottom()
        source = self.source_box(canvas, language)
        bottom = content_bottom(canvas)  # below: the navigation and the source line
        region = QRectF(margin, top + 48, canvas.width() - 2 * margin, bottom - top - 48)
        cards = self._layout_cards(region, canvas, language)
        fill = QLinearGradient(0, 0, 0, 1)
        fill.setCoordinateMode(QLinearGradient.CoordinateMode.ObjectMode)
        fill.setColorAt(0.0, self.theme.surface.lighter(122))
        fill.setColorAt(1.0, self.theme.surface)
        count = len(self.slide.cards)
        step = min(0.16, 0.8 / max(1, count - 1))
        return CardsLayout(title, subtitle, source, cards, fill, step)

    def _arrangements(
        self, region: QRectF, canvas: QSizeF
    ) -> list[tuple[int, int, CardGeometry, float]]:
        """(columns, rows, geometry, gap) to try, the usual one for the shape first: a row in
        landscape (a 3x2 grid for five or six cards), a stack (or 2x3) in portrait; then the
        other grids, fewest rows first. Each cell's shape picks the geometry: wide cells put
        the icon beside the text, grids of many cards a small icon in the header."""
        count = len(self.slide.cards)
        landscape = canvas.width() >= canvas.height()
        gap = 32.0 if landscape else 28.0
        grids: list[tuple[int, int]] = []
        for columns in range(count, 0, -1):
            rows = math.ceil(count / columns)
            if columns == 1 or math.ceil(count / (columns - 1)) > rows:  # no needless column
                grids.append((columns, rows))
        if landscape:
            row_w = (region.width() - (count - 1) * gap) / count
            if count > 4 and row_w < ROW_CARD_MIN:
                grids.sort(key=lambda grid: (grid != (3, 2), grid[1]))
        else:
            usual = (2, 3) if count > 4 else (1, count)
            grids.sort(key=lambda grid: (grid != usual, grid[0]))
        found = []
        for columns, rows in grids:
            width = (region.width() - (columns - 1) * gap) / columns
            height = (region.height() - (rows - 1) * gap) / rows
            found.append((columns, rows, self._geometry(columns, rows, width, height), gap))
        # Last resort for a square screen and many words: the same grids with compact cards.
        found += [(columns, rows, COMPACT, COMPACT_GAP) for columns, rows in grids if columns > 1]
        return found

    def _geometry(self, columns: int, rows: int, width: float, height: float) -> CardGeometry:
        """The inside of a card for a cell of `width`×`height` in a `columns`×`rows` grid."""
        if columns == 1:
            return CardGeometry("beside", pad=36, icon=136, icon_gap=36)
        if rows > 1 and height < width * 0.9:
            return CardGeometry(
                "header", pad=26, icon=68, icon_gap=18, rule_space=30, fact_gap=10, max_fact_px=30
            )
        if width >= BESIDE_MIN and width >= height:
            return CardGeometry("beside", pad=36, icon=136, icon_gap=36, max_fact_px=32)
        return CardGeometry(
            "above", pad=36, icon=120, icon_gap=28, max_title_lines=3, max_fact_px=30
        )

    def _layout_cards(self, region: QRectF, canvas: QSizeF, language: Language) -> list[CardLayout]:
        cards = self.slide.cards
        choice: tuple[int, CardGeometry, float, float, CardSizes, QRectF] | None = None
        for columns, rows, geometry, gap in self._arrangements(region, canvas):
            if geometry is COMPACT:
                region = QRectF(region).adjusted(0, -COMPACT_GAP, 0, 0)  # closer to the title
            width = (region.width() - (columns - 1) * gap) / columns
            width = min(width, MAX_CARD[geometry.place])  # keep cards card-shaped, centred
            if seams_of(canvas):
                width = min(width, spread(region, columns, gap, canvas)[0].width())
            room = region.height() - (rows - 1) * gap  # for the rows' cards together
            sizes = self._type_sizes(geometry, width, columns, room, language)
            # The first arrangement that fits wins (the usual one for the shape comes first);
            # if none does, the one whose facts are largest (its text is cut and reported).
            if sizes.fits or choice is None or sizes.fact_px > choice[4].fact_px:
                choice = (columns, geometry, gap, width, sizes, QRectF(region))
            if sizes.fits:
                break
        assert choice is not None
        columns, geometry, gap, width, sizes, region = choice
        heights = sizes.row_heights
        block_h = sum(heights) + (len(heights) - 1) * gap
        # A little above the centre: the eye rests there, and the title stays close.
        top = region.top() + max(0.0, (region.height() - block_h) * 0.42)
        laid: list[CardLayout] = []
        for index in range(len(cards)):
            row, column = divmod(index, columns)
            in_row = min(columns, len(cards) - row * columns)
            y = top + sum(heights[:row]) + row * gap
            if seams_of(canvas):  # every card within one panel of the wall
                cells = spread(region, in_row, gap, canvas, max_width=width)
                left = cells[column].left()
            else:
                row_w = in_row * width + (in_row - 1) * gap
                left = region.center().x() - row_w / 2 + column * (width + gap)
            bounds = QRectF(left, y, width, heights[row])
            laid.append(
                self._layout_card(index, bounds, geometry, sizes.title_px, sizes.fact_px, language)
            )
        return laid

    def _type_sizes(
        self, geometry: CardGeometry, width: float, columns: int, room: float, language: Language
    ) -> CardSizes:
        """The largest shared (title px, fact px) at which the rows of cards (each row as
        tall as its tallest card) fit in `room`, and whether they fit at all (at the body
        role's smallest size).

        Sizes where a card title takes more than `max_title_lines` are passed over while a
        smaller size still fits: a tower of huge words reads worse than a smaller title.
        """
        title_w, fact_w = geometry.title_width(width), geometry.fact_width(width)
        fallback: CardSizes | None = None
        found = CardSizes(0.0, 0.0, (0.0,), False)
        for title_px, fact_px in TYPE_SCALE:
            if fact_px > geometry.max_fact_px:
                continue
            title_font = self.theme.font(title_px, bold=True)
            fact_font = self.theme.font(fact_px)
            max_title_h = QFontMetricsF(title_font).lineSpacing() * geometry.max_title_lines + 2
            heights: list[float] = []
            too_wide, too_many_lines = False, False
            for index, card in enumerate(self.slide.cards):
                used_w, title_h = _text_size(card.title[language], title_font, title_w)
                sizes = [_text_size(fact[language], fact_font, fact_w) for fact in card.facts]
                too_wide = too_wide or used_w > title_w + 0.5
                too_wide = too_wide or any(w > fact_w + 0.5 for w, _ in sizes)
                too_many_lines = too_many_lines or title_h > max_title_h
                content_h = geometry.content_height(title_h, [h for _, h in sizes])
                if index % columns == 0:
                    heights.append(0.0)
                heights[-1] = max(heights[-1], content_h + 2 * geometry.pad)
            fits = sum(heights) <= room and not too_wide
            if not fits:  # squeezed into the room: text is cut inside its card, and reported
                heights = [room / len(heights)] * len(heights)
            found = CardSizes(title_px, fact_px, tuple(heights), fits)
            if fits:
                if not too_many_lines:
                    return found
                fallback = fallback or found
        return fallback or found

    def _layout_card(
        self,
        index: int,
        bounds: QRectF,
        geometry: CardGeometry,
        title_px: float,
        fact_px: float,
        language: Language,
    ) -> CardLayout:
        card = self.slide.cards[index]
        pad = geometry.pad
        title_w, fact_w = geometry.title_width(bounds.width()), geometry.fact_width(bounds.width())
        title_font, fact_font = self.theme.font(title_px, bold=True), self.theme.font(fact_px)
        _, title_h = _text_size(card.title[language], title_font, title_w)
        fact_hs = [_text_size(fact[language], fact_font, fact_w)[1] for fact in card.facts]
        top = bounds.top() + pad
        if geometry.place == "beside":
            # Cards in a stack share one height; centre each one's content so short ones
            # do not end in an empty band.
            spare = bounds.height() - 2 * pad - geometry.content_height(title_h, fact_hs)
            top += max(0.0, spare / 2)
        icon = QRectF(bounds.left() + pad, top, geometry.icon, geometry.icon)
        if geometry.place == "above":
            title_rect = QRectF(icon.left(), icon.bottom() + geometry.icon_gap, title_w, title_h)
        elif geometry.place == "beside":
            title_rect = QRectF(icon.right() + geometry.icon_gap, top, title_w, title_h)
        else:  # header: the title sits centred beside its small icon
            header_h = max(geometry.icon, title_h)
            icon.moveTop(top + (header_h - geometry.icon) / 2)
            title_rect = QRectF(
                icon.right() + geometry.icon_gap, top + (header_h - title_h) / 2, title_w, title_h
            )
        title = fit_text(
            card.title[language],
            title_rect,
            self.theme,
            size=title_px,
            min_size=title_px * 0.7,
            bold=True,
            role="label",
        )
        text_left = title_rect.left() if geometry.place == "beside" else bounds.left() + pad
        text_top = max(title_rect.bottom(), icon.bottom() if geometry.place == "header" else 0)
        rule = QRectF(text_left, text_top + min(14.0, (geometry.rule_space - 4) / 2), 44, 4)
        y = text_top + geometry.rule_space
        facts: list[TextBox] = []
        bullets: list[QPointF] = []
        line_h = QFontMetricsF(fact_font).height()
        limit = bounds.bottom() - pad
        for fact, height in zip(card.facts, fact_hs, strict=True):
            # Only when even the smallest type is too tall: the fact shrinks or is cut inside
            # the card (and says so through `fits`) rather than spilling out of it.
            y = min(y, limit)
            rect = QRectF(text_left + geometry.bullet_indent, y, fact_w, min(height, limit - y))
            facts.append(
                fit_text(
                    fact[language],
                    rect,
                    self.theme,
                    size=fact_px,
                    min_size=fact_px * 0.75,
                    role="body",
                )
            )
            bullets.append(QPointF(text_left + 6, y + line_h * 0.55))
            y += height + geometry.fact_gap
        panel = QPainterPath()
        panel.addRoundedRect(bounds, RADIUS, RADIUS)
        image = self._icon(card.image, icon.width())
        return CardLayout(panel, bounds, icon, image, title, rule, facts, bullets)

    def _icon(self, path: str | None, side: float) -> QImage | None:
        """The card icon scaled once for 4K, shared by every layout that needs that size."""
        if path is None:
            return None
        pixels = round(side * 0.74 * IMAGE_SCALE)
        key = (path, pixels)
        if key not in self._icons:
            source = self.media.image(path)
            self._icons[key] = (
                None
                if source is None
                else source.scaled(
                    pixels,
                    pixels,
                    Qt.AspectRatioMode.KeepAspectRatio,
                    Qt.TransformationMode.SmoothTransformation,
                )
            )
        return self._icons[key]

    # --- painting ------------------------------------------------------------------------

    def entrance_tracks(self, layout: object) -> list[Track]:
        """The moves of `paint_content`: a card and its facts are one track."""
        assert isinstance(layout, CardsLayout)
        found = text_track(layout.title, 0.0, 0.6, dy=24)
        found += text_track(layout.subtitle, 0.12, 0.72, dy=24)
        for index, card in enumerate(layout.cards):
            start = _card_start(layout, index)
            facts_end = start + 0.3 + 0.1 * max(0, len(card.facts) - 1) + 0.45
            area = united(
                [card.panel.boundingRect().adjusted(-2, -2, 2, 2)]
                + [text_reach(fact, dx=-14) for fact in card.facts]
                + [QRectF(b.x() - 19, b.y() - 5, 24, 10) for b in card.bullets]
            )
            # out_back overshoots: the card rises ~10 % of RISE past its place, then settles.
            area = area.united(area.translated(0, RISE)).united(area.translated(0, -0.2 * RISE))
            found.append(track(area, start, max(start + 0.75, facts_end)))
        found += text_track(layout.source, 1.2, 1.8)
        return found

    def paint_content(self, painter: QPainter, frame: Frame, layout: object) -> None:
        """Title and subtitle slide in, then the cards rise in turn and their facts follow."""
        assert isinstance(layout, CardsLayout)
        t = frame.entrance
        for box, delay in ((layout.title, 0.0), (layout.subtitle, 0.12)):
            if box is not None:
                p = out_cubic(stagger(t, 0, delay=delay, step=0, duration=0.6))
                box.draw(painter, opacity=p, dy=(1 - p) * 24)
        for index, card in enumerate(layout.cards):
            start = _card_start(layout, index)
            p = stagger(t, 0, delay=start, step=0, duration=0.75)
            if p <= 0.0:
                continue
            opacity = out_cubic(min(1.0, p * 1.6))
            rise = QPointF(0, (1.0 - out_back(p)) * RISE)
            self._bodies.draw(
                painter,
                ("card", index, card.title.text),
                card.panel.boundingRect().adjusted(-2, -2, 2, 2),
                lambda target, card=card: self._paint_body(target, card, layout.card_fill),
                opacity=opacity,
                offset=rise,
            )
            painter.save()
            painter.setOpacity(opacity)
            painter.translate(rise)
            self._paint_facts(painter, card, t, start + 0.3)
            painter.restore()
        if layout.source is not None:
            layout.source.draw(
                painter, opacity=out_cubic(stagger(t, 0, delay=1.2, step=0, duration=0.6))
            )

    def _paint_body(self, painter: QPainter, card: CardLayout, fill: QLinearGradient) -> None:
        """The still part of a card: panel, badge with icon, title and accent rule."""
        theme = self.theme
        painter.setPen(QPen(QColor(255, 255, 255, 22), 1.0))
        painter.setBrush(fill)  # object-mode gradient: follows each panel, built once
        painter.drawPath(card.panel)
        badge = QColor(theme.accent)
        badge.setAlphaF(0.13)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(badge)
        painter.drawEllipse(card.icon)
        if card.icon_image is not None:
            side = card.icon.width() * 0.74
            target = QRectF(0, 0, side, side)
            target.moveCenter(card.icon.center())
            painter.drawImage(target, card.icon_image)
        else:
            inset = card.icon.adjusted(10, 10, -10, -10)
            paint_placeholder(painter, inset, theme.surface, theme.accent)
        card.title.draw(painter)
        painter.fillRect(card.rule, theme.accent2)

    def _paint_facts(
        self, painter: QPainter, card: CardLayout, t: float, facts_start: float
    ) -> None:
        """The card's facts, each sliding in after the one above it."""
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(self.theme.accent)
        for index, (fact, bullet) in enumerate(zip(card.facts, card.bullets, strict=True)):
            p = out_cubic(stagger(t, index, delay=facts_start, step=0.1, duration=0.45))
            if p <= 0.0 or not fact.text:  # no bullet without its fact (`check` reports it)
                continue
            dx = (1.0 - p) * -14
            painter.save()
            painter.setOpacity(painter.opacity() * p)
            painter.drawEllipse(bullet + QPointF(dx, 0), 5.0, 5.0)
            painter.restore()
            fact.draw(painter, opacity=p, dx=dx)


def _card_start(layout: CardsLayout, index: int) -> float:
    """Seconds into the entrance when card `index` begins to rise."""
    return 0.3 + index * layout.card_step


def _text_size(text: str, font: QFont, width: float) -> tuple[float, float]:
    """Width and height `text` takes when wrapped to `width` (rounded up, as drawn)."""
    used = QFontMetricsF(font).boundingRect(QRectF(0, 0, width, 1e6), WRAP_FLAGS, text)
    return used.width(), math.ceil(used.height()) + 1.0
