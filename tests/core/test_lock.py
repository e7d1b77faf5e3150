"""The staff exit: PIN hashes, where they are stored, the keypad lockout and the corner gesture."""

from __future__ import annotations

import json
import logging
import os
import stat
from pathlib import Path

import pytest

from conftest import FakeClock, FakePinStore
from kiosk.core.lock import (
    CORNER_SIZE,
    EXIT_TAPS,
    EXIT_WINDOW_S,
    MAX_LOCKOUT_S,
    CornerTapDetector,
    StaffLock,
)
from kiosk.core.pin import (
    PIN_HASH_ENV,
    PinStore,
    hash_pin,
    parse,
    set_pin_interactively,
    validate_pin,
    verify_pin,
)

PIN = "1234"


@pytest.fixture(scope="module")
def pin_hash() -> str:
    """One hash of PIN, made once (scrypt is deliberately slow)."""
    return hash_pin(PIN)


# --- the hash ------------------------------------------------------------------------------


def test_hash_has_the_documented_format_and_a_fresh_salt(pin_hash: str) -> None:
    scheme, n, r, p, salt, digest = pin_hash.split("$")
    assert (scheme, n, r, p) == ("scrypt", str(2**14), "8", "1")
    assert (len(salt), len(digest)) == (24, 44)  # base64 of 16 and 32 bytes
    parsed = parse(pin_hash)
    assert len(parsed.salt) == 16 and len(parsed.digest) == 32
    assert PIN not in pin_hash
    assert hash_pin(PIN) != pin_hash  # a new salt every time
    assert hash_pin(PIN, salt=parsed.salt) == pin_hash  # same salt, same hash


def test_verify_accepts_the_pin_and_rejects_others(pin_hash: str) -> None:
    assert verify_pin(PIN, pin_hash)
    assert not verify_pin("1235", pin_hash)
    assert not verify_pin("12345", pin_hash)
    assert not verify_pin("", pin_hash)
    assert not verify_pin("12a4", pin_hash)


@pytest.mark.parametrize(
    ("stored", "says"),
    [
        ("", "6 parts"),
        ("not a hash", "6 parts"),
        ("bcrypt$16384$8$1$AAAA$AAAA", "starts with"),
        ("scrypt$x$8$1$AAAA$AAAA", "whole numbers"),
        ("scrypt$1000$8$1$AAAA$AAAA", "power of 2"),
        ("scrypt$1073741824$8$1$AAAA$AAAA", "out of range"),
        ("scrypt$16384$8$1$!!!!$AAAA", "salt is not valid base64"),
        ("scrypt$16384$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAA", "too short"),
    ],
)
def test_a_malformed_hash_never_verifies_and_parse_says_why(stored: str, says: str) -> None:
    assert not verify_pin(PIN, stored)
    with pytest.raises(ValueError, match=says):
        parse(stored)


@pytest.mark.parametrize(
    ("pin", "says"),
    [
        ("", "empty"),
        ("123", "4 to 12"),
        ("1" * 13, "4 to 12"),
        ("12 4", "only the digits"),
        ("١٢٣٤", "only the digits"),
    ],
)
def test_validate_pin_explains_plainly(pin: str, says: str) -> None:
    with pytest.raises(ValueError, match=says):
        validate_pin(pin)


# --- the store -----------------------------------------------------------------------------


def test_the_environment_variable_beats_the_file(tmp_path: Path, pin_hash: str) -> None:
    other = hash_pin("987654")
    path = tmp_path / "staff.json"
    PinStore(path, environ={}).save(other)
    assert PinStore(path, environ={}).load() == other
    assert PinStore(path, environ={PIN_HASH_ENV: pin_hash}).load() == pin_hash
    assert PinStore(path, environ={PIN_HASH_ENV: "  "}).load() == other  # empty: ignored


def test_save_writes_the_file_atomically_for_this_user_only(tmp_path: Path, pin_hash: str) -> None:
    path = tmp_path / "config" / "kiosk" / "staff.json"
    assert PinStore(path, environ={}).save(pin_hash) == path
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert json.loads(path.read_text(encoding="utf-8")) == {"pin_hash": pin_hash}
    assert sorted(p.name for p in path.parent.iterdir()) == ["staff.json"]  # no temp file left


