"""Every hostile or broken content file gives a located, plain-worded error and no traceback.

Each file in tests/fixtures/broken/ starts with `# expect: LINE:COL: <fragment>`: where a
member of staff would want the cursor, and a distinctive part of the message. Inputs that need
exact bytes (control characters, CRLF, BOM, > 1 MB) or a symlink are generated in tmp_path.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from kiosk.content import check_content

BROKEN = Path(__file__).resolve().parents[1] / "fixtures" / "broken"
EXPECT = re.compile(r"^# expect: (\d+):(\d+): (.+)$")

# Files where no comment is possible.
NO_COMMENT = {"empty.yaml": (1, 1, "the file is empty")}


# Committed fixtures that document loader bugs (see the report of the content tests).
@dataclass(frozen=True)
class Case:
    """One broken input: how to get it on disk and where its first error must be."""

    name: str
    make: Callable[[Path], Path]
    line: int
    column: int
    fragment: str


def _committed(path: Path) -> Case:
    first_line = path.read_bytes().split(b"\n", 1)[0].decode("utf-8", "replace")
    found = EXPECT.match(first_line.rstrip("\r"))
    if found:
        line, column, fragment = int(found[1]), int(found[2]), found[3]
    elif path.name in NO_COMMENT:
        line, column, fragment = NO_COMMENT[path.name]
    else:
        raise AssertionError(f"{path.name} has no `# expect: LINE:COL: fragment` first line")
    return Case(path.name, lambda _tmp: path, line, column, fragment)


def _write(name: str, data: bytes | str) -> Callable[[Path], Path]:
    def make(tmp_path: Path) -> Path:
        path = tmp_path / name
        path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
        return path

    return make


def _symlink(target: Path, link: Path) -> None:
    try:
        link.symlink_to(target, target_is_directory=target.is_dir())
    except (OSError, NotImplementedError) as error:
        pytest.skip(f"symlinks are not available here: {error}")


TEXT = "slides:\n  - id: hello\n    type: text\n"
COVER = "slides:\n  - id: cover\n    type: cover\n    title: Hello\n"
PNG = (BROKEN.parent / "content" / "media" / "logo.png").read_bytes()


def _symlink_outside(tmp_path: Path) -> Path:
    secret = tmp_path / "secret.png"
    secret.write_bytes(PNG)
    show = tmp_path / "show"
    (show / "media").mkdir(parents=True)
    _symlink(secret, show / "media" / "photo.png")
    path = show / "content.yaml"
    path.write_text(COVER + "    image: media/photo.png\n", encoding="utf-8")
    return path


def _symlink_dir_outside(tmp_path: Path) -> Path:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "photo.png").write_bytes(PNG)
    show = tmp_path / "show"
    show.mkdir()
    _symlink(elsewhere, show / "media")
    path = show / "content.yaml"
    path.write_text(COVER + "    image: media/photo.png\n", encoding="utf-8")
    return path


def _symlink_loop(tmp_path: Path) -> Path:
    (tmp_path / "media").mkdir()
    _symlink(tmp_path / "media" / "loop.png", tmp_path / "media" / "loop.png")
    path = tmp_path / "content.yaml"
    path.write_text(COVER + "    image: media/loop.png\n", encoding="utf-8")
    return path


LONG_NAME = "a" * 252 + ".png"  # 256 characters: within max_length 260, over NAME_MAX 255

GENERATED = [
    pytest.param(
        Case(
            "bom_unknown_key.yaml",
            _write(
                "bom.yaml", "\ufeffsettings: {lop: true}\n" + TEXT + "    title: t\n    body: b\n"
            ),
            1,
            12,
            'unknown key "lop" (did you mean "loop"?)',
        ),
        id="bom_unknown_key",
    ),
    pytest.param(
        Case(
            "crlf_unknown_key.yaml",
            _write(
                "crlf.yaml",
                (TEXT + "    title: Hello\n    body: World\n    duraton: 3\n").replace(
                    "\n", "\r\n"
                ),
            ),
            6,
            5,
            'unknown key "duraton"',
        ),
        id="crlf_unknown_key",
    ),
    pytest.param(
        Case(
            "crlf_tab.yaml",
            _write("crlf_tab.yaml", (TEXT + "\ttitle: Hello\n").replace("\n", "\r\n")),
            4,
            1,
            "a tab is used for indentation",
        ),
        id="crlf_tab",
    ),
    pytest.param(
        Case(
            "utf16.yaml",
            _write("utf16.yaml", (TEXT + "    title: t\n    body: b\n").encode("utf-16")),
            1,
            1,
            "the file is not UTF-8 text",
        ),
        id="utf16",
    ),
    pytest.param(
        Case(
            "gbk_after_bom.yaml",
            _write(
                "gbk2.yaml", b"\xef\xbb\xbf" + TEXT.encode() + "    title: 济南\n".encode("gbk")
            ),
            4,
            12,
            "the file is not UTF-8 text",
        ),
        id="gbk_after_bom",
    ),
    pytest.param(
        Case(
            "nul_byte.yaml",
            _write("nul.yaml", TEXT + "    title: Hello\x00World\n"),
            4,
            17,
            "NUL bytes",
        ),
        id="nul_byte",
    ),
    pytest.param(
        Case(
            "huge.yaml",
            _write("huge.yaml", TEXT + "    title: t\n    body: b\n" + "# padding\n" * 120_000),
            1,
            1,
            "limited to 1024 KB",
        ),
        id="huge",
    ),
    pytest.param(
        Case(
            "control_char.yaml",
            _write("control.yaml", TEXT + "    title: Hello\x07World\n"),
            4,
            17,
            "control character U+0007",
        ),
        id="control_char",
    ),
    pytest.param(
        Case(
            "line_separator.yaml",
            _write(
                "ls.yaml", TEXT + '    title: "Hello\u2028World"\n    body: b\n    duraton: 3\n'
            ),
            4,
            18,
            "invisible line separator (U+2028)",
        ),
        id="line_separator",
    ),
    pytest.param(
        Case(
            "symlink_outside.yaml",
            _symlink_outside,
            5,
            12,
            '"media/photo.png" points outside the content folder (through a link)',
        ),
        id="symlink_outside",
    ),
    pytest.param(
        Case(
            "symlink_dir_outside.yaml",
            _symlink_dir_outside,
            5,
            12,
            "points outside the content folder",
        ),
        id="symlink_dir_outside",
    ),
    pytest.param(
        Case("symlink_loop.yaml", _symlink_loop, 5, 12, "media/loop.png"),
        id="symlink_loop",
    ),
    pytest.param(
        Case(
            "long_file_name.yaml",
            _write("long.yaml", COVER + f"    image: {LONG_NAME}\n"),
            5,
            12,
            f'"{LONG_NAME[:39]}…" cannot be opened',  # long echoes are cut
        ),
        id="long_file_name",
    ),
]


def _committed_params() -> list[Any]:
    params = []
    for path in sorted(BROKEN.glob("*.yaml")):
        marks = []
        params.append(pytest.param(_committed(path), id=path.stem, marks=marks))
    return params


@pytest.mark.parametrize("case", [*_committed_params(), *GENERATED])
def test_broken_input_is_located(case: Case, tmp_path: Path) -> None:
    path = case.make(tmp_path)
    label = str(path)

    result = check_content(label)  # (a) nothing escapes

    assert result.content is None
    assert result.errors, f"{case.name}: no error reported"  # (b)
    first = result.errors[0]
    assert (first.line, first.column) == (case.line, case.column), (
        f"{case.name}: first error is {first}"
    )  # (c) position
    assert case.fragment in first.message, f"{case.name}: first error is {first}"  # (c) words
    assert str(first).startswith(f"{label}:{case.line}:{case.column}: ")  # (d)


def test_fixture_folder_covers_the_required_inputs() -> None:
    names = {path.stem for path in BROKEN.glob("*.yaml")}
    required = {
        "tab_indent",
        "unterminated_quote",
        "duplicate_key",
        "duplicate_slide_id",
        "alias_bomb",
        "anchor",
        "python_tag",
        "custom_tag",
        "unknown_slide_type",
        "missing_type",
        "unknown_key",
        "value_not_number",
        "duration_huge",
        "duration_negative",
        "nan_value",
        "top_level_list",
        "top_level_scalar",
        "empty",
        "only_comments",
        "gbk",
        "nested_deep",
        "two_documents",
        "absolute_path",
        "dotdot_path",
        "missing_media",
        "bad_colour",
        "default_language_not_in_languages",
        "unclosed_bracket",
        "text_wrong_type",
        "too_many_entries",
    }
    assert required <= names, sorted(required - names)
    assert (BROKEN / "empty.yaml").stat().st_size == 0
