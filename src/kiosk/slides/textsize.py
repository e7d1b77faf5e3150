"""Text too small to read at a screen's size: the `kiosk check` warnings for
`settings.accessibility.min_text_px`, at the line of the text in question.

Every slide is laid out (not painted) on the canvas of each screen size, in each language; a
text box whose font is smaller on that screen than `min_text_px` screen pixels is reported
once, at its smallest, located at the line of the text in content.yaml (the slide's line when
the text is made by the layout, such as "Source: ").
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from pydantic import BaseModel

from kiosk.content.common import Text
from kiosk.content.errors import Problem
from kiosk.content.model import Content
from kiosk.content.yaml_reader import Located
from kiosk.slides.base import canvas_for
from kiosk.slides.media import MediaLibrary
from kiosk.slides.registry import build_view
from kiosk.slides.theme import SlideTheme

SCREENS: tuple[tuple[int, int], ...] = ((1920, 1080), (1080, 1920))  # without the hall's own
_IGNORED = re.compile(r"[\s\u2060·・•…]+")

Path = tuple[str | int, ...]


@dataclass(frozen=True)
class SmallText:
    """One text smaller than the minimum: where, how small, on which screen."""

    slide: int
    path: Path  # within the slide; () when the text is the layout's own
    text: str
    pixels: float
    screen: tuple[int, int]


def small_texts(
    content: Content,
    family: str,
    media: MediaLibrary,
    screens: Sequence[tuple[int, int]] = SCREENS,
) -> list[SmallText]:
    """Every text of every slide below `min_text_px` screen pixels on one of `screens`, each
    once (at its smallest)."""
    minimum = content.settings.accessibility.min_text_px
    theme = SlideTheme.for_show(content.settings, family, high_contrast=False)
    found: dict[tuple[int, Path, str], SmallText] = {}
    for index, slide in enumerate(content.slides):
        view = build_view(slide, theme, media)
        for width, height in screens:
            canvas = canvas_for(width, height)
            scale = width / canvas.width()
            for language in content.settings.languages:
                texts = list(_texts(slide, ()))
                for box in view.text_boxes(canvas, language):
                    pixels = box.font.pixelSize() * scale
                    if not box.text.strip() or pixels >= minimum - 1e-6:
                        continue
                    path = _path_of(box.text, texts, language)
                    key = (index, path, box.text if not path else "")
                    if key not in found or pixels < found[key].pixels:
                        found[key] = SmallText(index, path, box.text, pixels, (width, height))
    return sorted(found.values(), key=lambda s: (s.slide, s.path != (), str(s.path)))


def small_text_warnings(
    content: Content,
    located: Located,
    source: str,
    family: str,
    media: MediaLibrary,
    screens: Sequence[tuple[int, int]] = SCREENS,
) -> list[Problem]:
    """`small_texts` as `kiosk check` warnings at the text's line."""
    minimum = content.settings.accessibility.min_text_px
    problems = []
    for small in small_texts(content, family, media, screens):
        line, column = located.position_of(("slides", small.slide, *small.path))
        slide_id = content.slides[small.slide].id
        width, height = small.screen
        shown = small.text if len(small.text) <= 40 else small.text[:37] + "..."
        problems.append(
            Problem(
                source,
                line,
                column,
                f'slide "{slide_id}": "{shown}" is {small.pixels:.1f} px high on a '
                f"{width}x{height} screen, below the {minimum:g} px of min_text_px: "
                "visitors may not read it",
                severity="warning",
            )
        )
    return problems


def _texts(value: object, path: Path) -> Iterator[tuple[Path, Text]]:
    if isinstance(value, Text):
        yield path, value
    elif isinstance(value, list | tuple):
        for number, inner in enumerate(value):
            yield from _texts(inner, (*path, number))
    elif isinstance(value, BaseModel):
        for name in type(value).model_fields:
            if name not in ("notes", "speech"):  # never on screen
                yield from _texts(getattr(value, name), (*path, name))


def _path_of(shown: str, texts: list[tuple[Path, Text]], language: str) -> Path:
    """The model path of the text a box shows (the layout may add "Source: " or break it)."""
    key = _IGNORED.sub("", shown)
    for path, text in texts:
        wanted = _IGNORED.sub("", text.zh if language == "zh" else text.en)
        if wanted and (wanted in key or (len(key) >= 4 and key in wanted)):
            return path
    return ()
