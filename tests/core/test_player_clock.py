"""The Player on the hall's clock, with a fake clock: standby and waking, a clock jump, dated
slides at midnight, touches in standby, and screens in step on the common timeline."""

from __future__ import annotations

import time
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from kiosk.content import load_content, parse_content
from kiosk.content.model import Content
from kiosk.core.player import Mode, Overlay, Player

DECKS = Path(__file__).resolve().parents[1] / "fixtures" / "decks"
SHANGHAI = ZoneInfo("Asia/Shanghai")


class Clocks:
    """A monotonic and a wall clock moved by hand; `jump` moves the wall clock alone."""

    def __init__(self, wall: str) -> None:
        self.mono = 1000.0
        self.wall = datetime.fromisoformat(wall).replace(tzinfo=SHANGHAI).timestamp()

    def advance(self, seconds: float) -> None:
        self.mono += seconds
        self.wall += seconds

    def jump(self, seconds: float) -> None:
        self.wall += seconds

    def player(self, content: Content, **options: object) -> Player:
        return Player(
            content,
            clock=lambda: self.mono,
            wall_clock=lambda: self.wall,
            **options,  # type: ignore[arg-type]
        )


@pytest.fixture(scope="module")
def hall() -> Content:
    return load_content(DECKS / "hall.yaml")


def ids(player: Player) -> list[str]:
    return [slide.id for slide in player.content.slides]


def test_the_show_sleeps_at_closing_and_wakes_on_the_cover_in_the_default_language(
    qtbot, hall: Content
) -> None:
    clocks = Clocks("2026-12-01T16:59:00")  # a Tuesday, open until 17:00
    player = clocks.player(hall)
    assert not player.standby
    player.set_language("en")
    player.go_to(2)
    changes: list[bool] = []
    player.standby_changed.connect(changes.append)
    clocks.advance(60)
    player.check_clock()
    assert player.standby and changes == [True]
    assert player.dwell_remaining_ms() == -1
    assert not player.next()  # nothing navigates in standby
    clocks.advance(15 * 3600 + 49 * 60)  # Wednesday 08:49
    player.check_clock()
    assert player.standby
    clocks.advance(60)  # 08:50: ten minutes before opening
    player.check_clock()
    assert changes == [True, False]
    assert (player.index, player.language, player.mode) == (0, "zh", Mode.ATTRACT)


def test_the_next_change_has_a_timer_of_its_own(qtbot, hall: Content) -> None:
    # A real timer, no re-check: the wall clock runs, 0.3 s before closing time.
    closing = datetime(2026, 12, 1, 17, 0, tzinfo=SHANGHAI).timestamp()
    origin = time.monotonic()
    player = Player(hall, wall_clock=lambda: closing - 0.3 + (time.monotonic() - origin))
    with qtbot.waitSignal(player.standby_changed, timeout=3000) as blocker:
        pass
    assert blocker.args == [True]


def test_a_clock_jump_is_caught_by_the_minutes_recheck(qtbot, hall: Content) -> None:
    clocks = Clocks("2026-12-02T12:00:00")
    player = clocks.player(hall)
    assert not player.standby
    clocks.jump(6 * 3600)  # NTP or a person set the clock to 18:00
    player.check_clock()
    assert player.standby
    clocks.jump(-6 * 3600)  # and back
    player.check_clock()
    assert not player.standby


def test_a_visitor_is_not_cut_off_at_closing_time(qtbot, hall: Content) -> None:
    clocks = Clocks("2026-12-01T16:59:30")
    player = clocks.player(hall)
    player.report_user_input()
    player.next()
    clocks.advance(31)
    player.check_clock()
    assert not player.standby  # the visitor is still here
    clocks.advance(hall.settings.idle_timeout)
    player.check_idle()
    assert player.standby  # the idle return goes to standby, not to the loop


def test_a_dated_slide_joins_the_loop_at_midnight_without_a_restart(qtbot, hall: Content) -> None:
    clocks = Clocks("2026-11-30T23:59:30")
    player = clocks.player(hall)
    assert ids(player) == ["cover", "one", "two"]
    assert [s.id for s in player.full_content.slides] == ["cover", "one", "winter", "two"]
    player.go_to_id("two") if not player.standby else None
    clocks.advance(30)
    with qtbot.waitSignal(player.content_changed, timeout=100):
        player.check_clock()
    assert ids(player) == ["cover", "one", "winter", "two"]
    clocks.advance(34 * 86400)  # 2027-01-04 00:00: the day after show_until
    player.check_clock()
    assert ids(player) == ["cover", "one", "two"]


