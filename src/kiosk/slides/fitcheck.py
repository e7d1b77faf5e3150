"""The layout invariants, checked on a laid-out slide (no painting): what the tests assert for
every slide type at every screen shape, and what `kiosk check --size` reports to staff.

On a canvas, in a language, a slide's layout must:
- show every fact of the slide (every visible text of its model, every number) in full;
- give every text box a role and never fit it below its role's smallest size (`ROLE_MIN`);
- keep every text box on the canvas and out from under the navigation;
- never let two text boxes that are on screen together intersect;
- keep text and key figures off a wall's bezel seams.

Breaking one of these is an error, except a seam that a layout could not avoid (a warning: the
text is whole, only split by a bezel). Text that fits only at its role's smallest size is a
warning: one more word and it would not.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Literal

from pydantic import BaseModel
from PySide6.QtCore import QRectF, QSizeF

from kiosk.content.common import Text
from kiosk.content.errors import Problem
from kiosk.content.model import Bar, Content, Indicator, Language, Ring, SlideBase
from kiosk.content.screens import Screen
from kiosk.content.yaml_reader import Located
from kiosk.slides.base import SlideView
from kiosk.slides.canvas import SEAM_GUTTER, nav_rect, seams_of
from kiosk.slides.chart_kit import decimals_of, format_number
from kiosk.slides.indicators import MIN_CHART
from kiosk.slides.media import MediaLibrary
from kiosk.slides.theme import SlideTheme
from kiosk.slides.typeset import ROLE_MIN, TextBox

Path = tuple[str | int, ...]
# Presenter notes; chapters (shown in the navigation); a bar chart's unit (the axis label,
# drawn by pyqtgraph along the axis, not a text box).
NOT_SHOWN = frozenset({"notes", "chapter"})
_IGNORED = re.compile(r"[\s\u2060·・•]+")


@dataclass(frozen=True)
class Finding:
    """One broken invariant: how bad, where in the slide's model (a path), and what."""

    severity: Literal["error", "warning"]
    path: Path  # within the slide, e.g. ("cards", 0, "facts", 2); () for the slide itself
    message: str


def visible_texts(slide: SlideBase, language: Language) -> list[tuple[Path, str]]:
    """Every text and number of `slide` a visitor must be able to read, with its model path."""
    return list(_visible(slide, (), language))


def _visible(value: object, path: Path, language: Language) -> Iterator[tuple[Path, str]]:
    if isinstance(value, Text):
        yield path, value[language]
    elif isinstance(value, list | tuple):
        for index, inner in enumerate(value):
            yield from _visible(inner, (*path, index), language)
    elif isinstance(value, BaseModel):
        if isinstance(value, Indicator):
            number = value.value_in(language)
            decimals = value.decimals if value.decimals is not None else decimals_of(number)
            yield (*path, "value"), format_number(number, decimals)
            if value.prefix:
                yield (*path, "prefix"), value.prefix
        elif isinstance(value, Bar):
            number = value.value_in(language)
            yield (*path, "value"), format_number(number, decimals_of(number))
        elif isinstance(value, Ring):
            number = format_number(value.value, decimals_of(value.value))
            yield (*path, "value"), f"{value.prefix or ''}{number}%"
        for name in type(value).model_fields:
            if name in NOT_SHOWN or (name == "unit" and "chart" in path):
                continue
            yield from _visible(getattr(value, name), (*path, name), language)


def normalised(text: str) -> str:
    """`text` without the spaces, breaks and list dots a layout may add or move."""
    return _IGNORED.sub("", text)


