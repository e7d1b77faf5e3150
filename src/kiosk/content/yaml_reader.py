"""Read content.yaml into plain data plus the line and column of every value.

PyYAML is used only to compose nodes; values are built here by the YAML 1.2 core schema
(`scalars.py`), the way editors read the file, so YAML 1.1 surprises (`NO`, `on`, `12:30`) stay
text and a number remembers how it was written (`1.10`). Where PyYAML (a YAML 1.1 parser) is
more lenient than the editors' parser, the file is refused here too: a quoted text or a flow
list that goes on at a line not indented past its key. Anchors, aliases, tags, directives,
duplicate keys, tabs and absurd nesting are refused with a located, plain message.

The events come from libyaml (PyYAML's C parser) when it is there, several times faster than
the pure-Python parser at start-up (`kiosk check` prints the time it took). A file libyaml
refuses is read again by the pure-Python loader, whose messages and positions the hints of
`yaml_syntax.py` know.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import yaml
from yaml.composer import Composer
from yaml.events import AliasEvent, CollectionStartEvent, DocumentStartEvent, Event, NodeEvent
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from yaml.reader import Reader
from yaml.resolver import Resolver

from kiosk.content.errors import echo
from kiosk.content.scalars import NULLS, resolve_plain
from kiosk.content.yaml_syntax import (
    Position,
    YamlReadError,
    flow_indentation_problem,
    line_separator_problems,
    position,
    syntax_problem,
    tab_problems,
    without_value,
)

__all__ = ["MAX_BYTES", "Located", "Path_", "Position", "YamlReadError", "decode", "read_yaml"]

MAX_BYTES = 1024 * 1024  # a content file is a few dozen KB; 1 MB means the wrong file
MAX_DEPTH = 24  # the deepest real content is ~8 levels
_GLUED_COMMENT = re.compile(r"[|>][-+0-9]*#")  # libyaml reads "|#" as a block scalar

Path_ = tuple[str | int, ...]


@dataclass
class Located:
    """Plain data from YAML with where each value and each key starts."""

    data: Any
    values: dict[Path_, Position] = field(default_factory=dict)
    keys: dict[Path_, Position] = field(default_factory=dict)
    # Problems that do not stop reading: where, what, and whether only kiosk refuses it.
    problems: list[tuple[Position, str, bool]] = field(default_factory=list)

    def position_of(self, path: Path_, *, key: bool = False) -> Position:
        """Where the value (or key) at `path` starts, falling back to its nearest parent."""
        table = self.keys if key else self.values
        if path in table:
            return table[path]
        while path:
            path = path[:-1]
            if path in self.values:
                return self.values[path]
        return (1, 1)


class _Refusing(Composer):
    """Composes nodes but refuses anchors, aliases, explicit tags and deep nesting."""

    _depth = 0
    peek_event: Callable[[], Event]  # from the parser it is mixed with

    def compose_document(self) -> Node | None:
        event = self.peek_event()
        if isinstance(event, DocumentStartEvent):
            if event.version is not None and tuple(event.version) != (1, 2):
                raise YamlReadError(
                    position(event.start_mark),
                    f"the file declares YAML {'.'.join(map(str, event.version))}; content.yaml "
                    "is read as YAML 1.2, as editors read it: remove the %YAML line",
                    kiosk_only=True,
                )
            if event.tags:
                raise YamlReadError(
                    position(event.start_mark),
                    "%TAG directives are not supported: remove the line starting with %TAG",
                    kiosk_only=True,
                )
        return super().compose_document()

    def compose_node(self, parent: Node | None, index: int) -> Node | None:
        event = self.peek_event()
        if isinstance(event, AliasEvent):
            raise YamlReadError(
                position(event.start_mark),
                f'aliases ("*{event.anchor}") are not supported: write the value out in full',
                kiosk_only=True,
            )
        if isinstance(event, NodeEvent) and event.anchor is not None:
            raise YamlReadError(
                position(event.start_mark),
                f'anchors ("&{event.anchor}") are not supported: write each value out in full',
                kiosk_only=True,
            )
        tag = getattr(event, "tag", None)
        if tag is not None:
            raise YamlReadError(
                position(event.start_mark),
                f'tags such as "{echo(tag, 60)}" are not supported: remove the tag and write plain '
                "text or numbers",
                kiosk_only=True,
            )
        if isinstance(event, CollectionStartEvent):
            self._depth += 1
            if self._depth > MAX_DEPTH:
                raise YamlReadError(
                    position(event.start_mark),
                    f"the content is nested more than {MAX_DEPTH} levels deep; "
                    "check the indentation",
                    kiosk_only=True,
                )
        try:
            node = super().compose_node(parent, index)
        finally:
            if isinstance(event, CollectionStartEvent):
                self._depth -= 1
        return node


class _RefusingLoader(_Refusing, yaml.SafeLoader):
    """Pure Python: slower, and the source of every syntax message we rephrase."""


if yaml.__with_libyaml__:
    from yaml.cyaml import CParser  # type: ignore[attr-defined]

    class _FastRefusingLoader(_Refusing, CParser, Resolver):
        """libyaml's events, composed by `_Refusing` (its own composer is not used)."""

        def __init__(self, stream: str) -> None:
            CParser.__init__(self, stream)
            Composer.__init__(self)
            Resolver.__init__(self)

        def compose_scalar_node(self, anchor: Any) -> ScalarNode:
            node = super().compose_scalar_node(anchor)
            if node.style == "":  # libyaml's plain style; the Python parser's is None
                node.style = None
            return node

    _LOADERS: tuple[type[Any], ...] = (_FastRefusingLoader, _RefusingLoader)
else:
    _LOADERS = (_RefusingLoader,)


