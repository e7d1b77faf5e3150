"""Located content problems: what the loader reports instead of raising tracebacks."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True, slots=True)
class Problem:
    """One problem in a content file, located by 1-based line and column."""

    path: str
    line: int
    column: int
    message: str
    severity: Severity = "error"

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}: {self.severity}: {self.message}"


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
