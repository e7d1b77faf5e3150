"""Where a problem is: a pydantic error's location mapped onto the YAML that was read, a
missing field at the mapping that lacks it, and whether only kiosk checks that rule.
"""

from __future__ import annotations

import math
from types import UnionType
from typing import Annotated, Any, Literal, Union, get_args, get_origin

from pydantic import BaseModel, ValidationError

from kiosk.content import model
from kiosk.content.errors import KioskOnlyError, Problem, echo
from kiosk.content.wording import FIELD_NAMES, TAGS, describe_error
from kiosk.content.yaml_reader import Located, Path_


def validation_problems(error: ValidationError, located: Located, source: str) -> list[Problem]:
    """Every error of the model as a located Problem in plain words."""
    problems = []
    for detail in error.errors(include_url=False):
        kind = detail["type"]
        path, missing = resolve(tuple(detail["loc"]), located.data)
        if kind in {"union_tag_invalid", "union_tag_not_found"}:
            tag = tag_key(located.data, path)
            if tag is not None and (*path, tag) in located.values:
                path = (*path, tag)
            elif kind == "union_tag_not_found" and tag is not None:
                missing = tag  # a slide without `type`, a chart without `kind`
        if missing is not None:  # at the mapping that lacks it: its key, or its first line
            key = bool(path) and isinstance(path[-1], str)
            line, col = located.position_of(path, key=key)
            path = (*path, missing)
        else:
            # An unknown key, or a key that fails its own rule (a day name in `hours`).
            is_key = kind == "extra_forbidden" or detail["loc"][-1:] == ("[key]",)
            line, col = located.position_of(path, key=is_key)
        names = FIELD_NAMES
        if kind == "extra_forbidden":  # suggest a field of the block the key is in
            owner = model_at(path[:-1], located.data)
            names = sorted(owner.model_fields) if owner is not None else FIELD_NAMES
        message = _prefix(path, located) + describe_error(detail, path, names)
        problems.append(
            Problem(source, line, col, message, kiosk_only=_kiosk_only(detail, path, located))
        )
    return problems


def _kiosk_only(detail: Any, path: Path_, located: Located) -> bool:
    """Whether only kiosk rejects this: a rule that the JSON Schema cannot express."""
    kind = detail["type"]
    if kind == "value_error":
        return isinstance((detail.get("ctx") or {}).get("error"), KioskOnlyError)
    value = detail.get("input")
    if kind == "finite_number":  # the schema's bounds keep out infinity, but not NaN
        return isinstance(value, float) and math.isnan(value)
    if kind == "string_too_long":  # text written as a number: the schema cannot count digits
        written = data_at(located.data, path)
        return isinstance(written, int | float) and not isinstance(written, bool)
    return False


def data_at(data: Any, path: Path_) -> Any:
    """The value at `path` of the data read, or None."""
    for part in path:
        try:
            data = data[part]
        except (KeyError, IndexError, TypeError):
            return None
    return data


def tag_key(data: Any, path: Path_) -> str | None:
    """The field that tags the mapping at `path` (`type` of a slide, `kind` of a chart): the
    one-value field its union's members share, by the model."""
    if path:
        field_path = path[:-1] if isinstance(path[-1], int) else path
        owner = model_at(field_path[:-1], data) if field_path else None
        name = field_path[-1] if field_path else None
        if owner is not None and isinstance(name, str) and name in owner.model_fields:
            members = _members(owner.model_fields[name].annotation)
            if len(field_path) < len(path):  # an item of a list
                members = [m for inner in members for m in _members(get_args(inner)[0])]
            tags = {
                field
                for member in members
                if isinstance(member, type) and issubclass(member, BaseModel)
                for field, info in member.model_fields.items()
                if get_origin(info.annotation) is Literal and len(get_args(info.annotation)) == 1
            }
            if len(tags) == 1:
                return tags.pop()
    node = data_at(data, path)
    if isinstance(node, dict):
        for name in TAGS:
            if name in node:
                return name
    return None


def _members(annotation: Any) -> list[Any]:
    """The types a field may hold: Annotated, Optional and unions looked through."""
    if get_origin(annotation) is Annotated:
        return _members(get_args(annotation)[0])
    if get_origin(annotation) in {Union, UnionType}:
        return [inner for arg in get_args(annotation) for inner in _members(arg)]
    return [] if annotation is type(None) else [annotation]


def _tagged_as(candidate: type[BaseModel], node: Any) -> bool:
    """Whether `node` carries the tag of this member of a union (any node, if untagged)."""
    tags = {
        name: get_args(info.annotation)[0]
        for name, info in candidate.model_fields.items()
        if get_origin(info.annotation) is Literal and len(get_args(info.annotation)) == 1
    }
    return all(isinstance(node, dict) and node.get(name) == tag for name, tag in tags.items())


def model_at(path: Path_, data: Any) -> type[BaseModel] | None:
    """The model of the mapping at `path`, choosing a union's member by the data's tag."""
    choices: list[Any] = [model.Content]
    node = data
    for part in (*path, None):
        chosen = None
        for choice in choices:
            if isinstance(choice, type) and issubclass(choice, BaseModel):
                if _tagged_as(choice, node):
                    chosen = choice
                    break
            elif get_origin(choice) is list and isinstance(part, int):
                chosen = choice
                break
        if part is None:
            return chosen if isinstance(chosen, type) else None
        if chosen is None:
            return None
        if isinstance(part, int):
            choices = _members(get_args(chosen)[0]) if get_args(chosen) else []
        elif isinstance(chosen, type) and part in chosen.model_fields:
            choices = _members(chosen.model_fields[part].annotation)
        else:
            return None
        node = data_at(node, (part,))
    return None


def resolve(loc: tuple[Any, ...], data: Any) -> tuple[Path_, str | None]:
    """Map a pydantic location onto the YAML data: the path of the node it names, and the
    name of the field when that field is missing (the path is then its mapping's).

    Pydantic puts the member of a union into the location: the tag of a tagged union right
    after the mapping it tags, before the field (`slides, 2, "cards", "cards", 0` is the first
    card of slide 3, a cards slide) and the name of a member otherwise (`value, "per-language",
    zh`). A part that names no node of the data is such a member and is passed over.
    """
    path: Path_ = ()
    node = data
    fresh = True  # nothing of `loc` consumed at this node yet: a tag may come first
    for index, part in enumerate(loc):
        if isinstance(node, dict):
            tag = fresh and index < len(loc) - 1 and any(node.get(n) == part for n in TAGS)
            if tag:
                fresh = False
                continue
            if part in node:
                path, node, fresh = (*path, part), node[part], True
                continue
            if index == len(loc) - 1 and isinstance(part, str) and part in FIELD_NAMES:
                return path, part
            fresh = False
            continue
        if isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            path, node, fresh = (*path, part), node[part], True
    return path, None


def _prefix(path: Path_, located: Located) -> str:
    if len(path) >= 2 and path[0] == "slides" and isinstance(path[1], int):
        slides = located.data.get("slides")
        slide = slides[path[1]] if isinstance(slides, list) and path[1] < len(slides) else None
        slide_id = slide.get("id") if isinstance(slide, dict) else None
        if isinstance(slide_id, str) and slide_id:
            return f'slide "{echo(slide_id)}": '
        return f"slide {path[1] + 1}: "
    if path and path[0] == "settings":
        return "settings: "
    return ""
