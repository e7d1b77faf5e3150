"""Pydantic's errors about content in the words staff read: one line each, naming the field,
quoting back what was written (escaped and cut when long) and saying what to write instead.
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Iterable
from typing import Any, Literal, get_args, get_origin

from pydantic import BaseModel

from kiosk.content import model
from kiosk.content.errors import echo
from kiosk.content.scalars import as_written, resolve_plain
from kiosk.content.yaml_reader import Path_


def model_classes() -> list[type[BaseModel]]:
    """Every model class of content.yaml."""
    return [
        cls for cls in vars(model).values() if isinstance(cls, type) and issubclass(cls, BaseModel)
    ]


FIELD_NAMES = sorted({name for cls in model_classes() for name in cls.model_fields})


def tag_values() -> dict[str, list[str]]:
    """Fields that tag a member of a union (`type` of a slide, `kind` of a chart): a field
    of one literal value. Their values, in the order of the model."""
    found: dict[str, list[str]] = {}
    for cls in model_classes():
        for name, info in cls.model_fields.items():
            if get_origin(info.annotation) is Literal and len(get_args(info.annotation)) == 1:
                value = get_args(info.annotation)[0]
                if value not in found.setdefault(name, []):
                    found[name].append(value)
    return found


TAGS = tag_values()


def _field(path: Path_) -> str:
    names = [part for part in path if isinstance(part, str)]
    if not names:
        return "the file"
    index = [part for part in path if isinstance(part, int)]
    if path and isinstance(path[-1], int) and len(names) >= 1:
        return f'item {index[-1] + 1} of "{echo(names[-1])}"'
    return f'"{echo(names[-1])}"'


def _shown(value: Any) -> str:
    """A value as quoted back in a message: text in quotes, a number as it was written."""
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return echo(as_written(value))
    if isinstance(value, dict):
        return "a mapping (keys and values)"
    if isinstance(value, list):
        return "a list"
    return f'"{echo(value)}"'


def _quoted_hint(value: Any) -> str:
    """Why a value that YAML read as text is not a number or yes/no: its quotes."""
    if isinstance(value, str) and not isinstance(resolve_plain(value), str | None):
        return f"the text {_shown(value)} in quotes: remove the quotes"
    return _shown(value)


def describe_error(detail: Any, path: Path_, field_names: Iterable[str] = FIELD_NAMES) -> str:
    """A pydantic error about the value at `path`, in the words staff read (unknown keys get
    the closest of `field_names` as a suggestion)."""
    kind = detail["type"]
    ctx = detail.get("ctx") or {}
    value = detail.get("input")
    got = _shown(value)
    name = _field(path)
    if kind == "missing":
        return f"{name} is required"
    if kind == "extra_forbidden":
        key = str(path[-1]) if path else "?"
        others = [name for name in field_names if name != key]  # it is a field elsewhere
        close = difflib.get_close_matches(key, others, n=1, cutoff=0.6)
        hint = f' (did you mean "{close[0]}"?)' if close else ""
        return f'unknown key "{echo(key)}"{hint}'
    if kind in {"float_parsing", "float_type", "int_parsing", "int_type", "int_from_float"}:
        whole = "a whole number" if kind.startswith("int") else "a number"
        return f"{name} must be {whole}, got {_quoted_hint(value)}"
    if kind == "finite_number":
        if isinstance(value, float) and math.isnan(value):
            return f"{name} must be a number, got {got} (not a number)"
        return f"{name} must be a finite number, got {got}"
    if kind == "greater_than_equal":
        return f"{name} must be at least {ctx.get('ge'):g}, got {got}"
    if kind == "greater_than":
        return f"{name} must be more than {ctx.get('gt'):g}, got {got}"
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
        return f"{name} must be one of {ctx.get('expected')}, got {_shown(value)}"
    if kind in {"bool_parsing", "bool_type"}:
        if isinstance(value, str) and value.lower() in {"yes", "no", "on", "off", "y", "n"}:
            return (
                f"{name} must be true or false, got {got}: YAML 1.2 (and your editor) reads "
                "yes, no, on and off as text"
            )
        return f"{name} must be true or false, got {_quoted_hint(value)}"
    if kind in {"date_type", "date_parsing", "date_from_datetime_parsing"}:
        return f"{name} must be a day written as 2026-12-01, got {got}"
    if kind == "string_type" or (
        kind in {"model_type", "dict_type", "model_attributes_type"}
        and ctx.get("class_name") == "Text"
        and isinstance(value, bool)
    ):
        return _not_text(name, value, path)
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
        what = (
            "chart kind" if "chart" in path else "slide type" if path[:1] == ("slides",) else "kind"
        )
        return f'unknown {what} "{echo(ctx.get("tag"))}"; valid: {ctx.get("expected_tags")}'
    if kind == "union_tag_not_found":
        if path and path[-1] in TAGS:  # located at the mapping that lacks it
            path = path[:-1]
        if "chart" in path:
            return f'"kind" is required: one of {", ".join(TAGS.get("kind", []))}'
        if not isinstance(value, dict):
            return f'each slide must be a block of keys starting with "- id:", got {got}'
        return f'"type" is required: one of {", ".join(model.SLIDE_TYPES)}'
    if kind in {"value_error", "assertion_error"}:
        message = str(detail.get("msg", ""))
        message = message.removeprefix("Value error, ").removeprefix("Assertion failed, ")
        if message.startswith(("must ", "is ")):  # a sentence about the field itself
            return f"{name} {message}"
        return message
    return f"{name}: {detail.get('msg')}"


def _not_text(name: str, value: Any, path: Path_) -> str:
    """A number, yes/no or nothing where text (a name, a colour, a path) belongs."""
    if value is None and "theme" in path:
        return f'{name} is empty: put colours in quotes, e.g. "#2ec4b6" (a bare # starts a comment)'
    if isinstance(value, bool):
        return (
            f"{name} must be text, got {_shown(value)}, which YAML reads as a yes/no value: "
            f'write "{_shown(value)}" in quotes if you mean the word'
        )
    if isinstance(value, int | float):
        return (
            f"{name} must be text, got the number {_shown(value)}: write it in quotes "
            f'("{_shown(value)}")'
        )
    return f"{name} must be text, got {_shown(value)}"
