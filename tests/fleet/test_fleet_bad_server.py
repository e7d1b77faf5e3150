"""Servers nginx will not imitate: a response cut off, one that drips, one that never answers.

A tiny socket server on 127.0.0.1 serves a real published release and misbehaves on one path;
the sync must give up within its timeout, exit non-zero and leave `current` as it was.
"""

from __future__ import annotations

import socket
import socketserver
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from kiosk.fleet.sync import SyncError

if TYPE_CHECKING:
    from fleet_bench import Fleet

pytest_plugins = ["fleet_bench"]  # the nginx, keys and fleet fixtures

BAD_PATH = "/media/picture.png"
MAX_MISBEHAVING_S = 8.0  # the server gives up by itself, whatever the client does


class _Handler(socketserver.BaseRequestHandler):
    server: _BadServer

    def handle(self) -> None:
        request = b""
        while b"\r\n\r\n" not in request:
            chunk = self.request.recv(4096)
            if not chunk:
                return
            request += chunk
        path = request.split(b" ", 2)[1].decode()
        mode = self.server.mode if path in self.server.bad_paths else "good"
        file = self.server.folder / path.lstrip("/")
        if not file.is_file():
            self.request.sendall(b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n")
            return
        body = file.read_bytes()
        head = f"HTTP/1.1 200 OK\r\nContent-Length: {len(body)}\r\nConnection: close\r\n\r\n"
        started = time.monotonic()
        if mode == "silent":  # read the request, answer nothing
            self.server.stopped.wait(MAX_MISBEHAVING_S)
            return
        self.request.sendall(head.encode())
        if mode == "cut off":
            self.request.sendall(body[: len(body) // 2])
            return  # the connection closes with half the promised bytes
        if mode == "drip":
            for byte in body:
                if self.server.stopped.wait(0.3) or time.monotonic() - started > MAX_MISBEHAVING_S:
                    return
                try:
                    self.request.sendall(bytes([byte]))
                except OSError:
                    return
            return
        self.request.sendall(body)


class _BadServer(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, folder: Path) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.folder = folder
        self.mode = "good"
        self.bad_paths = {BAD_PATH}
        self.stopped = threading.Event()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/"


@pytest.fixture
def bad_server(fleet: Fleet) -> Iterator[_BadServer]:
    """Serves nginx's publish folder; misbehaves on BAD_PATH as `server.mode` says."""
    server = _BadServer(fleet.server.publish)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.stopped.set()
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def _second_release_pending(fleet: Fleet) -> dict[str, bytes | str]:
    fleet.publish("First")
    fleet.sync()
    fleet.publish("Second", picture=1)
    return fleet.snapshot()


@pytest.mark.parametrize(
    ("mode", "words"),
    [
        ("cut off", "cut off"),
        ("drip", "too slow"),
        ("silent", "no answer within 1 s"),
    ],
)
def test_a_misbehaving_server_fails_the_run_within_the_timeout(
    fleet: Fleet, bad_server: _BadServer, mode: str, words: str
) -> None:
    before = _second_release_pending(fleet)
    bad_server.mode = mode
    started = time.monotonic()
    with pytest.raises(SyncError, match=words):
        fleet.syncer(timeout=1.0, url=bad_server.url).run()
    assert time.monotonic() - started < 5.0
    after = fleet.snapshot()
    assert {key: value for key, value in after.items() if ".partial" not in key} == before
    assert fleet.current_title() == "First"


def test_a_server_that_never_answers_the_manifest_times_out(
    fleet: Fleet, bad_server: _BadServer
) -> None:
    before = _second_release_pending(fleet)
    bad_server.mode = "silent"
    bad_server.bad_paths = {"/manifest.json"}
    with pytest.raises(SyncError, match=r"no answer within 1 s|stopped sending"):
        fleet.syncer(timeout=1.0, url=bad_server.url).run()
    assert fleet.snapshot() == before


def test_the_good_path_of_the_test_server_works(fleet: Fleet, bad_server: _BadServer) -> None:
    """The misbehaviours above are the only thing wrong: served straight, the release installs."""
    _second_release_pending(fleet)
    assert fleet.syncer(timeout=1.0, url=bad_server.url).run().version == 2
    with socket.create_connection(bad_server.server_address, timeout=1):
        pass
