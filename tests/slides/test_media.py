"""MediaLibrary against hostile files: missing, empty, truncated, gigantic, outside the folder.

Each becomes a placeholder quickly, with bounded memory, and is logged once however often a
view asks for it (a gallery asks every frame).
"""

from __future__ import annotations

import logging
import os
import resource
import struct
import time
import zlib
from pathlib import Path

import pytest
from PySide6.QtCore import QSize
from PySide6.QtGui import QImage

from kiosk.content.model import GallerySlide
from kiosk.slides.gallery import GallerySlideView
from kiosk.slides.media import MAX_SIDE, RECENT_DECODED, MediaLibrary
from kiosk.slides.render import render_view
from kiosk.slides.theme import SlideTheme

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
GIANT_SIDE = 20_000  # 20000 x 20000 RGBA would be 1.6 GB decoded
BROKEN = {
    "missing.png": "missing",
    "empty.png": "cannot be decoded",
    "truncated.png": "cannot be decoded",
    "giant.png": "cannot be decoded",
    "escape.png": "outside the content folder",  # a symlink leading out
    "../outside/secret.png": "outside the content folder",
}
QUICK_S = 2.0  # generous: each of these takes milliseconds


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def giant_png_header(side: int = GIANT_SIDE) -> bytes:
    """A valid PNG that declares side x side RGBA pixels but carries almost no data."""
    ihdr = struct.pack(">IIBBBBB", side, side, 8, 6, 0, 0, 0)  # 8 bit, RGBA, no interlace
    return (
        PNG_SIGNATURE
        + _chunk(b"IHDR", ihdr)
        + _chunk(b"IDAT", zlib.compress(b"\0" * 16))
        + _chunk(b"IEND", b"")
    )


def _noisy_image(width: int, height: int) -> QImage:
    """Pixels that do not compress, so the PNG is far longer than 100 bytes."""
    data = os.urandom(width * height * 4)
    return QImage(data, width, height, width * 4, QImage.Format.Format_RGB32).copy()


@pytest.fixture
def media_dir(tmp_path: Path, qapp) -> Path:
    """A content folder holding one good image and every kind of broken one."""
    folder = tmp_path / "content"
    folder.mkdir()
    assert _noisy_image(200, 150).save(str(folder / "good.png"))
    good = (folder / "good.png").read_bytes()
    assert len(good) > 1000
    (folder / "truncated.png").write_bytes(good[:100])
    (folder / "empty.png").write_bytes(b"")
    (folder / "giant.png").write_bytes(giant_png_header())
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.png").write_bytes(good)
    (folder / "escape.png").symlink_to(outside / "secret.png")
    return folder


def test_the_giant_png_is_a_valid_header(qapp) -> None:
    """The crafted file really declares 20000 x 20000 (so the limit, not a parse error, bites)."""
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice
    from PySide6.QtGui import QImageReader

    buffer = QBuffer()
    buffer.setData(QByteArray(giant_png_header()))
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    reader = QImageReader(buffer, b"png")
    assert reader.canRead()
    assert reader.size() == QSize(GIANT_SIDE, GIANT_SIDE)


@pytest.mark.parametrize("name", sorted(BROKEN))
def test_a_broken_image_is_a_placeholder_logged_once(media_dir: Path, caplog, name: str) -> None:
    caplog.set_level(logging.WARNING, logger="kiosk.slides.media")
    media = MediaLibrary(media_dir)
    peak_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    started = time.perf_counter()
    results = [media.image(name) for _ in range(100)]  # a gallery asks every frame
    elapsed = time.perf_counter() - started
    assert results == [None] * 100
    assert elapsed < QUICK_S
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - peak_before < 256 * 1024
    records = [r for r in caplog.records if name in r.getMessage()]
    assert len(records) == 1
    assert BROKEN[name] in records[0].getMessage()
    assert "placeholder" in records[0].getMessage()
    assert media.failed == {name}


def test_failed_lists_every_broken_image_and_no_good_one(media_dir: Path) -> None:
    media = MediaLibrary(media_dir)
    for name in [*BROKEN, "good.png"]:
        media.image(name)
    assert media.failed == set(BROKEN)


def test_a_valid_image_loads_once(media_dir: Path, caplog) -> None:
    media = MediaLibrary(media_dir)
    image = media.image("good.png")
    assert image is not None
    assert image.size() == QSize(200, 150)
    assert image.format() == QImage.Format.Format_ARGB32_Premultiplied
    assert media.image("good.png") is image  # cached
    assert media.image(None) is None
    assert media.failed == set()
    assert caplog.records == []


def test_image_size_reads_only_the_header(media_dir: Path, caplog) -> None:
    media = MediaLibrary(media_dir)
    assert media.image_size("good.png") == QSize(200, 150)
    assert media.image_size("truncated.png") == QSize(200, 150)  # its header is whole
    assert media.image_size("giant.png") == QSize(MAX_SIDE, MAX_SIDE)  # as it would load
    for name in ["missing.png", "empty.png", "escape.png", "../outside/secret.png"]:
        assert media.image_size(name) is None, name
    assert caplog.records == []  # loading them logs, once; asking their size does not
    assert media.failed == set()  # and nothing was decoded


def test_only_the_most_recent_pictures_stay_decoded(media_dir: Path) -> None:
    # The images made from a picture are cached (plates, thumbnails, backgrounds); the
    # decoded picture (6 MiB for 1600 px) is kept only while those are being made.
    for index in range(RECENT_DECODED + 2):
        (media_dir / f"copy-{index}.png").write_bytes((media_dir / "good.png").read_bytes())
    media = MediaLibrary(media_dir)
    first = [media.image(f"copy-{index}.png") for index in range(RECENT_DECODED + 2)]
    # Newest first: asking again for an old one decodes it, and that pushes out another.
    again = [media.image(f"copy-{index}.png") for index in reversed(range(RECENT_DECODED + 2))]
    kept = [a is b for a, b in zip(reversed(first), again, strict=True)]
    assert kept == [True] * RECENT_DECODED + [False] * 2
    assert all(image is not None and image.size() == QSize(200, 150) for image in again)


def test_a_large_valid_image_is_scaled_down_on_load(tmp_path: Path, qapp) -> None:
    wide = QImage(MAX_SIDE * 2, 16, QImage.Format.Format_RGB32)
    wide.fill(0xFF336699)
    assert wide.save(str(tmp_path / "wide.png"))
    image = MediaLibrary(tmp_path).image("wide.png")
    assert image is not None
    assert image.size() == QSize(MAX_SIDE, 8)


def _gallery(image: str) -> GallerySlide:
    return GallerySlide.model_validate(
        {
            "id": "giant",
            "type": "gallery",
            "title": "A gallery",
            "images": [{"image": image, "caption": "Too big to decode"}],
        }
    )


def test_a_gallery_of_a_giant_image_paints_the_placeholder(
    media_dir: Path, theme: SlideTheme, caplog
) -> None:
    media = MediaLibrary(media_dir)
    size = QSize(960, 540)
    giant = render_view(GallerySlideView(_gallery("giant.png"), theme, media), size, "en")
    missing = render_view(GallerySlideView(_gallery("missing.png"), theme, media), size, "en")
    assert not giant.isNull()
    assert giant == missing  # exactly the placeholder a missing image gets
    good = render_view(GallerySlideView(_gallery("good.png"), theme, media), size, "en")
    assert good != giant  # (and the comparison can tell an image from a placeholder)
    assert media.failed == {"giant.png", "missing.png"}
    assert len([r for r in caplog.records if "giant.png" in r.getMessage()]) == 1
