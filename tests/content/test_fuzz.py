"""Property tests: whatever bytes arrive, the loader gives Content or ContentError, nothing else.

Every ContentError names real positions (line >= 1, column >= 1). And libyaml (the fast
path, for start-up time) reads every file exactly as the pure-Python loader (the reference).
"""

from __future__ import annotations

import copy
import json
import math
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from yaml import safe_load

from kiosk.content import Content, ContentError, parse_content, yaml_reader
from kiosk.content.loader import check_bytes
from kiosk.content.yaml_reader import YamlReadError, decode, read_yaml

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures" / "content"
YAML_FILES = [*sorted((ROOT / "tests" / "fixtures").rglob("*.yaml")), ROOT / "content.yaml"]
LIBYAML = pytest.mark.skipif(not yaml.__with_libyaml__, reason="PyYAML built without libyaml")
MINIMAL = (FIXTURES / "minimal.yaml").read_bytes()
YAMLISH = "abc: -[]{}'\"!&*#\n\t|>%@`\\0123456789.中文"

FUZZ = settings(
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)


def _check_one(data: bytes) -> None:
    try:
        content = parse_content(data, source="fuzz.yaml")
    except ContentError as error:
        assert error.problems
        for problem in error.problems:
            assert problem.line >= 1 and problem.column >= 1, problem
            assert problem.message
            assert str(problem).startswith(f"fuzz.yaml:{problem.line}:{problem.column}: ")
        assert [(p.line, p.column) for p in error.problems] == sorted(
            (p.line, p.column) for p in error.problems
        )
    else:
        assert isinstance(content, Content)
    # check_bytes agrees and never raises either
    result = check_bytes(data, source="fuzz.yaml", base_dir=None, require_media=False)
    assert (result.content is None) == bool(result.errors)


@FUZZ
@given(st.binary(max_size=2000))
def test_arbitrary_bytes(data: bytes) -> None:
    _check_one(data)


@FUZZ
@given(st.text(alphabet=YAMLISH, max_size=300))
def test_yaml_like_text(text: str) -> None:
    _check_one(text.encode("utf-8"))


@st.composite
def _mutations(draw: st.DrawFn) -> bytes:
    data = bytearray(MINIMAL)
    for _ in range(draw(st.integers(1, 4))):
        action = draw(st.sampled_from(["insert", "delete", "replace"]))
        at = draw(st.integers(0, max(len(data) - 1, 0)))
        if action == "delete" and data:
            del data[at]
        else:
            char = draw(st.sampled_from(YAMLISH + " \r\x00\xa0")).encode("utf-8")
            if draw(st.booleans()):
                char = bytes([draw(st.integers(0, 255))])
            if action == "insert":
                data[at:at] = char
            elif data:
                data[at : at + 1] = char
    return bytes(data)


@FUZZ
@given(_mutations())
def test_mutations_of_a_valid_file(data: bytes) -> None:
    _check_one(data)


def _paths(value: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [path]
    if isinstance(value, dict):
        for key, inner in value.items():
            found += _paths(inner, (*path, key))
    elif isinstance(value, list):
        for index, inner in enumerate(value):
            found += _paths(inner, (*path, index))
    return found


EVERY_TYPE = safe_load((FIXTURES / "every_type.yaml").read_text(encoding="utf-8"))
EVERY_PATH = _paths(EVERY_TYPE)[1:]
_LEAF = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**15), 10**15),
    st.floats(),
    st.text(max_size=20),
    st.sampled_from(["", "..", "/x.png", "C:", "#fff", "zh", "bars", "text", "x" * 700]),
)
_VALUE = st.recursive(
    _LEAF,
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(
            st.sampled_from(["zh", "en", "kind", "type", "id", "value", "x"]), inner, max_size=3
        )
    ),
    max_leaves=6,
)


@settings(FUZZ, max_examples=120)
@given(st.lists(st.tuples(st.sampled_from(EVERY_PATH), _VALUE), min_size=1, max_size=3))
def test_hostile_values_in_every_field(changes: list[tuple[tuple[Any, ...], Any]]) -> None:
    data = copy.deepcopy(EVERY_TYPE)
    for path, value in changes:
        target = data
        try:
            for part in path[:-1]:
                target = target[part]
            target[path[-1]] = value
        except (KeyError, IndexError, TypeError):
            continue  # an earlier change replaced a parent
    # JSON is flow YAML; ensure_ascii keeps the bytes printable (see _PYYAML_REFUSES).
    _check_one(json.dumps(data, ensure_ascii=True).encode("utf-8"))


@pytest.mark.parametrize("data", [b"", b"\xef\xbb\xbf", b"\n" * 50, MINIMAL])
def test_fuzz_oracle_on_fixed_inputs(data: bytes) -> None:
    _check_one(data)


# --- libyaml and the pure-Python loader agree -------------------------------------------


def _read_with(text: str, *, fast: bool) -> object:
    loaders = yaml_reader._LOADERS if fast else (yaml_reader._RefusingLoader,)
    saved = yaml_reader._LOADERS
    yaml_reader._LOADERS = loaders
    try:
        located = read_yaml(text)
    except YamlReadError as error:
        return ("error", error.position, error.message)
    finally:
        yaml_reader._LOADERS = saved
    return (_comparable(located.data), located.values, located.keys, located.problems)


def _comparable(value: Any) -> Any:
    """Data that compares equal when read the same: NaN as a marker, numbers with their
    written text (what a text field keeps)."""
    if isinstance(value, dict):
        return {key: _comparable(inner) for key, inner in value.items()}
    if isinstance(value, list):
        return [_comparable(inner) for inner in value]
    if isinstance(value, float) and math.isnan(value):
        return ("nan", getattr(value, "written", None))
    if isinstance(value, int | float) and not isinstance(value, bool):
        return (type(value).__name__, value, getattr(value, "written", None))
    return value


def _same_both_ways(data: bytes) -> None:
    try:
        text = decode(data)
    except YamlReadError:
        return  # refused before any parser runs
    assert _read_with(text, fast=True) == _read_with(text, fast=False)


@LIBYAML
def test_the_fast_path_is_taken_for_the_bundled_content(monkeypatch) -> None:
    # read_yaml itself must compose the bundled file with libyaml, and only with it.
    assert len(yaml_reader._LOADERS) == 2
    used: list[type] = []
    compose = yaml_reader._compose

    def spy(loader_type: type, text: str) -> object:
        used.append(loader_type)
        return compose(loader_type, text)

    monkeypatch.setattr(yaml_reader, "_compose", spy)
    read_yaml((ROOT / "content.yaml").read_text(encoding="utf-8"))
    assert used == [yaml_reader._LOADERS[0]]
    assert used[0] is not yaml_reader._RefusingLoader


@LIBYAML
@pytest.mark.parametrize("path", YAML_FILES, ids=lambda path: path.name)
def test_every_fixture_reads_the_same_both_ways(path: Path) -> None:
    _same_both_ways(path.read_bytes())


@LIBYAML
@FUZZ
@given(st.text(alphabet=YAMLISH, max_size=300))
def test_yaml_like_text_reads_the_same_both_ways(text: str) -> None:
    _same_both_ways(text.encode("utf-8"))


@LIBYAML
@FUZZ
@given(_mutations())
def test_mutated_files_read_the_same_both_ways(data: bytes) -> None:
    _same_both_ways(data)
