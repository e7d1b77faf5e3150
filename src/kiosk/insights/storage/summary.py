"""The figures of a period, summed from the insights database (no Qt): what `kiosk report`
draws and writes as CSV, and what `kiosk status` shows.

Days and hours are the local time of the PC that reads the database. A session's length is
the time from its first to its last input: the minute of idle time before the show went back
to its loop is not counted.
"""

from __future__ import annotations

import sqlite3
import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from kiosk.insights.storage.database import (
    SCHEMA_VERSION,
    connect_for_reading,
    local_midnight,
    schema_version,
    sessions_since,
)

QUICK_PASS_S = 3.0  # a visitor who leaves a slide sooner passed it by
# How visitors moved around: (key, label), in the order the report lists them.
NAVIGATION = (
    ("chapter", "章节栏 Chapter bar"),
    ("dot", "圆点 Dots"),
    ("swipe", "滑动 Swipes"),
    ("edge", "边缘点击 Edge taps"),
    ("key", "按键 Keys"),
    ("overview", "总览 Overview"),
    ("language", "语言切换 Language"),
    ("other", "其他 Other"),
)


@dataclass(frozen=True)
class LayoutKey:
    """A layout touches were made on (heat maps are drawn per layout)."""

    language: str
    canvas_width: int
    canvas_height: int
    text_scale: float
    release: str | None

    def label(self) -> str:
        """e.g. "zh · 1920×1080 · text ×1.0 · release 2024.05"."""
        parts = [self.language, f"{self.canvas_width}×{self.canvas_height}"]
        parts.append(f"text ×{self.text_scale:g}")
        if self.release:
            parts.append(f"release {self.release}")
        return " · ".join(parts)


@dataclass
class SlideFigures:
    """One slide over the period."""

    slide_id: str
    index: int
    shown: int = 0  # appearances on screen, in the loop or by a visitor
    reached: int = 0  # sessions in which a visitor had it on screen
    # Visitors' seconds on it per appearance, except where their session ended (how long
    # they really stayed there is unknown: the show waited for the idle timeout).
    dwells: list[float] = field(default_factory=list)
    quick_passes: int = 0  # of those appearances, the ones shorter than QUICK_PASS_S
    exits: int = 0  # sessions that ended on it (where visitors left)
    touches: int = 0  # taps, swipes and keys on it

    @property
    def median_dwell(self) -> float | None:
        """Median of the visitors' seconds on it, or None when no visitor was there."""
        return statistics.median(self.dwells) if self.dwells else None


@dataclass(frozen=True)
class SessionRow:
    """One visitor session (for the CSV file)."""

    started: float
    seconds: float  # first to last input
    language: str
    language_switches: int
    slides_visited: int | None
    inputs: int
    exit_slide_id: str | None


@dataclass
class Summary:
    """Everything `kiosk report` shows for one period."""

    first_day: date
    last_day: date
    days: dict[date, int]  # sessions per day (every day of the period)
    hours: list[int]  # sessions per local hour of the day
    session_rows: list[SessionRow]
    slides: list[SlideFigures]
    language_seconds: dict[str, float]  # visitors' time per language (first to last input)
    sessions_by_language: dict[str, int]  # the language at each session's first input
    sessions_switching: int  # sessions with a language switch
    navigation: dict[str, int]  # NAVIGATION keys -> inputs
    inputs: int
    touches: dict[tuple[str, LayoutKey], list[tuple[float, float]]]  # where fingers went down
    seconds_on: float  # slides on screen, in the loop or with a visitor
    seconds_with_visitors: float  # first to last input of every session

    @property
    def sessions(self) -> int:
        """Visitor sessions in the period."""
        return sum(self.days.values())

    @property
    def session_lengths(self) -> list[float]:
        """Seconds from the first to the last input of each session."""
        return [row.seconds for row in self.session_rows]

    @property
    def median_session(self) -> float | None:
        """Median session length in seconds."""
        lengths = self.session_lengths
        return statistics.median(lengths) if lengths else None

    @property
    def empty(self) -> bool:
        """True when nothing at all was recorded in the period."""
        return self.seconds_on == 0 and self.sessions == 0 and self.inputs == 0


