"""Test films made in the test set-up with Debian's ffmpeg (kiosk.bench_film.make_counter_clip):
each frame carries its number twice, as digits for people and as a row of black-or-white cells
(bit k of the frame number, after an always-white marker cell) that the tests read from the
pixels the show paints, so they catch dropped frames and a gap at the loop point. A changing
caption alone cannot pass for a film.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from kiosk.bench_film import BITS, cell_rect, make_counter_clip, read_counter

__all__ = ["BITS", "cell_rect", "make_clip", "read_counter", "require_ffmpeg"]


def require_ffmpeg() -> str:
    """The ffmpeg command, or skip (./dev.sh test installs it)."""
    found = shutil.which("ffmpeg")
    if found is None:
        pytest.skip("ffmpeg is not installed: the film tests make their clips with it")
    return found


def make_clip(path: Path, **options: Any) -> Path:
    """A counter clip (see kiosk.bench_film.make_counter_clip), or skip without ffmpeg."""
    require_ffmpeg()
    return make_counter_clip(path, **options)
