"""Valid content loads; encodings, YAML 1.1 surprises, limits and media rules behave."""

from __future__ import annotations

import struct
import sys
import time
import zlib
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel

from kiosk.content import ContentError, check_content, load_content, parse_content
from kiosk.content import model as m
from kiosk.content.loader import CheckResult, check_bytes

TESTS = Path(__file__).resolve().parents[1]
FIXTURES = TESTS / "fixtures" / "content"
BROKEN = TESTS / "fixtures" / "broken"
MINIMAL = FIXTURES / "minimal.yaml"
EVERY_TYPE = FIXTURES / "every_type.yaml"
REPO_CONTENT = TESTS.parent / "content.yaml"

TEXT_SLIDE = "slides:\n  - id: hello\n    type: text\n"


def _parse(text: str, **kwargs: Any) -> m.Content:
    return parse_content(text.encode("utf-8"), **kwargs)


def _english(value: object) -> object:
    """The English of a Text, or the plain value (labels may be either)."""
    return value.en if isinstance(value, m.Text) else value


def _check(text: str) -> CheckResult:
    return check_bytes(text.encode("utf-8"), source="content.yaml", base_dir=None)


# --- valid files ----------------------------------------------------------------------------


@pytest.mark.parametrize("path", [MINIMAL, EVERY_TYPE], ids=lambda p: p.name)
def test_valid_fixture_loads_without_any_problem(path: Path) -> None:
    result = check_content(path, require_media=True)
    assert result.problems == []
    assert result.content is not None
    assert load_content(path) == result.content


def test_minimal_is_one_text_slide() -> None:
    content = load_content(MINIMAL)
    assert [slide.type for slide in content.slides] == ["text"]
    assert content.settings == m.Settings()


def test_repo_content_yaml_loads() -> None:
    if not REPO_CONTENT.exists():
        pytest.skip("the repository has no content.yaml yet")
    result = check_content(REPO_CONTENT, require_media=True)
    assert result.errors == [], "\n".join(map(str, result.errors))


def _covered(value: object, found: dict[type, set[str]]) -> None:
    """Record, per model class, every field whose value differs from its default."""
    if isinstance(value, BaseModel):
        cls = type(value)
        for name, info in cls.model_fields.items():
            inner = getattr(value, name)
            default = info.default_factory() if info.default_factory else info.default  # type: ignore[call-arg]
            if info.is_required() or inner != default:
                inherited = issubclass(cls, m.SlideBase) and name in m.SlideBase.model_fields
                owner = m.SlideBase if inherited else cls
                found.setdefault(owner, set()).add(name)
            _covered(inner, found)
    elif isinstance(value, list | tuple):
        for item in value:
            _covered(item, found)


def test_every_type_uses_every_slide_type_and_optional_field() -> None:
    content = load_content(EVERY_TYPE)
    assert {slide.type for slide in content.slides} == set(m.SLIDE_TYPES)
    kinds = {getattr(getattr(s, "chart", None), "kind", None) for s in content.slides}
    assert kinds >= {"bars", "rings", "marks"}

    found: dict[type, set[str]] = {}
    _covered(content, found)
    models = [
        cls
        for cls in vars(m).values()
        if isinstance(cls, type)
        and issubclass(cls, BaseModel)
        and cls is not m.Model
        and cls.__module__ == m.__name__
    ]
    for cls in models:
        own = set(cls.model_fields)
        if cls is not m.SlideBase and issubclass(cls, m.SlideBase):
            own -= set(m.SlideBase.model_fields)
        optional = {name for name in own if not cls.model_fields[name].is_required()}
        assert optional <= found.get(cls, set()), (cls.__name__, optional - found.get(cls, set()))

    # Both spellings of Text and of an indicator value are exercised.
    texts = [text for slide in content.slides for text in slide.texts()]
    assert any(t.zh == t.en for t in texts) and any(t.zh != t.en for t in texts)
    values = [item.value for s in content.slides if s.type == "indicators" for item in s.items]
    assert any(isinstance(v, m.PerLanguageNumber) for v in values)
    assert any(isinstance(v, float) for v in values)


