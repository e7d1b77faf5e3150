"""The last good content of one content file, for a kiosk that starts with a broken one.

A power cut right after a typo must not leave a black screen: each content file that loaded has
a copy of its bytes kept in the state folder, keyed by the file's path *as given* (for example
`ROOT/current/content.yaml`, whose link a fleet release switches), so `kiosk show other.yaml`
never falls back to another show's copy, and a bad release falls back to the previous good one.

The fallback shows the same pictures the good show had. Where the content's folder stays put,
they are read from that folder. Where the path leads through a link that may be switched to
another folder, the pictures the content used are kept next to the copy (hard links, else
copies), unless the real folder is a fleet release (it holds a `manifest.json`), which keeps its
own files for as long as the release is kept.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import shutil
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from kiosk.content import Content, ContentError, parse_content

log = logging.getLogger(__name__)

LAST_GOOD_DIR = "last-good"  # in the state folder: one subfolder per content path
COPY_FILE = "content.yaml"
SOURCE_FILE = "source.json"  # where the copy came from and where its pictures are
MEDIA_DIR = "media"  # pictures kept beside the copy, at their paths relative to the content
RELEASE_MARKER = "manifest.json"  # a fleet release folder: it keeps its own media


@dataclass(frozen=True)
class Fallback:
    """The last good content of a file, and the folder its pictures are read from."""

    content: Content
    media_dir: Path
    saved: str  # when it was kept (ISO 8601, UTC)


def state_dir() -> Path:
    """The platform's state folder for kiosk (e.g. ~/.local/state/kiosk)."""
    from platformdirs import user_state_dir

    return Path(user_state_dir("kiosk", appauthor=False))


def _absolute(path: Path) -> Path:
    """`path` made absolute without resolving links (they are part of what was given)."""
    return Path(os.path.abspath(path))  # noqa: PTH100 - resolve() would follow links


def _through_a_link(folder: Path) -> bool:
    """True when `folder` (absolute) leads through a symbolic link somewhere on its way."""
    return os.path.realpath(folder) != os.path.normpath(folder)


def _fsync_dir(folder: Path) -> None:
    """Make a rename in `folder` durable (a power cut right after must not undo it)."""
    with contextlib.suppress(OSError):
        handle = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
        try:
            os.fsync(handle)
        finally:
            os.close(handle)


def _write_durably(target: Path, data: bytes) -> None:
    """Replace `target` with `data` atomically and durably (temp file, fsync, rename, fsync)."""
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        Path(temporary).replace(target)
    except BaseException:
        with contextlib.suppress(OSError):
            Path(temporary).unlink()
        raise
    _fsync_dir(target.parent)


class LastGoodContent:
    """The kept copy of one content file (see the module's docstring)."""

    def __init__(self, content_path: Path, folder: Path | None = None) -> None:
        self._content_path = _absolute(content_path)
        key = hashlib.sha256(os.fsencode(self._content_path)).hexdigest()[:24]
        self._dir = (folder or state_dir()) / LAST_GOOD_DIR / key

    @property
    def folder(self) -> Path:
        """The folder that holds this file's copy (and, where needed, its pictures)."""
        return self._dir

    @property
    def path(self) -> Path:
        """Where the copy of the content file lives."""
        return self._dir / COPY_FILE

    def remember(self) -> None:
        """Keep the content file as it is now, if it loads (call after it loaded)."""
        real_dir = self._content_path.parent.resolve()
        try:
            data = self._content_path.read_bytes()
            # A save may land between the load and now: keep only bytes that load.
            content = parse_content(data, source=str(self._content_path), base_dir=real_dir)
        except (OSError, ContentError):
            return
        try:
            self._dir.mkdir(parents=True, exist_ok=True)
            media_dir = self._keep_media(content, real_dir)
            source = {
                "content_path": str(self._content_path),
                "media_dir": str(media_dir),
                "saved": datetime.now(UTC).isoformat(timespec="seconds"),
            }
            _write_durably(self.path, data)
            _write_durably(self._dir / SOURCE_FILE, json.dumps(source, indent=2).encode())
        except OSError as error:
            log.warning("cannot keep a copy of the last good content: %s", error)

    def _keep_media(self, content: Content, real_dir: Path) -> Path:
        """The folder the copy's pictures will be read from; keeps them there if needed."""
        kept = self._dir / MEDIA_DIR
        if not _through_a_link(self._content_path.parent) or (real_dir / RELEASE_MARKER).is_file():
            shutil.rmtree(kept, ignore_errors=True)  # the folder itself keeps them
            return real_dir
        wanted = set(content.media())
        for relative in wanted:
            source, target = real_dir / relative, kept / relative
            if _same_file(source, target):
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            temporary = target.with_name(f".{target.name}.new")
            with contextlib.suppress(FileNotFoundError):
                temporary.unlink()
            try:
                os.link(source, temporary)  # no copy where the disk allows: same bytes, kept
            except FileNotFoundError:
                continue  # a missing picture shows as a placeholder, as in the good show
            except OSError:
                shutil.copy2(source, temporary)
            temporary.replace(target)
        for old in sorted(kept.rglob("*"), reverse=True) if kept.exists() else []:
            relative = old.relative_to(kept).as_posix()
            if old.is_file() and relative not in wanted:
                old.unlink()
            elif old.is_dir() and not any(old.iterdir()):
                old.rmdir()
        return kept

    def load(self) -> Fallback | None:
        """This file's last good content with the folder of its pictures, or None."""
        try:
            data = self.path.read_bytes()
        except OSError:
            return None
        media_dir = self._content_path.parent
        saved = ""
        with contextlib.suppress(OSError, ValueError, TypeError, KeyError):
            source = json.loads((self._dir / SOURCE_FILE).read_text(encoding="utf-8"))
            media_dir, saved = Path(source["media_dir"]), str(source["saved"])
        try:
            content = parse_content(data, source=str(self.path), base_dir=media_dir)
        except ContentError as error:
            log.warning("the last good copy does not load either: %s", error.first)
            return None
        return Fallback(content, media_dir, saved)


def _same_file(source: Path, target: Path) -> bool:
    """True when `target` already holds `source`: the same file (a hard link), or a copy of
    the same size and modification time."""
    try:
        if source.samefile(target):
            return True
        ours, theirs = source.stat(), target.stat()
    except OSError:
        return False
    return (ours.st_size, ours.st_mtime_ns) == (theirs.st_size, theirs.st_mtime_ns)
