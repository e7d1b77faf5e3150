"""yaml-language-server itself, as an editor runs it: a real server process on stdio, spoken to
with the Language Server Protocol by a small client written here. It finds the schema from
the first line of content.yaml, publishes no diagnostic for the bundled content, underlines
a mistake at the line `kiosk check` names, and completes slides and keys helpfully.
"""

from __future__ import annotations

import json
import queue
import re
import shutil
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from editor_process import SERVER, node_or_fail

from kiosk.content import SLIDE_TYPES
from kiosk.content.loader import check_bytes

REPO = Path(__file__).resolve().parents[2]
TIMEOUT_S = 60.0  # a shared, busy machine; the server answers in well under a second


class LanguageServer:
    """A yaml-language-server process and the client side of its JSON-RPC over stdio."""

    def __init__(self, folder: Path) -> None:
        self._process = subprocess.Popen(
            [node_or_fail(), str(SERVER), "--stdio"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            cwd=folder,
        )
        self._messages: queue.Queue[dict[str, Any]] = queue.Queue()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        self._next_id = 0
        self.settings = {
            "yaml": {"validate": True, "completion": True, "schemaStore": {"enable": False}},
        }

    def _read(self) -> None:
        stream = self._process.stdout
        assert stream is not None
        while True:
            headers = {}
            while True:
                line = stream.readline()
                if not line:
                    return
                if line in {b"\r\n", b"\n"}:
                    break
                name, _, value = line.decode("ascii").partition(":")
                headers[name.strip().lower()] = value.strip()
            body = stream.read(int(headers["content-length"]))
            self._messages.put(json.loads(body))

    def _send(self, message: dict[str, Any]) -> None:
        body = json.dumps({"jsonrpc": "2.0", **message}).encode("utf-8")
        assert self._process.stdin is not None
        self._process.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self._process.stdin.flush()

    def notify(self, method: str, params: dict[str, Any]) -> None:
        self._send({"method": method, "params": params})

    def request(self, method: str, params: dict[str, Any]) -> Any:
        self._next_id += 1
        number = self._next_id
        self._send({"id": number, "method": method, "params": params})
        reply = self.wait_for(lambda m: m.get("id") == number and "method" not in m)
        assert "error" not in reply, reply
        return reply.get("result")

    def wait_for(self, wanted: Any) -> dict[str, Any]:
        """The next message `wanted` accepts, answering the server's own requests meanwhile."""
        deadline = time.monotonic() + TIMEOUT_S
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise AssertionError("yaml-language-server did not answer in time")
            message = self._messages.get(timeout=left)
            if "method" in message and "id" in message:
                self._answer(message)
            if wanted(message):
                return message

    def _answer(self, message: dict[str, Any]) -> None:
        result: Any = None
        if message["method"] == "workspace/configuration":
            items = message["params"]["items"]
            result = [self.settings.get(item.get("section"), None) for item in items]
        self._send({"id": message["id"], "result": result})

    def diagnostics(self, uri: str) -> list[dict[str, Any]]:
        """The diagnostics the server publishes for the document."""
        message = self.wait_for(
            lambda m: (
                m.get("method") == "textDocument/publishDiagnostics" and m["params"]["uri"] == uri
            )
        )
        found: list[dict[str, Any]] = message["params"]["diagnostics"]
        return found

    def close(self) -> None:
        try:
            self.request("shutdown", {})
            self.notify("exit", {})
            self._process.wait(timeout=10)
        except (AssertionError, OSError, queue.Empty, subprocess.TimeoutExpired):
            self._process.kill()
            self._process.wait()
        for stream in (self._process.stdin, self._process.stdout):
            if stream is not None:
                stream.close()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[LanguageServer, Path]]:
    """A started server, its workspace a folder with a copy of content.schema.json."""
    folder = tmp_path_factory.mktemp("workspace")
    shutil.copy(REPO / "content.schema.json", folder / "content.schema.json")
    server = LanguageServer(folder)
    server.request(
        "initialize",
        {
            "processId": None,
            "rootUri": folder.as_uri(),
            "workspaceFolders": [{"uri": folder.as_uri(), "name": "show"}],
            "capabilities": {
                "workspace": {"configuration": True},
                "textDocument": {"completion": {"completionItem": {"snippetSupport": True}}},
            },
        },
    )
    server.notify("initialized", {})
    server.notify("workspace/didChangeConfiguration", {"settings": server.settings})
    # The server pulls its settings (answered in wait_for) before it validates anything.
    server.wait_for(lambda m: m.get("method") == "workspace/configuration")
    yield server, folder
    server.close()


