"""The `video` slide in content.yaml: its fields, its media, its captions in `kiosk check`, and
the volume's merge order (defaults < content.yaml < kiosk.toml < command line)."""

from __future__ import annotations

from pathlib import Path

import pytest

from kiosk.app import ShowOptions, merge_settings
from kiosk.content import ContentError, parse_content
from kiosk.content.kiosk_settings import parse_kiosk_settings
from kiosk.content.loader import check_content
from kiosk.content.model import VideoSlide

FILM = """\
settings: {volume: 60}
slides:
  - id: film
    type: video
    title: {zh: 宣传片, en: The film}
    video: clips/film.mp4
    poster: clips/poster.png
    captions: {zh: clips/film.zh.vtt}
"""


def test_a_video_slide_has_sensible_defaults_and_names_its_media() -> None:
    content = parse_content(FILM.encode())
    slide = content.slides[0]
    assert isinstance(slide, VideoSlide)
    assert (slide.play, slide.audio, slide.fit) == ("once", False, "contain")
    assert content.films() == [slide]
    assert content.media() == ["clips/film.mp4", "clips/film.zh.vtt", "clips/poster.png"]
    assert content.settings.volume == 60


@pytest.mark.parametrize(
    ("line", "words"),
    [
        ("    play: twice\n", "\"play\" must be one of 'once' or 'loop'"),
        ("    fit: stretch\n", "\"fit\" must be one of 'contain' or 'cover'"),
        ("    audio: loud\n", '"audio" must be true or false'),
        ("    captions: {}\n", "must name a caption file for zh, en or both"),
    ],
)
def test_bad_film_fields_are_explained(line: str, words: str) -> None:
    with pytest.raises(ContentError) as caught:
        parse_content((FILM.replace("    captions: {zh: clips/film.zh.vtt}\n", "") + line).encode())
    assert words in str(caught.value)


def test_a_film_outside_the_content_folder_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ContentError, match="leaves the content folder"):
        parse_content(FILM.replace("clips/film.mp4", "../film.mp4").encode(), base_dir=tmp_path)


def test_check_reads_the_captions_and_locates_their_problems_in_the_caption_file(
    tmp_path: Path,
) -> None:
    clips = tmp_path / "clips"
    clips.mkdir()
    for name in ("film.mp4", "poster.png"):
        (clips / name).write_bytes(b"x")
    (clips / "film.zh.vtt").write_text("WEBVTT\n\n00:01.000 --> 00:00.500\n字幕\n", "utf-8")
    deck = tmp_path / "content.yaml"
    deck.write_text(FILM, encoding="utf-8")
    result = check_content(deck)
    assert [str(p) for p in result.errors] == [
        f'{clips / "film.zh.vtt"}:3:11: error: captions of slide "film": the cue ends before '
        "it starts"
    ]
    assert result.position_of(("slides", 0, "video")) == (6, 12)


def test_the_volume_merges_defaults_content_kiosk_and_command_line() -> None:
    content = parse_content(FILM.encode())
    kiosk = parse_kiosk_settings(b"volume = 30\n")
    options = ShowOptions(Path("content.yaml"))
    assert merge_settings(content, options).settings.volume == 60
    assert merge_settings(content, options, kiosk).settings.volume == 30
    loud = ShowOptions(Path("content.yaml"), volume=90)
    assert merge_settings(content, loud, kiosk).settings.volume == 90
    assert (
        parse_content(FILM.replace("settings: {volume: 60}\n", "").encode()).settings.volume == 80
    )


def test_a_volume_out_of_range_in_kiosk_toml_is_located() -> None:
    with pytest.raises(ContentError) as caught:
        parse_kiosk_settings(b'name = "Hall A"\nvolume = 140\n', source="kiosk.toml")
    assert str(caught.value) == 'kiosk.toml:2:1: error: "volume" must be at most 100, got 140'
