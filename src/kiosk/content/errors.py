"""Located content problems: what the loader reports instead of raising tracebacks."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

Severity = Literal["error", "warning"]

ECHO_LIMIT = 40  # characters of a key or value quoted back in a message
# Characters that would break a message over lines or hide in it: C0 and C1 controls, DEL,
# and the Unicode line and paragraph separators.
_UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape(found: re.Match[str]) -> str:
    char = found.group()
    return _NAMED.get(char) or f"\\u{ord(char):04x}"


def one_line(text: str) -> str:
    """`text` with line breaks, tabs and other control characters shown escaped (`\\n`)."""
    return _UNPRINTABLE.sub(_escape, text)


def echo(value: object, limit: int = ECHO_LIMIT) -> str:
    """A key or value as quoted back in a message: on one line, and cut with … when long."""
    text = str(value)
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return one_line(text)


class KioskOnlyError(ValueError):
    """A rule that kiosk checks and the JSON Schema cannot express, so editors do not flag it
    (a missing file, a path outside the folder, a rule across fields, a day missing from the
    calendar). Raise it instead of ValueError in a validator for such a rule: the agreement
    tests (tests/editor) and README's list rely on it."""


@dataclass(frozen=True, slots=True)
class Problem:
    """One problem in a content file, located by 1-based line and column.

    `kiosk_only` marks a rule that the JSON Schema cannot express, so editors do not flag it:
    a missing file, a duplicate id, a path outside the folder, a rule across fields (README,
    "Editing the content", lists them all)."""

    path: str
    line: int
    column: int
    message: str
    severity: Severity = "error"
    kiosk_only: bool = False

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}: {self.severity}: {one_line(self.message)}"


class ContentError(Exception):
    """The content file cannot be used; carries every problem found in one pass."""

    def __init__(self, problems: list[Problem]) -> None:
        if not problems:
            raise ValueError("ContentError needs at least one problem")
        self.problems = sorted(problems, key=lambda p: (p.line, p.column))
        super().__init__("\n".join(str(p) for p in self.problems))

    @property
    def first(self) -> Problem:
        """The earliest problem in the file."""
        return self.problems[0]
