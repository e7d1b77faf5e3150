"""What the insights recorder writes: one small frozen record per fact (no Qt).

Times are UTC seconds since 1970 (`time.time()`); positions are fractions (0..1) of the
logical canvas, so touches on screens of one shape line up whatever their pixel size.
A session is a process-local number the writer maps to its database row: nothing in these
records identifies a visitor.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Layout:
    """What a touch was made on: heat maps are drawn per layout."""

    language: str
    canvas_width: int
    canvas_height: int
    text_scale: float
    release: str | None


@dataclass(frozen=True)
class SlideShown:
    """A slide was on screen from `started` to `ended` in one language and mode.

    `continued` marks the same appearance going on after a change of mode or language (so
    "times shown" counts appearances, and time per language and mode adds up).
    """

    started: float
    ended: float
    slide_id: str
    slide_index: int
    language: str
    mode: str  # "attract" or "interactive"
    session: int | None
    continued: bool


@dataclass(frozen=True)
class SessionStarted:
    """A visitor's first touch or key after the show was looping by itself."""

    session: int
    started: float
    language: str


@dataclass(frozen=True)
class SessionEnded:
    """The show went back to looping by itself (idle reset, or a resume key)."""

    session: int
    ended: float
    last_input: float
    slides_visited: int
    language_switches: int
    inputs: int
    exit_slide_id: str


@dataclass(frozen=True)
class InputRecorded:
    """One touch stroke or key of a visitor, on the slide that was on screen."""

    at: float
    session: int | None
    slide_id: str
    kind: str  # "tap", "swipe-left" ... "none" (a stroke that meant nothing), "key"
    target: (
        str  # what it hit: chapter, dot, language, overview, edge-next, slide ... or a key's action
    )
    x: float | None
    y: float | None
    x_end: float | None
    y_end: float | None
    layout: Layout


Event = SlideShown | SessionStarted | SessionEnded | InputRecorded
