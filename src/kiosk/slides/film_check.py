"""`kiosk check` for films: each film is opened and one frame decoded by Qt's own engine, the
one the show plays it with, so what check accepts is what plays (the content layer, which has
no Qt, checks the path and the captions)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from kiosk.content.errors import Problem
from kiosk.content.model import Content, VideoSlide
from kiosk.slides.film_probe import PLAYS_HERE, FilmFault, FilmResult, probe_film

Locate = Callable[[tuple[str | int, ...]], tuple[int, int]]


def film_problems(
    content: Content,
    base_dir: Path,
    source: str,
    locate: Locate,
    probe: Callable[[Path], FilmResult] = probe_film,
) -> list[Problem]:
    """Problems of every film of `content`, located at its `video:` value: errors for a film
    the engine cannot play, warnings for one it plays in a format that may not keep up."""
    problems: list[Problem] = []
    results: dict[str, FilmResult] = {}
    for index, slide in enumerate(content.slides):
        if not isinstance(slide, VideoSlide):
            continue
        if slide.video not in results:
            results[slide.video] = probe(base_dir / slide.video)
        result = results[slide.video]
        line, column = locate(("slides", index, "video"))
        prefix = f'slide "{slide.id}": "{slide.video}"'
        if isinstance(result, FilmFault):
            problems.append(Problem(source, line, column, f"{prefix}: {result.reason}"))
            continue
        if slide.play == "once" and result.seconds <= 0:
            problems.append(
                Problem(
                    source,
                    line,
                    column,
                    f"{prefix}: its length cannot be read, so `play: once` cannot end the "
                    "slide; export it again, or use `play: loop` with a `duration`",
                )
            )
        if result.codec != PLAYS_HERE or result.ten_bit:
            problems.append(
                Problem(
                    source,
                    line,
                    column,
                    f"{prefix} is {result.codec_label} ({result.width}x{result.height}): it "
                    "decodes here, but only in software and it may stutter on a kiosk PC; "
                    "export H.264 (8-bit) for smooth playback",
                    severity="warning",
                )
            )
    return problems
