"""Durable file operations: what a kill or a power cut can leave behind is whole or absent.

A kill keeps everything the process wrote in the page cache; a power cut keeps only what was
synced. So every file is fsynced before it is renamed into place, and the folder holding a
rename or a new link is fsynced after it, before anything relies on the rename.
"""

from __future__ import annotations

import os
from pathlib import Path


def fsync_file(path: Path) -> None:
    """Flush a file's data and size to the disk."""
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def fsync_dir(path: Path) -> None:
    """Flush a folder's entries (renames, new links, removals) to the disk."""
    descriptor = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def write_durably(path: Path, data: bytes) -> None:
    """Replace `path` with `data` so that a reader, a kill or a power cut sees the old bytes
    or the new ones, never a mix: a synced temporary file renamed over it, then the folder
    synced."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with temporary.open("wb") as stream:
        stream.write(data)
        stream.flush()
        os.fsync(stream.fileno())
    temporary.replace(path)
    fsync_dir(path.parent)


def switch_link(link: Path, target: str) -> None:
    """Point the symlink `link` at `target` atomically: a new link renamed over the old one
    (`ln -sfn` unlinks first, leaving a moment without a link), the folder synced around it."""
    temporary = link.with_name(f".{link.name}.{os.getpid()}.new")
    temporary.unlink(missing_ok=True)
    temporary.symlink_to(target)
    fsync_dir(link.parent)  # the new link exists on disk before it replaces the old one
    temporary.replace(link)
    fsync_dir(link.parent)


def sync_tree(folder: Path) -> None:
    """fsync every file and folder under `folder`, deepest first, `folder` itself last."""
    for parent, _folders, files in os.walk(folder, topdown=False):
        base = Path(parent)
        for name in files:
            if not (base / name).is_symlink():
                fsync_file(base / name)
        fsync_dir(base)
