"""WebVTT captions: the cues staff write, and located, plain-worded problems for the rest."""

from __future__ import annotations

from pathlib import Path

import pytest

from kiosk.content.captions import CaptionError, cue_at, parse_webvtt, read_webvtt

GOOD = """WEBVTT - the zone film

NOTE written by staff

intro
00:00:00.500 --> 00:00:03.000 align:center
<b>济南高新区</b> &amp; 1991

00:03.000 --> 00:05.250
Two lines,
the second one
"""


def test_cues_are_read_with_their_times_tags_removed_and_lines_kept() -> None:
    cues = parse_webvtt(GOOD)
    assert [(c.start, c.end, c.text) for c in cues] == [
        (0.5, 3.0, "济南高新区 & 1991"),
        (3.0, 5.25, "Two lines,\nthe second one"),
    ]


def test_the_cue_at_a_moment_of_the_film() -> None:
    cues = parse_webvtt(GOOD)
    assert cue_at(cues, 0.2) is None
    assert cue_at(cues, 1.0) is cues[0]
    assert cue_at(cues, 3.0) is cues[1]  # the end is exclusive, the start inclusive
    assert cue_at(cues, 9.0) is None


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ("1\n00:00.000 --> 00:01.000\nx\n", 1, 'must start with the line "WEBVTT"'),
        (
            "WEBVTT\n\n00:00.000 -> 00:01.000\nx\n",
            3,
            '"00:00.000 -> 00:01.000" is not a cue timing',
        ),
        ("WEBVTT\n\n00:00.000 --> 00:61.000\nx\n", 3, "is not a cue timing"),
        ("WEBVTT\n\n00:02.000 --> 00:01.000\nx\n", 3, "the cue ends before it starts"),
        ("WEBVTT\n\n00:00.000 --> 00:01.000\n<i></i>\n", 3, "the cue has no text"),
        ("WEBVTT\n\nid\nnot a timing\ntext\n", 4, '"not a timing" is not a cue timing'),
    ],
)
def test_a_broken_file_is_a_located_problem(text: str, line: int, words: str) -> None:
    with pytest.raises(CaptionError) as caught:
        parse_webvtt(text)
    assert caught.value.line == line
    assert words in caught.value.message


def test_a_file_that_is_not_utf8_says_so(tmp_path: Path) -> None:
    path = tmp_path / "gbk.vtt"
    path.write_bytes("WEBVTT\n\n00:00.000 --> 00:01.000\n字幕\n".encode("gbk"))
    with pytest.raises(CaptionError, match="not UTF-8"):
        read_webvtt(path)


def test_windows_line_ends_and_a_bom_are_fine() -> None:
    cues = parse_webvtt("\ufeffWEBVTT\r\n\r\n00:00.000 --> 00:01.000\r\nok\r\n")
    assert [c.text for c in cues] == ["ok"]