def _png_is_valid(data: bytes) -> bool:
    if not data.startswith(b"\x89PNG\r\n\x1a\n"):
        return False
    offset, kinds = 8, []
    while offset < len(data):
        (length,) = struct.unpack(">I", data[offset : offset + 4])
        kind = data[offset + 4 : offset + 8]
        body = data[offset + 8 : offset + 8 + length]
        (crc,) = struct.unpack(">I", data[offset + 8 + length : offset + 12 + length])
        if zlib.crc32(kind + body) & 0xFFFFFFFF != crc:
            return False
        kinds.append(kind)
        offset += 12 + length
    return kinds[0] == b"IHDR" and kinds[-1] == b"IEND"


@pytest.mark.parametrize("name", ["dot.png", "logo.png"])
def test_fixture_media_are_valid_png(name: str) -> None:
    assert _png_is_valid((FIXTURES / "media" / name).read_bytes())


# --- encodings and line endings ----------------------------------------------------------


@pytest.mark.parametrize(
    "variant",
    [
        pytest.param(lambda b: b"\xef\xbb\xbf" + b, id="bom"),
        pytest.param(lambda b: b.replace(b"\n", b"\r\n"), id="crlf"),
        pytest.param(lambda b: b"\xef\xbb\xbf" + b.replace(b"\n", b"\r\n"), id="bom+crlf"),
    ],
)
@pytest.mark.parametrize("path", [MINIMAL, EVERY_TYPE], ids=lambda p: p.name)
def test_bom_and_crlf_give_the_same_content(path: Path, variant: Any, tmp_path: Path) -> None:
    plain = load_content(path)
    data = variant(path.read_bytes())
    assert parse_content(data, base_dir=FIXTURES, require_media=True) == plain
    target = tmp_path / "content.yaml"
    target.write_bytes(data)
    assert load_content(target) == plain  # require_media=False: media need not be there


# --- YAML 1.2, as editors read it: 1.1 surprises stay text ------------------------------

SURPRISES = """\
settings:
  loop: false
slides:
  - id: surprises
    type: cover
    title: NO
    subtitle: on
    kicker: yes
  - id: years
    type: timeline
    title: 1.10
    notes: 2024-01-01
    source: 0x1F
    events:
      - year: 12:30
        text: 1.10
      - year: 010
        text: ~ok
      - year: 1_000
        text: .inf
"""


def test_yaml_11_surprises_stay_the_text_written() -> None:
    content = _parse(SURPRISES)
    cover, timeline = content.slides
    assert content.settings.loop is False
    assert (cover.title.zh, cover.title.en) == ("NO", "NO")
    assert cover.subtitle is not None and cover.subtitle.en == "on"
    assert cover.kicker is not None and cover.kicker.zh == "yes"
    assert timeline.title.en == "1.10"
    assert timeline.notes is not None and timeline.notes.en == "2024-01-01"
    assert timeline.source is not None and timeline.source.en == "0x1F"
    assert [(_english(e.year), e.text.en) for e in timeline.events] == [
        ("12:30", "1.10"),
        ("010", "~ok"),
        ("1_000", ".inf"),
    ]


@pytest.mark.parametrize(
    ("written", "expected"),
    [("false", False), ("False", False), ("FALSE", False), ("true", True), ("True", True)],
)
def test_loop_takes_true_and_false(written: str, expected: bool) -> None:
    content = _parse(f"settings:\n  loop: {written}\n{TEXT_SLIDE}    title: t\n    body: b\n")
    assert content.settings.loop is expected


@pytest.mark.parametrize("written", ["yes", "no", "on", "off", "No", "y"])
def test_yes_no_on_off_are_text_not_booleans(written: str) -> None:
    result = _check(f"settings:\n  loop: {written}\n{TEXT_SLIDE}    title: t\n    body: b\n")
    (problem,) = result.errors
    assert (problem.line, problem.column) == (2, 9)
    assert problem.message.startswith(f'settings: "loop" must be true or false, got "{written}"')
    if written != "y":
        assert "reads yes, no, on and off as text" in problem.message


