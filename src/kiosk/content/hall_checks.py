"""`kiosk check`'s warnings about the calendar that depend on today's date (no Qt): a dated
slide that has ended, and a show with no slide in date (it shows the cover alone). They are
warnings, not errors: the same file was right yesterday, and the show still runs."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime

from kiosk.content.errors import Problem
from kiosk.content.hall import parse_date, zone_for
from kiosk.content.model import Content

Locate = Callable[[tuple[str | int, ...]], tuple[int, int]]


def dated_slide_warnings(
    content: Content, locate: Locate, source: str, today: date | None = None
) -> list[Problem]:
    """Warnings for slides whose `show_until` has passed and for a day with no slide in date."""
    if not any(slide.show_from or slide.show_until for slide in content.slides):
        return []
    day = today or datetime.now(zone_for(content.settings.timezone)).date()
    problems = []
    for index, slide in enumerate(content.slides):
        if slide.show_until is not None and parse_date(slide.show_until) < day:
            line, column = locate(("slides", index, "show_until"))
            problems.append(
                Problem(
                    source,
                    line,
                    column,
                    f'slide "{slide.id}" ended on {slide.show_until} (show_until): it is no '
                    "longer in the loop; remove it or change the date",
                    severity="warning",
                )
            )
    if not any(slide.shown_on(day) for slide in content.slides):
        line, column = locate(("slides",))
        upcoming = sorted(
            parse_date(slide.show_from)
            for slide in content.slides
            if slide.show_from is not None and parse_date(slide.show_from) > day
        )
        later = f"; the next slide starts on {upcoming[0]}" if upcoming else ""
        covers = [slide.id for slide in content.slides if slide.type == "cover"]
        alone = covers[0] if covers else content.slides[0].id
        problems.append(
            Problem(
                source,
                line,
                column,
                f"no slide is in date on {day} (show_from/show_until): the show shows "
                f'"{alone}" alone{later}',
                severity="warning",
            )
        )
    return problems
