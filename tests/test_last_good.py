"""The last good content: one copy per content file (by the path as given), shown with the same
pictures the good show had, and a calm staff screen when a file has no copy of its own."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtGui import QColor, QImage

from kiosk.app import ShowOptions, build_show, startup_content
from kiosk.content import ContentError, load_content
from kiosk.last_good import MEDIA_DIR, LastGoodContent
from show_process import show_env

PICTURE = "#2ec4b6"
GOOD_CONTENT = """\
settings: {default_duration: 600, transition: none}
slides:
  - {id: welcome, type: text, title: Welcome, body: Hello}
  - id: garden
    type: gallery
    title: Garden
    images: [{image: img/garden.png, caption: Spring}]
"""
BROKEN_CONTENT = GOOD_CONTENT.replace("type: gallery", "type: galery") + "  - {id: [\n"


def _folder(root: Path, name: str = "show", *, picture: bool = True) -> Path:
    """A content folder with content.yaml and (unless told otherwise) its one picture."""
    folder = root / name
    (folder / "img").mkdir(parents=True)
    if picture:
        image = QImage(320, 240, QImage.Format.Format_RGB32)
        image.fill(QColor(PICTURE))
        assert image.save(str(folder / "img" / "garden.png"))
    (folder / "content.yaml").write_text(GOOD_CONTENT, encoding="utf-8")
    return folder


@pytest.fixture
def content_folder(tmp_path: Path, qapp) -> Path:
    return _folder(tmp_path)


def test_each_content_file_keeps_its_own_copy(tmp_path: Path, content_folder: Path) -> None:
    state = tmp_path / "state"
    main, other = content_folder / "content.yaml", content_folder / "other.yaml"
    other.write_text(GOOD_CONTENT.replace("Welcome", "Other show"), encoding="utf-8")
    LastGoodContent(main, state).remember()
    LastGoodContent(other, state).remember()
    assert LastGoodContent(main, state).path != LastGoodContent(other, state).path
    assert LastGoodContent(main, state).path.read_text(encoding="utf-8") == GOOD_CONTENT
    assert not LastGoodContent(main, state).path.is_relative_to(content_folder)


def test_a_broken_file_without_a_copy_of_its_own_never_plays_another_show(
    tmp_path: Path, content_folder: Path
) -> None:
    state = tmp_path / "state"
    LastGoodContent(content_folder / "content.yaml", state).remember()
    other = content_folder / "other.yaml"
    other.write_text(BROKEN_CONTENT, encoding="utf-8")
    assert LastGoodContent(other, state).load() is None


def test_a_broken_file_at_start_falls_back_to_its_last_good_copy_and_pictures(
    tmp_path: Path, content_folder: Path
) -> None:
    path = content_folder / "content.yaml"
    last_good = LastGoodContent(path, tmp_path / "state")
    load_content(path)
    last_good.remember()
    path.write_text(BROKEN_CONTENT, encoding="utf-8")  # a typo, then a power cut
    with pytest.raises(ContentError):
        load_content(path)

    fallback = LastGoodContent(path, tmp_path / "state").load()  # the next start
    assert fallback is not None
    assert [slide.id for slide in fallback.content.slides] == ["welcome", "garden"]
    assert fallback.media_dir == content_folder  # the folder stays put: no copies needed
    assert not (last_good.folder / MEDIA_DIR).exists()


def test_through_a_switched_link_the_copy_keeps_its_pictures(
    tmp_path: Path, content_folder: Path
) -> None:
    """A folder reached through a link may be switched to one that lacks the good show's
    pictures: those the good content used are kept beside its copy."""
    link = tmp_path / "current"
    link.symlink_to(content_folder)
    given = link / "content.yaml"
    LastGoodContent(given, tmp_path / "state").remember()
    broken = _folder(tmp_path, "next", picture=False)
    (broken / "content.yaml").write_text(BROKEN_CONTENT, encoding="utf-8")
    switched = tmp_path / "current.new"
    switched.symlink_to(broken)
    switched.replace(link)

    fallback = LastGoodContent(given, tmp_path / "state").load()
    assert fallback is not None
    kept = fallback.media_dir / "img" / "garden.png"
    assert kept.is_file()
    assert not kept.is_relative_to(content_folder) and not kept.is_relative_to(broken)
    assert QImage(str(kept)).pixelColor(5, 5) == QColor(PICTURE)


def test_a_fleet_release_keeps_its_own_pictures(tmp_path: Path, content_folder: Path) -> None:
    """A release folder (it has a manifest.json) is kept by the fleet sync: no copies."""
    (content_folder / "manifest.json").write_text("{}", encoding="utf-8")
    link = tmp_path / "current"
    link.symlink_to(content_folder)
    last_good = LastGoodContent(link / "content.yaml", tmp_path / "state")
    last_good.remember()
    broken = _folder(tmp_path, "next", picture=False)
    (broken / "content.yaml").write_text(BROKEN_CONTENT, encoding="utf-8")
    link.unlink()
    link.symlink_to(broken)

    fallback = last_good.load()
    assert fallback is not None
    assert fallback.media_dir == content_folder.resolve()  # the previous release
    assert not (last_good.folder / MEDIA_DIR).exists()


def test_the_last_good_copy_is_checked_against_the_folder_of_its_pictures(
    tmp_path: Path, content_folder: Path, caplog
) -> None:
    path = content_folder / "content.yaml"
    last_good = LastGoodContent(path, tmp_path / "state")
    last_good.remember()
    outside = tmp_path / "outside"
    (content_folder / "img").rename(outside)
    (content_folder / "img").symlink_to(outside)  # now img/ leads out of the content folder
    assert last_good.load() is None
    assert "does not load either" in caplog.text


def test_without_a_copy_there_is_no_fallback(tmp_path: Path, content_folder: Path) -> None:
    assert LastGoodContent(content_folder / "content.yaml", tmp_path / "state").load() is None


def test_the_fallback_show_paints_the_good_shows_pictures(
    tmp_path: Path, content_folder: Path, font_family: str, qtbot
) -> None:
    link = tmp_path / "current"
    link.symlink_to(content_folder)
    given = link / "content.yaml"
    LastGoodContent(given, tmp_path / "state").remember()
    broken = _folder(tmp_path, "next", picture=False)
    (broken / "content.yaml").write_text(BROKEN_CONTENT, encoding="utf-8")
    link.unlink()
    link.symlink_to(broken)

    statuses: list[str] = []
    startup = startup_content(
        ShowOptions(given), LastGoodContent(given, tmp_path / "state"), statuses.append
    )
    assert startup.content is not None and startup.problems
    assert "showing its last good copy" in statuses[0]
    show = build_show(
        startup.content, startup.media_dir, font_family, kiosk=False, animation_scale=0.0
    )
    show.window.resize(1280, 720)
    show.player.go_to_id("garden")
    frame = show.stage.render_frame()
    show.window.close()
    assert show.stage._media.failed == frozenset()  # no placeholder
    # Across the middle of the gallery's picture, wherever the screen's shape puts it.
    layout = show.stage.views[show.player.index].layout(
        show.stage.placement().canvas, show.player.language
    )
    picture = layout.items[0].stage
    left, right = (
        show.stage.to_widget(picture.topLeft()),
        show.stage.to_widget(picture.bottomRight()),
    )
    y = round((left.y() + right.y()) / 2)
    colours = {frame.pixelColor(x, y).name() for x in range(round(left.x()), round(right.x()), 8)}
    assert PICTURE in colours, colours


def test_a_broken_file_without_a_copy_shows_the_staff_screen_until_it_loads(
    tmp_path: Path, start_show
) -> None:
    folder = _folder(tmp_path)
    path = folder / "content.yaml"
    path.write_text(BROKEN_CONTENT, encoding="utf-8")
    show = start_show(show_env(tmp_path), str(path))
    show.wait_for("showing the staff screen")
    assert f"{path}:" in show.stderr and ": error: " in show.stderr  # located problems
    _rewrite(path, GOOD_CONTENT).replace(path)  # an editor's atomic save
    show.wait_for(f"showing {path}: 2 slides")
    assert show.process.poll() is None


def _rewrite(path: Path, text: str) -> Path:
    temporary = path.with_name(".content.yaml.swp")
    temporary.write_text(text, encoding="utf-8")
    return temporary
