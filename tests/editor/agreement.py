"""What "the editor and `kiosk check` agree" means, checked on one text at a time.

Three readers of the same text:
- the editor: yaml-language-server's parser and its validator with content.schema.json
  (`EditorProcess`), what staff see underlined while they type;
- an independent JSON Schema validator (`jsonschema`, Draft 2020-12) on the data kiosk reads;
- `kiosk check` (without the glyph warnings, which are warnings).

The rules (README, "Editing the content"):
1. the YAML: what the editor's parser refuses, kiosk refuses; what kiosk refuses and the
   editor's parser reads is a refusal of kiosk's own (`kiosk_only`); what both read, they read
   the same: the same data, every value and key at the same line and column;
2. the schema: a file kiosk accepts has no diagnostic in the editor and no error from the
   validator; every line the editor or the validator flags, kiosk flags; every line kiosk
   flags with a rule the schema has (not `kiosk_only`), the editor and the validator flag.

`check_agreement` returns the disagreements it found (none is agreement) and the kind of
agreement it saw; the `editor` fixture prints the counts when the session ends. (No
conftest.py here: the tests import `conftest` by name, and a second one would shadow it.)
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from editor_process import EditorProcess, EditorView
from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError

from kiosk.content.loader import check_bytes
from kiosk.content.schema import content_json_schema
from kiosk.content.yaml_reader import Located, YamlReadError, decode, read_yaml

SCHEMA = content_json_schema()
Draft202012Validator.check_schema(SCHEMA)
VALIDATOR = Draft202012Validator(SCHEMA)

# Counted over the whole test session, printed by conftest.pytest_terminal_summary.
TALLY: Counter[str] = Counter()


@dataclass
class Outcome:
    """How the three readers met on one text."""

    kind: str
    disagreements: list[str] = field(default_factory=list)


def _position_of_mapping(located: Located, path: tuple[Any, ...]) -> tuple[int, int]:
    """Where an editor puts a problem of a whole mapping: its key, or its first line in a
    list (as kiosk does)."""
    if path and isinstance(path[-1], str) and path in located.keys:
        return located.keys[path]
    return located.position_of(path)


def validator_lines(data: Any, located: Located) -> set[int]:
    """1-based lines of the independent validator's errors on kiosk's data."""
    lines = set()
    for error in VALIDATOR.iter_errors(data):
        lines |= _error_lines(error, located)
    return lines


def _types_of(schema: Any) -> set[str]:
    """The JSON types a schema accepts, looking through $ref, anyOf and oneOf."""
    while isinstance(schema, dict) and "$ref" in schema:
        schema = SCHEMA["$defs"][schema["$ref"].rsplit("/", 1)[-1]]
    if not isinstance(schema, dict):
        return set()
    kind = schema.get("type")
    found = {kind} if isinstance(kind, str) else set(kind or [])
    if "integer" in found:
        found.add("number")
    for keyword in ("anyOf", "oneOf"):
        for choice in schema.get(keyword, []):
            found |= _types_of(choice)
    return found


def _instance_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    return {dict: "object", list: "array", str: "string"}.get(type(value), "?")


def _error_lines(error: ValidationError, located: Located) -> set[int]:
    path = tuple(error.absolute_path)
    if error.validator in {"anyOf", "oneOf"} and error.context:
        # Like an editor: when one choice has the value's type, its own errors are the
        # problem (a mapping that is neither null nor a good chart: what is wrong inside).
        wanted = _instance_type(error.instance)
        choices = [
            index
            for index, choice in enumerate(error.validator_value)  # type: ignore[arg-type]
            if wanted in _types_of(choice)
        ]
        if len(choices) == 1:
            inner = [e for e in error.context if e.relative_schema_path[0] == choices[0]]
            if inner:
                return set().union(*(_error_lines(e, located) for e in inner))
    if error.validator == "additionalProperties" and isinstance(error.instance, dict):
        known = error.schema.get("properties", {})  # type: ignore[union-attr]
        extra = [key for key in error.instance if key not in known]
        return {located.keys[(*path, key)][0] for key in extra if (*path, key) in located.keys}
    if error.validator == "required":
        return {_position_of_mapping(located, path)[0]}
    if "propertyNames" in error.schema_path and isinstance(error.instance, str):
        key = (*path, error.instance)  # a key that fails its pattern: its own line
        return {located.keys[key][0]} if key in located.keys else {located.position_of(path)[0]}
    return {located.position_of(path)[0]}


def comparable(value: Any) -> Any:
    """Data as both parsers can hold it: numbers as JavaScript doubles, NaN equal to NaN."""
    if isinstance(value, dict):
        return {key: comparable(inner) for key, inner in value.items()}
    if isinstance(value, list):
        return [comparable(inner) for inner in value]
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    if isinstance(value, int | float):
        number = float(value) if abs(value) < 2**1024 else math.copysign(math.inf, value)
        return "NaN" if math.isnan(number) else number
    return value


def check_agreement(
    text: str, editor: EditorProcess | None = None, view: EditorView | None = None
) -> Outcome:
    """Read `text` three ways and return how they met (see the module's rules)."""
    if view is None:
        assert editor is not None
        editor.submit(text)  # node reads it while Python does the same below
    data = text.encode("utf-8")
    kiosk = check_bytes(data, source="content.yaml", base_dir=None, require_media=False)
    errors = kiosk.errors
    kiosk_lines = {problem.line for problem in errors}
    outcome = Outcome("")
    wrong = outcome.disagreements

    try:
        located: Located | None = read_yaml(decode(data))
        refusal: YamlReadError | None = None
    except YamlReadError as error:
        located, refusal = None, error
    schema_lines = validator_lines(located.data, located) if located is not None else set()
    if view is None:
        assert editor is not None
        view = editor.collect()

    # 1. The YAML.
    editor_syntax = bool(view.errors)
    refused = refusal is not None or bool(located and located.problems)
    if editor_syntax:
        if not refused:
            wrong.append(f"the editor's parser refuses it ({view.errors[0]}), kiosk reads it")
        if not errors:
            wrong.append("kiosk check accepts a file it cannot read")
        outcome.kind = "both refuse the YAML"
        return outcome
    if refused:
        # The editor's parser reads it: kiosk's refusal is its own, or the editor's schema
        # check flags the same line (a list at the top level, a key that is a list).
        refusals = (
            [(refusal.position, refusal.message, refusal.kiosk_only)]
            if refusal is not None
            else located.problems
        )
        if refusal is not None and refusal.syntax and not refusal.kiosk_only:
            # PyYAML, a YAML 1.1 parser, also refuses a few rare YAML 1.2 forms that the
            # editor's parser reads (an empty key, "? " keys...): kiosk is stricter there.
            outcome.kind = "kiosk alone refuses the YAML (a YAML 1.2 form PyYAML lacks)"
            if not errors:
                wrong.append("kiosk check accepts a file it cannot read")
            return outcome
        for (line, _column), message, kiosk_only in refusals:
            if not kiosk_only and line not in view.diagnostic_lines:
                wrong.append(
                    f"kiosk refuses the YAML at line {line} ({message}); the editor reads "
                    f"it and shows {view.diagnostics}"
                )
        if not errors:
            wrong.append("kiosk check accepts a file it cannot read")
        outcome.kind = (
            "kiosk alone refuses the YAML"
            if all(kiosk_only for *_, kiosk_only in refusals)
            else "both reject, at the same lines"
        )
        return outcome
    assert located is not None
    # 2. The schema.
    editor_lines = view.diagnostic_lines
    if not errors:
        if view.diagnostics:
            wrong.append(f"kiosk accepts it, the editor shows {view.diagnostics}")
        if schema_lines:
            wrong.append(f"kiosk accepts it, the validator rejects lines {sorted(schema_lines)}")
        outcome.kind = "both accept"
        return outcome
    if bool(editor_lines) != bool(schema_lines):
        wrong.append(
            f"the editor flags lines {sorted(editor_lines)}, the validator {sorted(schema_lines)}"
        )
    for line in sorted((editor_lines | schema_lines) - kiosk_lines):
        flagged = [d["message"] for d in view.diagnostics if d["at"][0] + 1 == line]
        wrong.append(f"line {line} is flagged by the schema ({flagged}) but not by kiosk")
    for problem in errors:
        if not problem.kiosk_only and problem.line not in editor_lines | schema_lines:
            wrong.append(f"only kiosk flags {problem}, and it is not marked kiosk_only")
    if not editor_lines and not schema_lines:
        outcome.kind = "kiosk alone rejects (a rule the schema cannot express)"
    else:
        outcome.kind = "both reject, at the same lines"
    return outcome


def record(outcome: Outcome) -> None:
    """Count an outcome for the summary at the end of the test run."""
    TALLY["documents"] += 1
    TALLY[outcome.kind] += 1
    if outcome.disagreements:
        TALLY["disagreements"] += 1


class _Summary:
    """A pytest plugin that prints the counts after the run."""

    def pytest_terminal_summary(self, terminalreporter: pytest.TerminalReporter) -> None:
        terminalreporter.section("editor agreement")
        for kind, count in sorted(TALLY.items(), key=lambda item: (-item[1], item[0])):
            terminalreporter.write_line(f"{count:6d}  {kind}")


@pytest.fixture(scope="session")
def editor(request: pytest.FixtureRequest) -> Iterator[EditorProcess]:
    """yaml-language-server's parser and validator with content.schema.json, for the session;
    after the run, how many documents the three readers saw and how they met."""
    if not request.config.pluginmanager.has_plugin("editor-agreement"):
        request.config.pluginmanager.register(_Summary(), "editor-agreement")
    process = EditorProcess(SCHEMA)
    yield process
    process.close()
