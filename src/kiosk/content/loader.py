"""Load content.yaml: plain data from yaml_reader, validated by the model, every error located.

`load_content` returns Content or raises one ContentError listing every problem found in one
pass, each as `PATH:LINE:COL: message` in words a member of staff understands.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from kiosk.content import model
from kiosk.content.captions import CaptionError, read_webvtt
from kiosk.content.contrast import contrast_warnings
from kiosk.content.errors import ContentError, Problem
from kiosk.content.hall_checks import dated_slide_warnings
from kiosk.content.locate import validation_problems
from kiosk.content.wording import describe_error
from kiosk.content.yaml_reader import MAX_BYTES, Located, Path_, YamlReadError, decode, read_yaml

GlyphCheck = Callable[[str], set[str]]


@dataclass
class CheckResult:
    """What `kiosk check` reports: the content (when usable) and every problem and warning."""

    content: model.Content | None
    problems: list[Problem] = field(default_factory=list)
    located: Located | None = None  # where each value was written (for checks made later)

    def position_of(self, path: Path_) -> tuple[int, int]:
        """Line and column of the value at `path` (("slides", 3, "video")), else (1, 1)."""
        return self.located.position_of(path) if self.located is not None else (1, 1)

    @property
    def errors(self) -> list[Problem]:
        """Problems that make the content unusable."""
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        """Problems worth fixing that do not stop the show."""
        return [p for p in self.problems if p.severity == "warning"]


def load_content(path: Path | str, *, require_media: bool = False) -> model.Content:
    """Load and validate a content file; raise ContentError with every problem found.

    The show loads with `require_media=False`: a missing image becomes a placeholder there,
    while `kiosk check` reports it as an error.
    """
    result = check_content(path, require_media=require_media)
    if result.content is None:
        raise ContentError(result.errors)
    return result.content


def parse_content(
    data: bytes,
    *,
    source: str = "content.yaml",
    base_dir: Path | None = None,
    require_media: bool = False,
) -> model.Content:
    """Validate content from bytes (the file's raw contents); raise ContentError."""
    result = check_bytes(data, source=source, base_dir=base_dir, require_media=require_media)
    if result.content is None:
        raise ContentError(result.errors)
    return result.content


def check_content(
    path: Path | str,
    *,
    require_media: bool = True,
    glyph_check: GlyphCheck | None = None,
    today: date | None = None,
) -> CheckResult:
    """Read and check a content file; never raises for anything in or about the file."""
    label = str(path)
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > MAX_BYTES and path.is_file():
            return _fail(
                label,
                (1, 1),
                f"the file is {size // 1024} KB; content files are limited to "
                f"{MAX_BYTES // 1024} KB. Is this the right file?",
            )
        with path.open("rb") as stream:
            data = stream.read(MAX_BYTES + 1)
    except FileNotFoundError:
        return _fail(label, (1, 1), "the file does not exist")
    except IsADirectoryError:
        return _fail(label, (1, 1), "this is a folder, not a content file")
    except OSError as error:
        return _fail(label, (1, 1), f"the file cannot be read ({error.strerror or error})")
    return check_bytes(
        data,
        source=label,
        base_dir=path.parent,
        require_media=require_media,
        glyph_check=glyph_check,
        today=today,
    )


def check_bytes(
    data: bytes,
    *,
    source: str,
    base_dir: Path | None,
    require_media: bool = True,
    glyph_check: GlyphCheck | None = None,
    today: date | None = None,
) -> CheckResult:
    """Check raw file contents; `base_dir` anchors media paths (None skips the file checks).

    With `glyph_check` (what `kiosk check` does) it warns too: characters the font lacks, and
    dated slides out of date on `today` (default: today in the content's zone)."""
    try:
        located = read_yaml(decode(data))
    except YamlReadError as problem:
        return _fail(source, problem.position, problem.message, kiosk_only=problem.kiosk_only)
    problems = [
        Problem(source, line, col, message, kiosk_only=kiosk_only)
        for (line, col), message, kiosk_only in located.problems
    ]
    duplicates = _duplicate_ids(located, source)
    problems += duplicates
    content: model.Content | None = None
    try:
        content = model.Content.model_validate(
            located.data, context={"base_dir": base_dir, "require_media": require_media}
        )
    except ValidationError as error:
        found = validation_problems(error, located, source)
        if duplicates:  # already reported at the duplicate itself, not at the list
            found = [p for p in found if "ids must be unique" not in p.message]
        problems += found
    if problems:
        return CheckResult(None, _unique(problems), located)
    assert content is not None
    problems += contrast_warnings(content.settings, source, located.position_of)
    if require_media and base_dir is not None:
        problems += _caption_problems(content, base_dir, source)
    if glyph_check is not None:
        problems += _glyph_warnings(located, source, glyph_check)
        if content is not None:
            problems += dated_slide_warnings(content, located.position_of, source, today)
    return CheckResult(content, problems, located)


def _caption_problems(content: model.Content, base_dir: Path, source: str) -> list[Problem]:
    """Every caption file must parse: its problems are located in the caption file itself."""
    problems = []
    seen: set[str] = set()
    for slide in content.slides:
        if not isinstance(slide, model.VideoSlide) or slide.captions is None:
            continue
        for language in model.LANGUAGES:
            relative = slide.captions[language]
            if relative is None or relative in seen:
                continue
            seen.add(relative)
            try:
                read_webvtt(base_dir / relative)
            except CaptionError as error:
                label = str(Path(source).parent / relative)
                message = f'captions of slide "{slide.id}": {error.message}'
                problems.append(Problem(label, error.line, error.column, message))
    return problems


def _fail(
    source: str, position: tuple[int, int], message: str, *, kiosk_only: bool = True
) -> CheckResult:
    """One problem that stops the check: the file cannot be read, or its YAML not parsed
    (`kiosk_only` when the editors' parser reads it)."""
    problem = Problem(source, position[0], position[1], message, kiosk_only=kiosk_only)
    return CheckResult(None, [problem])


def _unique(problems: Iterable[Problem]) -> list[Problem]:
    seen: set[tuple[int, int, str]] = set()
    kept = []
    for problem in problems:
        key = (problem.line, problem.column, problem.message)
        if key not in seen:
            seen.add(key)
            kept.append(problem)
    return sorted(kept, key=lambda p: (p.line, p.column))


def _duplicate_ids(located: Located, source: str) -> list[Problem]:
    slides = located.data.get("slides") if isinstance(located.data, dict) else None
    if not isinstance(slides, list):
        return []
    first: dict[str, int] = {}
    problems = []
    for index, slide in enumerate(slides):
        slide_id = slide.get("id") if isinstance(slide, dict) else None
        if not isinstance(slide_id, str):
            continue
        if slide_id in first:
            line, col = located.position_of(("slides", index, "id"))
            problems.append(
                Problem(
                    source,
                    line,
                    col,
                    f'slide id "{slide_id}" is already used by slide {first[slide_id] + 1}; '
                    "ids must be unique",
                    kiosk_only=True,
                )
            )
        else:
            first[slide_id] = index
    return problems


def _glyph_warnings(located: Located, source: str, glyph_check: GlyphCheck) -> list[Problem]:
    problems = []
    for path, value in _strings(located.data, ()):
        missing = glyph_check(value)
        if missing:
            line, col = located.position_of(path)
            shown = " ".join(f"{ch} (U+{ord(ch):04X})" for ch in sorted(missing)[:5])
            problems.append(
                Problem(
                    source,
                    line,
                    col,
                    f"the bundled font cannot draw {shown}; it will show as a box",
                    severity="warning",
                )
            )
    return problems


def _strings(value: Any, path: Path_) -> Iterable[tuple[Path_, str]]:
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, inner in value.items():
            yield from _strings(inner, (*path, key))
    elif isinstance(value, list):
        for index, inner in enumerate(value):
            yield from _strings(inner, (*path, index))


__all__ = [
    "CheckResult",
    "check_bytes",
    "check_content",
    "describe_error",
    "load_content",
    "parse_content",
]