class Document:
    """content.yaml as an editor shows it to the server. Each text is opened under a name of
    its own in the same folder (the first line still finds content.schema.json there): the
    server publishes diagnostics without a version, so a name is what ties them to a text."""

    def __init__(self, server: LanguageServer, folder: Path) -> None:
        self.server = server
        self.folder = folder
        self.uri = ""
        self.shown = 0

    def show(self, text: str) -> list[dict[str, Any]]:
        """Open `text` (closing the text before it); the diagnostics published for it."""
        if self.uri:
            self.server.notify("textDocument/didClose", {"textDocument": {"uri": self.uri}})
        self.shown += 1
        self.uri = (self.folder / f"content-{self.shown}.yaml").as_uri()
        item = {"uri": self.uri, "languageId": "yaml", "version": 1, "text": text}
        self.server.notify("textDocument/didOpen", {"textDocument": item})
        return self.server.diagnostics(self.uri)

    def complete(self, line: int, character: int) -> list[dict[str, Any]]:
        result = self.server.request(
            "textDocument/completion",
            {"textDocument": {"uri": self.uri}, "position": {"line": line, "character": character}},
        )
        items: list[dict[str, Any]] = result["items"] if isinstance(result, dict) else result
        return items


@pytest.fixture(scope="module")
def document(server: tuple[LanguageServer, Path]) -> Document:
    return Document(*server)


BUNDLED = (REPO / "content.yaml").read_text(encoding="utf-8")


def test_the_bundled_content_has_no_diagnostic(document: Document) -> None:
    assert document.show(BUNDLED) == []


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("  loop: true", "  loop: yes"),
        ("      - value: 10.5", '      - value: "10.5"'),
        ("  - id: blue-sky", "  - id: 2020"),
        ("    type: gallery", "    type: galery"),
        ("  transition: fade", "  transiton: fade"),
    ],
)
def test_a_mistake_is_underlined_at_the_line_kiosk_check_names(
    document: Document, old: str, new: str
) -> None:
    document.show(BUNDLED)
    at = BUNDLED.index("\n" + old) + 1  # a line of its own, not the header's examples
    broken = BUNDLED[:at] + new + BUNDLED[at + len(old) :]
    line = BUNDLED[:at].count("\n")  # 0-based, as in LSP
    found = document.show(broken)
    assert [d["range"]["start"]["line"] for d in found] == [line], found
    (problem,) = check_bytes(broken.encode(), source="content.yaml", base_dir=REPO).errors
    assert problem.line == line + 1
    assert found[0]["range"]["start"]["character"] + 1 == problem.column


def _expanded(snippet: str) -> str:
    """A completion snippet as inserted with every placeholder left at its default."""
    snippet = re.sub(r"\$\{\d+:([^}]*)\}", r"\1", snippet)
    return re.sub(r"\$\d+", "", snippet)


def test_each_slide_type_has_a_snippet_with_its_required_fields(document: Document) -> None:
    head = BUNDLED.split("\nslides:\n", 1)[0] + "\nslides:\n"
    text = head + "  - \n"
    document.show(text)
    items = document.complete(text.count("\n") - 1, 4)
    snippets = {item["label"]: item for item in items if item["label"].endswith(" slide")}
    assert set(snippets) == {f"{kind} slide" for kind in SLIDE_TYPES}
    for label, item in snippets.items():
        inserted = _expanded(item.get("insertText") or item["textEdit"]["newText"])
        # An editor indents the snippet's further lines as the line it is inserted on.
        slide = "  - " + inserted.replace("\n", "\n  ") + "\n"
        result = check_bytes((head + slide).encode(), source="content.yaml", base_dir=None)
        assert result.errors == [], (label, slide, [str(p) for p in result.errors])


def test_completing_an_optional_key_does_not_insert_null(document: Document) -> None:
    slide = "  - id: world-class\n    type: text\n"
    text = BUNDLED.replace(slide, slide + "    \n")
    document.show(text)
    items = document.complete(text[: text.index(slide)].count("\n") + 2, 4)
    offered = {
        item["label"]: item.get("insertText") or item["textEdit"]["newText"] for item in items
    }
    assert {"duration", "notes", "transition", "chapter"} <= set(offered), sorted(offered)
    assert not [label for label, text in offered.items() if "null" in text], offered
