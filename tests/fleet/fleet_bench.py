"""The fleet's test bench: a real nginx (Debian's nginx-light) on 127.0.0.1 serving a publish
folder, a key pair, and a helper that publishes releases and syncs a kiosk folder from it."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from fleet_content import write_content

from kiosk.fleet.bundle import bundle
from kiosk.fleet.manifest import Manifest
from kiosk.fleet.signing import generate_keys, load_public_key, load_secret_key
from kiosk.fleet.sync import Outcome, Syncer

READY_TIMEOUT_S = 10.0

NGINX_CONF = """\
{user}
worker_processes 1;
daemon off;
pid {tmp}/nginx.pid;
error_log {tmp}/error.log;
events {{ worker_connections 64; }}
http {{
  access_log {tmp}/access.log;
  client_body_temp_path {tmp}/body;
  proxy_temp_path {tmp}/proxy;
  fastcgi_temp_path {tmp}/fastcgi;
  uwsgi_temp_path {tmp}/uwsgi;
  scgi_temp_path {tmp}/scgi;
  # the content host: static files only
  server {{ listen 127.0.0.1:{port}; root {publish}; }}
  # another host, for the status uploads (WebDAV PUT)
  server {{
    listen 127.0.0.1:{status_port};
    root {status};
    location /status/ {{ dav_methods PUT; create_full_put_path on; }}
  }}
}}
"""


def nginx_binary() -> str:
    """nginx from PATH or /usr/sbin; skip when it is not installed."""
    found = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else "")
    if not found:
        pytest.skip("nginx is not installed: ./dev.sh test installs nginx-light")
    return found


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_for_port(port: int, process: subprocess.Popen[bytes], log: Path) -> None:
    """Until 127.0.0.1:port accepts connections; fail with nginx's error log otherwise."""
    deadline = time.monotonic() + READY_TIMEOUT_S
    while True:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                text = log.read_text() if log.exists() else ""
                pytest.fail(f"nginx did not start on port {port}:\n{text}")
            time.sleep(0.02)