def period_bounds(first_day: date, last_day: date) -> tuple[float, float]:
    """UTC seconds from the local start of `first_day` to the local end of `last_day`."""
    start = datetime.combine(first_day, datetime.min.time()).timestamp()
    end = datetime.combine(last_day + timedelta(days=1), datetime.min.time()).timestamp()
    return start, end


def navigation_group(kind: str, target: str) -> str:
    """Which NAVIGATION group an input belongs to."""
    if kind == "key":
        return "key"
    if kind.startswith("swipe"):
        return "swipe"
    if target in ("chapter", "dot", "overview", "language"):
        return target
    if target.startswith("edge"):
        return "edge"
    return "other"


def summarize(
    connection: sqlite3.Connection,
    first_day: date,
    last_day: date,
    slide_order: list[str] | None = None,
) -> Summary:
    """Sum up the period from `first_day` to `last_day` (local days, both included)."""
    start, end = period_bounds(first_day, last_day)
    days = {first_day + timedelta(days=n): 0 for n in range((last_day - first_day).days + 1)}
    hours = [0] * 24
    by_language: Counter[str] = Counter()
    switching = 0
    session_rows: list[SessionRow] = []
    exits: Counter[str] = Counter()
    session_ends: dict[int, tuple[float, float | None]] = {}  # id -> (last input, end)
    sessions = connection.execute(
        "SELECT s.id, s.started, s.last_input, s.language, s.language_switches, s.slides_visited,"
        " s.exit_slide_id, (SELECT COUNT(*) FROM inputs WHERE session_id = s.id),"
        " (SELECT MAX(at) FROM inputs WHERE session_id = s.id),"
        " (SELECT slide_id FROM inputs WHERE session_id = s.id ORDER BY at DESC LIMIT 1),"
        " s.ended FROM sessions s WHERE s.started >= ? AND s.started < ? ORDER BY s.started",
        (start, end),
    ).fetchall()
    for row in sessions:
        session_id, started, last_input, language, switches, visited, exit_slide = row[:7]
        input_count, last_at, last_slide, ended = row[7:]
        moment = datetime.fromtimestamp(started)
        days[moment.date()] = days.get(moment.date(), 0) + 1
        hours[moment.hour] += 1
        by_language[language] += 1
        switching += 1 if (switches or 0) > 0 else 0
        # A session cut short (power cut, kill -9) has no end: its inputs tell the rest.
        last = max(x for x in (last_input, last_at, started) if x is not None)
        session_ends[session_id] = (last, ended)
        left_on = exit_slide or last_slide
        if left_on is not None:
            exits[left_on] += 1
        session_rows.append(
            SessionRow(
                started,
                max(0.0, last - started),
                language,
                switches or 0,
                visited,
                input_count,
                left_on,
            )
        )

    slides: dict[str, SlideFigures] = {}

    def figures(slide_id: str, index: int) -> SlideFigures:
        if slide_id not in slides:
            slides[slide_id] = SlideFigures(slide_id, index)
        return slides[slide_id]

    for index, slide_id in enumerate(slide_order or []):
        figures(slide_id, index)  # every slide of the content is listed, shown or not

    language_seconds: defaultdict[str, float] = defaultdict(float)
    reached: defaultdict[str, set[int]] = defaultdict(set)
    seconds_on = 0.0
    with_visitors = 0.0
    # The appearance being summed: slide, visitors' seconds, had a visitor, ended a session.
    appearance: tuple[str, float, bool, bool] | None = None

    def close_appearance() -> None:
        if appearance is None:
            return
        slide_id, dwell, visited, left = appearance
        if visited and not left:
            slide = slides[slide_id]
            slide.dwells.append(dwell)
            if dwell < QUICK_PASS_S:
                slide.quick_passes += 1

    rows = connection.execute(
        "SELECT started, ended, slide_id, slide_index, language, mode, session_id, continued"
        " FROM slides_shown WHERE started >= ? AND started < ? ORDER BY started, id",
        (start, end),
    ).fetchall()
    for started, ended, slide_id, index, language, mode, session, continued in rows:
        seconds = max(0.0, ended - started)
        seconds_on += seconds
        slide = figures(slide_id, index)
        if not continued or appearance is None or appearance[0] != slide_id:
            close_appearance()
            slide.shown += 1
            appearance = (slide_id, 0.0, False, False)
        if mode == "interactive" and session is not None:
            last, session_end = session_ends.get(session, (ended, None))
            left = session_end is not None and ended >= session_end
            appearance = (slide_id, appearance[1] + seconds, True, appearance[3] or left)
            reached[slide_id].add(session)
            with_visitor = max(0.0, min(ended, last) - started)  # not the idle wait after
            language_seconds[language] += with_visitor
            with_visitors += with_visitor
    close_appearance()
    for slide_id, who in reached.items():
        slides[slide_id].reached = len(who)
    for slide_id, count in exits.items():
        figures(slide_id, 10_000).exits = count

    navigation = dict.fromkeys((key for key, _ in NAVIGATION), 0)
    touches: defaultdict[tuple[str, LayoutKey], list[tuple[float, float]]] = defaultdict(list)
    inputs = connection.execute(
        "SELECT slide_id, kind, target, x, y, language, canvas_width, canvas_height,"
        " text_scale, release FROM inputs WHERE at >= ? AND at < ?",
        (start, end),
    ).fetchall()
    for slide_id, kind, target, x, y, language, width, height, scale, release in inputs:
        navigation[navigation_group(kind, target)] += 1
        figures(slide_id, 10_000).touches += 1
        if x is not None and y is not None:
            key = LayoutKey(language, width, height, scale, release)
            touches[(slide_id, key)].append((x, y))

    order = {slide_id: n for n, slide_id in enumerate(slide_order or [])}
    ordered = sorted(
        slides.values(), key=lambda s: (order.get(s.slide_id, len(order) + s.index), s.slide_id)
    )
    return Summary(
        first_day,
        last_day,
        days,
        hours,
        session_rows,
        ordered,
        dict(language_seconds),
        dict(by_language),
        switching,
        navigation,
        len(inputs),
        dict(touches),
        seconds_on,
        with_visitors,
    )


