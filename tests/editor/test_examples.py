"""The examples staff read (README's table of how values are read, the header comment of
content.yaml) show only what the editor and `kiosk check` both accept, or, where they say
"refused", what both refuse at the same line.

Each example `key: value` is written into tests/fixtures/content/every_type.yaml (which uses
every field of the slides) or tests/fixtures/decks/hall.yaml (the hall's settings) in place of
the first line with that key. An example of a field the model does not have is skipped.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from agreement import check_agreement, editor
from editor_process import EditorProcess

from kiosk.content.loader import check_bytes

__all__ = ["editor"]  # the session's editor, a fixture

REPO = Path(__file__).resolve().parents[2]
README = (REPO / "README.md").read_text(encoding="utf-8")
HEADER = (REPO / "content.yaml").read_text(encoding="utf-8").split("\n\n", 1)[0]
EXAMPLE = re.compile(r"`([a-z_][a-z_-]*): ([^`]+)`")
# Where the examples are written: every field of the slides, and the hall's settings.
BASES = [
    (REPO / "tests" / "fixtures" / "content" / "every_type.yaml").read_text("utf-8"),
    (REPO / "tests" / "fixtures" / "decks" / "hall.yaml").read_text("utf-8"),
]


def _table_rows() -> list[list[str]]:
    start = README.index("| a field of | takes | for example | refused (by both) |")
    rows = []
    for line in README[start:].splitlines()[2:]:
        if not line.startswith("|"):
            break
        rows.append([cell.strip() for cell in line.strip("|").split("|")])
    return rows


def _accepted() -> list[tuple[str, str]]:
    found = [EXAMPLE.findall(row[2]) for row in _table_rows()]
    header = [
        (key, value)
        for key, value in re.findall(r"^#     ([a-z_]+): (.+)$", HEADER, flags=re.MULTILINE)
    ]
    return [pair for pairs in found for pair in pairs] + header


def _refused() -> list[tuple[str, str, bool]]:
    refused = []
    for row in _table_rows():
        for part in re.split(r"[,;] ", row[3]):
            for key, value in EXAMPLE.findall(part):
                refused.append((key, value, "(kiosk alone)" in part))
    return refused


def _written(key: str, value: str) -> tuple[str, int]:
    """A base file with the example in place of its first `key:` line; that line."""
    pattern = re.compile(rf"^(\s*(?:- )?){re.escape(key)}: .*$", flags=re.MULTILINE)
    for base in BASES:
        found = pattern.search(base)
        if found is not None:
            text = base[: found.start()] + f"{found[1]}{key}: {value}" + base[found.end() :]
            return text, base[: found.start()].count("\n") + 1
    pytest.skip(f"no field {key!r} in the model yet")


def test_the_examples_are_found() -> None:
    assert len(_accepted()) >= 12 and len(_refused()) >= 12


@pytest.mark.parametrize(("key", "value"), _accepted(), ids=lambda v: str(v))
def test_an_example_is_accepted_by_both(key: str, value: str, editor: EditorProcess) -> None:
    text, _line = _written(key, value)
    outcome = check_agreement(text, editor)
    assert outcome.kind == "both accept", outcome


@pytest.mark.parametrize(("key", "value", "kiosk_alone"), _refused(), ids=lambda v: str(v))
def test_a_refused_example_is_refused_by_both_at_its_line(
    key: str, value: str, kiosk_alone: bool, editor: EditorProcess
) -> None:
    text, line = _written(key, value)
    outcome = check_agreement(text, editor)
    assert not outcome.disagreements, outcome
    errors = check_bytes(text.encode(), source="content.yaml", base_dir=None).errors
    assert [problem.line for problem in errors] == [line], errors
    assert (line in editor.read(text).diagnostic_lines) is not kiosk_alone
