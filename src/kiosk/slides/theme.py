"""The look every slide view receives: colours from the content and the bundled font family."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtGui import QColor, QFont

from kiosk.content.model import Theme


@dataclass(frozen=True)
class SlideTheme:
    """Colours and font family for painting slides."""

    background: QColor
    surface: QColor
    text: QColor
    muted: QColor
    accent: QColor
    accent2: QColor
    family: str
    logo: str | None = None  # media path of the show's logo (the cover shows it)

    @classmethod
    def from_content(cls, theme: Theme, family: str) -> SlideTheme:
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
        )

    def font(self, pixel_size: float, *, bold: bool = False, latin: bool = False) -> QFont:
        """A font of the theme family at a size in canvas pixels.

        Hinting is off so that text measured on the logical canvas keeps its proportions
        when painted scaled to 720p, 1080p or 4K. For `latin` text (no Chinese in it) the
        CJK font's full-width quotes and dashes are set proportionally ("pwid"), so English
        reads “Four New”, not “ Four New ”.
        """
        font = QFont(self.family)
        font.setPixelSize(max(1, round(pixel_size)))
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
