"""Layers point one way: checked with import-linter and a short AST test for core."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src" / "kiosk"


def _imports(folder: Path) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for path in folder.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        names = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module:
                names.add(node.module)
        found[str(path.relative_to(SRC))] = names
    return found


def test_core_imports_qtcore_at_most() -> None:
    for module, names in _imports(SRC / "core").items():
        qt = {name for name in names if name.startswith(("PySide6", "pyqtgraph"))}
        assert qt <= {"PySide6.QtCore"}, f"{module} imports {qt - {'PySide6.QtCore'}}"


def test_content_imports_no_qt() -> None:
    for module, names in _imports(SRC / "content").items():
        assert not any(n.startswith(("PySide6", "pyqtgraph")) for n in names), module


def test_import_linter_contracts_hold() -> None:
    lint_imports = Path(sys.executable).parent / "lint-imports"
    result = subprocess.run(
        [str(lint_imports), "--no-cache"], capture_output=True, text=True, cwd=SRC.parents[1]
    )
    assert "Contracts: 3 kept, 0 broken." in result.stdout, result.stdout + result.stderr
    assert result.returncode == 0
