"""The editor (yaml-language-server, its `yaml` parser and content.schema.json), an independent
JSON Schema validator (jsonschema) and `kiosk check` agree on content.yaml: on every fixture,
on the cases staff met, and on generated mutations of real files (agreement.py says what
agreeing means; mutations.py how the files are mutated).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from agreement import check_agreement, editor, record
from editor_process import EditorProcess
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from mutations import mutated_documents

from kiosk.content.loader import check_bytes

__all__ = ["editor"]  # the session's editor, a fixture

REPO = Path(__file__).resolve().parents[2]
FIXTURES = sorted((REPO / "tests" / "fixtures").rglob("*.yaml"))
MUTATIONS = 450  # documents per run (~25 s on a shared 2-core machine)
YAMLISH = "abc: -[]{}'\"!&*#\n|>%@`\\0123456789.中文"


def _agree(text: str, editor: EditorProcess) -> None:
    outcome = check_agreement(text, editor)
    record(outcome)
    assert not outcome.disagreements, "\n".join([text, "---", *outcome.disagreements])


@pytest.mark.parametrize(
    "path", [*FIXTURES, REPO / "content.yaml"], ids=lambda path: path.relative_to(REPO).as_posix()
)
def test_every_fixture_reads_alike(path: Path, editor: EditorProcess) -> None:
    data = path.read_bytes()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:  # no editor reads it as UTF-8 either
        (problem,) = check_bytes(data, source="x", base_dir=None).errors
        assert problem.kiosk_only
        return
    _agree(text, editor)


def test_the_bundled_content_is_clean_in_the_editor(editor: EditorProcess) -> None:
    view = editor.read((REPO / "content.yaml").read_text(encoding="utf-8"))
    assert view.errors == [] and view.warnings == [] and view.diagnostics == []


SLIDE = "slides:\n  - id: a\n    type: text\n    title: Hello\n    body: World\n"
INDICATORS = (
    "slides:\n  - id: n\n    type: indicators\n    title: t\n    items:\n"
    "      - value: {value}\n        label: l\n        source: s\n"
)
TIMELINE = (
    "slides:\n  - id: t\n    type: timeline\n    title: {title}\n    events:\n"
    "      - year: {year}\n        text: x\n"
)
CARDS = (
    "slides:\n  - id: c\n    type: cards\n    title: t\n    cards:\n      - title: x\n"
    "        facts: [y]\n"
)


@pytest.mark.parametrize(
    ("text", "line", "fragment"),
    [
        # Text fields take a number as written: accepted by both.
        pytest.param(TIMELINE.format(title="2020", year="2024"), None, None, id="title-2020"),
        pytest.param(TIMELINE.format(title="1.10", year="1.10"), None, None, id="year-1.10"),
        # Names, numbers and yes/no are not loosened: refused by both, at the same line.
        pytest.param(SLIDE.replace("id: a", "id: 2020"), 2, '"id" must be text', id="id-2020"),
        pytest.param(INDICATORS.format(value='"10.5"'), 6, "remove the quotes", id="quoted-number"),
        pytest.param(f"settings:\n  loop: yes\n{SLIDE}", 2, "reads yes, no", id="loop-yes"),
        pytest.param(f"settings:\n  loop: on\n{SLIDE}", 2, "reads yes, no", id="loop-on"),
        pytest.param(f"settings:\n  loop: 1\n{SLIDE}", 2, "true or false", id="loop-1"),
        # Syntax that PyYAML reads and the editors refuse.
        pytest.param(
            SLIDE.replace("body: World", "body: 'World\nis wide'"),
            6,
            "must be indented further",
            id="quoted-text-at-column-1",
        ),
        pytest.param(
            f"settings:\n  languages: [zh,\nen]\n{SLIDE}",
            3,
            "must be indented further",
            id="flow-list-at-column-1",
        ),
        # A missing field is located at the mapping that lacks it.
        pytest.param(
            CARDS.replace("    title: t\n", ""),
            2,
            'slide "c": "title" is required',
            id="missing-slide-field",
        ),
        pytest.param(
            CARDS.replace("        facts: [y]\n", ""), 6, '"facts" is required', id="missing-card"
        ),
        pytest.param(
            SLIDE.replace("type: text", "kind: text"),
            2,
            '"type" is required',  # at the slide, not at the `kind:` that another union uses
            id="missing-slide-type",
        ),
        pytest.param(
            "slides:\n  - id: n\n    type: indicators\n    title: t\n    items: [{value: 1, "
            "label: l, source: s}]\n    chart:\n      count: 3\n",
            6,
            '"kind" is required',
            id="missing-chart-kind",
        ),
    ],
)
def test_the_cases_staff_met(
    text: str, line: int | None, fragment: str | None, editor: EditorProcess
) -> None:
    _agree(text, editor)
    result = check_bytes(text.encode(), source="content.yaml", base_dir=None)
    if line is None:
        assert result.errors == []
        assert editor.read(text).diagnostics == []
        return
    first = result.errors[0]
    assert first.line == line, first
    assert fragment in first.message, first
    view = editor.read(text)
    assert line in view.diagnostic_lines | {error["at"][0] + 1 for error in view.errors}


@pytest.mark.parametrize(
    ("key", "shown"),
    [('"dura\\ntion"', '"dura\\ntion"'), ('"a\\tb"', '"a\\tb"'), ("x" * 90, f'"{"x" * 39}…"')],
)
def test_a_message_stays_on_one_line(key: str, shown: str, editor: EditorProcess) -> None:
    text = SLIDE + f"    {key}: 5\n"
    _agree(text, editor)
    (problem,) = check_bytes(text.encode(), source="content.yaml", base_dir=None).errors
    assert str(problem).count("\n") == 0
    assert f"unknown key {shown}" in str(problem)
    assert str(problem).startswith("content.yaml:6:5: error: ")


@settings(
    max_examples=MUTATIONS,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(mutated_documents())
def test_mutated_files_read_alike(editor: EditorProcess, text: str) -> None:
    _agree(text, editor)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(alphabet=YAMLISH, max_size=120))
def test_yaml_like_text_reads_alike(editor: EditorProcess, text: str) -> None:
    _agree(text, editor)
