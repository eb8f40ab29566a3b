"""Tests for the reference targets (``conformance.targets.reference``): the oracle's outcomes."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import attrs
import pytest

from conformance.core import jsonwire
from conformance.core.outcome import Outcome
from conformance.oracle.models import build_models
from conformance.schema import (
    ArrayOf,
    Discriminator,
    Field,
    JsonValue,
    MapOf,
    Model,
    Nullable,
    Primitive,
    Ref,
    Schema,
    UnionOf,
)
from conformance.sources.cases import Case, load_cases
from conformance.sources.openapi import load_openapi
from conformance.targets.reference import ReferenceTarget

STRING = Primitive("string")
INTEGER = Primitive("integer")
NUMBER = Primitive("number")
BUNDLED = Path(__file__).parent.parent / "cases" / "orq"

COMPLETION = Schema(
    {
        "Completion": Model(
            "Completion",
            (
                Field("id", STRING, required=True),
                Field("choices", ArrayOf(Ref("Choice")), required=True),
                Field("system_fingerprint", STRING),
                Field("from", STRING),
                Field("usage", Nullable(Ref("Usage"))),
                Field("meta", MapOf(Ref("Choice"))),
            ),
        ),
        "Choice": Model(
            "Choice",
            (Field("finish_reason", STRING, required=True), Field("index", INTEGER)),
        ),
        "Usage": Model("Usage", (Field("total_tokens", NUMBER),)),
        "Codes": Model("Codes", (Field("error_code", INTEGER), Field("errorCode", STRING))),
        "Pet": Model(
            "Pet",
            (
                Field(
                    "animal",
                    UnionOf(
                        (Ref("Cat"), Ref("Dog")),
                        discriminator=Discriminator("pet_type", (("cat", "Cat"), ("dog", "Dog"))),
                    ),
                ),
            ),
        ),
        "Cat": Model(
            "Cat", (Field("pet_type", STRING, required=True), Field("lives_left", INTEGER))
        ),
        "Dog": Model("Dog", (Field("pet_type", STRING, required=True),)),
        "Node": Model(
            "Node",
            (Field("value", INTEGER, required=True), Field("children", ArrayOf(Ref("Node")))),
        ),
    }
)
MODELS = build_models(COMPLETION)
TARGETS = {c: ReferenceTarget(f"reference-{c}", MODELS, c) for c in ("python", "typescript")}
CONVENTIONS = pytest.mark.parametrize("convention", ["python", "typescript"])


def run(convention: str, model: str, wire: JsonValue) -> Outcome:
    """The outcome of one payload through the reference target of ``convention`` (no timing)."""
    outcome = TARGETS[convention].run(Case("case", model, "response", wire))
    return attrs.evolve(outcome, seconds=0.0)


FULL: JsonValue = {
    "id": "cmpl-1",
    "choices": [{"finish_reason": "stop", "index": 0}, {"finish_reason": "length"}],
    "system_fingerprint": "fp_1",
    "from": "me",
    "usage": {"total_tokens": Decimal("21.0")},
    "meta": {"system_fingerprint": {"finish_reason": "stop"}, "odd key": {"finish_reason": "x"}},
}


@pytest.mark.parametrize(
    ("convention", "native"),
    [
        pytest.param(
            "python",
            {
                "id": "cmpl-1",
                "choices": [{"finish_reason": "stop", "index": 0}, {"finish_reason": "length"}],
                "system_fingerprint": "fp_1",
                "from_": "me",
                "usage": {"total_tokens": Decimal("21.0")},
                "meta": {
                    "system_fingerprint": {"finish_reason": "stop"},
                    "odd key": {"finish_reason": "x"},
                },
            },
            id="python",
        ),
        pytest.param(
            "typescript",
            {
                "id": "cmpl-1",
                "choices": [{"finishReason": "stop", "index": 0}, {"finishReason": "length"}],
                "systemFingerprint": "fp_1",
                "from": "me",
                "usage": {"totalTokens": Decimal("21.0")},
                "meta": {
                    "system_fingerprint": {"finishReason": "stop"},
                    "odd key": {"finishReason": "x"},
                },
            },
            id="typescript",
        ),
    ],
)
def test_valid_payload_comes_back_unchanged_with_a_native_view(
    convention: str, native: JsonValue
) -> None:
    """The wire output equals the input; the native view names fields by the convention."""
    assert run(convention, "Completion", FULL) == Outcome("accepted", wire=FULL, native=native)


@CONVENTIONS
def test_wire_output_keeps_number_tokens(convention: str) -> None:
    """``21.0`` stays ``21.0`` on the wire (not ``21``), in every convention."""
    outcome = run(convention, "Completion", FULL)
    assert jsonwire.dumps(outcome.wire) == jsonwire.dumps(FULL)


@CONVENTIONS
def test_absent_optional_field_stays_absent(convention: str) -> None:
    """An optional key that was not sent is not written back (not even as ``null``)."""
    wire: JsonValue = {"id": "a", "choices": [{"finish_reason": "stop"}]}
    assert run(convention, "Completion", wire).wire == wire


@CONVENTIONS
def test_null_on_a_nullable_field_stays_null(convention: str) -> None:
    """``null`` on a nullable field is written back as ``null``, in both views."""
    wire: JsonValue = {"id": "a", "choices": [], "usage": None}
    assert run(convention, "Completion", wire) == Outcome("accepted", wire=wire, native=wire)


@CONVENTIONS
def test_null_on_a_non_nullable_field_is_rejected(convention: str) -> None:
    """``null`` on an optional but non-nullable field is rejected at its wire path."""
    wire: JsonValue = {"id": "a", "choices": [], "system_fingerprint": None}
    assert run(convention, "Completion", wire) == Outcome(
        "rejected", error="expected string, got null @ $.system_fingerprint"
    )


@CONVENTIONS
def test_missing_required_field_is_rejected(convention: str) -> None:
    """A required key that was not sent is rejected at its wire path."""
    assert run(convention, "Completion", {"choices": []}) == Outcome(
        "rejected", error="required field missing @ $.id"
    )


@CONVENTIONS
def test_rejection_names_the_wire_path(convention: str) -> None:
    """Errors name wire keys (``finish_reason``), never the convention's names."""
    wire: JsonValue = {"id": "a", "choices": [{"finish_reason": "stop"}, {"finish_reason": 7}]}
    assert run(convention, "Completion", wire) == Outcome(
        "rejected", error="expected string, got number 7 @ $.choices[1].finish_reason"
    )


