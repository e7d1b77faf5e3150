"""Saves as editors make them: in place, renamed over the file, deleted and re-created."""

from __future__ import annotations

from pathlib import Path

import pytest

from kiosk.content import load_content
from kiosk.core.watcher import ContentWatcher

GOOD = "slides:\n  - {{id: a, type: text, title: {title}, body: b}}\n"


def _write_in_place(path: Path, text: str) -> None:
    with path.open("w", encoding="utf-8") as handle:  # truncate and write the same inode
        handle.write(text)


def _rename_over(path: Path, text: str) -> None:
    temporary = path.with_name(f".{path.name}.swp")
    temporary.write_text(text, encoding="utf-8")
    temporary.replace(path)  # vim, VS Code: the watched inode disappears


def _delete_and_recreate(path: Path, text: str) -> None:
    path.unlink()
    path.write_text(text, encoding="utf-8")


@pytest.fixture
def content_file(tmp_path: Path) -> Path:
    path = tmp_path / "content.yaml"
    path.write_text(GOOD.format(title="first"), encoding="utf-8")
    return path


def _watcher(path: Path) -> ContentWatcher:
    watcher = ContentWatcher(path, load_content(path), poll_ms=200)
    watcher.start()
    return watcher


@pytest.mark.parametrize("save", [_write_in_place, _rename_over, _delete_and_recreate])
def test_each_way_of_saving_is_applied_once_and_the_next_save_too(
    qtbot, content_file, save
) -> None:
    watcher = _watcher(content_file)
    loaded: list[str] = []
    watcher.content_loaded.connect(lambda content: loaded.append(content.slides[0].title.en))
    save(content_file, GOOD.format(title="second"))
    qtbot.waitUntil(lambda: loaded == ["second"], timeout=3000)
    qtbot.wait(600)  # more events and polls for the same save must not load it again
    assert loaded == ["second"]
    save(content_file, GOOD.format(title="third"))  # the watch survived the first save
    qtbot.waitUntil(lambda: loaded == ["second", "third"], timeout=3000)
    watcher.stop()


def test_a_broken_save_is_reported_once_and_a_later_good_save_is_applied(
    qtbot, content_file
) -> None:
    watcher = _watcher(content_file)
    loaded: list[str] = []
    failed: list[str] = []
    watcher.content_loaded.connect(lambda content: loaded.append(content.slides[0].title.en))
    watcher.content_failed.connect(lambda problems: failed.append(str(problems[0])))
    _rename_over(content_file, 'slides:\n  - {id: a, type: text, title: "oops, body: b}\n')
    qtbot.waitUntil(lambda: len(failed) == 1, timeout=3000)
    assert failed[0].startswith(f"{content_file.absolute()}:2:")
    qtbot.wait(600)
    assert len(failed) == 1  # not reported again on every poll
    _rename_over(content_file, GOOD.format(title="fixed"))
    qtbot.waitUntil(lambda: loaded == ["fixed"], timeout=3000)
    watcher.stop()


def test_a_changed_image_reloads_the_content(qtbot, tmp_path: Path) -> None:
    (tmp_path / "pic.png").write_bytes(b"old")
    path = tmp_path / "content.yaml"
    path.write_text(
        "slides:\n  - id: g\n    type: gallery\n    title: G\n"
        "    images: [{image: pic.png, caption: c}]\n",
        encoding="utf-8",
    )
    watcher = _watcher(path)
    loaded: list[int] = []
    watcher.content_loaded.connect(lambda content: loaded.append(len(content.slides)))
    (tmp_path / "pic.png").write_bytes(b"a new picture, saved by an image editor")
    qtbot.waitUntil(lambda: loaded == [1], timeout=3000)
    watcher.stop()


def test_a_deleted_file_keeps_the_show_and_its_return_is_applied(qtbot, content_file) -> None:
    watcher = _watcher(content_file)
    loaded: list[str] = []
    failed: list[object] = []
    watcher.content_loaded.connect(lambda content: loaded.append(content.slides[0].title.en))
    watcher.content_failed.connect(failed.append)
    content_file.unlink()
    qtbot.wait(700)
    assert loaded == [] and failed == []  # a missing file is a save in progress, not an error
    content_file.write_text(GOOD.format(title="back"), encoding="utf-8")
    qtbot.waitUntil(lambda: loaded == ["back"], timeout=3000)
    watcher.stop()
