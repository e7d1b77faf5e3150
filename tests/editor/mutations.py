"""Mutations of real content files, drawn by hypothesis, for the agreement tests.

Nothing here names a field: what to write into a value comes from the JSON Schema at that
value's place (its enum, bounds, lengths, pattern, type) plus forms every YAML value can take,
and the keys come from the model. A field or slide type added to the model, and so to the
schema and to tests/fixtures/content/every_type.yaml, is mutated the day it lands.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from hypothesis import strategies as st
from pydantic import BaseModel
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from kiosk.content import model
from kiosk.content.schema import content_json_schema

REPO = Path(__file__).resolve().parents[2]
BASES = [
    REPO / "tests" / "fixtures" / "content" / "every_type.yaml",
    REPO / "content.yaml",
    REPO / "tests" / "fixtures" / "content" / "minimal.yaml",
    *sorted((REPO / "tests" / "fixtures" / "decks").glob("*.yaml")),
]
SCHEMA = content_json_schema()
FIELD_NAMES = sorted(
    {
        name
        for cls in vars(model).values()
        if isinstance(cls, type) and issubclass(cls, BaseModel)
        for name in cls.model_fields
    }
)

# Forms any value can take in YAML 1.2, and the 1.1 forms that read differently in 1.2.
GENERIC = [
    "~", "null", "", "NULL", "true", "false", "True", "yes", "no", "on", "off", "y",
    "2020", "1.10", "2.0", "-5", "+5", "010", "0o17", "0x1F", "0X1F", "1e3", ".5", "1.",
    "1_000", ".inf", "-.inf", ".nan", "12:30", "2026-12-01", "09:00-17:00",
    '"10.5"', "'2020'", '"true"', '""', "' '", '"\\u3000"', "中文", "济南高新区 2020",
    '"a\\nb"', '"tab\\there"', '"x: y"', "'it''s'", "a #b", '"#12345"', '"#2ec4b6"',
    "[a, b]", "[]", "{}", "{zh: 中文, en: English}", "{zh: 中文}", "{zh: 1.10, en: 2020}",
    "{zh: 1, en: 2}", "x" * 700, "-x", "A-1", "a-1",
]  # fmt: skip
# Text that goes on over lines, at various depths (the editors' parser wants every further
# line indented past its key; PyYAML reads it at column 1 too).
CONTINUED = ['"one\n{pad}two"', "'one\n{pad}two'", "[a,\n{pad}b]", "{{zh: a,\n{pad}en: b}}"]
INSERTS = [
    ":", ": ", "- ", "[", "]", "{", "}", ",", "'", '"', "#", " #", "&a ", "*a", "!x ", "!!str ",
    "? ", "|", ">", "\n", " ", "  ", "%", "@", "`", "---\n", "...\n", "\t", "\\", "\r\n",
]  # fmt: skip


def _resolve(node: Any) -> Any:
    while isinstance(node, dict) and "$ref" in node:
        node = SCHEMA["$defs"][node["$ref"].rsplit("/", 1)[-1]]
    return node


def schema_leaves(data: Any, path: tuple[Any, ...]) -> list[dict[str, Any]]:
    """Every schema that may apply to the value at `path` of `data`, from the root down
    (following if/then on the data's tag, and every branch of anyOf/oneOf)."""
    nodes = [SCHEMA]
    value = data
    for part in path:
        found = []
        for node in _expand(nodes, value):
            if isinstance(part, str) and part in node.get("properties", {}):
                found.append(node["properties"][part])
            elif isinstance(part, int) and "items" in node:
                found.append(node["items"])
        nodes = found
        try:
            value = value[part]
        except (KeyError, IndexError, TypeError):
            value = None
    return _expand(nodes, value)


def _expand(nodes: list[Any], value: Any) -> list[dict[str, Any]]:
    result = []
    pending = list(nodes)
    while pending:
        node = _resolve(pending.pop())
        if not isinstance(node, dict):
            continue
        result.append(node)
        for keyword in ("anyOf", "oneOf"):
            pending.extend(node.get(keyword, []))
        for branch in node.get("allOf", []):
            condition = branch.get("if", {}).get("properties", {})
            if isinstance(value, dict) and all(
                value.get(key) == rule.get("const") for key, rule in condition.items()
            ):
                pending.append(branch["then"])
    return result


def _number(value: float) -> str:
    return str(int(value)) if value == int(value) else repr(value)


def tokens_for(leaves: list[dict[str, Any]]) -> list[str]:
    """Values to write at a place, derived from what its schema says."""
    tokens: list[str] = []
    for leaf in leaves:
        for value in [*leaf.get("enum", []), *([leaf["const"]] if "const" in leaf else [])]:
            tokens += [str(value), f"{value}s", str(value).upper(), f'"{value}"']
        kind = leaf.get("type")
        if kind in {"number", "integer"}:
            for bound in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
                if bound in leaf and abs(leaf[bound]) < 1e15:
                    edge = leaf[bound]
                    tokens += [_number(edge), _number(edge - 1), _number(edge + 1)]
                    tokens += [_number(edge + 0.5), f'"{_number(edge)}"', f"{_number(edge)}.0"]
        if kind == "string":
            for length in (leaf.get("minLength"), leaf.get("maxLength")):
                if length is not None and length < 1000:
                    tokens += ["x" * length, "x" * (length + 1), "x" * max(length - 1, 0)]
            if "pattern" in leaf:
                tokens += ["a-1", "A", "-x", "ab_c", '"#123456"', '"#12345"', '"#aabbccdd"']
        if kind == "boolean":
            tokens += ["true", "false", "TRUE", "yes", '"false"']
        if kind == "array":
            tokens += ["[]", "[x]", "- x"]
    return tokens


def scalars(text: str) -> list[tuple[tuple[Any, ...], int, int, Node]]:
    """(path, start, end) of every scalar value in `text` (character offsets), by PyYAML."""
    root = yaml.compose(text, Loader=yaml.SafeLoader)
    found: list[tuple[tuple[Any, ...], int, int, Node]] = []

    def walk(node: Node, path: tuple[Any, ...]) -> None:
        if isinstance(node, ScalarNode):
            found.append((path, node.start_mark.index, node.end_mark.index, node))
        elif isinstance(node, SequenceNode):
            for index, item in enumerate(node.value):
                walk(item, (*path, index))
        elif isinstance(node, MappingNode):
            for key, value in node.value:
                found.append(((*path, ("key", key.value)), key.start_mark.index,
                              key.end_mark.index, key))  # fmt: skip
                walk(value, (*path, key.value))

    if root is not None:
        walk(root, ())
    return found


BASE_TEXTS = [path.read_text(encoding="utf-8") for path in BASES]
BASE_DATA = [yaml.safe_load(text) for text in BASE_TEXTS]
BASE_SCALARS = [scalars(text) for text in BASE_TEXTS]


@st.composite
def mutated_documents(draw: st.DrawFn) -> str:
    """A real content file with one to three mutations."""
    which = draw(st.integers(0, len(BASES) - 1))
    text, data = BASE_TEXTS[which], BASE_DATA[which]
    found = BASE_SCALARS[which]
    # Mutations are applied from the end of the file backwards, so offsets stay valid.
    edits: list[tuple[int, int, str]] = []
    for _ in range(draw(st.integers(1, 3))):
        action = draw(
            st.sampled_from(
                ["value", "value", "value", "key", "line", "line", "indent", "insert", "continue"]
            )
        )
        if action == "value":
            values = [f for f in found if not (f[0] and isinstance(f[0][-1], tuple))]
            path, start, end, _node = draw(st.sampled_from(values))
            tokens = tokens_for(schema_leaves(data, path)) + GENERIC
            edits.append((start, end, draw(st.sampled_from(tokens))))
        elif action == "key":
            keys = [f for f in found if f[0] and isinstance(f[0][-1], tuple)]
            path, start, end, node = draw(st.sampled_from(keys))
            name = node.value
            choices = [*FIELD_NAMES, name[:-1] or "x", name + "s", f'"{name}"', f"'{name}'",
                       name.upper(), f'"{name}\\t"', "x" * 50, "2020", "true", "~"]  # fmt: skip
            edits.append((start, end, draw(st.sampled_from(choices))))
        elif action in {"line", "indent"}:
            starts = [0, *(i + 1 for i, char in enumerate(text) if char == "\n")]
            line = draw(st.integers(0, len(starts) - 2))
            begin, finish = starts[line], starts[line + 1]
            if action == "indent":
                change = draw(st.sampled_from([-2, -1, 1, 2]))
                edits.append((begin, begin + max(-change, 0), " " * change if change > 0 else ""))
            elif draw(st.booleans()):
                edits.append((begin, finish, ""))  # a line deleted
            else:
                edits.append((begin, begin, text[begin:finish]))  # a line repeated
        elif action == "insert":
            at = draw(st.integers(0, len(text)))
            edits.append((at, at, draw(st.sampled_from(INSERTS))))
        else:
            values = [f for f in found if not (f[0] and isinstance(f[0][-1], tuple))]
            _path, start, end, node = draw(st.sampled_from(values))
            pad = " " * draw(st.integers(0, max(node.start_mark.column, 1) + 1))
            edits.append((start, end, draw(st.sampled_from(CONTINUED)).format(pad=pad)))
    # The first line names the schema for the editor: a file without it is not validated.
    protected = len(text.split("\n", 1)[0]) if text.startswith("# yaml-language-server") else -1
    edits = [edit for edit in edits if edit[0] > protected]
    for start, end, replacement in sorted(edits, key=lambda e: (e[0], e[1]), reverse=True):
        if any(s < end and start < e for s, e, _ in edits if (s, e) != (start, end)):
            continue  # overlapping edits: keep the text well formed enough to mean something
        text = text[:start] + replacement + text[end:]
    return text