def test_a_touch_in_standby_wakes_the_show_only_when_the_setting_says(qtbot) -> None:
    def deck(screen: str) -> Content:
        return parse_content(
            b"settings: {timezone: Asia/Shanghai, idle_timeout: 30, hours: {mon-sun: "
            + f"'09:00-17:00'}}, standby: {{screen: {screen}}}}}\n".encode()
            + b"slides: [{id: a, type: text, title: A, body: a}, {id: b, type: text, "
            b"title: B, body: b}]\n"
        )

    clocks = Clocks("2026-12-01T20:00:00")
    black = clocks.player(deck("black"))  # default for black: no
    black.report_user_input()
    assert black.standby and black.mode is Mode.ATTRACT
    black.set_overlay(Overlay.STAFF)  # staff can still open the keypad
    assert black.overlay is Overlay.STAFF

    lit = clocks.player(deck("clock"))  # default for clock and logo: yes
    lit.report_user_input()
    assert not lit.standby and lit.mode is Mode.INTERACTIVE and lit.index == 0
    assert not lit.next()  # the touch that woke the show only woke it
    clocks.advance(1)
    assert lit.next()
    clocks.advance(31)  # the idle timeout: back to standby, the hall is still closed
    lit.check_idle()
    assert lit.standby


SYNCED = b"""
settings: {default_duration: 4, transition: fade, transition_duration: 1, sync: wall_clock}
slides:
  - {id: a, type: text, title: A, body: a}
  - {id: b, type: text, title: B, body: b, duration: 6}
  - {id: c, type: text, title: C, body: c}
"""


def test_two_synced_players_created_seconds_apart_agree_on_slide_and_moment(qtbot) -> None:
    content = parse_content(SYNCED)
    clocks = Clocks("2026-12-01T10:00:00")
    first = clocks.player(content)
    first.set_lead_in_times([1.5, 1.5, 1.5])  # what a stage reports: fade + entrance
    clocks.advance(3.7)
    second = clocks.player(content)
    second.set_lead_in_times([1.5, 1.5, 1.5])
    loop = sum(first.slot_seconds(i) for i in range(3))
    assert loop == pytest.approx(5.5 + 7.5 + 5.5)
    seen = set()
    for _ in range(40):  # 40 instants, 1.3 s apart: several laps of the loop
        clocks.advance(1.3)
        first.check_clock()
        second.check_clock()
        assert first.index == second.index
        assert first.slot_progress() == pytest.approx(second.slot_progress(), abs=1e-6)
        expected = (clocks.wall % loop) - sum(first.slot_seconds(i) for i in range(first.index))
        assert first.slot_progress() == pytest.approx(expected, abs=0.003)  # boundary slack
        seen.add(first.index)
    assert seen == {0, 1, 2}


def test_the_idle_return_joins_the_timeline_where_it_is(qtbot) -> None:
    content = parse_content(SYNCED)
    clocks = Clocks("2026-12-01T10:00:00")
    player = clocks.player(content)
    reference = clocks.player(content)  # never touched
    player.report_user_input()  # a visitor takes this screen off the timeline
    player.next()
    assert player.slot_progress() is None
    clocks.advance(content.settings.idle_timeout + 0.5)
    reference.check_clock()
    player.check_idle()
    assert player.mode is Mode.ATTRACT
    assert player.index == reference.index
    assert player.slot_progress() == pytest.approx(reference.slot_progress(), abs=1e-6)


def test_a_films_length_and_the_stages_lead_in_make_the_slot(qtbot) -> None:
    content = parse_content(SYNCED)
    clocks = Clocks("2026-12-01T10:00:00")
    player = clocks.player(content)
    assert player.slot_seconds(1) == pytest.approx(1 + 6)  # no stage yet: the transition
    player.set_lead_in_times([2.0, 2.5, 2.0])
    player.set_dwell_seconds("b", 42.0)  # a film with play: once
    assert player.slot_seconds(1) == pytest.approx(2.5 + 42)
    player.set_dwell_seconds("b", None)
    assert player.slot_seconds(1) == pytest.approx(2.5 + 6)


def test_a_content_edit_re_derives_the_timeline(qtbot) -> None:
    content = parse_content(SYNCED)
    clocks = Clocks("2026-12-01T10:00:00")
    player = clocks.player(content)
    longer = parse_content(SYNCED.replace(b"default_duration: 4", b"default_duration: 9"))
    player.set_content(longer)
    fresh = clocks.player(longer)
    assert (player.index, player.slot_progress()) == (fresh.index, fresh.slot_progress())


def test_without_sync_attract_mode_runs_as_before(qtbot, hall: Content) -> None:
    clocks = Clocks("2026-12-02T12:00:00")
    player = clocks.player(hall)
    assert player.slot_progress() is None and player.timeline_phase() is None
    player.notify_entrance_finished(0)
    assert player.dwell_remaining_ms() > 0  # the dwell after the entrance, as always
