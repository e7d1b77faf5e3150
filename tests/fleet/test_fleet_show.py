"""The show on ROOT/current/content.yaml: it follows each sync, falls back to the last good
release when one does not load, and warns staff when its release has expired."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from kiosk.app import ShowOptions, build_show, startup_content
from kiosk.content import load_content
from kiosk.core.release_notice import ReleaseNotice
from kiosk.core.watcher import ContentWatcher
from kiosk.fleet.files import switch_link
from kiosk.last_good import MEDIA_DIR, LastGoodContent
from kiosk.ui.live import LiveContent
from kiosk.ui.presenter import PresenterWindow

if TYPE_CHECKING:
    from fleet_bench import Fleet

pytest_plugins = ["fleet_bench"]  # the nginx, keys and fleet fixtures

BROKEN = "slides:\n  - {id: x, type: cover, title: [not, text]}\n"


@dataclass
class RunningShow:
    """The show's parts as run_show wires them, on the kiosk's ROOT/current/content.yaml."""

    show: object
    live: LiveContent
    notice: ReleaseNotice
    presenter: PresenterWindow
    statuses: list[str]
    last_good: LastGoodContent

    @property
    def title(self) -> str:
        return self.show.player.content.slides[0].title.en  # type: ignore[attr-defined]


@pytest.fixture
def run_show(fleet: Fleet, font_family: str, qtbot, tmp_path: Path) -> Iterator[Callable]:
    shows: list[RunningShow] = []

    def start() -> RunningShow:
        path = fleet.root / "current" / "content.yaml"
        content = load_content(path)
        show = build_show(content, path.parent, font_family, kiosk=False, animation_scale=0.0)
        show.window.resize(1280, 720)
        statuses: list[str] = []
        watcher = ContentWatcher(path, content, poll_ms=200, parent=show.player)
        live = LiveContent(watcher, show.player, show.stage, write_status=statuses.append)
        last_good = LastGoodContent(path, tmp_path / "state")
        last_good.remember()
        watcher.content_loaded.connect(lambda _content: last_good.remember())
        notice = ReleaseNotice(path, check_ms=200, parent=show.player)
        notice.notice_changed.connect(live.set_notice)
        watcher.content_loaded.connect(lambda _content: notice.check_now())
        presenter = PresenterWindow(show.stage)
        live.status_changed.connect(presenter.set_status)
        watcher.start()
        notice.start()
        running = RunningShow(show, live, notice, presenter, statuses, last_good)
        shows.append(running)
        return running

    yield start
    for running in shows:
        running.presenter.close()
        running.show.window.allow_close()  # type: ignore[attr-defined]
        running.show.window.close()  # type: ignore[attr-defined]


def test_the_show_follows_a_sync(fleet: Fleet, run_show, qtbot) -> None:
    fleet.publish("First")
    fleet.sync()
    running = run_show()
    assert running.title == "First"
    fleet.publish("Second", picture=1)
    fleet.sync()
    qtbot.waitUntil(lambda: running.title == "Second", timeout=5000)
    assert running.statuses[-1].startswith("OK ")


def test_a_release_the_show_cannot_load_falls_back_to_the_last_good_one(
    fleet: Fleet, run_show, qtbot, tmp_path: Path
) -> None:
    fleet.publish("First")
    fleet.sync()
    fleet.publish("Second", picture=1)
    running = run_show()
    # Release 2 arrives, then its content.yaml is damaged on this kiosk's disk (the checks
    # of the sync make a release that does not load a rare thing, not an impossible one).
    fleet.sync()
    qtbot.waitUntil(lambda: running.title == "Second", timeout=5000)
    switch_link(fleet.root / "current", "releases/1")
    qtbot.waitUntil(lambda: running.title == "First", timeout=5000)
    damaged = fleet.root / "releases" / "2" / "content.yaml"
    temporary = damaged.with_name(".damaged")
    temporary.write_text(BROKEN, encoding="utf-8")
    temporary.replace(damaged)
    switch_link(fleet.root / "current", "releases/2")
    qtbot.waitUntil(lambda: running.statuses[-1].startswith("PROBLEM"), timeout=5000)
    assert running.title == "First"  # the last good release stays on screen
    assert "keeps the last good content" in running.statuses[-1]
    assert running.presenter.status_label.text() == running.statuses[-1]

    # a restart with the damaged release in current: the last good release comes back,
    # with its pictures read from its own release folder (which the sync keeps)
    statuses: list[str] = []
    path = fleet.root / "current" / "content.yaml"
    startup = startup_content(
        ShowOptions(path), LastGoodContent(path, tmp_path / "state"), statuses.append
    )
    assert startup.content is not None and startup.problems
    assert startup.content.slides[0].title.en == "First"
    assert startup.media_dir == (fleet.root / "releases" / "1").resolve()
    assert not (running.last_good.folder / MEDIA_DIR).exists()  # no copies of a release
    assert "showing its last good copy" in statuses[0]


def test_an_expired_release_keeps_playing_and_warns_staff(
    fleet: Fleet, run_show, qtbot, caplog
) -> None:
    caplog.set_level(logging.INFO)
    fleet.publish("Old", expires_days=1, now=datetime.now(UTC) - timedelta(days=3))
    fleet.sync()
    running = run_show()
    assert running.title == "Old"
    assert "WARNING: release 1 expired on" in running.statuses[-1]
    assert "frozen" in running.presenter.status_label.text()
    assert any("release 1 expired on" in r.getMessage() for r in caplog.records)
    fleet.publish("Fresh", picture=1)
    fleet.sync()
    qtbot.waitUntil(lambda: running.title == "Fresh", timeout=5000)
    qtbot.waitUntil(lambda: "WARNING" not in running.statuses[-1], timeout=5000)
    assert "WARNING" not in running.presenter.status_label.text()
