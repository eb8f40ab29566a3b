"""The harness protocol's answers: validated against ``harness-response.schema.json``.

Every answer a harness writes is checked here before the client trusts it; a
valid ``run`` answer then becomes the case's ``Outcome``. Answers are checked by
the schema compiled to Python (``fastjsonschema``, once per case, so it matters);
``jsonschema`` has the last word on an answer the compiled check refuses, and
says what is wrong with it.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from functools import cache
from typing import Any, Final

import fastjsonschema
import jsonschema
from jsonschema.protocols import Validator

from conformance.core import jsonwire
from conformance.core import resources as _resources
from conformance.core.jsonwire import JsonValue
from conformance.core.outcome import Implementation, Outcome
from conformance.exceptions import HarnessError

__all__ = [
    "PROTOCOL_VERSION",
    "answer_problem",
    "error_path",
    "excerpt",
    "implementation_of",
    "run_outcome",
    "timeout_hint",
    "undeclared_paths",
]

PROTOCOL_VERSION: Final = 2  # 2: a run request carries the payload once, as wire_text


def _definition(definition: str) -> dict[str, Any]:
    """One ``$defs`` entry of ``harness-response.schema.json``, its local ``$ref``s inlined
    (the schema is not recursive, and a validator without references is several
    times faster)."""
    root = _resources.schema("harness-response")
    inlined: dict[str, Any] = _inline(root["$defs"][definition], root["$defs"])
    return {"$schema": root["$schema"], **inlined}


@cache
def _answer_validator(definition: str) -> Validator:
    """A ``jsonschema`` validator for one ``$defs`` entry: the verdict on, and the
    message for, an answer the compiled check refuses."""
    target = _definition(definition)
    cls = jsonschema.validators.validator_for(target)
    built: Validator = cls(target)
    return built


@cache
def _answer_check(definition: str) -> Callable[[Any], Any]:
    """One ``$defs`` entry compiled to Python: raises ``JsonSchemaValueException``.

    Its keywords mean the same in every draft ``fastjsonschema`` knows. It passes
    no answer ``jsonschema`` refuses (its ``integer`` is stricter: a ``Decimal``
    such as ``1.0`` goes on to ``jsonschema``), so a pass is a verdict.
    """
    check: Callable[[Any], Any] = fastjsonschema.compile(_definition(definition))
    return check


def _inline(node: Any, defs: dict[str, Any]) -> Any:
    """``node`` with every ``{"$ref": "#/$defs/x"}`` replaced by ``defs["x"]``, recursively."""
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/$defs/"):
            rest = {key: value for key, value in node.items() if key != "$ref"}
            return {**_inline(defs[ref.removeprefix("#/$defs/")], defs), **_inline(rest, defs)}
        return {key: _inline(value, defs) for key, value in node.items()}
    if isinstance(node, list):
        return [_inline(item, defs) for item in node]
    return node


def _run_answer_kind(message: JsonValue) -> str:
    """The one ``run`` answer branch (``accepted``/``rejected``/``skipped``) ``message`` can match.

    The branches exclude each other (``accepted`` is a constant, ``skipped``
    allows no ``accepted``), so validating against the chosen branch is the same
    as validating against their ``oneOf``, at a third of the cost; ``run`` (the
    ``oneOf``) is returned for anything else, to describe what is wrong.
    """
    if isinstance(message, dict):
        if "skipped" in message:
            return "skipped"
        if "accepted" in message:
            return "accepted" if message["accepted"] is True else "rejected"
    return "run"


def answer_problem(definition: str, message: JsonValue) -> str | None:
    """None when ``message`` is a valid answer of kind ``definition``, else what is wrong.

    ``definition`` names a ``$defs`` entry (``start``, ``models``, ``run``,
    ``schemas``); the problem is the most relevant error, with its path.
    """
    if definition == "run":
        definition = _run_answer_kind(message)
    try:
        _answer_check(definition)(message)
    except Exception:  # refused (or a value it cannot handle): jsonschema decides, and says why
        pass
    else:
        return None
    validator = _answer_validator(definition)
    subject: Any = message  # jsonschema's types do not know Decimal, which it validates fine
    if validator.is_valid(subject):
        return None
    error = jsonschema.exceptions.best_match(validator.iter_errors(subject))
    where = error.json_path if error.path else "$"
    return f"{error.message} at {where}"


def excerpt(raw: bytes | str, limit: int = 200) -> str:
    """The start of a harness's text, quoted, for an error message."""
    text = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else raw
    return repr(text if len(text) <= limit else text[:limit] + "...")


