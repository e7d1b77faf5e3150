"""The insights database and its writer thread: schema and migrations, batches, pruning,
today's count, and a database that cannot be written (statistics lost, never the show)."""

from __future__ import annotations

import ast
import logging
import sqlite3
import time
from datetime import datetime
from pathlib import Path

import pytest

from kiosk.insights import status_summary
from kiosk.insights.storage import database
from kiosk.insights.storage.database import Migration, connect, migrate, prune_step
from kiosk.insights.storage.events import (
    InputRecorded,
    Layout,
    SessionEnded,
    SessionStarted,
    SlideShown,
)
from kiosk.insights.storage.layout import release_of
from kiosk.insights.storage.recorder import InsightsRecorder

STORAGE = Path(__file__).resolve().parents[2] / "src" / "kiosk" / "insights" / "storage"
DAY = datetime(2025, 3, 14, 10, 0).timestamp()
LAYOUT = Layout("zh", 1920, 1080, 1.0, None)


def shown(started: float, seconds: float = 10.0, slide: str = "cover", **kw) -> SlideShown:
    values = dict(slide_index=0, language="zh", mode="attract", session=None, continued=False)
    values.update(kw)
    return SlideShown(started, started + seconds, slide, **values)


def tap(at: float, session: int | None, x: float = 0.5, y: float = 0.5) -> InputRecorded:
    return InputRecorded(at, session, "cover", "tap", "slide", x, y, None, None, LAYOUT)


def rows(path: Path, sql: str) -> list[tuple]:
    with sqlite3.connect(path) as connection:
        return connection.execute(sql).fetchall()


def test_the_storage_imports_no_qt() -> None:
    for path in STORAGE.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            assert not any(n.startswith(("PySide6", "pyqtgraph")) for n in names), path.name


def test_a_new_database_is_wal_with_the_current_schema(tmp_path: Path) -> None:
    path = tmp_path / "deep" / "folder" / "insights.sqlite3"
    connection = connect(path)
    assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert connection.execute("PRAGMA auto_vacuum").fetchone()[0] == 2  # incremental
    assert database.schema_version(connection) == database.SCHEMA_VERSION
    connection.close()
    connect(path).close()  # opening again changes nothing
    assert rows(path, "SELECT version FROM schema_version") == [(database.SCHEMA_VERSION,)]


def test_a_later_migration_adds_a_column_and_keeps_the_rows(tmp_path: Path) -> None:
    path = tmp_path / "insights.sqlite3"
    connection = connect(path)
    database.write_batch(connection, [shown(DAY)], {})
    later = (
        *database.MIGRATIONS,
        Migration(
            database.SCHEMA_VERSION + 1,
            "a screen column",
            ("ALTER TABLE slides_shown ADD COLUMN screen TEXT DEFAULT 'main'",),
        ),
    )
    assert migrate(connection, later) == database.SCHEMA_VERSION + 1
    assert connection.execute("SELECT slide_id, screen FROM slides_shown").fetchall() == [
        ("cover", "main")
    ]
    # This release does not write a database a newer one made, nor does it read it.
    with pytest.raises(database.NewerSchemaError):
        migrate(connection)
    connection.close()
    with pytest.raises(database.NewerSchemaError):
        database.connect_for_reading(path)


def test_a_batch_writes_sessions_and_links_their_rows(tmp_path: Path) -> None:
    connection = connect(tmp_path / "insights.sqlite3")
    first = database.write_batch(
        connection,
        [SessionStarted(7, DAY, "zh"), tap(DAY, 7), shown(DAY, mode="interactive", session=7)],
        {},
    )
    assert list(first) == [7]
    database.write_batch(connection, [SessionEnded(7, DAY + 60, DAY + 1, 2, 1, 1, "cover")], first)
    assert connection.execute(
        "SELECT started, ended, last_input, slides_visited, language_switches, inputs,"
        " exit_slide_id FROM sessions"
    ).fetchall() == [(DAY, DAY + 60, DAY + 1, 2, 1, 1, "cover")]
    row = first[7]
    assert connection.execute("SELECT session_id FROM inputs").fetchall() == [(row,)]
    assert connection.execute("SELECT session_id FROM slides_shown").fetchall() == [(row,)]


