"""WebVTT captions for films: a small, strict reader of the subset staff need (no Qt).

A caption file starts with `WEBVTT`; each cue is an optional identifier line, a timing line
`00:00:01.000 --> 00:00:04.000` (hours optional, settings after the end time ignored) and one or
more lines of text, ended by a blank line. `NOTE`, `STYLE` and `REGION` blocks are skipped;
tags such as `<b>` or `<c.yellow>` are removed (the show draws captions in its own style).
Problems carry the 1-based line and column in the caption file, for `kiosk check`.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from pathlib import Path

MAX_CAPTION_BYTES = 512 * 1024  # hours of captions; anything larger is not a caption file
_TIME = r"(?:(\d{1,3}):)?([0-5]\d):([0-5]\d)[.,](\d{3})"
_TIMING = re.compile(rf"^{_TIME}[ \t]+-->[ \t]+{_TIME}(?:[ \t].*)?$")
_TAG = re.compile(r"<[^>]*>")


@dataclass(frozen=True)
class Cue:
    """One caption: shown from `start` to `end` seconds of the film."""

    start: float
    end: float
    text: str


class CaptionError(ValueError):
    """A caption file that cannot be read, at a line and column of that file."""

    def __init__(self, line: int, column: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.column = column
        self.message = message


def _looks_like_time(line: str) -> bool:
    return bool(re.match(r"^\s*\d{1,3}:\d", line))


def _seconds(hours: str | None, minutes: str, seconds: str, millis: str) -> float:
    return int(hours or 0) * 3600 + int(minutes) * 60 + int(seconds) + int(millis) / 1000


def parse_webvtt(text: str) -> list[Cue]:
    """The cues of a WebVTT document, in file order; raises CaptionError when it is not one."""
    lines = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n").split("\n")
    first = lines[0] if lines else ""
    if not (first == "WEBVTT" or first.startswith(("WEBVTT ", "WEBVTT\t"))):
        raise CaptionError(1, 1, 'a WebVTT caption file must start with the line "WEBVTT"')
    cues: list[Cue] = []
    number = 1
    while number < len(lines):
        while number < len(lines) and not lines[number].strip():  # blank lines between blocks
            number += 1
        if number >= len(lines):
            break
        block_start = number
        block: list[str] = []
        while number < len(lines) and lines[number].strip():
            block.append(lines[number])
            number += 1
        if block[0].startswith(("NOTE", "STYLE", "REGION")) and "-->" not in block[0]:
            continue
        timing_at = next((i for i, line in enumerate(block[:2]) if "-->" in line), None)
        if timing_at is None:
            # An identifier line may come first: the timing is the first or second line.
            bad = 1 if len(block) > 1 and not _looks_like_time(block[0]) else 0
            raise CaptionError(
                block_start + 1 + bad,
                1,
                f'"{block[bad].strip()[:60]}" is not a cue timing; write it as '
                '"00:00:01.000 --> 00:00:04.000"',
            )
        line_number = block_start + 1 + timing_at
        match = _TIMING.match(block[timing_at].strip())
        if match is None:
            raise CaptionError(
                line_number,
                1,
                f'"{block[timing_at].strip()[:60]}" is not a cue timing; write it as '
                '"00:00:01.000 --> 00:00:04.000" (minutes and seconds 00-59, three decimals)',
            )
        start = _seconds(*match.group(1, 2, 3, 4))
        end = _seconds(*match.group(5, 6, 7, 8))
        if end <= start:
            column = block[timing_at].index("-->") + 1
            raise CaptionError(line_number, column, "the cue ends before it starts")
        words = [html.unescape(_TAG.sub("", line)).strip() for line in block[timing_at + 1 :]]
        shown = "\n".join(word for word in words if word)
        if not shown:
            raise CaptionError(line_number, 1, "the cue has no text")
        cues.append(Cue(start, end, shown))
    return cues


def read_webvtt(path: Path) -> list[Cue]:
    """The cues of a caption file; raises CaptionError (line 1) when it cannot be read."""
    try:
        size = path.stat().st_size
        if size > MAX_CAPTION_BYTES:
            raise CaptionError(1, 1, f"the file is {size // 1024} KB: too large for captions")
        data = path.read_bytes()
    except OSError as error:
        raise CaptionError(1, 1, f"cannot be read ({error.strerror or error})") from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise CaptionError(1, 1, "is not UTF-8 text: save it again as UTF-8") from None
    return parse_webvtt(text)


def cue_at(cues: list[Cue], seconds: float) -> Cue | None:
    """The cue shown at `seconds` into the film (the last one starting there), or None."""
    shown = None
    for cue in cues:
        if cue.start <= seconds < cue.end:
            shown = cue
    return shown
