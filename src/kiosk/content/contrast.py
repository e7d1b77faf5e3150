"""Colour contrast of the theme (no Qt): WCAG 2.2 relative luminance and contrast ratios, and
the `kiosk check` warnings for theme colours that some visitors cannot read.

Body text (`text`, `muted`) needs 4.5:1 on the background and on the card surface (WCAG 1.4.3);
the accent colours, used for large text (units, years, the cover's kicker) and for chart marks,
need 3:1 (1.4.3 large text, 1.4.11 non-text contrast). The high-contrast theme promises 7:1 for
every text colour (1.4.6). A warning points at the line of the colour in question.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from kiosk.content.common import Settings, Theme
from kiosk.content.errors import Problem

BODY_MIN = 4.5
LARGE_MIN = 3.0
HIGH_CONTRAST_MIN = 7.0

Locate = Callable[[tuple[str | int, ...]], tuple[int, int]]


def _channel(value: int) -> float:
    c = value / 255
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def rgb(colour: str, over: str | None = None) -> tuple[float, float, float]:
    """#RRGGBB(AA) as 0..255 floats; a translucent colour is blended over `over` first."""
    red, green, blue = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    alpha = int(colour[7:9], 16) / 255 if len(colour) == 9 else 1.0
    if alpha < 1.0 and over is not None:
        base = rgb(over)
        return (
            red * alpha + base[0] * (1 - alpha),
            green * alpha + base[1] * (1 - alpha),
            blue * alpha + base[2] * (1 - alpha),
        )
    return float(red), float(green), float(blue)


def luminance(colour: str, over: str | None = None) -> float:
    """WCAG relative luminance of a colour (0 black .. 1 white)."""
    red, green, blue = (_channel(round(part)) for part in rgb(colour, over))
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast_ratio(foreground: str, background: str) -> float:
    """WCAG contrast ratio of `foreground` on `background` (1..21)."""
    back = luminance(background)
    fore = luminance(foreground, over=background)
    light, dark = max(fore, back), min(fore, back)
    return (light + 0.05) / (dark + 0.05)


@dataclass(frozen=True)
class Pair:
    """A colour of the theme that must stand out from a ground by `minimum`."""

    colour: str  # the theme field, e.g. "muted"
    ground: str  # "background" or "surface"
    minimum: float
    use: str  # in words, for the warning


def pairs(minimum_text: float = BODY_MIN) -> list[Pair]:
    """Which colours are read on which grounds, and how much contrast each needs: text at
    `minimum_text`, the accents at 3:1, or at `minimum_text` too when that is above 4.5:1
    (the high-contrast theme promises 7:1 for everything it writes)."""
    accents = LARGE_MIN if minimum_text <= BODY_MIN else minimum_text
    found = []
    for ground in ("background", "surface"):
        found.append(Pair("text", ground, minimum_text, "text"))
        found.append(Pair("muted", ground, minimum_text, "secondary text and sources"))
        for accent in ("accent", "accent2"):
            found.append(Pair(accent, ground, accents, "large text and chart marks"))
    return found


@dataclass(frozen=True)
class ContrastFinding:
    """One pair below its minimum."""

    pair: Pair
    ratio: float
    theme_path: tuple[str, ...]  # where the theme sits in content.yaml

    def message(self, theme_name: str) -> str:
        """The warning's words."""
        p = self.pair
        return (
            f"{theme_name}: {p.colour} on {p.ground} has a contrast of {self.ratio:.1f}:1, "
            f"below the {p.minimum:g}:1 for {p.use} (WCAG 2.2): visitors with low vision "
            "may not read it"
        )


def theme_findings(
    theme: Theme, minimum_text: float, path: tuple[str, ...]
) -> list[ContrastFinding]:
    """Every pair of `theme` below its minimum."""
    found = []
    for pair in pairs(minimum_text):
        ratio = contrast_ratio(getattr(theme, pair.colour), getattr(theme, pair.ground))
        if ratio < pair.minimum - 1e-9:
            found.append(ContrastFinding(pair, ratio, path))
    return found


def contrast_warnings(settings: Settings, source: str, locate: Locate) -> list[Problem]:
    """Warnings for the show's theme (4.5:1 text, 3:1 large text and marks) and the
    high-contrast theme (7:1), each at the line of the colour in question (or of its ground,
    when only that one is written in the file)."""
    themes = (
        (settings.theme, BODY_MIN, ("settings", "theme"), "theme"),
        (
            settings.accessibility.high_contrast_theme,
            HIGH_CONTRAST_MIN,
            ("settings", "accessibility", "high_contrast_theme"),
            "high-contrast theme",
        ),
    )
    problems = []
    for theme, minimum, path, name in themes:
        for finding in theme_findings(theme, minimum, path):
            line, column = _colour_position(locate, path, finding.pair)
            problems.append(
                Problem(source, line, column, finding.message(name), severity="warning")
            )
    return problems


def _colour_position(locate: Locate, path: tuple[str, ...], pair: Pair) -> tuple[int, int]:
    """The colour's own line when the file writes it, else its ground's, else the theme's."""
    colour = locate((*path, pair.colour))
    theme = locate(path)
    if colour != theme:
        return colour
    return locate((*path, pair.ground))
