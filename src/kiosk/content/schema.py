"""The JSON Schema of content.yaml, for editors (yaml-language-server) and `kiosk schema`.

Generated from the model, then shaped for editors:
- a union tagged by a field (`type` of a slide, `kind` of a chart) becomes `if`/`then` on the
  tag, so that an editor flags the wrong key of a slide rather than the whole slide;
- optional fields carry no `default: null`, so completion does not insert `key: null`;
- each slide type offers a snippet (`defaultSnippets`) with its required fields;
- a number field without bounds gets the largest finite bounds: the model refuses infinity.
"""

from __future__ import annotations

import json
import sys
from typing import Any

from pydantic.json_schema import GenerateJsonSchema, JsonSchemaValue
from pydantic_core import core_schema

from kiosk.content.model import Content

SCHEMA_FILE = "content.schema.json"


class _FiniteNumbers(GenerateJsonSchema):
    """Every number field of the model is finite (`allow_inf_nan=False`): say so to editors
    where a field has no bounds of its own (JSON cannot write infinity; the largest double
    keeps `.inf` out)."""

    def float_schema(self, schema: core_schema.FloatSchema) -> JsonSchemaValue:
        result = super().float_schema(schema)
        if "maximum" not in result and "exclusiveMaximum" not in result:
            result["maximum"] = sys.float_info.max
        if "minimum" not in result and "exclusiveMinimum" not in result:
            result["minimum"] = -sys.float_info.max
        return result


def content_json_schema() -> dict[str, Any]:
    """The JSON Schema of the content file."""
    schema = Content.model_json_schema(mode="validation", schema_generator=_FiniteNumbers)
    definitions = schema.get("$defs", {})
    schema = _shaped(schema, definitions)
    slides = schema["properties"]["slides"]["items"]
    slides["defaultSnippets"] = [
        _snippet(tag, definitions[name], definitions) for tag, name in _branches(slides)
    ]
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", **schema}


def content_json_schema_text() -> str:
    """The schema as the text stored in content.schema.json (stable, UTF-8, trailing newline)."""
    return json.dumps(content_json_schema(), indent=2, ensure_ascii=False, sort_keys=True) + "\n"


# --- shaping --------------------------------------------------------------------------------


def _shaped(node: Any, definitions: dict[str, Any]) -> Any:
    """`node` with tagged unions as if/then, no null defaults and nested anyOf flattened."""
    if isinstance(node, list):
        return [_shaped(item, definitions) for item in node]
    if not isinstance(node, dict):
        return node
    node = {key: _shaped(value, definitions) for key, value in node.items()}
    if node.get("default", ...) is None:
        del node["default"]
    node.pop("discriminator", None)
    for keyword in ("oneOf", "anyOf"):
        members = node.get(keyword)
        if isinstance(members, list):
            tagged = _tagged_union(members, definitions)
            if tagged is not None:
                del node[keyword]
                node.update(tagged)
            elif keyword == "anyOf":
                node["anyOf"] = _flattened(members)
    return node


def _flattened(members: list[Any]) -> list[Any]:
    """anyOf [anyOf [a, b], c] is anyOf [a, b, c]; a tagged union inside stays whole."""
    flat: list[Any] = []
    for member in members:
        if isinstance(member, dict) and set(member) == {"anyOf"}:
            flat.extend(member["anyOf"])
        else:
            flat.append(member)
    return flat


def _tag_of(reference: Any, definitions: dict[str, Any]) -> tuple[str, Any] | None:
    """(field, value) of the one-value field that tags the model `reference` points at."""
    if not isinstance(reference, dict) or set(reference) != {"$ref"}:
        return None
    target = definitions.get(reference["$ref"].rsplit("/", 1)[-1], {})
    for name, field in target.get("properties", {}).items():
        if isinstance(field, dict) and "const" in field and name in target.get("required", []):
            return name, field["const"]
    return None


def _tagged_union(members: list[Any], definitions: dict[str, Any]) -> dict[str, Any] | None:
    """if/then on the tag for a union of models tagged by one field, else None."""
    tags = [_tag_of(member, definitions) for member in members]
    if len(members) < 2 or any(tag is None for tag in tags):
        return None
    names = {tag[0] for tag in tags if tag is not None}
    if len(names) != 1:
        return None
    (name,) = names
    values = [tag[1] for tag in tags if tag is not None]
    return {
        "type": "object",
        "required": [name],
        "properties": {name: {"enum": values, "title": name.capitalize()}},
        "allOf": [
            {
                "if": {"properties": {name: {"const": value}}, "required": [name]},
                "then": member,
            }
            for value, member in zip(values, members, strict=True)
        ],
    }


def _branches(union: dict[str, Any]) -> list[tuple[Any, str]]:
    """(tag value, definition name) of each branch of an if/then union."""
    found = []
    for branch in union.get("allOf", []):
        for field in branch["if"]["properties"].values():
            found.append((field["const"], branch["then"]["$ref"].rsplit("/", 1)[-1]))
    return found


# --- snippets -------------------------------------------------------------------------------


def _snippet(tag: Any, definition: dict[str, Any], definitions: dict[str, Any]) -> dict[str, Any]:
    """A new slide of this type with its required fields, for the editor to insert.

    Placeholders are snippet syntax (`${1:title}`); a number's placeholder starts with "^",
    which yaml-language-server inserts without quotes."""
    counter = [0]
    body = _snippet_body(definition, definitions, counter)
    return {
        "label": f"{tag} slide",
        "description": definition.get("description", ""),
        "body": {"id": body.pop("id", "new-slide"), "type": body.pop("type", tag), **body},
    }


def _snippet_body(
    definition: dict[str, Any], definitions: dict[str, Any], counter: list[int]
) -> dict[str, Any]:
    return {
        name: _snippet_value(name, definition["properties"][name], definitions, counter)
        for name in definition.get("required", [])
    }


def _placeholder(counter: list[int], text: str) -> str:
    counter[0] += 1
    return f"${{{counter[0]}:{text}}}"


def _snippet_value(
    name: str, field: dict[str, Any], definitions: dict[str, Any], counter: list[int]
) -> Any:
    if "const" in field:
        return field["const"]
    if "enum" in field:
        return field["enum"][0]
    if "$ref" in field:
        target = definitions[field["$ref"].rsplit("/", 1)[-1]]
        if target.get("title") != "Text" and "properties" in target:
            return _snippet_body(target, definitions, counter)
        return _placeholder(counter, name)
    if field.get("type") == "array":
        return [_snippet_value(name, field.get("items", {}), definitions, counter)]
    choices = [c for c in field.get("oneOf", field.get("anyOf", [])) if c.get("type") != "null"]
    if choices and choices[0].get("type") != "string":
        return _snippet_value(name, choices[0], definitions, counter)
    if field.get("type") in {"number", "integer"}:
        low = field.get("minimum", field.get("exclusiveMinimum", 1))
        return "^" + _placeholder(counter, f"{max(low, 1):g}")
    if name == "id":
        return _placeholder(counter, "new-slide")
    return _placeholder(counter, name)
