"""How the report writes durations, shares, days and slide names (no Qt)."""

from __future__ import annotations

from datetime import date

from kiosk.content.model import Content

# Session length groups for the distribution chart: (upper bound in seconds, label).
LENGTH_BINS: tuple[tuple[float, str], ...] = (
    (10, "<10 s"),
    (30, "10–30 s"),
    (60, "30 s–1 min"),
    (120, "1–2 min"),
    (300, "2–5 min"),
    (600, "5–10 min"),
    (float("inf"), "≥10 min"),
)
LANGUAGE_NAMES = {"zh": "中文 zh", "en": "English en"}
MAX_LABEL = 18  # characters of a slide title on a chart's axis


def duration_text(seconds: float) -> str:
    """4.5 s, 42 s, 3 min 05 s, 2 h 07 min."""
    if seconds < 10:
        return f"{seconds:.1f} s"
    if seconds < 60:
        return f"{seconds:.0f} s"
    whole = round(seconds)
    if whole < 3600:
        return f"{whole // 60} min {whole % 60:02d} s"
    return f"{whole // 3600} h {whole % 3600 // 60:02d} min"


def percent(part: float, whole: float) -> str:
    """`part` as a whole-number share of `whole` ("0%" when there is no whole)."""
    return f"{round(100 * part / whole) if whole else 0}%"


def length_bins(lengths: list[float]) -> list[int]:
    """How many sessions fall in each of LENGTH_BINS."""
    counts = [0] * len(LENGTH_BINS)
    for seconds in lengths:
        for index, (upper, _label) in enumerate(LENGTH_BINS):
            if seconds < upper:
                counts[index] += 1
                break
    return counts


def day_label(day: date, span_days: int) -> str:
    """3/14 in a short period; with the year when it spans more than one."""
    return f"{day.month}/{day.day}" if span_days <= 366 else f"{day:%Y-%m-%d}"


def slide_titles(content: Content | None, slide_id: str) -> tuple[str, str, int | None]:
    """(Chinese title, English title, number counted from 1) of a slide, or its id."""
    if content is not None:
        index = content.index_of(slide_id)
        if index is not None:
            title = content.slides[index].title
            return title["zh"], title["en"], index + 1
    return slide_id, slide_id, None


def short(text: str, limit: int = MAX_LABEL) -> str:
    """`text` cut to `limit` characters with an ellipsis."""
    return text if len(text) <= limit else text[: limit - 1] + "…"
