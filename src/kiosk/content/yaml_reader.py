"""Read content.yaml into plain data plus the line and column of every value.

PyYAML is used only to compose nodes; values are built here, so YAML 1.1 surprises
(`NO`, `on`, `1.10`, `12:30`) stay the text the author wrote. Anchors, aliases, tags,
duplicate keys, tabs and absurd nesting are refused with a located, plain message.

The events come from libyaml (PyYAML's C parser) when it is there: composing our 300-line
file takes ~5 ms instead of ~28 ms of start-up. A file libyaml refuses is read again by the
pure-Python loader, whose messages and positions the hints below know.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import yaml
from yaml.composer import Composer
from yaml.events import AliasEvent, CollectionStartEvent, Event, NodeEvent
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from yaml.reader import Reader
from yaml.resolver import Resolver

MAX_BYTES = 1024 * 1024  # a content file is a few dozen KB; 1 MB means the wrong file
MAX_DEPTH = 24  # the deepest real content is ~8 levels
NULLS = frozenset({"", "~", "null", "Null", "NULL"})
_GLUED_COMMENT = re.compile(r"[|>][-+0-9]*#")  # libyaml reads "|#" as a block scalar

Path_ = tuple[str | int, ...]
Position = tuple[int, int]  # 1-based line and column


@dataclass
class Located:
    """Plain data from YAML with where each value and each key starts."""

    data: Any
    values: dict[Path_, Position] = field(default_factory=dict)
    keys: dict[Path_, Position] = field(default_factory=dict)
    problems: list[tuple[Position, str]] = field(default_factory=list)

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


class YamlReadError(Exception):
    """A YAML problem that stops reading; carries its position."""

    def __init__(self, position: Position, message: str) -> None:
        super().__init__(message)
        self.position = position
        self.message = message


def _position(mark: Any) -> Position:
    return (mark.line + 1, mark.column + 1)


class _Refusing(Composer):
    """Composes nodes but refuses anchors, aliases, explicit tags and deep nesting."""

    _depth = 0
    peek_event: Callable[[], Event]  # from the parser it is mixed with

    def compose_node(self, parent: Node | None, index: int) -> Node | None:
        event = self.peek_event()
        if isinstance(event, AliasEvent):
            raise YamlReadError(
                _position(event.start_mark),
                f'aliases ("*{event.anchor}") are not supported: write the value out in full',
            )
        if isinstance(event, NodeEvent) and event.anchor is not None:
            raise YamlReadError(
                _position(event.start_mark),
                f'anchors ("&{event.anchor}") are not supported: write each value out in full',
            )
        tag = getattr(event, "tag", None)
        if tag not in (None, "!"):
            raise YamlReadError(
                _position(event.start_mark),
                f'tags such as "{tag}" are not supported: remove the tag and write plain '
                "text or numbers",
            )
        if isinstance(event, CollectionStartEvent):
            self._depth += 1
            if self._depth > MAX_DEPTH:
                raise YamlReadError(
                    _position(event.start_mark),
                    f"the content is nested more than {MAX_DEPTH} levels deep; "
                    "check the indentation",
                )
        try:
            return super().compose_node(parent, index)
        finally:
            if isinstance(event, CollectionStartEvent):
                self._depth -= 1


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
        ) from None
    if "\x00" in text:
        head = text[: text.index("\x00")]
        line, column = head.count("\n") + 1, len(head) - (head.rfind("\n") + 1) + 1
        raise YamlReadError((line, column), "the file contains NUL bytes: it is not a text file")
    return text


def _line_separator_problems(text: str) -> list[tuple[Position, str]]:
    """U+2028, U+2029 and U+0085 break lines for YAML but not for most editors: refuse them,
    so every line number we report matches what staff see."""
    problems = []
    for number, line in enumerate(text.split("\n"), start=1):
        for column, char in enumerate(line, start=1):
            if char in "\u2028\u2029\x85":
                problems.append(
                    (
                        (number, column),
                        f"an invisible line separator (U+{ord(char):04X}) is here, probably "
                        "pasted from another program: delete it",
                    )
                )
    return problems


def _tab_problems(text: str) -> list[tuple[Position, str]]:
    problems = []
    for number, line in enumerate(text.splitlines(), start=1):
        indent = line[: len(line) - len(line.lstrip(" \t"))]
        if "\t" in indent:
            problems.append(
                (
                    (number, indent.index("\t") + 1),
                    "a tab is used for indentation: YAML needs spaces here",
                )
            )
    return problems


_SYNTAX_HINTS = (
    (
        "mapping values are not allowed",
        'a ":" is not allowed here; put text containing ": " in quotes, or check the indentation',
    ),
    (
        "could not find expected ':'",
        'expected "key: value" on this line; a colon may be missing or the line indented wrongly',
    ),
    ("did not find expected key", "the indentation here does not line up with the keys above"),
    ("expected <block end>", "the indentation here does not line up with the lines above"),
    (
        "did not find expected '-' indicator",
        'the indentation here does not line up with the list items ("- ") above',
    ),
    ("expected a single document", 'the file holds more than one document ("---"); keep one'),
    ("found character '\\t'", "a tab is used here: YAML needs spaces"),
    ("found undefined tag handle", "tags are not supported: remove the ! and what follows"),
)


def _syntax_problem(error: yaml.YAMLError, text: str) -> YamlReadError:
    if isinstance(error, yaml.reader.ReaderError):
        before = text[: error.position]
        line = before.count("\n") + 1
        return YamlReadError(
            (line, len(before) - (before.rfind("\n") + 1) + 1),
            f"the file contains the control character U+{error.character:04X}, "
            "which is not allowed in text",
        )
    assert isinstance(error, yaml.MarkedYAMLError)
    problem = error.problem or ""
    context = error.context or ""
    mark = error.problem_mark or error.context_mark
    if "unknown escape character" in problem and error.problem_mark is not None:
        line, column = _position(error.problem_mark)
        return YamlReadError(
            (line, max(1, column - 1)),
            'unknown escape after "\\" in double quotes: use single quotes, or write \\\\',
        )
    if context.startswith("while parsing a flow") and error.context_mark is not None:
        return YamlReadError(
            _position(error.context_mark),
            'this "[" or "{" is never closed: a "]", "}" or "," is missing',
        )
    if "quoted scalar" in context and error.context_mark is not None:
        return YamlReadError(
            _position(error.context_mark),
            "this quoted text is never closed: add the matching closing quote",
        )
    position = _position(mark) if mark is not None else (1, 1)
    for needle, hint in _SYNTAX_HINTS:
        if needle in problem or needle in context:
            return YamlReadError(position, hint)
    words = f"{context}; {problem}" if context else problem
    return YamlReadError(position, f"YAML syntax error: {words}")


def read_yaml(text: str) -> Located:
    """Compose `text` and build plain data with positions; raise YamlReadError if unreadable."""
    tabs = _tab_problems(text)
    if tabs:
        raise YamlReadError(tabs[0][0], tabs[0][1])
    separators = _line_separator_problems(text)
    if separators:
        raise YamlReadError(separators[0][0], separators[0][1])
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
            raise _syntax_problem(error, text) from None
        except RecursionError:
            raise YamlReadError(
                (1, 1), "the content is nested too deeply; check the indentation"
            ) from None
    if root is None or (isinstance(root, ScalarNode) and root.value.strip() == ""):
        raise YamlReadError((1, 1), "the file is empty: it needs `settings:` and `slides:`")
    if not isinstance(root, MappingNode):
        kind = "a list" if isinstance(root, SequenceNode) else "plain text"
        raise YamlReadError(
            _position(root.start_mark),
            f"the top level must be keys such as `settings:` and `slides:`, not {kind}",
        )
    located = Located(data=None)
    located.data = _build(root, (), located)
    return located


def _compose(loader_type: type[Any], text: str) -> Node | None:
    loader = loader_type(text)
    try:
        return loader.get_single_node()  # type: ignore[no-any-return]
    finally:
        loader.dispose()


def _build(node: Node, path: Path_, located: Located) -> Any:
    located.values[path] = _position(node.start_mark)
    if isinstance(node, ScalarNode):
        if node.style is None and node.value in NULLS:
            return None
        return node.value
    if isinstance(node, SequenceNode):
        return [_build(item, (*path, index), located) for index, item in enumerate(node.value)]
    assert isinstance(node, MappingNode)
    result: dict[str, Any] = {}
    first_seen: dict[str, int] = {}
    for key_node, value_node in node.value:
        if not isinstance(key_node, ScalarNode):
            located.problems.append(
                (_position(key_node.start_mark), "a key must be plain text, not a list or mapping")
            )
            continue
        key = key_node.value
        if key in first_seen:
            located.problems.append(
                (
                    _position(key_node.start_mark),
                    f'the key "{key}" appears twice in this block (first on line '
                    f"{first_seen[key]}); keep one",
                )
            )
            continue
        first_seen[key] = key_node.start_mark.line + 1
        located.keys[(*path, key)] = _position(key_node.start_mark)
        result[key] = _build(value_node, (*path, key), located)
    return result