def test_a_failed_batch_leaves_nothing_behind(tmp_path: Path) -> None:
    connection = connect(tmp_path / "insights.sqlite3")
    broken = shown(DAY, slide=None)  # type: ignore[arg-type] - NOT NULL fails mid-batch
    with pytest.raises(sqlite3.IntegrityError):
        database.write_batch(connection, [SessionStarted(1, DAY, "zh"), broken], {})
    assert connection.execute("SELECT COUNT(*) FROM sessions").fetchone() == (0,)


def test_pruning_deletes_old_rows_in_small_steps(tmp_path: Path) -> None:
    connection = connect(tmp_path / "insights.sqlite3")
    old = [shown(DAY - 500 * 86400 + n) for n in range(30)]
    database.write_batch(connection, [*old, shown(DAY)], {})
    cutoff = DAY - 400 * 86400
    steps = []
    while deleted := prune_step(connection, before=cutoff, max_bytes=10**9, limit=12):
        steps.append(deleted)
    assert steps == [12, 12, 6]
    assert connection.execute("SELECT started FROM slides_shown").fetchall() == [(DAY,)]


def test_the_size_cap_deletes_the_oldest_first_and_gives_the_space_back(tmp_path: Path) -> None:
    path = tmp_path / "insights.sqlite3"
    connection = connect(path)
    batch = [tap(DAY + n, None, x=n / 20000) for n in range(20000)]
    database.write_batch(connection, batch, {})
    connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    before = path.stat().st_size
    cap = before // 2
    while prune_step(connection, before=0, max_bytes=cap, limit=2000):
        pass
    connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    assert database.used_bytes(connection) <= cap
    assert path.stat().st_size < before * 0.75  # freed pages went back to the file system
    left = connection.execute("SELECT MIN(at), MAX(at) FROM inputs").fetchone()
    assert left[1] == DAY + 19999 and left[0] > DAY + 5000  # the newest rows stayed


def test_the_recorder_writes_in_batches_from_its_thread(tmp_path: Path) -> None:
    path = tmp_path / "insights.sqlite3"
    recorder = InsightsRecorder(path, flush_interval_s=0.05, clock=lambda: DAY + 30)
    session = recorder.new_session()
    recorder.record(SessionStarted(session, DAY, "zh"))
    recorder.record(tap(DAY, session))
    deadline = time.monotonic() + 10
    while recorder.pending and time.monotonic() < deadline:
        time.sleep(0.02)  # the interval writes them, nobody asks
    assert recorder.pending == 0
    assert recorder.visitors_today() == 1
    recorder.record(SessionStarted(recorder.new_session(), DAY + 5, "en"))
    assert recorder.visitors_today() == 2  # queued ones count at once
    recorder.close()
    assert rows(path, "SELECT language FROM sessions ORDER BY id") == [("zh",), ("en",)]
    assert len(rows(path, "SELECT * FROM inputs")) == 1


def test_yesterdays_visitors_are_not_todays(tmp_path: Path) -> None:
    recorder = InsightsRecorder(tmp_path / "i.sqlite3", clock=lambda: DAY, flush_interval_s=60)
    recorder.record(SessionStarted(recorder.new_session(), DAY - 86400, "zh"))
    recorder.record(SessionStarted(recorder.new_session(), DAY - 60, "zh"))
    assert recorder.flush()
    assert recorder.visitors_today() == 1
    recorder.close()


class _Switchable:
    """Opens the database through a connection that fails the way `how` says, until fixed."""

    def __init__(self, how: str) -> None:
        self.how = how
        self.broken = True

    def __call__(self, path: Path) -> sqlite3.Connection:
        connection = connect(path, timeout=0.05)
        if self.broken and self.how == "read-only":
            connection.execute("PRAGMA query_only = ON")  # SQLITE_READONLY on every write
        elif self.broken and self.how == "full":
            pages = connection.execute("PRAGMA page_count").fetchone()[0]
            connection.execute(f"PRAGMA max_page_count = {pages}")  # SQLITE_FULL
        return connection


