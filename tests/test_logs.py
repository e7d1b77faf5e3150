"""Logs that cannot fill the disk: rotation, repeated messages folded, an atomic status file."""

from __future__ import annotations

import io
import logging
import logging.handlers
import secrets
from collections.abc import Iterator
from pathlib import Path

import pytest

import kiosk.logs
from kiosk.logs import BACKUPS, LOG_FILE, STATUS_FILE, RepeatFilter, setup_logging, write_status


@pytest.fixture
def repeat_log(fake_clock) -> Iterator[tuple[logging.Logger, io.StringIO]]:
    """A logger writing bare messages through a RepeatFilter on the fake clock."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.Formatter("%(message)s"))
    handler.addFilter(RepeatFilter(window_s=600.0, clock=fake_clock))
    logger = logging.getLogger(f"kiosk.test.repeat.{secrets.token_hex(4)}")
    logger.propagate = False
    logger.setLevel(logging.INFO)
    logger.addHandler(handler)
    yield logger, stream
    logger.removeHandler(handler)


def test_a_message_repeated_every_frame_is_written_once_then_counted(
    repeat_log, fake_clock
) -> None:
    logger, stream = repeat_log
    for _ in range(1000):
        logger.warning("projector %d is too hot", 3)
        fake_clock.advance(0.016)  # a frame: 16 s in all, well inside the window
    assert stream.getvalue().splitlines() == ["projector 3 is too hot"]
    fake_clock.advance(600)
    logger.warning("projector %d is too hot", 3)
    logger.warning("projector %d is too hot", 3)  # a new window has begun
    assert stream.getvalue().splitlines() == [
        "projector 3 is too hot",
        "projector 3 is too hot (repeated 999 more times)",
    ]


def test_distinct_messages_are_all_written(repeat_log) -> None:
    logger, stream = repeat_log
    for number in range(50):
        logger.warning("slide %d failed", number)
    logger.error("slide %d failed", 0)  # same text, another level: another message
    assert len(stream.getvalue().splitlines()) == 51


@pytest.fixture
def kiosk_logging() -> Iterator[None]:
    """Undo setup_logging(): remove and close its handlers, restore the root level."""
    root = logging.getLogger()
    level = root.level
    yield
    for handler in list(root.handlers):
        if getattr(handler, "_kiosk", False):
            root.removeHandler(handler)
            handler.close()
    root.setLevel(level)


def _rotating_handler() -> logging.handlers.RotatingFileHandler:
    found = [
        h
        for h in logging.getLogger().handlers
        if isinstance(h, logging.handlers.RotatingFileHandler) and getattr(h, "_kiosk", False)
    ]
    assert len(found) == 1
    return found[0]


def test_setup_logging_rotates_the_file_keeping_backups(
    tmp_path: Path, monkeypatch, kiosk_logging
) -> None:
    monkeypatch.setattr(kiosk.logs, "MAX_BYTES", 1000)
    assert setup_logging(tmp_path) == tmp_path
    handler = _rotating_handler()
    assert Path(handler.baseFilename) == tmp_path / LOG_FILE
    assert handler.maxBytes == 1000
    assert handler.backupCount == BACKUPS
    for number in range(400):  # ~40 KB: far more rotations than there are backups
        handler.emit(logging.makeLogRecord({"msg": f"event {number:04d} " + "x" * 80}))
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == sorted([LOG_FILE] + [f"{LOG_FILE}.{n}" for n in range(1, BACKUPS + 1)])
    for path in tmp_path.iterdir():
        assert path.stat().st_size <= 1000
    assert "event 0399" in (tmp_path / LOG_FILE).read_text()


def test_setup_logging_writes_each_message_to_the_log_file(tmp_path: Path, kiosk_logging) -> None:
    setup_logging(tmp_path)
    logging.getLogger("kiosk.test").warning("the projector is too hot")
    _rotating_handler().flush()
    assert "the projector is too hot" in (tmp_path / LOG_FILE).read_text()


def test_write_status_replaces_the_file_atomically(tmp_path: Path) -> None:
    write_status(tmp_path, "OK: 6 slides\n\n")
    status = tmp_path / STATUS_FILE
    assert status.read_text() == "OK: 6 slides\n"
    with status.open(encoding="utf-8") as reader:  # a staff tool reading the old file
        write_status(tmp_path, "PROBLEM: content.yaml:3:5: bad colour\n" * 20)
        assert reader.read() == "OK: 6 slides\n"  # never rewritten in place: replaced whole
    assert status.read_text() == "PROBLEM: content.yaml:3:5: bad colour\n" * 20
    assert sorted(p.name for p in tmp_path.iterdir()) == [STATUS_FILE]  # no .tmp left


def test_write_status_without_a_folder_never_raises(tmp_path: Path, caplog) -> None:
    write_status(None, "OK")  # no log folder: nothing to do
    write_status(tmp_path / "gone", "OK")  # unwritable: a warning, the show goes on
    assert "cannot write" in caplog.text
