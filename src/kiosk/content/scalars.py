"""How a plain YAML value is read: the YAML 1.2 core schema, as editors read it.

Editors validate content.yaml with yaml-language-server, whose parser (the `yaml` package)
reads a plain (unquoted) value by the YAML 1.2 core schema. kiosk reads it the same way, so
that a file is the same data to both:

- `~`, `null`, `Null`, `NULL` and nothing at all are null;
- `true`/`false` (also `True`, `TRUE`, `False`, `FALSE`) are booleans; `yes`, `no`, `on`,
  `off` are text (they were booleans in YAML 1.1, not in 1.2);
- `12`, `-5`, `+5`, `010` (ten), `0o17`, `0x1F` are whole numbers; `1.5`, `.5`, `1.`, `1e3`,
  `.inf`, `-.inf`, `.nan` are numbers. A number is a JavaScript number to the editor, so `2.0`
  is the whole number 2 here too;
- anything else is text: `1_000`, `0X1F`, `-0x1F`, `2026-12-01`, `09:00`, `12:30`.

Quoted values and block scalars (`|`, `>`) are always text. A number remembers how it was
written (`WrittenInt`, `WrittenFloat`), so that a text field keeps `1.10` as `1.10`.
"""

from __future__ import annotations

import math
import re
from typing import Any

NULLS = frozenset({"", "~", "null", "Null", "NULL"})
BOOLEANS = {
    "true": True,
    "True": True,
    "TRUE": True,
    "false": False,
    "False": False,
    "FALSE": False,
}
_OCTAL = re.compile(r"0o[0-7]+")
_DECIMAL = re.compile(r"[-+]?[0-9]+")
_HEX = re.compile(r"0x[0-9a-fA-F]+")
_SPECIAL = re.compile(r"[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN")
_FLOAT = re.compile(r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?")
_JS_LIMIT = 2**1024  # from here on, a whole number is too large for a double: infinite


class WrittenInt(int):
    """A whole number read from YAML, with the text it was written as."""

    written: str

    def __new__(cls, value: int, written: str | None = None) -> WrittenInt:
        number = super().__new__(cls, value)
        number.written = str(value) if written is None else written
        return number


class WrittenFloat(float):
    """A number read from YAML, with the text it was written as."""

    written: str

    def __new__(cls, value: float, written: str | None = None) -> WrittenFloat:
        number = super().__new__(cls, value)
        number.written = repr(value) if written is None else written
        return number


def _number(value: float, written: str) -> WrittenInt | WrittenFloat:
    """A JavaScript number: a finite whole value is an int (`2.0` is 2), beyond the largest
    double it is infinite."""
    if math.isfinite(value) and value == int(value):
        return WrittenInt(int(value), written)
    return WrittenFloat(value, written)


def _whole(value: int, written: str) -> WrittenInt | WrittenFloat:
    if abs(value) >= _JS_LIMIT:
        return WrittenFloat(math.copysign(math.inf, value), written)
    return WrittenInt(value, written)


def resolve_plain(text: str) -> Any:
    """The value of a plain (unquoted) scalar by the YAML 1.2 core schema."""
    if text in NULLS:
        return None
    if text in BOOLEANS:
        return BOOLEANS[text]
    if _OCTAL.fullmatch(text):
        return _whole(int(text[2:], 8), text)
    if _DECIMAL.fullmatch(text):
        try:
            return _whole(int(text), text)
        except ValueError:  # more digits than Python converts: far past any double anyway
            return WrittenFloat(math.copysign(math.inf, -1 if text[0] == "-" else 1), text)
    if _HEX.fullmatch(text):
        return _whole(int(text[2:], 16), text)
    if _SPECIAL.fullmatch(text):
        return WrittenFloat(float(text.replace(".", "")), text)
    if _FLOAT.fullmatch(text):
        return _number(float(text), text)
    return text


def as_written(value: Any) -> Any:
    """A number as the text it was written as (for text fields); anything else unchanged.

    Booleans stay booleans: `title: true` is a yes/no value, not a title, to the editor too.
    """
    if isinstance(value, bool) or not isinstance(value, int | float):
        return value
    written = getattr(value, "written", None)
    if written is not None:
        return written
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
