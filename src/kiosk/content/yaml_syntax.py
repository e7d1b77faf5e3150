"""The YAML that kiosk refuses, and how it says so: PyYAML's syntax errors in plain words,
and the checks for what PyYAML (a YAML 1.1 parser) reads but the editors' parser (YAML 1.2)
refuses or reads differently, or what kiosk refuses by rule (tabs, invisible separators).
"""

from __future__ import annotations

from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

Position = tuple[int, int]  # 1-based line and column


class YamlReadError(Exception):
    """A YAML problem that stops reading; carries its position.

    `kiosk_only` marks what kiosk refuses by rule although the editors' parser reads it
    (anchors, tags, tabs, invisible line separators, the size and encoding of the file);
    `syntax` marks a syntax error of PyYAML's, which also refuses a few rare forms of YAML 1.2
    that the editors' parser reads (an empty key, a text starting with ":" inside [ ])."""

    def __init__(
        self, position: Position, message: str, *, kiosk_only: bool = False, syntax: bool = False
    ) -> None:
        super().__init__(message)
        self.position = position
        self.message = message
        self.kiosk_only = kiosk_only
        self.syntax = syntax


def position(mark: Any) -> Position:
    return (mark.line + 1, mark.column + 1)


def line_separator_problems(text: str) -> list[tuple[Position, str]]:
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


def tab_problems(text: str) -> list[tuple[Position, str]]:
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
    (
        "found incompatible YAML document",
        "the file declares a YAML version that is not 1.2: remove the %YAML line",
    ),
)
# Refused by PyYAML, read by the editors' parser.
_KIOSK_ONLY_HINTS = {
    "expected a single document",
    "found incompatible YAML document",
    "found character '\\t'",
}


def syntax_problem(error: yaml.YAMLError, text: str) -> YamlReadError:
    problem = _described(error, text)
    problem.syntax = True
    return problem


def _described(error: yaml.YAMLError, text: str) -> YamlReadError:
    if isinstance(error, yaml.reader.ReaderError):
        before = text[: error.position]
        line = before.count("\n") + 1
        return YamlReadError(
            (line, len(before) - (before.rfind("\n") + 1) + 1),
            f"the file contains the control character U+{error.character:04X}, "
            "which is not allowed in text",
            kiosk_only=True,
        )
    assert isinstance(error, yaml.MarkedYAMLError)
    problem = error.problem or ""
    context = error.context or ""
    mark = error.problem_mark or error.context_mark
    if "unknown escape character" in problem and error.problem_mark is not None:
        line, column = position(error.problem_mark)
        return YamlReadError(
            (line, max(1, column - 1)),
            'unknown escape after "\\" in double quotes: use single quotes, or write \\\\',
        )
    if context.startswith("while parsing a flow") and error.problem_mark is not None:
        at = error.problem_mark.index
        if text[at : at + 1] in {":", "?"} and text[at + 1 : at + 2] not in set(" \t\r\n,[]{}"):
            # YAML 1.2 (and the editors) read ":x" as text here; PyYAML, a 1.1 parser, not.
            return YamlReadError(
                position(error.problem_mark),
                f'inside [ ] or {{ }}, text cannot start with "{text[at]}" here: put it in quotes',
                kiosk_only=True,
            )
    if context.startswith("while parsing a flow") and error.context_mark is not None:
        return YamlReadError(
            position(error.context_mark),
            'this "[" or "{" is never closed: a "]", "}" or "," is missing',
        )
    if "quoted scalar" in context and error.context_mark is not None:
        return YamlReadError(
            position(error.context_mark),
            "this quoted text is never closed: add the matching closing quote",
        )
    where = position(mark) if mark is not None else (1, 1)
    for needle, hint in _SYNTAX_HINTS:
        if needle in problem or needle in context:
            return YamlReadError(where, hint, kiosk_only=needle in _KIOSK_ONLY_HINTS)
    words = f"{context}; {problem}" if context else problem
    return YamlReadError(where, f"YAML syntax error: {words}")


def without_value(key: Node, value: Node, lines: list[str]) -> bool:
    """A key written without ":" (`{loop}`, `? loop`): YAML reads its value as null."""
    if not (isinstance(value, ScalarNode) and value.style is None and value.value == ""):
        return False
    start, end = key.end_mark, value.start_mark
    between = "\n".join(lines[start.line : end.line + 1])
    offset = start.column
    stop = len(between) - (len(lines[end.line]) - end.column)
    return ":" not in between[offset:stop]


# --- what the editors' parser refuses and PyYAML reads --------------------------------------


def flow_indentation_problem(root: Node, text: str) -> YamlReadError | None:
    """A quoted or plain text, or a flow list or mapping (`[...]`, `{...}`), that goes on to
    a line indented no further than the block it sits in.

    YAML 1.2 (and the editors' parser) require every further line of such a value to be
    indented past the key or "- " it belongs to; PyYAML reads it anyway. Blank lines are
    free, as are comment lines and a closing bracket at the key's own indentation inside a
    flow collection (the editors' parser allows those too).
    """
    lines = text.split("\n")
    stack: list[tuple[Node, int]] = [(root, -1)]
    while stack:
        node, block_column = stack.pop()
        if isinstance(node, MappingNode | SequenceNode) and not node.flow_style:
            column = node.start_mark.column
            children: list[Node] = (
                [part for pair in node.value for part in pair]
                if isinstance(node, MappingNode)
                else list(node.value)
            )
            stack.extend((child, column) for child in reversed(children))
            continue
        if block_column < 0 or node.end_mark.line == node.start_mark.line:
            continue
        if isinstance(node, ScalarNode) and node.style in {"|", ">"}:
            continue
        flow = not isinstance(node, ScalarNode)
        for number in range(node.start_mark.line + 1, node.end_mark.line + 1):
            line = lines[number].rstrip("\r")
            content = line.lstrip(" ")
            indent = len(line) - len(content)
            if not content or indent > block_column:
                continue
            if flow and (
                content.startswith("#")
                or (indent == block_column and content[0] in "]}" and number == node.end_mark.line)
            ):
                continue
            what = "list or mapping" if flow else "text"
            return YamlReadError(
                (number + 1, indent + 1),
                f"this line goes on with the {what} that starts on line "
                f"{node.start_mark.line + 1}, so it must be indented further than the key "
                'or "- " it belongs to (editors read it as a new line otherwise)',
            )
    return None
