"""The `kiosk` command as staff use it: check, schema, and no traceback whatever the input."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from kiosk.cli import main
from kiosk.content.schema import SCHEMA_FILE, content_json_schema_text

REPO = Path(__file__).resolve().parents[1]


def test_check_of_the_bundled_content_passes_with_a_summary(
    capsys: pytest.CaptureFixture[str], repo_content
) -> None:
    assert main(["check", str(REPO / "content.yaml")]) == 0
    captured = capsys.readouterr()
    assert captured.out == ""  # stdout holds only located problems
    assert f"OK, {len(repo_content.slides)} slides, languages zh, en" in captured.err
    assert "warning" not in captured.err


def test_check_lists_every_problem_located_and_exits_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = tmp_path / "content.yaml"
    broken.write_text(
        "slides:\n"
        "  - id: numbers\n"
        "    type: indicators\n"
        "    title: 指标\n"
        "    items:\n"
        "      - value: 一千\n"
        "        label: GDP\n"
        "        source: seed\n"
        "  - id: end\n"
        "    type: txt\n"
        "    title: x\n",
        encoding="utf-8",
    )
    assert main(["check", str(broken)]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert lines == [
        f'{broken}:6:16: error: slide "numbers": "value" must be a number, got "一千"',
        f'{broken}:10:11: error: slide "end": unknown slide type "txt"; valid: \'cover\', '
        "'timeline', 'cards', 'indicators', 'gallery', 'text', 'video'",
    ]


def test_check_warns_about_characters_the_font_cannot_draw(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    content = tmp_path / "content.yaml"
    content.write_text(
        'slides:\n  - {id: a, type: text, title: 标题, body: "花园 🌸"}\n', encoding="utf-8"
    )
    assert main(["check", str(content)]) == 0
    captured = capsys.readouterr()
    assert f"{content}:2:42: warning: the bundled font cannot draw 🌸 (U+1F338)" in captured.out
    assert "1 warning" in captured.err


def test_schema_copy_in_the_repo_equals_kiosk_schema(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schema"]) == 0
    printed = capsys.readouterr().out
    assert printed == content_json_schema_text()
    stored = (REPO / SCHEMA_FILE).read_text(encoding="utf-8")
    assert stored == printed, (
        "content.schema.json is stale: run `kiosk schema > content.schema.json`"
    )
    assert json.loads(printed)["properties"]["slides"]["items"]


def test_content_yaml_names_the_schema_on_its_first_line() -> None:
    first = (REPO / "content.yaml").read_text(encoding="utf-8").splitlines()[0]
    assert first == f"# yaml-language-server: $schema=./{SCHEMA_FILE}"


@pytest.mark.parametrize("data", [b"\xff\xfe\x00garbage", b"slides: [", b"- a\n- b\n", b""])
def test_python_m_kiosk_check_never_prints_a_traceback(tmp_path: Path, data: bytes) -> None:
    target = tmp_path / "content.yaml"
    target.write_bytes(data)
    result = subprocess.run(
        [sys.executable, "-m", "kiosk", "check", str(target)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stdout + result.stderr
    assert result.stdout.startswith(f"{target}:1:")


def test_check_of_a_missing_file_is_a_located_message(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "nope.yaml"
    assert main(["check", str(missing)]) == 1
    assert capsys.readouterr().out.strip() == f"{missing}:1:1: error: the file does not exist"
