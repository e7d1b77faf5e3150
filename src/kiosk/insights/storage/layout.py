"""The layout context recorded with each touch, beyond language and canvas size (no Qt).

Heat maps are drawn per layout: the same spot on a slide in larger text, or in another
release of the content, may hold something else. The text scale is the Player's
(`Player.text_scale`, the visitor's "larger text"); the release comes from here.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path

log = logging.getLogger(__name__)

MANIFEST_FILE = "manifest.json"  # beside content.yaml in a signed fleet release
MAX_MANIFEST_BYTES = 1024 * 1024


def release_of(content_dir: Path) -> str | None:
    """The fleet release being shown: `version` of manifest.json in the content folder, or
    None when there is no manifest (content edited in place) or it has no usable version."""
    path = content_dir / MANIFEST_FILE
    try:
        with path.open("rb") as manifest:
            data = manifest.read(MAX_MANIFEST_BYTES + 1)
    except FileNotFoundError:
        return None
    except OSError as error:
        log.warning("insights: cannot read %s (%s); release not recorded", path, error)
        return None
    if len(data) > MAX_MANIFEST_BYTES:
        return None
    try:
        manifest = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        log.warning("insights: %s is not JSON; release not recorded", path)
        return None
    version = manifest.get("version") if isinstance(manifest, dict) else None
    if isinstance(version, int | float) and not isinstance(version, bool):
        version = str(version)
    return version[:100] if isinstance(version, str) and version else None