def test_a_failed_save_keeps_the_old_file_and_leaves_no_temp_file(
    tmp_path: Path, pin_hash: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "staff.json"
    store = PinStore(path, environ={})
    store.save(pin_hash)

    def crash(*_args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", crash)
    with pytest.raises(OSError):
        store.save(hash_pin("55555"))
    assert store.load() == pin_hash
    assert sorted(p.name for p in tmp_path.iterdir()) == ["staff.json"]


def test_save_refuses_a_malformed_hash(tmp_path: Path) -> None:
    with pytest.raises(ValueError):
        PinStore(tmp_path / "staff.json", environ={}).save("1234")
    assert not (tmp_path / "staff.json").exists()


def test_no_pin_loads_none_and_warns_once(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    store = PinStore(tmp_path / "staff.json", environ={})
    with caplog.at_level(logging.WARNING, logger="kiosk.core.pin"):
        assert store.load() is None
        assert store.load() is None
    assert len(caplog.records) == 1
    assert "kiosk set-pin" in caplog.records[0].getMessage()


@pytest.mark.parametrize("text", ["{not json", "[]", '{"pin_hash": 5}', '{"pin_hash": "x$y"}'])
def test_a_broken_settings_file_counts_as_no_pin(tmp_path: Path, text: str) -> None:
    path = tmp_path / "staff.json"
    path.write_text(text, encoding="utf-8")
    assert PinStore(path, environ={}).load() is None


# --- the keypad's lockout ------------------------------------------------------------------


def _type(lock: StaffLock, digits: str) -> bool:
    for digit in digits:
        lock.press_digit(digit)
    return lock.submit()


def test_lockout_grows_and_a_correct_pin_resets_it(qtbot, pin_hash: str) -> None:
    clock = FakeClock()
    lock = StaffLock(FakePinStore(pin_hash), clock=clock)
    failures: list[int] = []
    lock.failed.connect(failures.append)

    assert not _type(lock, "0000")
    assert lock.message == "wrong" and lock.lockout_remaining() == 0
    assert not _type(lock, "0000")
    assert not _type(lock, "0000")  # the third wrong PIN in a row: 30 s
    assert failures == [1, 2, 3]
    assert lock.message == "locked"
    assert lock.locked_until == clock.now + 30
    assert lock.lockout_remaining() == 30

    clock.now += 10
    lock.press_digit("1")  # ignored while locked
    assert lock.entered_length == 0
    assert not _type(lock, PIN)  # even the right PIN is not checked while locked
    assert lock.lockout_remaining() == 20

    clock.now += 20
    assert lock.message == ""  # the lock is over: the line is clean again
    assert not _type(lock, "0000")  # the fourth wrong PIN: 60 s
    assert lock.lockout_remaining() == 60
    clock.now += 60
    assert not _type(lock, "0000")  # then 120 s
    assert lock.lockout_remaining() == 120
    clock.now += 120

    with qtbot.waitSignal(lock.unlocked, timeout=1000):
        assert _type(lock, PIN)
    assert lock.failures == 0 and lock.lockout_remaining() == 0 and lock.message == ""
    assert not _type(lock, "0000")  # counting starts again from one
    assert lock.lockout_remaining() == 0 and failures[-1] == 1


def test_lockout_is_capped_at_an_hour(qtbot, pin_hash: str) -> None:
    clock = FakeClock()
    lock = StaffLock(FakePinStore(pin_hash), clock=clock)
    for _ in range(20):
        _type(lock, "0000")
        clock.now += lock.lockout_remaining()
    _type(lock, "0000")
    assert lock.lockout_remaining() == MAX_LOCKOUT_S


def test_digits_are_capped_and_editable(qtbot, pin_hash: str) -> None:
    lock = StaffLock(FakePinStore(pin_hash), clock=FakeClock())
    changes: list[None] = []
    lock.changed.connect(lambda: changes.append(None))
    for _ in range(15):
        lock.press_digit("7")
    assert lock.entered_length == 12
    lock.backspace()
    assert lock.entered_length == 11
    lock.clear()
    assert lock.entered_length == 0
    assert len(changes) == 14  # 12 digits, one backspace, one clear: nothing else
    with pytest.raises(ValueError):
        lock.press_digit("12")


def test_a_too_short_pin_is_not_counted_as_a_guess(qtbot, pin_hash: str) -> None:
    lock = StaffLock(FakePinStore(pin_hash), clock=FakeClock())
    for _ in range(5):
        assert not _type(lock, "12")
    assert lock.message == "short" and lock.failures == 0 and lock.lockout_remaining() == 0


def test_without_a_pin_the_keypad_says_so_and_never_unlocks(qtbot) -> None:
    lock = StaffLock(FakePinStore(None), clock=FakeClock())
    lock.clear()
    assert lock.message == "no_pin"
    assert not _type(lock, PIN)
    assert lock.message == "no_pin" and lock.failures == 0


def test_the_digits_are_never_logged(
    qtbot, pin_hash: str, caplog: pytest.LogCaptureFixture
) -> None:
    lock = StaffLock(FakePinStore(pin_hash), clock=FakeClock())
    with caplog.at_level(logging.DEBUG):
        for _ in range(4):
            _type(lock, "98765")
        _type(lock, PIN)
    assert caplog.records
    assert not any("98765" in r.getMessage() or PIN in r.getMessage() for r in caplog.records)


# --- the corner gesture --------------------------------------------------------------------


def _taps(
    detector: CornerTapDetector, times: list[float], x: float = 30, y: float = 30
) -> list[bool]:
    return [detector.tap(x, y, t) for t in times]


def test_five_corner_taps_within_three_seconds_open_the_keypad() -> None:
    assert (EXIT_TAPS, EXIT_WINDOW_S, CORNER_SIZE) == (5, 3.0, 120.0)
    assert _taps(CornerTapDetector(), [0.0, 0.5, 1.0, 1.5, 2.0]) == [False] * 4 + [True]
    assert _taps(CornerTapDetector(), [0.0, 0.75, 1.5, 2.25, 3.0])[-1]  # exactly 3 s


def test_four_taps_are_not_enough() -> None:
    assert not any(_taps(CornerTapDetector(), [0.0, 0.2, 0.4, 0.6]))


def test_slow_taps_do_not_count() -> None:
    assert not any(_taps(CornerTapDetector(), [0.0, 0.8, 1.6, 2.4, 3.2, 4.0, 4.8]))


def test_a_tap_outside_the_corner_starts_the_count_again() -> None:
    detector = CornerTapDetector()
    assert not any(_taps(detector, [0.0, 0.1, 0.2, 0.3]))
    assert not detector.tap(500, 30, 0.4)
    assert not detector.tap(30, 30, 0.5)  # the first tap of a new series
    assert _taps(detector, [0.6, 0.7, 0.8, 0.9]) == [False, False, False, True]
    assert not detector.tap(CORNER_SIZE, 10, 1.0)  # the edge is outside


def test_the_gesture_starts_over_after_it_fired() -> None:
    detector = CornerTapDetector()
    assert _taps(detector, [0.0, 0.1, 0.2, 0.3, 0.4])[-1]
    assert not detector.tap(10, 10, 0.5)


# --- `kiosk set-pin` -----------------------------------------------------------------------


def _answers(*answers: str):
    replies = iter(answers)
    return lambda _prompt: next(replies)


def test_set_pin_stores_a_hash_and_says_where(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store = PinStore(tmp_path / "staff.json", environ={})
    assert set_pin_interactively(store, _answers("246810", "246810")) == 0
    stored = store.load()
    assert stored is not None and verify_pin("246810", stored)
    out = capsys.readouterr().out
    assert str(tmp_path / "staff.json") in out and "246810" not in out


def test_set_pin_refuses_a_mismatch(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    store = PinStore(tmp_path / "staff.json", environ={})
    assert set_pin_interactively(store, _answers("246810", "246811")) == 1
    assert "differ" in capsys.readouterr().err
    assert not store.path.exists()


def test_set_pin_refuses_an_invalid_pin(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    store = PinStore(tmp_path / "staff.json", environ={})
    assert set_pin_interactively(store, _answers("12", "12")) == 1
    assert "4 to 12 digits" in capsys.readouterr().err
    assert not store.path.exists()


def test_set_pin_warns_when_the_environment_variable_wins(
    tmp_path: Path, pin_hash: str, capsys: pytest.CaptureFixture[str]
) -> None:
    store = PinStore(tmp_path / "staff.json", environ={PIN_HASH_ENV: pin_hash})
    assert set_pin_interactively(store, _answers("246810", "246810")) == 0
    assert PIN_HASH_ENV in capsys.readouterr().err
