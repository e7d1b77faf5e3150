"""A visitor's accessibility choices in the Player: they last for the session and the idle
reset returns the hall's defaults; pause; the 20-second idle warning; speech holds the show."""

from __future__ import annotations

import pytest

from kiosk.content import parse_content
from kiosk.content.model import Content
from kiosk.core.player import Choices, Mode, Overlay, Player

DECK = b"""
settings:
  default_duration: 2
  idle_timeout: 60
  accessibility: {reduce_motion: true}
slides:
  - {id: a, type: text, title: A, body: a}
  - {id: b, type: text, title: B, body: b}
  - {id: c, type: text, title: C, body: c}
"""


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def deck() -> Content:
    return parse_content(DECK)


def test_choices_start_at_the_halls_defaults_and_change_with_a_signal(qtbot, deck) -> None:
    player = Player(deck)
    assert player.choices == Choices(reduce_motion=True) == player.hall_choices()
    with qtbot.waitSignal(player.choices_changed, timeout=100):
        player.toggle_choice("larger_text")
    assert player.choices.larger_text and player.text_scale == pytest.approx(1.3)
    with qtbot.assertNotEmitted(player.choices_changed):
        player.set_choice("larger_text", True)  # no change, no signal
    with pytest.raises(ValueError, match="unknown accessibility choice"):
        player.set_choice("bigger", True)


def test_the_idle_reset_returns_the_halls_defaults_even_while_autoplaying(qtbot, deck) -> None:
    clock = Clock()
    player = Player(deck, clock=clock)
    player.set_choice("high_contrast", True)
    player.set_choice("reduce_motion", False)
    player.resume_autoplay()  # the visitor pressed Play and walked away
    assert player.mode is Mode.ATTRACT
    clock.now += 39
    player.check_idle()
    assert player.idle_countdown == -1
    clock.now += 2  # 41 s: the last 20 s are the warning
    player.check_idle()
    assert player.idle_countdown == 19
    clock.now += 20
    player.check_idle()
    assert player.choices == player.hall_choices() == Choices(reduce_motion=True)
    assert (player.index, player.idle_countdown) == (0, -1)


def test_the_idle_warning_lasts_twenty_seconds_even_with_a_short_timeout(qtbot) -> None:
    deck = parse_content(
        b"settings: {idle_timeout: 5}\nslides:\n  - {id: a, type: text, title: A, body: a}\n"
        b"  - {id: b, type: text, title: B, body: b}\n"
    )
    clock = Clock()
    player = Player(deck, clock=clock)
    player.report_user_input()
    player.next()
    shown: list[int] = []
    player.idle_countdown_changed.connect(shown.append)
    for _ in range(40):
        clock.now += 1
        player.check_idle()
    # a quiet 10 s, then 20 s counted down, then the reset (WCAG 2.2.1: 20 s to react)
    assert shown[0] == 20 and shown[1:20] == list(range(19, 0, -1)) and shown[-1] == -1
    assert player.index == 0


def test_one_tap_during_the_warning_keeps_the_session(qtbot, deck) -> None:
    clock = Clock()
    player = Player(deck, clock=clock)
    player.report_user_input()
    player.set_choice("larger_text", True)
    clock.now += 50
    player.check_idle()
    assert player.idle_countdown == 10
    player.report_user_input()
    assert player.idle_countdown == -1 and player.choices.larger_text


def test_the_reset_never_interrupts_speech_and_the_full_warning_follows(qtbot, deck) -> None:
    clock = Clock()
    player = Player(deck, clock=clock)
    player.report_user_input()
    player.set_choice("read_aloud", True)
    player.set_speaking(True)
    clock.now += 300  # far past the timeout, still speaking
    player.check_idle()
    assert player.choices.read_aloud and player.idle_countdown == -1
    player.set_speaking(False)
    clock.now += 1
    player.check_idle()
    assert player.idle_countdown == 20  # the whole warning, after the speech
    clock.now += 20
    player.check_idle()
    assert not player.choices.read_aloud  # then the reset


def test_pause_stops_autoplay_and_play_resumes_it(qtbot, deck) -> None:
    player = Player(deck, time_scale=0.01)
    player.notify_entrance_finished(0)
    player.set_choice("paused", True)
    assert player.paused and player.mode is Mode.INTERACTIVE
    with qtbot.assertNotEmitted(player.position_changed, wait=120):
        pass
    with qtbot.waitSignal(player.position_changed, timeout=2000):
        player.set_choice("paused", False)  # Play: attract mode from here
    assert player.mode is Mode.ATTRACT and not player.paused


def test_play_behind_the_panel_moves_on_once_the_panel_closes(qtbot, deck) -> None:
    player = Player(deck, time_scale=0.01)
    player.notify_entrance_finished(0)
    player.set_overlay(Overlay.ACCESS)
    player.set_choice("paused", True)
    player.set_choice("paused", False)
    with qtbot.assertNotEmitted(player.position_changed, wait=100):
        pass  # the dwell ran out behind the panel
    with qtbot.waitSignal(player.position_changed, timeout=2000):
        player.set_overlay(Overlay.NONE)


def test_autoplay_waits_for_the_end_of_a_slides_speech(qtbot, deck) -> None:
    player = Player(deck, time_scale=0.01)
    player.notify_entrance_finished(0)
    player.set_speaking(True)
    with qtbot.assertNotEmitted(player.position_changed, wait=120):
        pass
    with qtbot.waitSignal(player.position_changed, timeout=100) as moved:
        player.set_speaking(False)
    assert moved.args == [1, 1]


def test_new_content_follows_the_new_defaults_unless_a_visitor_chose(qtbot, deck) -> None:
    player = Player(deck)
    quiet = parse_content(DECK.replace(b"reduce_motion: true", b"high_contrast: true"))
    player.set_content(quiet)
    assert player.choices == Choices(high_contrast=True)
    player.set_choice("larger_text", True)
    player.set_content(deck)
    assert player.choices == Choices(high_contrast=True, larger_text=True)  # the visitor's


def test_read_aloud_cannot_be_chosen_where_the_hall_does_not_offer_it(qtbot) -> None:
    deck = parse_content(
        b"settings: {accessibility: {offer_read_aloud: false}}\n"
        b"slides:\n  - {id: a, type: text, title: A, body: a}\n"
    )
    player = Player(deck)
    player.set_choice("read_aloud", True)
    assert not player.choices.read_aloud
