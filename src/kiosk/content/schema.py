"""The JSON Schema of content.yaml, for editors (yaml-language-server) and `kiosk schema`."""

from __future__ import annotations

import json
from typing import Any

from kiosk.content.model import Content

SCHEMA_FILE = "content.schema.json"


def content_json_schema() -> dict[str, Any]:
    """The JSON Schema of the content file."""
    schema = Content.model_json_schema(mode="validation")
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", **schema}


def content_json_schema_text() -> str:
    """The schema as the text stored in content.schema.json (stable, UTF-8, trailing newline)."""
    return json.dumps(content_json_schema(), indent=2, ensure_ascii=False, sort_keys=True) + "\n"
