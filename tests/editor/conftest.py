"""The editor (yaml-language-server in one node process) for the tests of this folder, and the
counts of the agreement tests printed at the end of the run."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from agreement import SCHEMA, TALLY
from editor_process import EditorProcess


@pytest.fixture(scope="session")
def editor() -> Iterator[EditorProcess]:
    """yaml-language-server's parser and validator with content.schema.json, for the session."""
    process = EditorProcess(SCHEMA)
    yield process
    process.close()


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """How many documents the editor and kiosk check read, and how they met."""
    if not TALLY:
        return
    terminalreporter.section("editor agreement")
    for kind, count in sorted(TALLY.items(), key=lambda item: (-item[1], item[0])):
        terminalreporter.write_line(f"{count:6d}  {kind}")