def status_summary(db_path: Path, now: float | None = None) -> dict[str, Any]:
    """A few lines for `kiosk status`: today's visitors and the state of the database.

    Never raises: a missing or unreadable database says so in `problem`.
    """
    import time

    moment = time.time() if now is None else now
    found: dict[str, Any] = {
        "database": str(db_path),
        "exists": db_path.is_file(),
        "visitors_today": 0,
        "last_visitor": None,
        "records_since": None,
        "size_bytes": 0,
        "problem": None,
    }
    if not found["exists"]:
        found["problem"] = "no insights database yet (nothing recorded)"
        return found
    try:
        found["size_bytes"] = sum(
            Path(f"{db_path}{suffix}").stat().st_size
            for suffix in ("", "-wal")
            if Path(f"{db_path}{suffix}").exists()
        )
        connection = connect_for_reading(db_path)
    except (OSError, sqlite3.Error) as error:
        found["problem"] = f"cannot read the insights database: {error}"
        return found
    try:
        found["schema"] = schema_version(connection) or SCHEMA_VERSION
        found["visitors_today"] = sessions_since(connection, local_midnight(moment))
        last = connection.execute("SELECT MAX(started) FROM sessions").fetchone()[0]
        oldest = connection.execute("SELECT MIN(started) FROM slides_shown").fetchone()[0]
        if last is not None:
            found["last_visitor"] = datetime.fromtimestamp(last).isoformat(timespec="seconds")
        if oldest is not None:
            found["records_since"] = datetime.fromtimestamp(oldest).date().isoformat()
    except sqlite3.Error as error:
        found["problem"] = f"cannot read the insights database: {error}"
    finally:
        connection.close()
    return found
