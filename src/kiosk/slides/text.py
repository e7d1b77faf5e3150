"""A statement or closing line: large centred body, a short accent rule, an optional attribution."""

from __future__ import annotations

from dataclasses import dataclass, replace

from PySide6.QtCore import QRectF, QSizeF
from PySide6.QtGui import QPainter

from kiosk.content.model import Language, TextSlide
from kiosk.core.easing import out_cubic
from kiosk.slides.base import Frame, SlideView, content_bottom, content_top, margins
from kiosk.slides.canvas import main_span
from kiosk.slides.changes import Track, text_track, track
from kiosk.slides.typeset import TextBox, fit_statement

RULE = QSizeF(96, 4)
RISE = 20.0  # canvas px the body travels while it fades in


@dataclass(frozen=True)
class TextLayout:
    """Positions of a text slide for one canvas and language."""

    title: TextBox
    body: TextBox
    rule: QRectF | None
    attribution: TextBox | None
    source: TextBox | None


class TextSlideView(SlideView[TextSlide]):
    """One statement, large and centred, with a calm fade-and-rise entrance."""

    entrance_seconds = 1.6

    def build_layout(self, canvas: QSizeF, language: Language) -> TextLayout:
        """Body, rule and attribution stacked and centred between the title and the source."""
        portrait = canvas.height() > canvas.width()
        margin = margins(canvas)
        top = content_top(canvas) + 24
        bottom = content_bottom(canvas)  # below: the navigation and the source line
        # Centred in the seam-free part of the canvas nearest its centre (all of it on one
        # screen; the middle panel of a three-panel wall).
        span = main_span(canvas, margin)
        column = span.width() if portrait else min(1480.0, span.width())
        left = span.center().x() - column / 2
        height = bottom - top

        body = fit_statement(
            self.slide.body[language],
            QRectF(left, 0, column, height * 0.66),
            self.theme,
            size=76 if portrait else 84,
            min_size=22,  # the body role's floor: a long statement takes more lines first
            one_item_a_line=True,
        )
        attribution = None
        if self.slide.attribution is not None:
            attribution = fit_statement(
                self.slide.attribution[language],
                QRectF(left + column * 0.1, 0, column * 0.8, height * 0.2),
                self.theme,
                size=36,
                min_size=22,
                color=self.theme.muted,
            )

        body_h = body.used_rect().height()
        tail = 44 + RULE.height() + 36 + attribution.used_rect().height() if attribution else 0.0
        y = top + max(0.0, (height - body_h - tail) * 0.45)
        body = _moved(body, y)
        rule = None
        if attribution is not None:
            rule_top = y + body_h + 44
            rule = QRectF(
                span.center().x() - RULE.width() / 2, rule_top, RULE.width(), RULE.height()
            )
            attribution = _moved(attribution, rule_top + RULE.height() + 36)
        source = self.source_box(canvas, language)
        return TextLayout(self.title_box(canvas, language), body, rule, attribution, source)

    def entrance_tracks(self, layout: object) -> list[Track]:
        """The moves of `paint_content`, element by element."""
        assert isinstance(layout, TextLayout)
        found = text_track(layout.title, 0.0, 0.5)
        found += text_track(layout.body, 0.2, 1.1, dy=RISE)
        if layout.rule is not None:
            found.append(track(layout.rule, 0.7, 1.2))
        found += text_track(layout.attribution, 0.85, 1.5, dy=RISE * 0.5)
        found += text_track(layout.source, 1.0, 1.5)
        return found

    def paint_content(self, painter: QPainter, frame: Frame, layout: object) -> None:
        """Title, then the body rising softly, the rule opening from the centre, attribution."""
        assert isinstance(layout, TextLayout)
        t = frame.entrance
        layout.title.draw(painter, opacity=out_cubic(t / 0.5))
        body = out_cubic((t - 0.2) / 0.9)
        layout.body.draw(painter, opacity=body, dy=RISE * (1 - body))
        if layout.rule is not None:
            grow = out_cubic((t - 0.7) / 0.5)
            if grow > 0:
                rule = QRectF(layout.rule)
                rule.setWidth(rule.width() * grow)
                rule.moveCenter(layout.rule.center())
                painter.fillRect(rule, self.theme.accent)
        if layout.attribution is not None:
            shown = out_cubic((t - 0.85) / 0.65)
            layout.attribution.draw(painter, opacity=shown, dy=RISE * 0.5 * (1 - shown))
        if layout.source is not None:
            layout.source.draw(painter, opacity=out_cubic((t - 1.0) / 0.5))


def _moved(box: TextBox, top: float) -> TextBox:
    """`box` with its top at `top`, shrunk to the height its text uses."""
    rect = QRectF(box.rect.left(), top, box.rect.width(), box.used_rect().height() + 1)
    return replace(box, rect=rect)
