"""The look every slide view receives: colours from the content and the bundled font family."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtGui import QColor, QFont

from kiosk.content.model import Settings, Theme


@dataclass(frozen=True)
class SlideTheme:
    """Colours, font family and text size for painting slides.

    `text_scale` makes every font the theme gives larger (a visitor's larger text): the sizes
    layouts ask for, and the smallest sizes they may shrink to, alike, so layouts reflow
    around the larger text instead of fitting it back to its old size. `solid` asks for plain
    backgrounds without glows, veils or pictures behind text (the high-contrast theme).
    """

    background: QColor
    surface: QColor
    text: QColor
    muted: QColor
    accent: QColor
    accent2: QColor
    family: str
    logo: str | None = None  # media path of the show's logo (the cover shows it)
    text_scale: float = 1.0  # every font this many times its asked-for size
    solid: bool = False  # plain backgrounds: no glow, veil or picture behind text

    @classmethod
    def from_content(
        cls, theme: Theme, family: str, *, text_scale: float = 1.0, solid: bool = False
    ) -> SlideTheme:
        """Build from the content's theme settings and the registered font family."""
        return cls(
            background=QColor(theme.background),
            surface=QColor(theme.surface),
            text=QColor(theme.text),
            muted=QColor(theme.muted),
            accent=QColor(theme.accent),
            accent2=QColor(theme.accent2),
            family=family,
            logo=theme.logo,
            text_scale=text_scale,
            solid=solid,
        )

    @classmethod
    def for_show(
        cls, settings: Settings, family: str, *, text_scale: float = 1.0, high_contrast: bool
    ) -> SlideTheme:
        """The show's theme, or its high-contrast theme (solid, with the show's logo)."""
        if not high_contrast:
            return cls.from_content(settings.theme, family, text_scale=text_scale)
        colours = settings.accessibility.high_contrast_theme
        if colours.logo is None and settings.theme.logo is not None:
            colours = colours.model_copy(update={"logo": settings.theme.logo})
        return cls.from_content(colours, family, text_scale=text_scale, solid=True)

    def font(self, pixel_size: float, *, bold: bool = False, latin: bool = False) -> QFont:
        """A font of the theme family at a size in canvas pixels (times `text_scale`).

        Hinting is off so that text measured on the logical canvas keeps its proportions
        when painted scaled to 720p, 1080p or 4K. For `latin` text (no Chinese in it) the
        CJK font's full-width quotes and dashes are set proportionally ("pwid"), so English
        reads “Four New”, not “ Four New ”.
        """
        font = QFont(self.family)
        font.setPixelSize(max(1, round(pixel_size * self.text_scale)))
        font.setWeight(QFont.Weight.Bold if bold else QFont.Weight.Normal)
        font.setHintingPreference(QFont.HintingPreference.PreferNoHinting)
        font.setStyleStrategy(QFont.StyleStrategy.PreferAntialias)
        if latin:
            font.setFeature(QFont.Tag("pwid"), 1)
        return font


def is_latin(text: str) -> bool:
    """True when `text` has no CJK characters (it is set with proportional punctuation)."""
    return not any(
        "\u2e80" <= char <= "\u9fff" or "\uf900" <= char <= "\ufaff" or "\uff00" <= char <= "\uffef"
        for char in text
    )