@pytest.mark.parametrize("how", ["read-only", "full", "locked"])
def test_a_database_that_cannot_be_written_is_logged_once_and_caught_up_later(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, how: str
) -> None:
    path = tmp_path / "insights.sqlite3"
    connect(path).close()
    opener = _Switchable(how)
    holder = None
    if how == "locked":  # another program holds the write lock
        holder = sqlite3.connect(path, isolation_level=None)
        holder.execute("BEGIN EXCLUSIVE")
    recorder = InsightsRecorder(
        path, connect=opener, flush_interval_s=0.02, retry_first_s=0.01, clock=lambda: DAY
    )
    caplog.set_level(logging.INFO, logger="kiosk.insights")
    try:
        for n in range(8):
            for m in range(50):  # more than the free space of the pages the file has
                recorder.record(shown(DAY + n * 50 + m, 1.0))
            recorder.flush(timeout=5)
        assert recorder.failing is not None
        warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
        assert len(warnings) == 1, [r.getMessage() for r in warnings]
        assert "cannot write" in warnings[0].getMessage()
        assert "the show goes on" in warnings[0].getMessage()
        opener.broken = False
        if holder is not None:
            holder.execute("ROLLBACK")
        deadline = time.monotonic() + 10
        while recorder.pending and time.monotonic() < deadline:
            recorder.flush(timeout=1)
        assert recorder.failing is None
        assert any(
            "writing" in r.getMessage() and "again" in r.getMessage() for r in caplog.records
        )
    finally:
        recorder.close()
        if holder is not None:
            holder.close()
    assert len(rows(path, "SELECT * FROM slides_shown")) == 400  # nothing lost meanwhile


def test_a_damaged_file_is_kept_aside_and_a_new_one_started(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "insights.sqlite3"
    path.write_bytes(b"this is not a database, it is a text file saved over it\n" * 200)
    recorder = InsightsRecorder(path, flush_interval_s=60, clock=lambda: DAY)
    recorder.record(shown(DAY))
    assert recorder.flush()
    recorder.close()
    assert len(rows(path, "SELECT * FROM slides_shown")) == 1
    kept = list(tmp_path.glob("insights.sqlite3.damaged-*"))
    assert len(kept) == 1 and kept[0].read_bytes().startswith(b"this is not")
    assert any("damaged" in r.getMessage() for r in caplog.records)


def test_status_summary_counts_todays_visitors(tmp_path: Path) -> None:
    path = tmp_path / "insights.sqlite3"
    assert status_summary(path)["visitors_today"] == 0
    assert status_summary(path)["problem"]
    connection = connect(path)
    sessions = [SessionStarted(n, DAY - 86400 * (n % 2) + n, "zh") for n in range(1, 6)]
    database.write_batch(connection, [*sessions, shown(DAY - 3 * 86400)], {})
    connection.close()
    summary = status_summary(path)
    assert summary["exists"] and summary["problem"] is None
    assert summary["records_since"] == datetime.fromtimestamp(DAY - 3 * 86400).date().isoformat()
    assert summary["size_bytes"] > 0
    # Sessions 1, 3 and 5 were the day before: that day counts 2 and 4.
    from kiosk.insights.storage.summary import status_summary as at_time

    assert at_time(path, now=DAY + 3600)["visitors_today"] == 2


@pytest.mark.parametrize(
    ("manifest", "release"),
    [
        ('{"version": "2025.03.1", "files": []}', "2025.03.1"),
        ('{"version": 7}', "7"),
        ('{"files": []}', None),
        ("not json", None),
        (None, None),
    ],
)
def test_the_release_comes_from_the_manifest(tmp_path: Path, manifest, release) -> None:
    if manifest is not None:
        (tmp_path / "manifest.json").write_text(manifest, encoding="utf-8")
    assert release_of(tmp_path) == release


def test_the_database_setting_is_relative_to_kiosk_toml(tmp_path: Path) -> None:
    settings = tmp_path / "etc" / "kiosk.toml"
    assert database.database_path("data/i.sqlite3", settings) == tmp_path / "etc/data/i.sqlite3"
    assert database.database_path("/var/k/i.sqlite3", settings) == Path("/var/k/i.sqlite3")
    assert database.database_path(None, settings).name == "insights.sqlite3"
