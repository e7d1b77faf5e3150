"""Screen sizes and video-wall bezels, as staff write them in content.yaml and kiosk.toml (no Qt).

A screen is written `WIDTHxHEIGHT` in pixels (`3840x1080`), optionally followed by `/N` for a
wall of N equal panels side by side (`5760x1080/3`): `kiosk check` then also keeps text off
the seams between them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Annotated

from pydantic import AfterValidator, BeforeValidator, Field

from kiosk.content.errors import KioskOnlyError

SCREEN_PATTERN = r"^\s*(\d{3,5})\s*[xX×]\s*(\d{3,5})\s*(?:/\s*([1-8]))?\s*$"
_SCREEN = re.compile(SCREEN_PATTERN)
MIN_SIDE, MAX_SIDE = 100, 16384
MAX_PANELS = 8


@dataclass(frozen=True)
class Screen:
    """A screen size in pixels, and how many equal panels it is made of (1: one screen)."""

    width: int
    height: int
    panels: int = 1

    def __str__(self) -> str:
        suffix = f"/{self.panels}" if self.panels > 1 else ""
        return f"{self.width}x{self.height}{suffix}"


def parse_screen(text: str) -> Screen:
    """`"3840x1080"` or `"5760x1080/3"` as a Screen; ValueError in plain words otherwise."""
    found = _SCREEN.match(text)
    if found is None:
        raise ValueError(
            f'"{text}" is not a screen size like 3840x1080 (or 5760x1080/3 for three panels)'
        )
    width, height = int(found[1]), int(found[2])
    for side in (width, height):
        if not MIN_SIDE <= side <= MAX_SIDE:  # beyond what the schema's pattern can say
            raise KioskOnlyError(f'"{text}": each side must be {MIN_SIDE}-{MAX_SIDE} pixels')
    return Screen(width, height, int(found[3] or 1))


def _check_screen(text: str) -> str:
    parse_screen(text)
    return text.strip()


ScreenSize = Annotated[
    str,
    Field(
        pattern=SCREEN_PATTERN,
        description="A screen size in pixels, WIDTHxHEIGHT (3840x1080); add /N for a wall of "
        "N equal panels (5760x1080/3)",
    ),
    AfterValidator(_check_screen),
]
Screens = Annotated[
    list[ScreenSize],
    Field(
        max_length=16,
        description="The hall's screen sizes: `kiosk check` lays every slide out on each and "
        "reports text that does not fit, at its line",
    ),
]


def _check_bezels(value: object) -> int | list[int]:
    """A count of panels, or seam positions left to right; anything else in plain words."""
    if isinstance(value, int) and not isinstance(value, bool):
        if not 1 <= value <= MAX_PANELS:
            raise ValueError(f"must be a number of panels from 1 to {MAX_PANELS}, got {value}")
        return value
    if isinstance(value, list) and all(
        isinstance(x, int) and not isinstance(x, bool) for x in value
    ):
        if len(value) >= MAX_PANELS or any(not 0 < x <= MAX_SIDE for x in value):
            raise ValueError(
                f"must list at most {MAX_PANELS - 1} seam positions, each 1-{MAX_SIDE} pixels"
            )
        if sorted(set(value)) != value:
            raise ValueError("must list the seam positions left to right, each once")
        return value
    raise ValueError(
        "must be a number of equal panels side by side (3) or the seams' x positions in "
        f"pixels ([1920, 3840]), got {value!r}"
    )


Bezels = Annotated[
    int | list[int],
    BeforeValidator(_check_bezels),
    Field(
        description="A video wall's bezels: the number of equal panels side by side (3), or "
        "the seams' x positions in screen pixels ([1920, 3840]); text and key figures keep "
        "off the seams. 1 (the default): one screen, no seams",
    ),
]
