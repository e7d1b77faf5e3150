"""The report's figures as CSV files (UTF-8 with a byte-order mark, so spreadsheet programs
on Chinese Windows show the titles right)."""

from __future__ import annotations

import csv
from datetime import datetime
from pathlib import Path

from kiosk.content.model import Content
from kiosk.insights.report.words import slide_titles
from kiosk.insights.storage.summary import NAVIGATION, Summary


def csv_tables(summary: Summary, content: Content | None) -> dict[str, list[list[object]]]:
    """File stem -> rows (the first row is the header)."""
    tables: dict[str, list[list[object]]] = {}
    tables["visitors-per-day"] = [["date", "visitors"]] + [
        [day.isoformat(), count] for day, count in summary.days.items()
    ]
    tables["visitors-per-hour"] = [["hour", "visitors"]] + [
        [hour, count] for hour, count in enumerate(summary.hours)
    ]
    tables["sessions"] = [
        [
            "started",
            "seconds",
            "language",
            "language_switches",
            "slides_visited",
            "inputs",
            "left_on_slide",
        ]
    ] + [
        [
            datetime.fromtimestamp(row.started).isoformat(timespec="seconds"),
            round(row.seconds, 1),
            row.language,
            row.language_switches,
            row.slides_visited if row.slides_visited is not None else "",
            row.inputs,
            row.exit_slide_id or "",
        ]
        for row in summary.session_rows
    ]
    slides: list[list[object]] = [
        [
            "number",
            "slide_id",
            "title_zh",
            "title_en",
            "shown",
            "reached_by_visitors",
            "median_seconds",
            "left_within_3_s",
            "visitors_left_here",
            "touches",
        ]
    ]
    for figures in summary.slides:
        zh, en, number = slide_titles(content, figures.slide_id)
        median = figures.median_dwell
        slides.append(
            [
                number if number is not None else "",
                figures.slide_id,
                zh,
                en,
                figures.shown,
                figures.reached,
                round(median, 1) if median is not None else "",
                figures.quick_passes,
                figures.exits,
                figures.touches,
            ]
        )
    tables["slides"] = slides
    tables["navigation"] = [["how", "inputs"]] + [
        [label, summary.navigation[key]] for key, label in NAVIGATION
    ]
    total = sum(summary.language_seconds.values())
    languages = sorted(set(summary.language_seconds) | set(summary.sessions_by_language))
    tables["languages"] = [["language", "visitor_seconds", "share", "sessions_started_in"]] + [
        [
            language,
            round(summary.language_seconds.get(language, 0.0), 1),
            round(summary.language_seconds.get(language, 0.0) / total, 3) if total else "",
            summary.sessions_by_language.get(language, 0),
        ]
        for language in languages
    ]
    return tables


def write_csv_files(
    summary: Summary, content: Content | None, folder: Path, prefix: str
) -> list[Path]:
    """Write every table as `folder/prefix-<name>.csv`; returns the paths."""
    written = []
    for name, rows in csv_tables(summary, content).items():
        path = folder / f"{prefix}-{name}.csv"
        with path.open("w", encoding="utf-8-sig", newline="") as file:
            csv.writer(file).writerows(rows)
        written.append(path)
    return written