@CONVENTIONS
def test_unknown_keys_are_written_back_with_a_warning_naming_their_path(convention: str) -> None:
    """Unknown keys, top-level and nested, are kept, written back, and reported as warnings."""
    wire: JsonValue = {
        "id": "a",
        "choices": [{"finish_reason": "stop", "logprobs": None}],
        "meta": {"odd key": {"finish_reason": "stop", "extra": [1]}},
        "service_tier": "default",
    }
    outcome = run(convention, "Completion", wire)
    assert (outcome.state, outcome.wire, outcome.warnings) == (
        "accepted",
        wire,
        (
            "unknown key 'logprobs' at $.choices[0] (not in Choice; kept and written back)",
            "unknown key 'extra' at $.meta[\"odd key\"] (not in Choice; kept and written back)",
            "unknown key 'service_tier' at $ (not in Completion; kept and written back)",
        ),
    )


@pytest.mark.parametrize(
    ("convention", "native"),
    [
        pytest.param("python", {"error_code": 1, "error_code_2": "E1"}, id="python"),
        pytest.param("typescript", {"errorCode": 1, "errorCode2": "E1"}, id="typescript"),
    ],
)
def test_colliding_wire_keys_round_trip_exactly(convention: str, native: JsonValue) -> None:
    """``error_code`` and ``errorCode`` share a native name yet both come back as sent."""
    wire: JsonValue = {"error_code": 1, "errorCode": "E1"}
    assert run(convention, "Codes", wire) == Outcome("accepted", wire=wire, native=native)