@pytest.mark.parametrize(
    ("line", "fragment"),
    [
        (
            '      - value: "10.5"',
            '"value" must be a number, got the text "10.5" in quotes: remove',
        ),
        ("      - value: '1e3'", '"value" must be a number, got the text "1e3" in quotes'),
        ("      - value: 1_000", '"value" must be a number, got "1_000"'),
        ("      - value: true", '"value" must be a number, got true'),
    ],
)
def test_a_number_field_takes_only_an_unquoted_number(line: str, fragment: str) -> None:
    result = _check(
        "slides:\n  - id: n\n    type: indicators\n    title: t\n    items:\n"
        f"{line}\n        label: l\n        source: s\n"
    )
    (problem,) = result.errors
    assert (problem.line, problem.column) == (6, 16)
    assert fragment in problem.message


def test_settings_quoted_true_is_text() -> None:
    result = _check(f'settings:\n  loop: "true"\n{TEXT_SLIDE}    title: t\n    body: b\n')
    (problem,) = result.errors
    assert 'got the text "true" in quotes: remove the quotes' in problem.message


@pytest.mark.parametrize(
    ("written", "fragment"),
    [
        ("id: 2020", '"id" must be text, got the number 2020: write it in quotes ("2020")'),
        ("id: true", '"id" must be text, got true, which YAML reads as a yes/no value'),
    ],
)
def test_a_name_written_as_a_number_or_yes_no_is_refused(written: str, fragment: str) -> None:
    result = _check(f"slides:\n  - {written}\n    type: text\n    title: t\n    body: b\n")
    (problem,) = result.errors
    assert (problem.line, problem.column) == (2, 9)
    assert fragment in problem.message


def test_text_fields_take_numbers_as_written() -> None:
    content = _parse(
        "slides:\n  - id: y2020\n    type: timeline\n    title: 2020\n    events:\n"
        "      - {year: 1.10, text: 0x1F}\n      - {year: 2024, text: {zh: 1e3, en: 1.50}}\n"
        "      - {year: '2025', text: -0}\n"
    )
    slide = content.slides[0]
    assert slide.title.en == "2020"
    assert [(e.year, e.text.zh, e.text.en) for e in slide.events] == [
        ("1.10", "0x1F", "0x1F"),
        ("2024", "1e3", "1.50"),
        ("2025", "-0", "-0"),
    ]


@pytest.mark.parametrize("written", ["true", "false", "~", "null", ""])
def test_a_yes_no_or_null_title_is_not_text(written: str) -> None:
    result = _check(f"slides:\n  - id: a\n    type: text\n    title: {written}\n    body: b\n")
    (problem,) = result.errors
    assert problem.line == 4
    assert '"title" must be text' in problem.message
    if written in {"true", "false"}:
        assert f'write "{written}" in quotes if you mean the word' in problem.message


def test_quoted_number_like_text_and_numbers() -> None:
    content = _parse(
        "slides:\n  - id: n\n    type: indicators\n    title: '007'\n    items:\n"
        '      - value: 1150.20\n        decimals: 2\n        label: "1.10"\n'
        "        year: '2023'\n        source: s\n"
    )
    slide = content.slides[0]
    assert slide.title.en == "007"
    item = slide.items[0]
    assert item.value == 1150.2 and item.decimals == 2
    assert item.label.en == "1.10"
    assert _english(item.year) == "2023"


def test_plain_string_text_means_both_languages() -> None:
    content = _parse(TEXT_SLIDE + "    title: 济南\n    body: {zh: 你好, en: Hello}\n")
    slide = content.slides[0]
    assert (slide.title.zh, slide.title.en) == ("济南", "济南")
    assert (slide.body["zh"], slide.body["en"]) == ("你好", "Hello")


# --- many problems, one pass ------------------------------------------------------------

THREE_PROBLEMS = """\
settings:
  theme:
    accent: "#12345"
slides:
  - id: first
    type: text
    title: Hello
    duraton: 5
    body: World
  - id: second
    type: text
    title: Hello
    body: World
    duration: -3
"""


