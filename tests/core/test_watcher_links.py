"""The content folder is a link that is switched, not edited (a fleet's ROOT/current)."""

from __future__ import annotations

from pathlib import Path

from kiosk.content import load_content
from kiosk.core.watcher import ContentWatcher
from kiosk.fleet.files import switch_link

GOOD = "slides:\n  - {{id: a, type: text, title: {title}, body: b}}\n"
NO_POLL_MS = 600_000  # only the file-system watch can notice anything within the test


def _release(root: Path, version: int, title: str) -> None:
    folder = root / "releases" / str(version)
    folder.mkdir(parents=True)
    (folder / "content.yaml").write_text(GOOD.format(title=title), encoding="utf-8")


def test_a_switched_link_is_seen_without_the_poll_and_again_after(qtbot, tmp_path: Path) -> None:
    for version, title in ((1, "one"), (2, "two"), (3, "three")):
        _release(tmp_path, version, title)
    switch_link(tmp_path / "current", "releases/1")
    path = tmp_path / "current" / "content.yaml"
    watcher = ContentWatcher(path, load_content(path), poll_ms=NO_POLL_MS)
    watcher.start()
    loaded: list[str] = []
    watcher.content_loaded.connect(lambda content: loaded.append(content.slides[0].title.en))
    switch_link(tmp_path / "current", "releases/2")
    qtbot.waitUntil(lambda: loaded == ["two"], timeout=3000)
    # the watches moved with the link: an edit inside the new folder is seen too
    (tmp_path / "releases" / "2" / "content.yaml").write_text(GOOD.format(title="edited"))
    qtbot.waitUntil(lambda: loaded == ["two", "edited"], timeout=3000)
    switch_link(tmp_path / "current", "releases/3")
    qtbot.waitUntil(lambda: loaded == ["two", "edited", "three"], timeout=3000)
    watcher.stop()


def test_the_old_folders_events_no_longer_count(qtbot, tmp_path: Path) -> None:
    _release(tmp_path, 1, "one")
    _release(tmp_path, 2, "two")
    switch_link(tmp_path / "current", "releases/1")
    path = tmp_path / "current" / "content.yaml"
    watcher = ContentWatcher(path, load_content(path), poll_ms=NO_POLL_MS)
    watcher.start()
    loaded: list[str] = []
    watcher.content_loaded.connect(lambda content: loaded.append(content.slides[0].title.en))
    switch_link(tmp_path / "current", "releases/2")
    qtbot.waitUntil(lambda: loaded == ["two"], timeout=3000)
    (tmp_path / "releases" / "1" / "content.yaml").write_text(GOOD.format(title="stale"))
    qtbot.wait(600)  # the old release changed: nothing the show plays
    assert loaded == ["two"]
    watcher.stop()
