"""A plain HTTP(S) client for releases: conditional GETs, bounded sizes, no endless waits.

Every read has a socket timeout (a server that stops answering), and every request a deadline
from its expected size at a slow but working speed (a server that drips one byte at a time).
"""

from __future__ import annotations

import hashlib
import os
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from http.client import HTTPException, HTTPResponse
from pathlib import Path

import kiosk

DEFAULT_TIMEOUT_S = 30.0  # no byte for this long: the server is gone
MIN_RATE = 64 * 1024  # bytes per second a working link keeps up; slower is a stall
CHUNK = 256 * 1024


class FetchError(Exception):
    """A request that failed; the message names the URL and says why, in words."""


@dataclass(frozen=True)
class Fetched:
    """A small response read whole: the status (200 or 304), the body and its ETag."""

    status: int
    body: bytes
    etag: str | None


def folder_url(url: str) -> str:
    """The release folder's URL with a trailing slash (a URL to manifest.json is accepted)."""
    parts = urllib.parse.urlsplit(url.strip())
    if parts.scheme not in {"http", "https"} or not parts.netloc:
        raise FetchError(f"{url!r} is not an http:// or https:// URL")
    path = parts.path
    if path.endswith("/manifest.json"):
        path = path[: -len("manifest.json")]
    if not path.endswith("/"):
        path += "/"
    return urllib.parse.urlunsplit((parts.scheme, parts.netloc, path, "", ""))


def origin(url: str) -> tuple[str, str, int | None]:
    """Scheme, host and port of a URL (the default port filled in)."""
    parts = urllib.parse.urlsplit(url)
    default = {"http": 80, "https": 443}.get(parts.scheme)
    return (parts.scheme, (parts.hostname or "").lower(), parts.port or default)


class Fetcher:
    """GETs files below one release folder URL."""

    def __init__(self, base_url: str, *, timeout: float = DEFAULT_TIMEOUT_S, who: str = "") -> None:
        self.base_url = folder_url(base_url)
        self.timeout = timeout
        self._agent = f"kiosk-sync/{kiosk.__version__}" + (f" ({who})" if who else "")

    def url_of(self, relative: str) -> str:
        """The URL of a file of the release."""
        return self.base_url + urllib.parse.quote(relative, safe="/")

    def _open(self, relative: str, headers: dict[str, str]) -> HTTPResponse:
        url = self.url_of(relative)
        request = urllib.request.Request(url, headers={"User-Agent": self._agent, **headers})
        try:
            response: HTTPResponse = urllib.request.urlopen(request, timeout=self.timeout)
        except urllib.error.HTTPError as error:
            if error.code == 304:
                raise
            raise FetchError(f"{url}: the server answered {error.code} {error.reason}") from None
        except urllib.error.URLError as error:
            reason = error.reason
            if isinstance(reason, TimeoutError):
                raise FetchError(f"{url}: no answer within {self.timeout:g} s") from None
            raise FetchError(f"{url}: cannot reach the server ({reason})") from None
        except TimeoutError:
            raise FetchError(f"{url}: no answer within {self.timeout:g} s") from None
        except (OSError, HTTPException, ValueError) as error:
            raise FetchError(f"{url}: the request failed ({error})") from None
        return response

    def get(self, relative: str, *, max_bytes: int, etag: str | None = None) -> Fetched:
        """A small file read whole, or status 304 when `etag` still matches."""
        headers = {"If-None-Match": etag} if etag else {}
        try:
            response = self._open(relative, headers)
        except urllib.error.HTTPError as error:  # only 304 gets here
            return Fetched(304, b"", error.headers.get("ETag") or etag)
        with response:
            body = self._read(response, relative, None, max_bytes, None)
            return Fetched(response.status, body, response.headers.get("ETag"))

    def download(self, relative: str, target: Path, *, size: int, sha256: str) -> None:
        """Stream a file to `target` (synced to disk), checking its size and sha256 as it
        comes; on any failure nothing is left at `target`."""
        digest = hashlib.sha256()
        try:
            with target.open("wb") as stream:
                response = self._open(relative, {})
                with response:

                    def write(chunk: bytes) -> None:
                        digest.update(chunk)
                        stream.write(chunk)

                    self._read(response, relative, size, size, write)
                stream.flush()
                os.fsync(stream.fileno())
            if digest.hexdigest() != sha256:
                raise FetchError(
                    f"{self.url_of(relative)}: its sha256 does not match the signed manifest "
                    "(tampered or changed on the server): refused"
                )
        except BaseException:
            target.unlink(missing_ok=True)
            raise

    def _read(
        self,
        response: HTTPResponse,
        relative: str,
        expected: int | None,
        max_bytes: int,
        sink: Callable[[bytes], None] | None,
    ) -> bytes:
        """Read the body in chunks within the deadline: into `sink`, or kept and returned."""
        url = self.url_of(relative)
        deadline = time.monotonic() + self.timeout + max_bytes / MIN_RATE
        kept: list[bytes] = []
        total = 0
        try:
            while True:
                # read1: what has arrived (read() would wait for the whole chunk, so a server
                # dripping a byte at a time would never meet the deadline)
                chunk = response.read1(min(CHUNK, max_bytes + 1 - total))
                if not chunk:
                    break
                total += len(chunk)
                if total > max_bytes:
                    raise FetchError(f"{url}: larger than the {max_bytes} bytes expected")
                if sink is None:
                    kept.append(chunk)
                else:
                    sink(chunk)
                if time.monotonic() > deadline:
                    raise FetchError(f"{url}: too slow (stopped after {total} bytes)")
        except TimeoutError:
            raise FetchError(f"{url}: the server stopped sending after {total} bytes") from None
        except HTTPException as error:  # IncompleteRead: the connection closed too early
            raise FetchError(f"{url}: the response was cut off ({error})") from None
        except OSError as error:
            raise FetchError(f"{url}: the download failed ({error})") from None
        if expected is not None and total != expected:
            raise FetchError(f"{url}: cut off after {total} of {expected} bytes: refused")
        return b"".join(kept)
