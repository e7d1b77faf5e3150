"""The editors' own parser and validator, driven from Python: one node process (editor.js)
running yaml-language-server's language service and its `yaml` parser for a whole session.

`./dev.sh test` installs node (Debian's `nodejs` and `npm` when missing) and the pinned
packages of this folder (`npm ci`); without them the tests that need the editor fail with a
message saying so.
"""

from __future__ import annotations

import json
import math
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
SERVER = HERE / "node_modules" / "yaml-language-server" / "bin" / "yaml-language-server"
SETUP_HINT = "run ./dev.sh test once: it installs node and `npm ci` in tests/editor"


def node_or_fail() -> str:
    """The node executable and the installed packages, or a failure that says what to do."""
    node = shutil.which("node")
    if node is None or not SERVER.exists():
        missing = "node" if node is None else "tests/editor/node_modules"
        raise RuntimeError(f"{missing} is missing: {SETUP_HINT}")
    return node


@dataclass
class EditorView:
    """What the editor makes of one text: its parser's errors, the data of the first
    document with the position of every node, and the diagnostics it shows."""

    documents: int
    errors: list[dict[str, Any]]
    warnings: list[dict[str, Any]]
    data: Any
    values: dict[tuple[Any, ...], tuple[int, int]] = field(default_factory=dict)
    keys: dict[tuple[Any, ...], tuple[int, int]] = field(default_factory=dict)
    diagnostics: list[dict[str, Any]] = field(default_factory=list)

    @property
    def diagnostic_lines(self) -> set[int]:
        """1-based lines of everything the editor underlines."""
        return {diagnostic["at"][0] + 1 for diagnostic in self.diagnostics}


def _number(value: Any) -> Any:
    if isinstance(value, dict):
        if set(value) == {"$number"}:
            return {"NaN": math.nan, "Infinity": math.inf, "-Infinity": -math.inf}[value["$number"]]
        return {key: _number(inner) for key, inner in value.items()}
    if isinstance(value, list):
        return [_number(inner) for inner in value]
    return value


class EditorProcess:
    """editor.js in one node process: send a text, get the editor's view of it."""

    def __init__(self, schema: dict[str, Any]) -> None:
        node = node_or_fail()
        self._process = subprocess.Popen(
            [node, str(HERE / "editor.js")],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            encoding="utf-8",
            cwd=HERE,
        )
        assert self._ask({"schema": schema}) == {"ok": True}

    def _send(self, request: dict[str, Any]) -> None:
        assert self._process.stdin is not None
        self._process.stdin.write(json.dumps(request, ensure_ascii=False) + "\n")
        self._process.stdin.flush()

    def _receive(self) -> dict[str, Any]:
        assert self._process.stdout is not None
        line = self._process.stdout.readline()
        if not line:
            raise RuntimeError(f"editor.js ended (exit code {self._process.poll()})")
        reply: dict[str, Any] = json.loads(line)
        if "failure" in reply:
            raise RuntimeError(f"editor.js failed: {reply['failure']}")
        return reply

    def _ask(self, request: dict[str, Any]) -> dict[str, Any]:
        self._send(request)
        return self._receive()

    def submit(self, text: str) -> None:
        """Send a text to read; `collect()` gets the answer (meanwhile Python can work)."""
        self._send({"text": text})

    def collect(self) -> EditorView:
        """The view of the text submitted last."""
        reply = self._receive()
        parsed = reply["parse"]
        view = EditorView(
            documents=parsed["documents"],
            errors=parsed["errors"],
            warnings=parsed["warnings"],
            data=_number(parsed["data"]),
            diagnostics=reply["diagnostics"],
        )
        for path, line, character, *kind in parsed["positions"]:
            table = view.keys if kind else view.values
            table[tuple(path)] = (line + 1, character + 1)
        return view

    def read(self, text: str) -> EditorView:
        """The editor's view of `text`."""
        self.submit(text)
        return self.collect()

    def complete(self, text: str, line: int, character: int) -> list[dict[str, Any]]:
        """Completion items offered at 0-based (line, character)."""
        reply = self._ask({"text": text, "complete": {"line": line, "character": character}})
        items: list[dict[str, Any]] = reply["completion"]
        return items

    def close(self) -> None:
        """End the node process."""
        if self._process.stdin is not None:
            self._process.stdin.close()
        try:
            self._process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()
        if self._process.stdout is not None:
            self._process.stdout.close()
