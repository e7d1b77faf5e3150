"""Live content in the running show: applied between animations, broken saves kept from view."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from kiosk.content import load_content
from kiosk.core.player import Mode
from kiosk.core.watcher import ContentWatcher
from kiosk.ui.live import LiveContent

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "decks"


@pytest.fixture
def live_show(tmp_path: Path, make_show, qtbot):
    """The chapters deck copied to tmp, shown and watched; returns (show, live, path, status)."""
    path = tmp_path / "content.yaml"
    shutil.copy(FIXTURES / "chapters.yaml", path)

    def make(**options):
        show = make_show(**options)
        watcher = ContentWatcher(path, load_content(path), poll_ms=200, parent=show.player)
        status: list[str] = []
        live = LiveContent(
            watcher, show.player, show.stage, write_status=status.append, parent=show.player
        )
        watcher.start()
        return show, live, path, status

    return make


def _save(path: Path, text: str) -> None:
    temporary = path.with_name(".content.yaml.tmp")
    temporary.write_text(text, encoding="utf-8")
    temporary.replace(path)


def test_a_good_save_redraws_the_slide_on_screen_and_stays_on_it(live_show, qtbot) -> None:
    show, _live, path, status = live_show()
    show.player.report_user_input()  # paused on a slide, as a visitor left it
    show.player.go_to_id("three")
    before = show.stage.render_frame()
    text = path.read_text(encoding="utf-8").replace("body: three", "body: 三 updated")
    _save(
        path,
        text.replace(
            "  - {id: one,", "  - {id: new, type: text, title: N, body: n}\n  - {id: one,"
        ),
    )
    qtbot.waitUntil(lambda: show.player.content.slides[4].id == "three", timeout=3000)
    assert show.player.content.slides[show.player.index].id == "three"  # same slide, by id
    assert show.player.mode is Mode.INTERACTIVE
    qtbot.waitUntil(lambda: show.stage.render_frame() != before, timeout=2000)
    assert status[-1].startswith("OK ")


def test_a_broken_save_changes_nothing_on_screen_and_tells_staff(live_show, qtbot) -> None:
    show, live, path, status = live_show()
    show.player.report_user_input()
    show.player.go_to_id("two")
    qtbot.waitUntil(lambda: not show.stage.animating, timeout=2000)
    shown = show.stage.render_frame()
    reports: list[tuple[str, bool]] = []
    live.status_changed.connect(lambda text, error: reports.append((text, error)))
    _save(path, "settings: {default_duration: 5}\nslides:\n  - {id: x, type: txt, title: X}\n")
    qtbot.waitUntil(lambda: bool(reports), timeout=3000)
    text, error = reports[-1]
    assert error
    assert f"{path}:3:" in text and 'unknown slide type "txt"' in text
    assert status[-1].startswith("PROBLEM ")
    assert show.player.content.slides[show.player.index].id == "two"
    assert show.stage.render_frame() == shown  # visitors see nothing at all
    _save(
        path,
        (FIXTURES / "chapters.yaml").read_text(encoding="utf-8").replace("body: two", "body: 二"),
    )
    qtbot.waitUntil(lambda: reports[-1][1] is False, timeout=3000)
    assert show.player.content.slides[show.player.index].body.zh == "二"


def test_new_content_waits_for_the_running_transition(live_show, qtbot, fake_clock) -> None:
    show, live, path, _status = live_show(clock=fake_clock, animation_scale=1.0)
    show.player.report_user_input()
    fake_clock.advance(10)
    show.player.next()  # a transition starts and, on the fake clock, does not end by itself
    assert show.stage.animating
    _save(path, path.read_text(encoding="utf-8").replace("body: one", "body: 一!"))
    qtbot.waitUntil(lambda: live.pending is not None, timeout=3000)
    qtbot.wait(300)
    assert show.player.content.slides[1].body.en == "one"  # not in the middle of it
    fake_clock.advance(10)
    show.stage.repaint()  # the transition ends; the entrance begins
    fake_clock.advance(10)
    show.stage.repaint()  # the entrance ends: a still moment
    qtbot.waitUntil(lambda: live.pending is None, timeout=2000)
    assert show.player.content.slides[1].body.en == "一!"
