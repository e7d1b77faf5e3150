"""The Player owns position, language, mode and the autoplay clock; signals fire on change only."""

from __future__ import annotations

import pytest

from kiosk.content import parse_content
from kiosk.content.model import Content
from kiosk.core.player import Mode, Overlay, Player

DECK = b"""
settings: {default_duration: 2, loop: true}
slides:
  - {id: a, type: text, title: A, body: a}
  - {id: b, type: text, title: B, body: b, duration: 3}
  - {id: c, type: text, title: C, body: c}
"""


@pytest.fixture
def deck() -> Content:
    return parse_content(DECK)


def test_next_previous_and_jumps_emit_only_on_real_change(qtbot, deck: Content) -> None:
    player = Player(deck)
    moves: list[tuple[int, int]] = []
    player.position_changed.connect(lambda index, direction: moves.append((index, direction)))
    assert player.next()
    assert player.previous()
    assert not player.go_to(0)  # already there: no signal
    assert player.go_to_id("c")
    assert not player.go_to_id("nope")
    assert player.next()  # loops to the first
    assert moves == [(1, 1), (0, -1), (2, 1), (0, 1)]


def test_autoplay_advances_after_the_slide_duration_once_the_entrance_is_done(
    qtbot,
    deck: Content,
) -> None:
    player = Player(deck, time_scale=0.01)  # 2 s dwell -> 20 ms
    player.notify_entrance_finished(0)
    with qtbot.waitSignal(player.position_changed, timeout=2000) as blocker:
        pass
    assert blocker.args == [1, 1]
    assert player.dwell_remaining_ms() == -1  # the next dwell waits for the next entrance


def test_interactive_mode_stops_autoplay(qtbot, deck: Content) -> None:
    player = Player(deck, time_scale=0.01)
    player.notify_entrance_finished(0)
    player.set_mode(Mode.INTERACTIVE)
    with qtbot.assertNotEmitted(player.position_changed, wait=100):
        pass
    player.notify_entrance_finished(0)
    assert player.dwell_remaining_ms() == -1


def test_a_stale_entrance_report_does_not_start_the_clock(deck: Content, qtbot) -> None:
    player = Player(deck)
    player.next()
    player.notify_entrance_finished(0)  # the old slide's entrance, reported late
    assert player.dwell_remaining_ms() == -1
    player.notify_entrance_finished(1)
    # Slide b's own 3 s, not the deck's 2 s (a coarse timer is ±5 %; a loaded machine may
    # take a few hundred ms between starting the timer and reading it).
    assert 2500 <= player.dwell_remaining_ms() <= 3150


def test_language_changes_only_to_an_offered_language(deck: Content, qtbot) -> None:
    player = Player(deck)
    changes: list[str] = []
    player.language_changed.connect(changes.append)
    player.set_language("en")
    player.set_language("en")
    player.set_language("fr")  # type: ignore[arg-type]
    assert changes == ["en"]


def test_new_content_keeps_the_current_slide_by_id(deck: Content, qtbot) -> None:
    player = Player(deck)
    player.go_to_id("b")
    reordered = parse_content(
        b"slides:\n  - {id: c, type: text, title: C, body: c}\n"
        b"  - {id: b, type: text, title: B, body: new}\n"
    )
    with qtbot.waitSignal(player.content_changed, timeout=100):
        player.set_content(reordered)
    assert player.index == 1
    assert player.content.slides[player.index].id == "b"


def test_autoplay_never_stays_stuck_when_no_entrance_is_reported(qtbot, deck: Content) -> None:
    # e.g. a covered window gets no paint events: the safety net moves on after the slide's
    # own time plus a grace period.
    player = Player(deck, time_scale=0.005, stall_grace_s=0.1)  # 2 s x 0.005 + 0.1 s
    with qtbot.waitSignal(player.position_changed, timeout=3000) as blocker:
        pass
    assert blocker.args == [1, 1]


def test_a_film_read_while_its_slide_stands_stretches_the_running_dwell(
    qtbot, deck: Content
) -> None:
    player = Player(deck, time_scale=0.01)
    player.next()
    player.notify_entrance_finished(1)
    assert player.dwell_remaining_ms() <= 35  # its duration: 3 s at time scale 0.01
    player.set_dwell_seconds("b", 0.125)  # its film's length arrives from the probe
    assert player.dwell_seconds(1) == 0.125
    assert 100 <= player.dwell_remaining_ms() <= 140  # a coarse timer
    player.set_dwell_seconds("b", None)
    assert player.dwell_seconds(1) == pytest.approx(0.03)


def test_audible_is_one_question_answered_by_blackout_and_panels(qtbot, deck: Content) -> None:
    player = Player(deck)
    heard: list[bool] = []
    player.audible_changed.connect(heard.append)
    assert player.audible()
    player.set_blackout(True)
    player.set_overlay(Overlay.HELP)  # still silent: no second signal
    player.set_blackout(False)
    player.set_overlay(Overlay.OVERVIEW)
    player.set_overlay(Overlay.NONE)
    assert heard == [False, True]
    player.set_overlay(Overlay.STAFF)  # the keypad is not a panel visitors read
    assert player.audible()


def test_standby_is_not_audible(qtbot) -> None:
    from datetime import datetime
    from pathlib import Path
    from zoneinfo import ZoneInfo

    from kiosk.content import load_content

    hall = load_content(Path(__file__).resolve().parents[1] / "fixtures" / "decks" / "hall.yaml")
    wall = [datetime(2026, 12, 1, 16, 59, tzinfo=ZoneInfo("Asia/Shanghai")).timestamp()]
    player = Player(hall, wall_clock=lambda: wall[0])  # a Tuesday, open until 17:00
    heard: list[bool] = []
    player.audible_changed.connect(heard.append)
    assert player.audible()
    wall[0] += 120
    player.check_clock()
    assert player.standby and not player.audible() and heard == [False]
