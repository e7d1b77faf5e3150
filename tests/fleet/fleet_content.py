"""A small show for the fleet tests, written into a content folder (no fixtures here: the test
modules import it directly, while fleet_bench is loaded as a pytest plugin)."""

from __future__ import annotations

import shutil
from pathlib import Path

MEDIA = Path(__file__).resolve().parents[1] / "fixtures" / "content" / "media"


def write_content(folder: Path, title: str, *, picture: int = 0) -> Path:
    """A one-slide show in `folder`: a cover titled `title` with media/picture.png (variant
    number `picture`: the fixture's bytes with a tag after its end) and the theme's logo; an
    unused file lies beside it."""
    (folder / "media").mkdir(parents=True, exist_ok=True)
    tag = f"variant {picture}".encode() if picture else b""
    (folder / "media" / "picture.png").write_bytes((MEDIA / "dot.png").read_bytes() + tag)
    shutil.copyfile(MEDIA / "logo.png", folder / "media" / "logo.png")
    (folder / "notes.txt").write_text("office notes, never published\n")
    path = folder / "content.yaml"
    path.write_text(
        "settings: {theme: {logo: media/logo.png}}\n"
        "slides:\n"
        f"  - {{id: cover, type: cover, title: {title}, image: media/picture.png}}\n",
        encoding="utf-8",
    )
    return path