def timeout_hint(limit: str, seconds: float, config_key: str = "") -> str:
    """Which setting to raise after a timeout: ``limit`` at the target's TOML table ``config_key``.

    ``limit`` is ``timeout`` (one case), ``start_timeout`` (start-up and the
    models listing) or empty (a limit the caller chose, such as a schemas export's).
    """
    if not limit:
        return "allow it more time if the SDK is slow"
    why = {
        "start_timeout": "the SDK may be slow to import (start-up and model listing)",
        "timeout": "the SDK may be slow on this case",
    }[limit]
    if not config_key:
        return f"{why}: raise the target's {limit} (now {seconds:g} s)"
    return (
        f"{why}: raise {limit} (now {seconds:g} s) at {config_key}.{limit},"
        f" or tool.conformance.{limit} for every target"
    )


def implementation_of(answer: dict[str, JsonValue]) -> Implementation:
    """Who a valid ``ready`` answer to ``start`` says the harness is, with its warnings."""
    facts = answer["implementation"]
    assert isinstance(facts, dict)
    details = facts.get("details")
    warnings = answer.get("warnings")
    return Implementation(
        name=str(facts["name"]),
        language=str(facts["language"]),
        sdk=str(facts["sdk"]),
        sdk_version=str(facts["sdk_version"]),
        details=dict(details) if isinstance(details, dict) else {},
        warnings=tuple(str(w) for w in warnings) if isinstance(warnings, list) else (),
    )


def error_path(answer: dict[str, JsonValue]) -> tuple[str | int, ...] | None:
    """The ``error_path`` of a valid rejected answer (keys and indices), or None without one."""
    path = answer.get("error_path")
    if not isinstance(path, list):
        return None
    # JSON Schema's "integer" admits 1.0, which jsonwire reads as a Decimal.
    return tuple(int(step) if isinstance(step, int | Decimal) else str(step) for step in path)


def undeclared_paths(answer: dict[str, JsonValue]) -> tuple[tuple[str | int, ...], ...]:
    """The ``undeclared`` paths of a valid accepted answer (keys and indices in its native view)."""
    paths = answer.get("undeclared")
    if not isinstance(paths, list):
        return ()
    return tuple(
        tuple(int(step) if isinstance(step, int | Decimal) else str(step) for step in path)
        for path in paths
        if isinstance(path, list)
    )


def run_outcome(
    target: str, case_id: str, answer: dict[str, JsonValue], stderr: str, seconds: float
) -> Outcome:
    """The outcome a valid ``run`` answer (with the right ``seq``) stands for.

    An SDK's exact output (``wire_text``) is kept as ``Outcome.text`` beside its value,
    for the ``text`` divergences; an answer with ``wire`` alone has no text.
    """
    warnings = answer.get("warnings")
    notes = tuple(str(item) for item in warnings) if isinstance(warnings, list) else ()
    if answer.get("skipped") is True:
        return Outcome("skipped", error=str(answer["reason"]), stderr=stderr, seconds=seconds)
    if answer["accepted"] is not True:
        if answer.get("internal") is True:
            error = HarnessError(
                f"harness failed on the case: {answer['error']}",
                hint="a bug of the harness, not of the SDK; its stderr is attached",
                target=target,
                case_id=case_id,
                stderr=stderr,
            )
            return Outcome(
                "error", error=str(error), warnings=notes, stderr=stderr, seconds=seconds
            )
        return Outcome(
            "rejected",
            error=str(answer["error"]),
            warnings=notes,
            stderr=stderr,
            seconds=seconds,
            error_path=error_path(answer),
        )
    if answer.get("written") is False:
        return Outcome(
            "accepted",
            native=answer.get("native"),
            warnings=notes,
            stderr=stderr,
            seconds=seconds,
            written=False,
            undeclared=undeclared_paths(answer),
        )
    given = answer.get("wire_text")
    text = given if isinstance(given, str) else None
    if text is not None:
        try:
            wire = jsonwire.loads(text)
        except ValueError as parse_error:
            error = HarnessError(
                f"the SDK wrote text that is not JSON ({parse_error}): {excerpt(text)}",
                target=target,
                case_id=case_id,
                stderr=stderr,
            )
            return Outcome(
                "error", error=str(error), warnings=notes, stderr=stderr, seconds=seconds
            )
    else:
        wire = answer["wire"]
    return Outcome(
        "accepted",
        wire=wire,
        native=answer.get("native"),
        warnings=notes,
        stderr=stderr,
        seconds=seconds,
        text=text,
        undeclared=undeclared_paths(answer),
    )