def decode(data: bytes) -> str:
    """UTF-8 (with or without BOM) to text; raises YamlReadError at the first bad byte."""
    if len(data) > MAX_BYTES:
        raise YamlReadError(
            (1, 1),
            f"the file is {len(data) // 1024} KB; content files are limited to "
            f"{MAX_BYTES // 1024} KB. Is this the right file?",
            kiosk_only=True,
        )
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        before = data[: error.start]
        line = before.count(b"\n") + 1
        column = len(before[before.rfind(b"\n") + 1 :].decode("utf-8", "replace")) + 1
        raise YamlReadError(
            (line, column),
            "the file is not UTF-8 text (was it saved as GBK or ANSI?): "
            "save it again with the encoding UTF-8",
            kiosk_only=True,
        ) from None
    if "\x00" in text:
        head = text[: text.index("\x00")]
        line, column = head.count("\n") + 1, len(head) - (head.rfind("\n") + 1) + 1
        raise YamlReadError(
            (line, column), "the file contains NUL bytes: it is not a text file", kiosk_only=True
        )
    return text


def read_yaml(text: str) -> Located:
    """Compose `text` and build plain data with positions; raise YamlReadError if unreadable."""
    tabs = tab_problems(text)
    if tabs:
        raise YamlReadError(tabs[0][0], tabs[0][1], kiosk_only=True)
    separators = line_separator_problems(text)
    if separators:
        raise YamlReadError(separators[0][0], separators[0][1], kiosk_only=True)
    # libyaml and the Python loader disagree on tabs (libyaml allows more of them), on a
    # comment glued to a block scalar's "|" or ">" and on a few exotic characters: those
    # files, and any file libyaml refuses, take the pure-Python path, whose messages we
    # know (tests/content/test_fuzz.py checks that the two agree on everything else).
    fast = (
        len(_LOADERS) > 1
        and "\t" not in text
        and not _GLUED_COMMENT.search(text)
        and not Reader.NON_PRINTABLE.search(text)
    )
    root: Node | None = None
    if fast:
        try:
            root = _compose(_LOADERS[0], text)
        except (YamlReadError, yaml.YAMLError, RecursionError):
            fast = False
    if not fast:
        try:
            root = _compose(_RefusingLoader, text)  # the reader checks characters already here
        except YamlReadError:
            raise
        except yaml.YAMLError as error:
            raise syntax_problem(error, text) from None
        except RecursionError:
            raise YamlReadError(
                (1, 1), "the content is nested too deeply; check the indentation", kiosk_only=True
            ) from None
    if root is None or (isinstance(root, ScalarNode) and root.value.strip() == ""):
        # Editors show nothing for a file of comments: they validate no data at all.
        raise YamlReadError(
            (1, 1), "the file is empty: it needs `settings:` and `slides:`", kiosk_only=True
        )
    if not isinstance(root, MappingNode):
        kind = "a list" if isinstance(root, SequenceNode) else "plain text"
        raise YamlReadError(
            position(root.start_mark),
            f"the top level must be keys such as `settings:` and `slides:`, not {kind}",
        )
    problem = flow_indentation_problem(root, text)
    if problem is not None:
        raise problem
    located = Located(data=None)
    located.data = _build(root, (), located, text.split("\n"))
    return located


def _compose(loader_type: type[Any], text: str) -> Node | None:
    loader = loader_type(text)
    try:
        return loader.get_single_node()  # type: ignore[no-any-return]
    finally:
        loader.dispose()


def _build(node: Node, path: Path_, located: Located, lines: list[str]) -> Any:
    located.values[path] = position(node.start_mark)
    if isinstance(node, ScalarNode) and node.style is None and node.value == "":
        # Nothing written: the editors place it after the spaces that follow the ":" or "-".
        line, column = node.start_mark.line, node.start_mark.column
        text = lines[line] if line < len(lines) else ""
        spaces = len(text[column:]) - len(text[column:].lstrip(" "))
        located.values[path] = (line + 1, column + spaces + 1)
    if isinstance(node, ScalarNode):
        if node.style is None:
            return resolve_plain(node.value)
        return node.value
    if isinstance(node, SequenceNode):
        return [
            _build(item, (*path, index), located, lines) for index, item in enumerate(node.value)
        ]
    assert isinstance(node, MappingNode)
    result: dict[str, Any] = {}
    first_seen: dict[str, int] = {}
    for key_node, value_node in node.value:
        if not isinstance(key_node, ScalarNode):
            located.problems.append(
                (
                    position(key_node.start_mark),
                    "a key must be plain text, not a list or mapping",
                    # Editors flag such a key only when a value follows it.
                    without_value(key_node, value_node, lines),
                )
            )
            continue
        key = key_node.value
        if key_node.style is None and key in NULLS:
            located.problems.append(
                (
                    position(key_node.start_mark),
                    f'a key cannot be "{key}" or left out: YAML reads it as nothing (editors '
                    "then check nothing in this file); write a name before the colon",
                    True,
                )
            )
            continue
        if key in first_seen:
            located.problems.append(
                (
                    position(key_node.start_mark),
                    f'the key "{echo(key)}" appears twice in this block (first on line '
                    f"{first_seen[key]}); keep one",
                    False,
                )
            )
            continue
        first_seen[key] = key_node.start_mark.line + 1
        if without_value(key_node, value_node, lines):
            located.problems.append(
                (
                    position(key_node.start_mark),
                    f'"{echo(key)}" has no ":" after it: write it as "{echo(key)}: value" '
                    "(editors pass over a key without a value)",
                    True,
                )
            )
            continue
        located.keys[(*path, key)] = position(key_node.start_mark)
        result[key] = _build(value_node, (*path, key), located, lines)
    return result
