"""The screen-reader mirror of the stage, offscreen (tests/e2e/test_atspi.py reads it over a
real AT-SPI bus): names, places, buttons a reader can press, nothing left over."""

from __future__ import annotations

from kiosk.core.player import Overlay


def _tree(show):
    tree = show.accessibility_tree
    assert tree is not None
    tree.refresh()  # offscreen no reader listens, so the test asks for it
    return tree


def test_the_slide_is_a_panel_named_by_its_title_with_its_text(make_show) -> None:
    show = make_show(start_index=1)
    tree = _tree(show)
    assert tree.slide_name() == "一"
    assert tree.texts() == ["一", "one"]
    names = tree.button_names()
    assert names[:2] == ["无障碍选项", "切换语言：English"]
    assert "第2张：一" in names and "章节：历史" in names and names[-2:] == ["上一张", "下一张"]


def test_a_reader_presses_buttons_like_taps(make_show) -> None:
    show = make_show()
    tree = _tree(show)
    tree.press("下一张")
    assert show.player.index == 1
    tree = _tree(show)
    tree.press("切换语言：English")
    tree = _tree(show)
    assert tree.slide_name() == "一" and "Next slide" in tree.button_names()
    tree.press("Chapter: Garden")
    assert show.player.index == 4


def test_the_panels_choices_are_switches_that_say_their_state(make_show) -> None:
    show = make_show()
    show.player.set_overlay(Overlay.ACCESS)
    tree = _tree(show)
    assert tree.switches() == {"减少动态效果": False, "放大文字": False, "高对比度": False}
    assert "无障碍选项" not in tree.button_names()  # under the panel: out of reach
    tree.press("放大文字")
    assert show.player.choices.larger_text
    assert _tree(show).switches()["放大文字"] is True
    tree.press("暂停播放")
    assert show.player.paused and "继续播放" in _tree(show).button_names()


def test_nothing_is_left_over_from_the_slide_before(make_show) -> None:
    show = make_show()
    show.player.set_overlay(Overlay.ACCESS)
    assert "关闭" in _tree(show).button_names()
    show.player.set_overlay(Overlay.NONE)
    show.player.go_to(3)
    tree = _tree(show)
    assert tree.texts() == ["三", "three"]
    assert "关闭" not in tree.button_names() and tree.switches() == {}
    show.player.set_blackout(True)
    assert _tree(show).texts() == [] and _tree(show).slide_name() == ""  # blacked out
