"""The insights database: stdlib sqlite3 in WAL mode, a schema version table with migrations,
batched writes in one transaction each, and pruning in small steps (no Qt).

Power cuts: every batch is one transaction, committed with `synchronous = FULL` in WAL mode,
so after a crash (or `kill -9`) the file opens, passes `PRAGMA integrity_check`, and holds
every batch that was committed; only the one being written is lost.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from kiosk.insights.storage.events import (
    Event,
    InputRecorded,
    SessionEnded,
    SessionStarted,
    SlideShown,
)

log = logging.getLogger(__name__)

DATABASE_FILE = "insights.sqlite3"
BUSY_TIMEOUT_S = 2.0  # a report reading at the same moment waits this long at most
PRUNE_STEP_ROWS = 500  # rows per table per pruning step: short transactions
VACUUM_STEP_PAGES = 256  # pages handed back to the file system per step (1 MB of 4 KB pages)


@dataclass(frozen=True)
class Migration:
    """SQL statements that take the schema from `version - 1` to `version`."""

    version: int
    purpose: str
    statements: tuple[str, ...]


MIGRATIONS: tuple[Migration, ...] = (
    Migration(
        1,
        "slides shown, visitor sessions and inputs",
        (
            """CREATE TABLE slides_shown (
                id INTEGER PRIMARY KEY,
                started REAL NOT NULL,
                ended REAL NOT NULL,
                slide_id TEXT NOT NULL,
                slide_index INTEGER NOT NULL,
                language TEXT NOT NULL,
                mode TEXT NOT NULL,
                session_id INTEGER,
                continued INTEGER NOT NULL DEFAULT 0
            )""",
            "CREATE INDEX slides_shown_started ON slides_shown (started)",
            """CREATE TABLE sessions (
                id INTEGER PRIMARY KEY,
                started REAL NOT NULL,
                ended REAL,
                last_input REAL,
                language TEXT NOT NULL,
                slides_visited INTEGER,
                language_switches INTEGER,
                inputs INTEGER,
                exit_slide_id TEXT
            )""",
            "CREATE INDEX sessions_started ON sessions (started)",
            """CREATE TABLE inputs (
                id INTEGER PRIMARY KEY,
                at REAL NOT NULL,
                session_id INTEGER,
                slide_id TEXT NOT NULL,
                kind TEXT NOT NULL,
                target TEXT NOT NULL,
                x REAL,
                y REAL,
                x_end REAL,
                y_end REAL,
                language TEXT NOT NULL,
                canvas_width INTEGER NOT NULL,
                canvas_height INTEGER NOT NULL,
                text_scale REAL NOT NULL,
                release TEXT
            )""",
            "CREATE INDEX inputs_at ON inputs (at)",
        ),
    ),
)
SCHEMA_VERSION = MIGRATIONS[-1].version
TABLES = (("inputs", "at"), ("slides_shown", "started"), ("sessions", "started"))


class NewerSchemaError(sqlite3.DatabaseError):
    """The database was made by a newer kiosk release; this one neither reads nor writes it."""


def default_database_path() -> Path:
    """insights.sqlite3 in the platform data folder (~/.local/share/kiosk on Linux)."""
    from platformdirs import user_data_dir

    return Path(user_data_dir("kiosk", appauthor=False)) / DATABASE_FILE


def database_path(configured: str | None, settings_file: Path | None) -> Path:
    """The database of `[insights] database` (relative to kiosk.toml), else the default."""
    if not configured:
        return default_database_path()
    path = Path(configured).expanduser()
    if not path.is_absolute() and settings_file is not None:
        path = settings_file.parent / path
    return path


def connect(path: Path, *, timeout: float = BUSY_TIMEOUT_S) -> sqlite3.Connection:
    """Open (creating when needed) the database for writing: WAL, FULL sync, migrated."""
    path.parent.mkdir(parents=True, exist_ok=True)
    connection = sqlite3.connect(
        path, timeout=timeout, isolation_level=None, check_same_thread=False
    )
    try:
        # Before the first table exists: lets pruning hand pages back to the file system.
        connection.execute("PRAGMA auto_vacuum = INCREMENTAL")
        connection.execute("PRAGMA journal_mode = WAL")
        connection.execute("PRAGMA synchronous = FULL")
        migrate(connection)
    except BaseException:
        connection.close()
        raise
    return connection


def connect_for_reading(path: Path) -> sqlite3.Connection:
    """Open an existing database without changing it (for reports and status)."""
    if not path.is_file():
        raise FileNotFoundError(path)
    uri = f"{path.resolve().as_uri()}?mode=ro"
    connection = sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT_S)
    try:
        version = schema_version(connection)
    except sqlite3.OperationalError:
        # A copy in a read-only folder has no -shm file and cannot get one: read it as is.
        connection.close()
        connection = sqlite3.connect(f"{path.resolve().as_uri()}?immutable=1", uri=True)
        version = schema_version(connection)
    if version > SCHEMA_VERSION:
        connection.close()
        raise NewerSchemaError(
            f"{path} has schema {version}, made by a newer kiosk; this one reads up to "
            f"{SCHEMA_VERSION}"
        )
    if version < SCHEMA_VERSION:
        connection.close()
        connect(path).close()  # bring it up to date, then read it
        return connect_for_reading(path)
    return connection


def schema_version(connection: sqlite3.Connection) -> int:
    """The schema version recorded in the database (0 for a new, empty one)."""
    exists = connection.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'"
    ).fetchone()
    if exists is None:
        return 0
    row = connection.execute("SELECT version FROM schema_version").fetchone()
    return int(row[0]) if row is not None else 0


def migrate(connection: sqlite3.Connection, migrations: Sequence[Migration] = MIGRATIONS) -> int:
    """Apply the migrations newer than the database's version, in one transaction.

    Returns the version reached; raises NewerSchemaError for a database from a newer release.
    """
    connection.execute("BEGIN IMMEDIATE")
    try:
        connection.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)")
        current = schema_version(connection)
        newest = migrations[-1].version
        if current > newest:
            raise NewerSchemaError(
                f"the database has schema {current}, made by a newer kiosk; "
                f"this one writes up to {newest}"
            )
        for migration in migrations:
            if migration.version > current:
                for statement in migration.statements:
                    connection.execute(statement)
                log.info("insights database: schema %d (%s)", migration.version, migration.purpose)
        connection.execute("DELETE FROM schema_version")
        connection.execute(
            "INSERT INTO schema_version (version) VALUES (?)", (max(current, newest),)
        )
        connection.execute("COMMIT")
    except BaseException:
        connection.execute("ROLLBACK")
        raise
    return max(current, newest)


def write_batch(
    connection: sqlite3.Connection, events: Iterable[Event], sessions: dict[int, int]
) -> dict[int, int]:
    """Write `events` in one transaction; returns the new session numbers -> row ids.

    `sessions` maps the recorder's session numbers to rows written before. Nothing is
    remembered from a batch that fails: the caller keeps the events and tries again.
    """
    added: dict[int, int] = {}

    def row_of(session: int | None) -> int | None:
        if session is None:
            return None
        return added.get(session, sessions.get(session))

    connection.execute("BEGIN IMMEDIATE")
    try:
        for event in events:
            if isinstance(event, SlideShown):
                connection.execute(
                    "INSERT INTO slides_shown (started, ended, slide_id, slide_index, language,"
                    " mode, session_id, continued) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        event.started,
                        event.ended,
                        event.slide_id,
                        event.slide_index,
                        event.language,
                        event.mode,
                        row_of(event.session),
                        int(event.continued),
                    ),
                )
            elif isinstance(event, InputRecorded):
                layout = event.layout
                connection.execute(
                    "INSERT INTO inputs (at, session_id, slide_id, kind, target, x, y, x_end,"
                    " y_end, language, canvas_width, canvas_height, text_scale, release)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        event.at,
                        row_of(event.session),
                        event.slide_id,
                        event.kind,
                        event.target,
                        event.x,
                        event.y,
                        event.x_end,
                        event.y_end,
                        layout.language,
                        layout.canvas_width,
                        layout.canvas_height,
                        layout.text_scale,
                        layout.release,
                    ),
                )
            elif isinstance(event, SessionStarted):
                cursor = connection.execute(
                    "INSERT INTO sessions (started, language) VALUES (?, ?)",
                    (event.started, event.language),
                )
                if cursor.lastrowid is not None:
                    added[event.session] = cursor.lastrowid
            elif isinstance(event, SessionEnded):
                row = row_of(event.session)
                if row is not None:  # its start was dropped while the disk was full
                    connection.execute(
                        "UPDATE sessions SET ended = ?, last_input = ?, slides_visited = ?,"
                        " language_switches = ?, inputs = ?, exit_slide_id = ? WHERE id = ?",
                        (
                            event.ended,
                            event.last_input,
                            event.slides_visited,
                            event.language_switches,
                            event.inputs,
                            event.exit_slide_id,
                            row,
                        ),
                    )
        connection.execute("COMMIT")
    except BaseException:
        if connection.in_transaction:
            connection.execute("ROLLBACK")
        raise
    return added


def used_bytes(connection: sqlite3.Connection) -> int:
    """Bytes the records take (the file's pages less the free ones)."""
    pages = connection.execute("PRAGMA page_count").fetchone()[0]
    free = connection.execute("PRAGMA freelist_count").fetchone()[0]
    size = connection.execute("PRAGMA page_size").fetchone()[0]
    return int((pages - free) * size)


def prune_step(
    connection: sqlite3.Connection,
    *,
    before: float,
    max_bytes: int,
    limit: int = PRUNE_STEP_ROWS,
) -> int:
    """Delete up to `limit` rows per table older than `before`, and the oldest `limit` rows
    per table while the records pass `max_bytes`; hand freed pages back. Returns rows deleted
    (0 when there is nothing left to do)."""
    over_cap = used_bytes(connection) > max_bytes
    deleted = 0
    connection.execute("BEGIN IMMEDIATE")
    try:
        for table, column in TABLES:
            deleted += connection.execute(
                f"DELETE FROM {table} WHERE id IN "  # table and column names from TABLES
                f"(SELECT id FROM {table} WHERE {column} < ? ORDER BY {column} LIMIT ?)",
                (before, limit),
            ).rowcount
            if over_cap:
                deleted += connection.execute(
                    f"DELETE FROM {table} WHERE id IN "
                    f"(SELECT id FROM {table} ORDER BY {column} LIMIT ?)",
                    (limit,),
                ).rowcount
        connection.execute("COMMIT")
    except BaseException:
        if connection.in_transaction:
            connection.execute("ROLLBACK")
        raise
    if deleted:
        # executescript steps the pragma to its end; execute() would free a single page.
        connection.executescript(f"PRAGMA incremental_vacuum({VACUUM_STEP_PAGES})")
    return deleted


def local_midnight(when: float) -> float:
    """The local midnight that starts the day of `when` (UTC seconds)."""
    day = datetime.fromtimestamp(when).replace(hour=0, minute=0, second=0, microsecond=0)
    return day.timestamp()


def sessions_since(connection: sqlite3.Connection, since: float) -> int:
    """How many visitor sessions started at or after `since`."""
    row = connection.execute("SELECT COUNT(*) FROM sessions WHERE started >= ?", (since,))
    return int(row.fetchone()[0])


def is_corrupt(error: sqlite3.Error) -> bool:
    """True when SQLite says the file is damaged or not a database at all."""
    name = getattr(error, "sqlite_errorname", "") or ""
    return name.startswith(("SQLITE_CORRUPT", "SQLITE_NOTADB"))