def inspect_layout(
    view: SlideView, canvas: QSizeF, language: Language, *, screen: str | None = None
) -> list[Finding]:
    """Every broken invariant of `view`'s layout on `canvas` in `language` (layout only).

    `screen` names the screen in the messages (by default the canvas size)."""
    findings: list[Finding] = []
    boxes = view.text_boxes(canvas, language)
    facts = visible_texts(view.slide, language)
    used = {id(box): box.used_rect() for box in boxes}
    page = QRectF(0, 0, canvas.width(), canvas.height())
    nav = nav_rect(canvas)
    size = screen or f"{canvas.width():.0f}x{canvas.height():.0f}"

    def path_of(box: TextBox) -> Path:
        text = normalised(box.text)
        cut = text.endswith("…") and not box.fits
        found: Path = ()
        longest = 0
        for path, fact in facts:  # the longest fact the box shows (or begins, when cut)
            wanted = normalised(fact)
            shows = wanted in text or (cut and wanted.startswith(text[:-1]))
            if wanted and shows and len(wanted) > longest:
                found, longest = path, len(wanted)
        return found

    def add(severity: Literal["error", "warning"], box: TextBox, message: str) -> None:
        findings.append(Finding(severity, path_of(box), f'"{_short(box.text)}" {message}'))

    at_minimum: dict[str, list[TextBox]] = {}
    for box in boxes:
        rect = used[id(box)]
        if not box.text:
            if not box.fits:  # cut to nothing: what a visitor sees is an empty bullet
                findings.append(
                    Finding("error", (), f"a text is cut to nothing on {size}: no room at all")
                )
            continue
        if box.role is None:
            add("error", box, "has no role, so no smallest size (a layout bug)")
        elif not box.fits:
            add(
                "error",
                box,
                f"does not fit on {size} even at {ROLE_MIN[box.role]:.0f} px, the "
                f"smallest {box.role} size: it is cut. Shorten it",
            )
        elif box.font.pixelSize() < box.min_size - 0.5:
            add("error", box, f"is {box.font.pixelSize()} px, below the {box.role} minimum")
        elif box.at_minimum:
            at_minimum.setdefault(box.role, []).append(box)
        if not page.contains(rect):
            add("error", box, f"leaves the screen ({size})")
        if rect.intersects(nav):
            add("error", box, "lies under the navigation")
        for seam in seams_of(canvas):
            if rect.left() < seam + SEAM_GUTTER / 2 and rect.right() > seam - SEAM_GUTTER / 2:
                add("warning", box, f"crosses the bezel seam at x = {seam:.0f}")
    for role, squeezed in at_minimum.items():  # one warning per role, at the longest text
        longest = max(squeezed, key=lambda box: len(box.text))
        others = len(squeezed) - 1
        also = f"(and {others} other {role} text{'s' if others > 1 else ''}) " if others else ""
        add(
            "warning",
            longest,
            f"{also}fits on {size} only at the smallest {role} size "
            f"({longest.font.pixelSize()} px): a few more words will not fit",
        )
    for group in view.shown_together(canvas, language):
        shown = [box for box in group if box.text]
        for a, b in itertools.combinations(shown, 2):
            rect_a = used.get(id(a)) or a.used_rect()
            rect_b = used.get(id(b)) or b.used_rect()
            if rect_a.intersects(rect_b):
                add("error", a, f'overlaps "{_short(b.text)}" on {size}')
    for rect in view.figure_rects(canvas, language):
        if min(rect.width(), rect.height()) < MIN_CHART:
            findings.append(
                Finding(
                    "error",
                    ("chart",),
                    f"the chart is squeezed to {rect.width():.0f}x{rect.height():.0f} px on "
                    f"{size} (at least {MIN_CHART:.0f} px each way)",
                )
            )
        for seam in seams_of(canvas):
            if rect.left() < seam + SEAM_GUTTER / 2 and rect.right() > seam - SEAM_GUTTER / 2:
                findings.append(
                    Finding("warning", (), f"a chart crosses the bezel seam at x = {seam:.0f}")
                )
    shown_text = [normalised(box.text) for box in boxes if box.fits]
    for path, fact in facts:
        wanted = normalised(fact)
        if wanted and not any(wanted in text for text in shown_text):
            findings.append(
                Finding("error", path, f'"{_short(fact)}" is not shown in full on {size}')
            )
    return _unique(findings)


def _short(text: str, limit: int = 48) -> str:
    flat = " ".join(text.replace("\u2060", "").split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


def _unique(findings: list[Finding]) -> list[Finding]:
    seen: set[Finding] = set()
    return [f for f in findings if not (f in seen or seen.add(f))]  # type: ignore[func-returns-value]


def screen_problems(
    content: Content,
    located: Located,
    source: str,
    screens: Sequence[Screen],
    theme: SlideTheme,
    media: MediaLibrary,
    *,
    bezels: int | Sequence[float] = 1,
) -> list[Problem]:
    """`kiosk check` on screens: every slide laid out on each screen in each language, every
    finding at the line of the text in question (`bezels` for screens without their own /N)."""
    from kiosk.slides.canvas import place, seam_positions
    from kiosk.slides.registry import build_view

    views = [build_view(slide, theme, media) for slide in content.slides]
    problems: list[Problem] = []
    for screen in screens:
        panels: int | Sequence[float] = screen.panels if screen.panels > 1 else bezels
        canvas = place(screen.width, screen.height, seam_positions(panels, screen.width)).canvas
        for language in content.settings.languages:
            for index, view in enumerate(views):
                slide = content.slides[index]
                for finding in inspect_layout(view, canvas, language, screen=str(screen)):
                    path = ("slides", index, *finding.path)
                    line, column = located.position_of((*path, language))
                    problems.append(
                        Problem(
                            source,
                            line,
                            column,
                            f'slide "{slide.id}" ({language}): {finding.message}',
                            severity=finding.severity,
                        )
                    )
    return problems
