"""Films read with Qt's own engine: what the probe accepts is what the show can paint, and
`kiosk check` says so at the `video:` line, in words."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from films import make_clip
from kiosk.cli import main
from kiosk.slides.film_probe import FilmFault, FilmInfo, probe_film


@pytest.fixture(scope="module")
def odd_clips(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Clips the engine opens but the show cannot paint (AV1 without a GPU, HEVC 10-bit), one
    it paints in software (HEVC 8-bit), and broken files."""
    folder = tmp_path_factory.mktemp("odd")
    make_clip(folder / "av1.mp4", seconds=0.4, codec="av1")
    make_clip(folder / "hevc10.mp4", seconds=0.4, codec="hevc10")
    make_clip(folder / "hevc8.mp4", seconds=0.4, codec="hevc8")
    make_clip(folder / "moov-at-end.mp4", seconds=1.0, faststart=False)
    data = (folder / "moov-at-end.mp4").read_bytes()
    (folder / "truncated.mp4").write_bytes(data[: len(data) // 2])  # the index is lost
    (folder / "garbage.mp4").write_bytes(b"\x00\x01 definitely not a film " * 100)
    (folder / "picture.mp4").write_bytes(
        (Path(__file__).parents[2] / "assets/images/logo-mark.png").read_bytes()
    )
    return folder


def test_an_h264_film_is_read_with_its_codec_size_length_rate_and_first_frame(
    qapp, film_clips: Path
) -> None:
    info = probe_film(film_clips / "once.mp4")
    assert isinstance(info, FilmInfo), info
    assert (info.codec_label, info.container, info.width, info.height) == (
        "H.264",
        "MPEG-4",
        320,
        180,
    )
    assert info.seconds == pytest.approx(2.0, abs=0.05)
    assert info.frame_rate == pytest.approx(25.0)
    assert not info.has_audio and not info.ten_bit
    assert info.first_frame.size().width() == 320


@pytest.mark.parametrize(
    ("name", "words"),
    [
        ("av1.mp4", "AV1 is not supported here; export H.264"),
        ("hevc10.mp4", "HEVC 10-bit is not supported here; export H.264"),
        ("truncated.mp4", "cannot be opened"),
        ("garbage.mp4", "cannot be opened"),
        ("picture.mp4", "a still picture, not a film"),
        ("missing.mp4", "the file is missing"),
    ],
)
def test_a_film_the_show_cannot_paint_is_a_fault_in_words(
    qapp, odd_clips: Path, name: str, words: str
) -> None:
    result = probe_film(odd_clips / name)
    assert isinstance(result, FilmFault), result
    assert words in result.reason


def test_check_names_the_codec_at_the_video_line_and_warns_of_software_hevc(
    tmp_path: Path, odd_clips: Path, film_clips: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    shutil.copyfile(odd_clips / "hevc10.mp4", tmp_path / "a.mp4")
    shutil.copyfile(odd_clips / "hevc8.mp4", tmp_path / "b.mp4")
    shutil.copyfile(film_clips / "once.mp4", tmp_path / "c.mp4")
    deck = tmp_path / "content.yaml"
    deck.write_text(
        "slides:\n"
        "  - {id: a, type: video, title: A, video: a.mp4}\n"
        "  - {id: b, type: video, title: B, video: b.mp4, play: loop}\n"
        "  - {id: c, type: video, title: C, video: c.mp4}\n",
        encoding="utf-8",
    )
    assert main(["check", str(deck)]) == 1
    assert capsys.readouterr().out.splitlines() == [
        f'{deck}:2:43: error: slide "a": "a.mp4": HEVC 10-bit is not supported here; export H.264',
        f'{deck}:3:43: warning: slide "b": "b.mp4" is HEVC (320x180): it decodes here, but only '
        "in software and it may stutter on a kiosk PC; export H.264 (8-bit) for smooth playback",
    ]
