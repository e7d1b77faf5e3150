"""`kiosk report`: one self-contained HTML page of a period's visitor insights for staff
(charts and heat maps inline), plus CSV files when asked. Headless: no window opens."""

from __future__ import annotations

import sqlite3
import sys
from datetime import date, datetime, timedelta
from pathlib import Path

from kiosk.app import ensure_headless
from kiosk.content import ContentError, load_content
from kiosk.content.kiosk_settings import (
    KioskSettings,
    default_settings_path,
    load_kiosk_settings,
)
from kiosk.content.model import Content
from kiosk.insights.storage.database import connect_for_reading, database_path
from kiosk.insights.storage.summary import summarize

DEFAULT_DAYS = 30  # without --from: the 30 days up to --to


def run_report(
    content_path: Path,
    out_dir: Path,
    *,
    first_day: date | None = None,
    last_day: date | None = None,
    csv: bool = False,
    db_path: Path | None = None,
    settings_path: Path | None = None,
) -> int:
    """Write the report (and CSV files) into `out_dir`; returns the exit code."""
    last = last_day or date.today()
    first = first_day or last - timedelta(days=DEFAULT_DAYS - 1)
    if first > last:
        print(f"--from {first} is after --to {last}", file=sys.stderr)
        return 2
    settings = _settings(settings_path)
    settings_file = settings_path or default_settings_path()
    database = db_path or database_path(settings.insights.database, settings_file)
    content = _content(content_path)
    try:
        connection = connect_for_reading(database)
    except FileNotFoundError:
        if db_path is not None:
            print(f"{database}: no such database", file=sys.stderr)
            return 1
        print(f"{database}: nothing recorded yet; the report says so", file=sys.stderr)
        connection = sqlite3.connect(":memory:")
        from kiosk.insights.storage.database import migrate

        migrate(connection)
    except sqlite3.Error as error:
        print(f"{database}: cannot read the insights database ({error})", file=sys.stderr)
        return 1
    try:
        order = [slide.id for slide in content.slides] if content is not None else None
        summary = summarize(connection, first, last, order)
    except sqlite3.Error as error:
        print(f"{database}: cannot read the insights database ({error})", file=sys.stderr)
        return 1
    finally:
        connection.close()

    ensure_headless()
    from PySide6.QtWidgets import QApplication

    from kiosk.insights.report.build import ReportContext, build_report
    from kiosk.insights.report.tables import write_csv_files
    from kiosk.ui.fonts import register_fonts

    app = QApplication.instance() or QApplication(sys.argv[:1])  # noqa: F841 - keeps Qt alive
    family = register_fonts()
    context = ReportContext(
        settings.name,
        content,
        content_path.parent if content is not None else None,
        database,
        datetime.now(),
    )
    page = build_report(summary, context, family)
    prefix = f"insights-{first:%Y-%m-%d}_{last:%Y-%m-%d}"
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        target = out_dir / f"{prefix}.html"
        target.write_text(page, encoding="utf-8")
        written = [target]
        if csv:
            written += write_csv_files(summary, content, out_dir, prefix)
    except OSError as error:
        print(f"{out_dir}: cannot write the report ({error.strerror or error})", file=sys.stderr)
        return 1
    for path in written:
        print(path)
    return 0


def _settings(path: Path | None) -> KioskSettings:
    chosen = path or default_settings_path()
    try:
        return load_kiosk_settings(chosen, required=path is not None)
    except ContentError as error:
        for problem in error.problems:
            print(problem, file=sys.stderr)
        print(f"{chosen}: using the default settings for this report", file=sys.stderr)
        return KioskSettings()


def _content(path: Path) -> Content | None:
    try:
        return load_content(path)
    except ContentError as error:
        print(
            f"{path}: {error.first}; the report shows slide ids without titles or pictures",
            file=sys.stderr,
        )
        return None