@dataclass
class Nginx:
    """A running nginx: its URLs and its access log."""

    process: subprocess.Popen[bytes]
    folder: Path
    publish: Path
    status_root: Path
    port: int
    status_port: int
    marks: int = 0  # marker requests made by access_log

    @property
    def url(self) -> str:
        """The publish folder's URL."""
        return f"http://127.0.0.1:{self.port}/"

    @property
    def status_url(self) -> str:
        """Where kiosks may PUT their status ({name} filled in by the sync)."""
        return f"http://127.0.0.1:{self.status_port}/status/{{name}}.json"

    def access_log(self) -> list[str]:
        """The request lines so far, e.g. 'GET /manifest.json HTTP/1.1" 304', with every request
        answered before this call in it. nginx writes a request's line just after sending its
        answer, so a client that got its answer can read the log before the line is there: a
        marker request is made and waited for (one worker logs its requests in order)."""
        self.marks += 1
        mark = f"/.log-mark-{self.marks} "
        with socket.create_connection(("127.0.0.1", self.port), timeout=5) as connection:
            connection.sendall(f"GET {mark.strip()} HTTP/1.0\r\n\r\n".encode())
            connection.makefile("rb").read()  # to nginx's close: answered, the line follows
        path = self.folder / "access.log"
        deadline = time.monotonic() + READY_TIMEOUT_S
        while True:
            lines = path.read_text().splitlines() if path.exists() else []
            if any(mark in line for line in lines):
                break
            if time.monotonic() > deadline:
                pytest.fail(f"nginx did not log {mark.strip()} within {READY_TIMEOUT_S} s")
            time.sleep(0.005)
        return [
            line.split('"', 1)[1].rsplit(' "-"', 2)[0]
            for line in lines
            if '"' in line and "/.log-mark-" not in line
        ]

    def stop(self) -> None:
        """Stop nginx (fast shutdown) and wait for it."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


@pytest.fixture
def nginx(tmp_path: Path) -> Iterator[Nginx]:
    """nginx-light on two free ports of 127.0.0.1: the publish folder and a status host."""
    binary = nginx_binary()
    folder = tmp_path / "nginx"
    publish = tmp_path / "publish"
    status_root = tmp_path / "status-host"
    for path in (folder, publish, status_root / "status"):
        path.mkdir(parents=True)
    for _attempt in range(3):
        port, status_port = free_port(), free_port()
        conf = folder / "nginx.conf"
        conf.write_text(
            NGINX_CONF.format(
                # as root, workers would drop to "nobody", who cannot read pytest's tmp folders
                user="user root;" if os.geteuid() == 0 else "",
                tmp=folder,
                port=port,
                status_port=status_port,
                publish=publish,
                status=status_root,
            )
        )
        process = subprocess.Popen(
            [binary, "-c", str(conf), "-p", str(folder)],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        server = Nginx(process, folder, publish, status_root, port, status_port)
        try:
            wait_for_port(port, process, folder / "error.log")
            wait_for_port(status_port, process, folder / "error.log")
        except pytest.fail.Exception:
            server.stop()
            if _attempt == 2:
                raise
            continue  # a port was taken between the probe and nginx: try two others
        break
    try:
        yield server
    finally:
        server.stop()


@dataclass(frozen=True)
class Keys:
    """A key pair made by `kiosk keygen --unencrypted`."""

    secret: Path
    public: Path


@pytest.fixture(scope="session")
def keys(tmp_path_factory: pytest.TempPathFactory) -> Keys:
    """One unencrypted key pair for the session."""
    secret, public = generate_keys(tmp_path_factory.mktemp("keys"), None)
    return Keys(secret, public)


class Fleet:
    """The office (a content folder bundled into nginx's publish folder) and one kiosk's ROOT."""

    def __init__(self, tmp_path: Path, server: Nginx, keys: Keys) -> None:
        self.server = server
        self.keys = keys
        self.content = tmp_path / "office"
        self.root = tmp_path / "kiosk"
        self.public_key = load_public_key(str(keys.public))

    def publish(self, title: str, *, picture: int = 0, **options: object) -> Manifest:
        """Write the content with `title` and bundle it into the publish folder."""
        write_content(self.content, title, picture=picture)
        secret = load_secret_key(self.keys.secret, lambda: "")
        manifest = bundle(self.content, self.server.publish, secret, **options)  # type: ignore[arg-type]
        # nginx's ETag is the file's mtime in seconds and its size: a copy to a real server
        # gets a new mtime; here two releases are published within one second
        stamp = time.time() + manifest.version
        os.utime(self.server.publish / "manifest.json", (stamp, stamp))
        return manifest

    def syncer(self, timeout: float = 5.0, url: str | None = None) -> Syncer:
        """The kiosk's syncer against the publish folder."""
        return Syncer(self.root, url or self.server.url, self.public_key, timeout=timeout)

    def sync(self) -> Outcome:
        """One check, in this process."""
        return self.syncer().run()

    def current_title(self) -> str:
        """The cover title of the release the kiosk's `current` points at."""
        text = (self.root / "current" / "content.yaml").read_text(encoding="utf-8")
        return text.split("title: ", 1)[1].split(",", 1)[0]

    def snapshot(self) -> dict[str, bytes | str]:
        """Everything under ROOT that a failed run must not change (links as their target)."""
        found: dict[str, bytes | str] = {}
        for parent, folders, files in os.walk(self.root):
            for name in folders + files:
                path = Path(parent) / name
                key = str(path.relative_to(self.root))
                if path.is_symlink():
                    found[key] = "-> " + str(path.readlink())
                elif path.is_file() and name not in {"status.json"}:
                    found[key] = path.read_bytes()
        return found


@pytest.fixture
def fleet(tmp_path: Path, nginx: Nginx, keys: Keys) -> Fleet:
    """An office, a real nginx and a kiosk folder."""
    return Fleet(tmp_path, nginx, keys)
