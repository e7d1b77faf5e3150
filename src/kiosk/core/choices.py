"""A visitor's accessibility choices: what the Player keeps for their session (QtCore-free)."""

from __future__ import annotations

from dataclasses import dataclass, fields


@dataclass(frozen=True)
class Choices:
    """A visitor's accessibility choices (the hall's defaults until they choose)."""

    paused: bool = False  # nothing moves on by itself: no autoplay, no ambient motion
    reduce_motion: bool = False  # short cross-fades; entrances, count-ups, drift skipped
    larger_text: bool = False  # every slide laid out with text `text_scale` times larger
    high_contrast: bool = False  # the high-contrast theme
    read_aloud: bool = False  # each slide is read aloud as it comes


CHOICE_NAMES: tuple[str, ...] = tuple(field.name for field in fields(Choices))