@pytest.mark.parametrize(
    ("convention", "wire", "key"),
    [
        pytest.param(
            "typescript",
            {"id": "a", "choices": [], "system_fingerprint": "fp", "systemFingerprint": "x"},
            "systemFingerprint",
            id="typescript-field-present",
        ),
        pytest.param(
            "typescript",
            {"id": "a", "choices": [], "systemFingerprint": "x"},
            "systemFingerprint",
            id="typescript-field-absent",
        ),
        pytest.param(
            "python",
            {"id": "a", "choices": [], "from": "me", "from_": "x"},
            "from_",
            id="python-field-present",
        ),
        pytest.param(
            "python", {"id": "a", "choices": [], "from_": "x"}, "from_", id="python-field-absent"
        ),
    ],
)
def test_unknown_key_colliding_with_a_native_name_is_skipped(
    convention: str, wire: JsonValue, key: str
) -> None:
    """An unknown key spelled like a field's native name has no place in the native view: the
    reference gives no verdict rather than one its own view made up."""
    assert run(convention, "Completion", wire) == Outcome(
        "skipped",
        error=f"the {convention} view cannot hold this payload: unknown key {key!r} collides "
        f"with the {convention} name of a field @ $.{key}",
        warnings=(f"unknown key {key!r} at $ (not in Completion; kept and written back)",),
    )


@pytest.mark.parametrize(
    ("convention", "native"),
    [
        pytest.param("python", {"animal": {"pet_type": "cat", "lives_left": 9}}, id="python"),
        pytest.param("typescript", {"animal": {"petType": "cat", "livesLeft": 9}}, id="typescript"),
    ],
)
def test_discriminated_union_round_trips_in_each_convention(
    convention: str, native: JsonValue
) -> None:
    """A tagged member is read back from the native view, whatever the tag's native name."""
    wire: JsonValue = {"animal": {"pet_type": "cat", "lives_left": 9}}
    assert run(convention, "Pet", wire) == Outcome("accepted", wire=wire, native=native)


@CONVENTIONS
def test_unknown_model_is_an_error(convention: str) -> None:
    """A case naming a model the schema lacks is an error of the target, not a rejection."""
    assert run(convention, "Nope", {}) == Outcome(
        "error", error="model 'Nope' is not in the schema"
    )


@CONVENTIONS
def test_recursive_model_round_trips(convention: str) -> None:
    """A tree of nodes 50 levels deep comes back unchanged."""
    wire: JsonValue = {"value": 0}
    for level in range(1, 50):
        wire = {"value": level, "children": [wire, {"value": -level, "children": []}]}
    assert run(convention, "Node", wire).wire == wire


def test_deeply_nested_payload_gives_an_outcome() -> None:
    """A payload nested deeper than Python's stack gives an outcome instead of raising."""
    wire: JsonValue = {"value": 0}
    for level in range(1, 2000):
        wire = {"value": level, "children": [wire]}
    outcome = TARGETS["python"].run(Case("deep", "Node", "response", wire))
    assert outcome.state in ("accepted", "error")


def test_start_names_the_reference_implementation() -> None:
    """``start`` describes the in-process reference, with its target name and language."""
    implementation = TARGETS["typescript"].start()
    assert (implementation.name, implementation.language, implementation.sdk) == (
        "reference-typescript",
        "python",
        "conformance-reference",
    )


BUNDLED_SCHEMA = load_openapi(BUNDLED / "openapi.yaml")
BUNDLED_MODELS = build_models(BUNDLED_SCHEMA)
BUNDLED_TARGETS = [ReferenceTarget(c, BUNDLED_MODELS, c) for c in ("python", "typescript")]
BUNDLED_CASES = load_cases([BUNDLED], BUNDLED_SCHEMA, [BUNDLED / "expected-failures.json"])


def test_bundled_cases_all_load() -> None:
    """Every case of the bundled suite loads against the bundled schema."""
    assert (BUNDLED_CASES.errors, len(BUNDLED_CASES.cases) > 0) == ((), True)


@pytest.mark.parametrize("case", [pytest.param(case, id=case.id) for case in BUNDLED_CASES.cases])
def test_bundled_case_is_accepted_unchanged_or_rejected_as_expected(case: Case) -> None:
    """A valid bundled case comes back token for token from both targets; others are rejected."""
    for target in BUNDLED_TARGETS:
        outcome = target.run(case)
        if case.valid:
            got = (target.name, outcome.state, outcome.error, jsonwire.dumps(outcome.wire))
            assert got == (target.name, "accepted", "", jsonwire.dumps(case.wire))
        else:
            assert (target.name, outcome.state) == (target.name, "rejected")
