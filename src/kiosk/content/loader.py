"""Load content.yaml: plain data from yaml_reader, validated by the model, every error located.

`load_content` returns Content or raises one ContentError listing every problem found in one
pass, each as `PATH:LINE:COL: message` in words a member of staff understands.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from kiosk.content import model
from kiosk.content.contrast import contrast_warnings
from kiosk.content.errors import ContentError, Problem
from kiosk.content.hall_checks import dated_slide_warnings
from kiosk.content.yaml_reader import MAX_BYTES, Located, Path_, YamlReadError, decode, read_yaml

GlyphCheck = Callable[[str], set[str]]


@dataclass
class CheckResult:
    """What `kiosk check` reports: the content (when usable) and every problem and warning."""

    content: model.Content | None
    problems: list[Problem] = field(default_factory=list)
    located: Located | None = None  # where each value is in the file (for later checks)

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
        return _fail(source, problem.position, problem.message)
    problems = [Problem(source, line, col, message) for (line, col), message in located.problems]
    duplicates = _duplicate_ids(located, source)
    problems += duplicates
    content: model.Content | None = None
    try:
        content = model.Content.model_validate(
            located.data, context={"base_dir": base_dir, "require_media": require_media}
        )
    except ValidationError as error:
        found = _validation_problems(error, located, source)
        if duplicates:  # already reported at the duplicate itself, not at the list
            found = [p for p in found if "ids must be unique" not in p.message]
        problems += found
    if problems:
        return CheckResult(None, _unique(problems))
    assert content is not None
    problems += contrast_warnings(content.settings, source, located.position_of)
    if glyph_check is not None:
        problems += _glyph_warnings(located, source, glyph_check)
        if content is not None:
            problems += dated_slide_warnings(content, located.position_of, source, today)
    return CheckResult(content, problems, located)


def _fail(source: str, position: tuple[int, int], message: str) -> CheckResult:
    return CheckResult(None, [Problem(source, position[0], position[1], message)])


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


# --- pydantic errors in plain words -------------------------------------------------------

_FIELD_NAMES = sorted(
    {
        name
        for cls in vars(model).values()
        if isinstance(cls, type) and issubclass(cls, BaseModel)
        for name in cls.model_fields
    }
)


def _validation_problems(error: ValidationError, located: Located, source: str) -> list[Problem]:
    problems = []
    for detail in error.errors(include_url=False):
        path = _resolve(tuple(detail["loc"]), located)
        # An unknown key, or a key that fails its own rule (a day name in `hours`).
        is_key = detail["type"] == "extra_forbidden" or detail["loc"][-1:] == ("[key]",)
        if detail["type"] in {"union_tag_invalid", "union_tag_not_found"}:
            tag_key = "kind" if _is_chart(path) else "type"
            if (*path, tag_key) in located.values:
                path = (*path, tag_key)
        line, col = located.position_of(path, key=is_key)
        message = _prefix(path, located) + describe_error(detail, path)
        problems.append(Problem(source, line, col, message))
    return problems


def _resolve(loc: tuple[Any, ...], located: Located) -> Path_:
    """Map a pydantic location onto the YAML data, skipping union tags pydantic inserts."""
    path = _longest_path(loc, 0, (), located)[0]
    missing_last = loc and loc[-1] not in path[-1:]
    if missing_last and isinstance(loc[-1], str) and _looks_like_field(loc[-1]):
        return (*path, loc[-1])
    return path


def _longest_path(
    loc: tuple[Any, ...], start: int, path: Path_, located: Located
) -> tuple[Path_, int]:
    """The longest YAML path made of a subsequence of `loc[start:]`, and how far into `loc`
    its last part was (ties go to the path that reaches further: the field named last).

    Pydantic inserts union tags into locations ("bars", "number"); a tag that happens to be
    a key too must not send the location down the wrong branch, so both choices are tried.
    """
    if start >= len(loc):
        return path, -1
    best = _longest_path(loc, start + 1, path, located)
    candidate = (*path, loc[start])
    if candidate in located.values or candidate in located.keys:
        taken, reach = _longest_path(loc, start + 1, candidate, located)
        reach = max(reach, start)
        if (len(taken), reach) >= (len(best[0]), best[1]):
            return taken, reach
    return best


def _looks_like_field(name: str) -> bool:
    return name in _FIELD_NAMES


def _is_chart(path: Path_) -> bool:
    return bool(path) and path[-1] == "chart"


def _prefix(path: Path_, located: Located) -> str:
    if len(path) >= 2 and path[0] == "slides" and isinstance(path[1], int):
        slides = located.data.get("slides")
        slide = slides[path[1]] if isinstance(slides, list) and path[1] < len(slides) else None
        slide_id = slide.get("id") if isinstance(slide, dict) else None
        if isinstance(slide_id, str) and slide_id:
            return f'slide "{slide_id}": '
        return f"slide {path[1] + 1}: "
    if path and path[0] == "settings":
        return "settings: "
    return ""


def _field(path: Path_) -> str:
    names = [part for part in path if isinstance(part, str)]
    if not names:
        return "the file"
    index = [part for part in path if isinstance(part, int)]
    if path and isinstance(path[-1], int) and len(names) >= 1:
        return f'item {index[-1] + 1} of "{names[-1]}"'
    return f'"{names[-1]}"'


def _shown(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, dict):
        return "a mapping (keys and values)"
    if isinstance(value, list):
        return "a list"
    text = str(value)
    if len(text) > 40:
        text = text[:37] + "..."
    return f'"{text}"'


def describe_error(detail: Any, path: Path_, field_names: Iterable[str] = _FIELD_NAMES) -> str:
    """A pydantic error about the value at `path`, in the words staff read (unknown keys get
    the closest of `field_names` as a suggestion)."""
    kind = detail["type"]
    ctx = detail.get("ctx") or {}
    got = _shown(detail.get("input"))
    name = _field(path)
    if kind == "missing":
        return f"{name} is required"
    if kind == "extra_forbidden":
        key = str(path[-1]) if path else "?"
        close = difflib.get_close_matches(key, list(field_names), n=1, cutoff=0.6)
        hint = f' (did you mean "{close[0]}"?)' if close else ""
        return f'unknown key "{key}"{hint}'
    if kind in {"float_parsing", "float_type", "int_parsing", "int_type", "int_from_float"}:
        whole = "a whole number" if kind.startswith("int") else "a number"
        return f"{name} must be {whole}, got {got}"
    if kind == "finite_number":
        return f"{name} must be a finite number, got {got}"
    if kind in {"greater_than_equal", "greater_than"}:
        bound = ctx.get("ge", ctx.get("gt"))
        return f"{name} must be at least {bound:g}, got {got}"
    if kind in {"less_than_equal", "less_than"}:
        bound = ctx.get("le", ctx.get("lt"))
        return f"{name} must be at most {bound:g}, got {got}"
    if kind == "string_too_short":
        return f"{name} must not be empty"
    if kind == "string_too_long":
        return f"{name} is too long: at most {ctx.get('max_length')} characters"
    if kind == "too_short":
        least = ctx.get("min_length")
        return f"{name} needs at least {least} {'entry' if least == 1 else 'entries'}"
    if kind == "too_long":
        return f"{name} allows at most {ctx.get('max_length')} entries"
    if kind == "literal_error":
        return f"{name} must be one of {ctx.get('expected')}, got {got}"
    if kind == "bool_parsing" or kind == "bool_type":
        return f"{name} must be yes or no (true or false), got {got}"
    if kind == "string_type":
        if detail.get("input") is None and "theme" in path:
            return (
                f'{name} is empty: put colours in quotes, e.g. "#2ec4b6" '
                "(a bare # starts a comment)"
            )
        return f"{name} must be text, got {got}"
    if kind in {"model_type", "dict_type", "model_attributes_type"}:
        if ctx.get("class_name") == "Text":
            return f"{name} must be text, or a block of keys such as zh: and en:, got {got}"
        return f'{name} must be a block of keys (one "key: value" per line), got {got}'
    if kind == "list_type":
        return f'{name} must be a list (lines starting with "- "), got {got}'
    if kind == "string_pattern_mismatch":
        if path and path[-1] == "id":
            return (
                f'"id" must be lowercase letters, digits, "-" or "_" '
                f'(e.g. "garden-vision"), got {got}'
            )
        if "screens" in path:
            return (
                f"{name} must be a screen size such as 3840x1080 (or 5760x1080/3 for a wall "
                f"of three panels), got {got}"
            )
        return f'{name} must be a colour such as "#2ec4b6", got {got}'
    if kind == "union_tag_invalid":
        what = "chart kind" if _is_chart(path[:-1]) or _is_chart(path) else "slide type"
        return f'unknown {what} "{ctx.get("tag")}"; valid: {ctx.get("expected_tags")}'
    if kind == "union_tag_not_found":
        if _is_chart(path) or _is_chart(path[:-1]):
            return '"kind" is required: one of bars, rings, marks'
        if not isinstance(detail.get("input"), dict):
            return f'each slide must be a block of keys starting with "- id:", got {got}'
        return f'"type" is required: one of {", ".join(model.SLIDE_TYPES)}'
    if kind in {"value_error", "assertion_error"}:
        message = str(detail.get("msg", ""))
        message = message.removeprefix("Value error, ").removeprefix("Assertion failed, ")
        if message.startswith(("must ", "is ")):  # a sentence about the field itself
            return f"{name} {message}"
        return message
    return f"{name}: {detail.get('msg')}"
