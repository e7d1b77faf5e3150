"""The per-kiosk settings file (kiosk.toml): defaults when absent, located problems when wrong."""

from __future__ import annotations

from pathlib import Path

import pytest

from kiosk.cli import main
from kiosk.content.errors import ContentError
from kiosk.content.kiosk_settings import (
    KioskSettings,
    load_kiosk_settings,
    locate_toml,
    parse_kiosk_settings,
)

REPO = Path(__file__).resolve().parents[2]


def test_a_missing_file_means_the_defaults(tmp_path: Path) -> None:
    assert load_kiosk_settings(tmp_path / "kiosk.toml") == KioskSettings()


def test_a_missing_file_named_on_the_command_line_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ContentError) as raised:
        load_kiosk_settings(tmp_path / "kiosk.toml", required=True)
    expected = f"{tmp_path / 'kiosk.toml'}:1:1: error: the settings file does not exist"
    assert str(raised.value.first) == expected


def test_the_name_is_read() -> None:
    assert parse_kiosk_settings(b'name = "Hall A entrance"\n').name == "Hall A entrance"


def test_an_unknown_key_is_located_with_a_suggestion() -> None:
    with pytest.raises(ContentError) as raised:
        parse_kiosk_settings(b'# this kiosk\n\n  nmae = "Hall A"\n', source="k.toml")
    assert [str(p) for p in raised.value.problems] == [
        'k.toml:3:3: error: unknown key "nmae" (did you mean "name"?)'
    ]


def test_a_wrong_type_is_located_at_its_key() -> None:
    with pytest.raises(ContentError) as raised:
        parse_kiosk_settings(b"name = 12\n", source="k.toml")
    assert (
        str(raised.value.first)
        == 'k.toml:1:1: error: "name" must be text, got the number 12: write it in quotes ("12")'
    )


def test_a_toml_syntax_error_is_located() -> None:
    with pytest.raises(ContentError) as raised:
        parse_kiosk_settings(b'name = "a"\nname2 = \n', source="k.toml")
    problem = raised.value.first
    assert (problem.line, problem.severity) == (2, "error")
    assert problem.message.startswith("TOML syntax error")


def test_keys_are_found_inside_their_table() -> None:
    text = 'url = "top"\n[fleet]\n# x\nurl = "https://example"\n'
    assert locate_toml(text, ("fleet", "url")) == (4, 1)
    assert locate_toml(text, ("fleet", "pubkey")) == (2, 1)  # missing: at its table
    assert locate_toml(text, ("url",)) == (1, 1)


def test_kiosk_check_reports_the_settings_file_too(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    settings = tmp_path / "kiosk.toml"
    settings.write_text('name = "ok"\ncolour = "red"\n', encoding="utf-8")
    assert main(["check", str(REPO / "content.yaml"), "--settings", str(settings)]) == 1
    captured = capsys.readouterr()
    assert captured.out.splitlines() == [f'{settings}:2:1: error: unknown key "colour"']
    assert f"{settings}: 1 error; this kiosk plays on the hall's settings" in captured.err
    assert "content.yaml: " not in captured.err  # the content itself is fine


def test_the_accessibility_section_is_read_and_located() -> None:
    text = b'[accessibility]\nlarger_text = true\nread_aloud_key = "F13"\nscreen_reader = false\n'
    own = parse_kiosk_settings(text).accessibility
    assert (own.larger_text, own.read_aloud_key, own.screen_reader) == (True, "F13", False)
    assert own.reduce_motion is None  # not written: the hall's default stays
    with pytest.raises(ContentError) as raised:
        parse_kiosk_settings(b"[accessibility]\n\nlarger_txt = true\n", source="k.toml")
    assert str(raised.value.first) == (
        'k.toml:3:1: error: unknown key "larger_txt" (did you mean "larger_text"?)'
    )


def test_accessibility_merges_defaults_content_kiosk_then_command_line(tmp_path: Path) -> None:
    from kiosk.app import ShowOptions, merge_settings
    from kiosk.content import parse_content

    content = parse_content(
        b"settings:\n  accessibility: {reduce_motion: true, larger_text: true}\n"
        b"slides:\n  - {id: a, type: text, title: A, body: B}\n"
    )
    kiosk = parse_kiosk_settings(b"[accessibility]\nlarger_text = false\nhigh_contrast = true\n")
    options = ShowOptions(tmp_path / "content.yaml")
    merged = merge_settings(content, options, kiosk).settings.accessibility
    # content.yaml over the defaults, kiosk.toml over content.yaml
    assert (merged.reduce_motion, merged.larger_text, merged.high_contrast) == (True, False, True)
    assert merged.read_aloud is False and merged.idle_warning == 20.0  # built-in defaults
    command_line = ShowOptions(tmp_path / "content.yaml", larger_text=True, reduce_motion=False)
    merged = merge_settings(content, command_line, kiosk).settings.accessibility
    assert (merged.reduce_motion, merged.larger_text, merged.high_contrast) == (False, True, True)