def test_several_problems_are_reported_in_one_pass(tmp_path: Path) -> None:
    path = tmp_path / "content.yaml"
    path.write_text(THREE_PROBLEMS, encoding="utf-8")
    result = check_content(path)
    assert result.content is None
    assert [(p.line, p.column) for p in result.errors] == [(3, 13), (8, 5), (14, 15)]
    assert "colour" in result.errors[0].message
    assert 'unknown key "duraton"' in result.errors[1].message
    assert "at least 1" in result.errors[2].message

    with pytest.raises(ContentError) as raised:
        load_content(path)
    assert raised.value.problems == result.errors
    assert raised.value.first == result.errors[0]
    assert str(raised.value).splitlines() == [str(p) for p in result.errors]
    assert all(line.startswith(f"{path}:") for line in str(raised.value).splitlines())


def test_load_content_raises_content_error_for_broken_file() -> None:
    with pytest.raises(ContentError) as raised:
        load_content(BROKEN / "unknown_key.yaml")
    assert 'unknown key "duraton"' in raised.value.first.message


def test_parse_content_raises_content_error_with_source_label() -> None:
    with pytest.raises(ContentError) as raised:
        parse_content(b"slides: []\n", source="from-memory.yaml")
    assert str(raised.value).startswith("from-memory.yaml:1:9: ")


def test_content_error_needs_a_problem() -> None:
    with pytest.raises(ValueError):
        ContentError([])


# --- size limit -------------------------------------------------------------------------

MAX_BYTES = 1024 * 1024


def test_file_over_one_megabyte_is_refused_quickly(tmp_path: Path) -> None:
    path = tmp_path / "content.yaml"
    body = (TEXT_SLIDE + "    title: t\n    body: b\n").encode()
    path.write_bytes(body + b"# padding\n" * (MAX_BYTES // 10))
    assert path.stat().st_size > MAX_BYTES
    started = time.perf_counter()
    result = check_content(path)
    elapsed = time.perf_counter() - started
    assert elapsed < 2.0
    assert result.content is None
    (problem,) = result.errors
    assert (problem.line, problem.column) == (1, 1)
    assert "1024 KB" in problem.message or "1 MB" in problem.message


def test_file_of_exactly_one_megabyte_is_accepted(tmp_path: Path) -> None:
    body = (TEXT_SLIDE + "    title: t\n    body: b\n").encode()
    filler = b"# " + b"x" * 97 + b"\n"
    pad = MAX_BYTES - len(body)
    data = body + (filler * (pad // len(filler) + 1))[:pad]
    assert len(data) == MAX_BYTES
    path = tmp_path / "content.yaml"
    path.write_bytes(data)
    assert check_content(path).errors == []


def test_size_message_does_not_claim_the_limit_as_the_size(tmp_path: Path) -> None:
    path = tmp_path / "content.yaml"
    path.write_bytes(b"# x\n" * (3 * MAX_BYTES // 4))  # 3 MB
    (problem,) = check_content(path).errors
    assert "the file is 1024 KB" not in problem.message


# --- missing file, folder -----------------------------------------------------------------


def test_missing_file_is_a_located_problem(tmp_path: Path) -> None:
    path = tmp_path / "nope.yaml"
    result = check_content(path)
    assert result.content is None
    (problem,) = result.errors
    assert str(problem) == f"{path}:1:1: error: the file does not exist"
    with pytest.raises(ContentError):
        load_content(path)


def test_folder_is_a_located_problem(tmp_path: Path) -> None:
    result = check_content(tmp_path)
    assert result.content is None
    (problem,) = result.errors
    assert str(problem).startswith(f"{tmp_path}:1:1: ")
    if sys.platform != "win32":
        assert "folder" in problem.message


# --- media --------------------------------------------------------------------------------

COVER = "slides:\n  - id: cover\n    type: cover\n    title: Hello\n    image: {image}\n"


def test_missing_image_is_an_error_only_when_media_are_required(tmp_path: Path) -> None:
    path = tmp_path / "content.yaml"
    path.write_text(COVER.format(image="media/missing.png"), encoding="utf-8")

    strict = check_content(path)
    assert [(p.line, p.column) for p in strict.errors] == [(5, 12)]
    assert "does not exist" in strict.errors[0].message

    relaxed = check_content(path, require_media=False)
    assert relaxed.errors == []
    assert relaxed.content is not None
    assert relaxed.content.slides[0].image == "media/missing.png"
    # The show loads with require_media=False: a missing image becomes a placeholder.
    assert load_content(path).slides[0].image == "media/missing.png"


@pytest.mark.parametrize(
    ("image", "fragment"),
    [
        ("../outside.png", "leaves the content folder"),
        ("media/../../outside.png", "leaves the content folder"),
        ("'media\\..\\..\\outside.png'", "leaves the content folder"),
        ("/etc/passwd", "absolute path"),
        ("'C:\\Windows\\win.ini'", "absolute path"),
        ("C:/Windows/win.ini", "absolute path"),
        ("'\\\\server\\share\\x.png'", "absolute path"),
    ],
)
@pytest.mark.parametrize("require_media", [True, False])
def test_escaping_paths_are_refused_even_without_media(
    image: str, fragment: str, require_media: bool, tmp_path: Path
) -> None:
    (tmp_path / "outside.png").write_bytes((FIXTURES / "media" / "dot.png").read_bytes())
    show = tmp_path / "show"
    (show / "media").mkdir(parents=True)
    path = show / "content.yaml"
    path.write_text(COVER.format(image=image), encoding="utf-8")
    result = check_content(path, require_media=require_media)
    assert result.content is None
    assert [(p.line, p.column) for p in result.errors] == [(5, 12)]
    assert fragment in result.errors[0].message
    with pytest.raises(ContentError):
        parse_content(path.read_bytes(), base_dir=None)  # refused without any folder too


def test_backslash_media_path_is_normalised() -> None:
    content = parse_content(
        COVER.format(image="'media\\dot.png'").encode(), base_dir=FIXTURES, require_media=True
    )
    assert content.slides[0].image == "media/dot.png"


# --- glyph warnings -----------------------------------------------------------------------


def test_glyph_check_gives_located_warnings_and_keeps_content() -> None:
    result = check_content(MINIMAL, glyph_check=lambda text: {"你"} & set(text))
    assert result.content is not None
    assert result.errors == []
    (warning,) = result.warnings
    assert (warning.line, warning.column) == (4, 12)
    assert str(warning).startswith(f"{MINIMAL}:4:12: warning: ")
    assert "U+4F60" in warning.message


# --- alias bomb ---------------------------------------------------------------------------


def test_alias_bomb_is_refused_at_once() -> None:
    started = time.perf_counter()
    result = check_content(BROKEN / "alias_bomb.yaml")
    assert time.perf_counter() - started < 2.0
    assert result.content is None
    assert "anchors" in result.errors[0].message


# --- message quality bugs -----------------------------------------------------------------


@pytest.mark.parametrize("settings", ["", " [zh, en]"], ids=["empty", "list"])
def test_settings_of_wrong_shape_is_not_described_as_text(settings: str) -> None:
    result = _check(f"settings:{settings}\n{TEXT_SLIDE}    title: t\n    body: b\n")
    assert result.content is not None or all("zh:" not in p.message for p in result.errors)


def test_an_unknown_key_is_matched_against_the_keys_of_its_own_block() -> None:
    result = _check(
        "settings:\n  captin: x\n"
        "slides:\n  - id: b\n    type: indicators\n    title: t\n"
        "    items: [{value: 1, label: l, source: s}]\n"
        "    chart: {kind: bars, bars: [{label: a, value: 1}], axis_mx: 3}\n"
    )
    assert [p.message for p in result.errors] == [
        'settings: unknown key "captin"',  # "caption" is a key of gallery images only
        'slide "b": unknown key "axis_mx" (did you mean "axis_max"?)',
    ]
