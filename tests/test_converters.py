"""The cattrs converter factory of the reference targets (``conformance.oracle.converters``)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import cattrs
import pytest

from conformance.core import jsonwire
from conformance.oracle.converters import StructureError, make_converter, unknown_key_count
from conformance.oracle.models import ABSENT, ModelSet, build_models, extras_of
from conformance.schema import (
    Alias,
    AnyValue,
    ArrayOf,
    Const,
    Definition,
    Discriminator,
    EnumOf,
    Field,
    JsonValue,
    MapOf,
    Model,
    Nullable,
    Primitive,
    Ref,
    Schema,
    TypeRef,
    UnionOf,
)
from conformance.sources.openapi import schema_from_document

STRING = Primitive("string")
INTEGER = Primitive("integer")
NUMBER = Primitive("number")
BOOLEAN = Primitive("boolean")
DATE_TIME = Primitive("string", "date-time")
DATE = Primitive("string", "date")
INT32 = Primitive("integer", "int32")
INT64 = Primitive("integer", "int64")


def schema_of(*definitions: Definition) -> Schema:
    """A schema of these definitions."""
    return Schema({each.name: each for each in definitions})


def holder(type_: TypeRef, *others: Definition) -> ModelSet:
    """The models of ``Holder``, one required field ``x`` of ``type_``, beside ``others``."""
    return build_models(schema_of(Model("Holder", (Field("x", type_, required=True),)), *others))


def wire_round_trip(models: ModelSet, name: str, value: JsonValue) -> JsonValue:
    """``value`` read as ``name`` and written back by the wire converter."""
    converter = make_converter(models, "wire")
    type_ = models.type_of(name)
    written: JsonValue = converter.unstructure(converter.structure(value, type_), type_)
    return written


def read_back(type_: TypeRef, value: JsonValue, *others: Definition) -> str:
    """The JSON text of ``x`` after ``{"x": value}`` went through the wire converter."""
    written = wire_round_trip(holder(type_, *others), "Holder", {"x": value})
    assert isinstance(written, dict)
    return jsonwire.dumps(written["x"])


def rejection(models: ModelSet, name: str, value: JsonValue, convention: str = "wire") -> str:
    """The error the ``convention`` converter raises reading ``value`` as ``name``."""
    converter = make_converter(models, convention)
    with pytest.raises(StructureError) as raised:
        converter.structure(value, models.type_of(name))
    return str(raised.value)


def rejection_of(type_: TypeRef, value: JsonValue, *others: Definition) -> str:
    """The error reading ``{"x": value}`` as a ``Holder`` with ``x`` of ``type_``."""
    return rejection(holder(type_, *others), "Holder", {"x": value})


INNER = Model("Inner", (Field("a", STRING),))


@pytest.mark.parametrize(
    ("type_", "value", "error"),
    [
        pytest.param(INTEGER, "7", "expected integer, got string '7'", id="string-as-integer"),
        pytest.param(NUMBER, "7", "expected number, got string '7'", id="string-as-number"),
        pytest.param(STRING, 42, "expected string, got number 42", id="number-as-string"),
        pytest.param(BOOLEAN, "false", "expected boolean, got string 'false'", id="string-as-bool"),
        pytest.param(BOOLEAN, 0, "expected boolean, got number 0", id="zero-as-boolean"),
        pytest.param(BOOLEAN, 1, "expected boolean, got number 1", id="one-as-boolean"),
        pytest.param(NUMBER, True, "expected number, got true", id="true-as-number"),
        pytest.param(INTEGER, False, "expected integer, got false", id="false-as-integer"),
        pytest.param(STRING, True, "expected string, got true", id="true-as-string"),
        pytest.param(INTEGER, Decimal("1.5"), "expected integer, got number 1.5", id="fraction"),
        pytest.param(ArrayOf(STRING), "abc", "expected array, got string 'abc'", id="string-list"),
        pytest.param(ArrayOf(STRING), {}, "expected array, got object", id="object-as-array"),
        pytest.param(MapOf(STRING), [], "expected object, got array", id="array-as-map"),
        pytest.param(Ref("Inner"), [], "expected object (Inner), got array", id="array-as-model"),
        pytest.param(Ref("Inner"), "{}", "expected object (Inner), got string '{}'", id="text"),
    ],
)
def test_types_are_strict(type_: TypeRef, value: JsonValue, error: str) -> None:
    """A value of another JSON type is rejected, never coerced."""
    assert rejection_of(type_, value, INNER) == f"{error} @ $.x"


@pytest.mark.parametrize(
    ("type_", "value"),
    [
        pytest.param(STRING, "", id="empty-string"),
        pytest.param(STRING, "\U0001f600 \U0001d11e", id="astral-string"),
        pytest.param(INTEGER, 9007199254740993, id="integer-beyond-2^53"),
        pytest.param(INTEGER, -(2**70), id="integer-beyond-int64"),
        pytest.param(NUMBER, 0, id="number-integer-token"),
        pytest.param(NUMBER, Decimal("1.50"), id="number-trailing-zero"),
        pytest.param(NUMBER, Decimal("1E+21"), id="number-exponent"),
        pytest.param(NUMBER, Decimal("-0.0"), id="number-negative-zero"),
        pytest.param(BOOLEAN, False, id="boolean"),
        pytest.param(AnyValue(), {"b": [None, Decimal("0.0")], "a": 1}, id="any"),
    ],
)
def test_values_of_the_right_type_come_back_token_for_token(
    type_: TypeRef, value: JsonValue
) -> None:
    """An accepted value is written back as the same JSON token."""
    assert read_back(type_, value) == jsonwire.dumps(value)


@pytest.mark.parametrize(
    "token",
    [
        pytest.param("1.0", id="point-zero"),
        pytest.param("-7.00", id="two-zeros"),
        pytest.param("1E+2", id="exponent"),
    ],
)
def test_integer_accepts_an_integral_decimal_and_keeps_its_token(token: str) -> None:
    """JSON Schema counts ``1.0`` as an integer; the token is kept for the way back."""
    assert read_back(INTEGER, Decimal(token)) == token


@pytest.mark.parametrize(
    ("type_", "value"),
    [
        pytest.param(INT32, 2**31 - 1, id="int32-max"),
        pytest.param(INT32, -(2**31), id="int32-min"),
        pytest.param(INT64, 2**63 - 1, id="int64-max"),
        pytest.param(INT64, -(2**63), id="int64-min"),
        pytest.param(INT32, Decimal("5.0"), id="int32-integral-decimal"),
    ],
)
def test_bounded_integer_accepts_values_within_its_format(type_: TypeRef, value: int) -> None:
    """An ``int32``/``int64`` integer accepts its extreme values."""
    assert read_back(type_, value) == jsonwire.dumps(value)


@pytest.mark.parametrize(
    ("type_", "value", "error"),
    [
        pytest.param(INT32, 2**31, "2147483648 is out of int32 integer range", id="int32-over"),
        pytest.param(INT32, -(2**31) - 1, "-2147483649 is out of int32 integer range", id="under"),
        pytest.param(INT64, 2**63, "9223372036854775808 is out of int64 integer range", id="int64"),
        pytest.param(
            INT32, Decimal("3E+9"), "3E+9 is out of int32 integer range", id="int32-exponent"
        ),
        pytest.param(INT32, "1", "expected integer, got string '1'", id="int32-string"),
    ],
)
def test_bounded_integer_rejects_values_outside_its_format(
    type_: TypeRef, value: JsonValue, error: str
) -> None:
    """An ``int32``/``int64`` integer rejects what does not fit its format."""
    assert rejection_of(type_, value) == f"{error} @ $.x"


@pytest.mark.parametrize(
    "value",
    [
        pytest.param("2024-06-10T06:13:20Z", id="zulu"),
        pytest.param("2024-06-10t06:13:20z", id="lower-case"),
        pytest.param("2024-06-10T06:13:20+00:00", id="zero-offset"),
        pytest.param("2024-06-10T06:13:20-05:30", id="negative-offset"),
        pytest.param("2024-06-10T23:59:59+23:59", id="largest-offset"),
        pytest.param("2024-06-10T06:13:20.5Z", id="fraction"),
        pytest.param("2024-06-10T06:13:20.123456789+01:00", id="nanoseconds"),
        pytest.param("2024-02-29T00:00:00Z", id="leap-day"),
        pytest.param("2016-12-31T23:59:60Z", id="leap-second"),
    ],
)
def test_date_time_accepts_rfc3339_forms_as_sent(value: str) -> None:
    """A valid RFC 3339 date-time is accepted and its text kept as sent."""
    assert read_back(DATE_TIME, value) == jsonwire.dumps(value)


@pytest.mark.parametrize(
    "value",
    [
        pytest.param("2024-13-01T00:00:00Z", id="month-13"),
        pytest.param("2023-02-29T00:00:00Z", id="not-a-leap-year"),
        pytest.param("2024-06-10T24:00:00Z", id="hour-24"),
        pytest.param("2024-06-10T06:60:00Z", id="minute-60"),
        pytest.param("2024-06-10T06:13:20+24:00", id="offset-hour-24"),
        pytest.param("2024-06-10T06:13:20+05:60", id="offset-minute-60"),
        pytest.param("2024-06-10T06:13:20", id="no-offset"),
        pytest.param("2024-06-10", id="date-only"),
        pytest.param("2024-06-10 06:13:20Z", id="space-separator"),
        pytest.param("2024-06-10T06:13:20.Z", id="empty-fraction"),
        pytest.param("2024-06-10T06:13:20Z\n", id="trailing-newline"),
        pytest.param("\u0662\u0660\u0662\u0664-06-10T06:13:20Z", id="arabic-indic-digits"),
        pytest.param("", id="empty"),
    ],
)
def test_date_time_rejects_what_rfc3339_does_not_allow(value: str) -> None:
    """A string that is not an RFC 3339 date-time is rejected with the string shown."""
    expected = f"expected an RFC 3339 date-time, got {_string(value)} @ $.x"
    assert rejection_of(DATE_TIME, value) == expected


def test_date_time_rejects_a_number() -> None:
    """A Unix timestamp is not a date-time string."""
    assert rejection_of(DATE_TIME, 1718000000) == (
        "expected date-time string, got number 1718000000 @ $.x"
    )


@pytest.mark.parametrize(
    ("value", "valid"),
    [
        pytest.param("2024-02-29", True, id="leap-day"),
        pytest.param("0001-01-01", True, id="year-one"),
        pytest.param("2023-02-29", False, id="not-a-leap-year"),
        pytest.param("2024-00-10", False, id="month-zero"),
        pytest.param("2024-6-1", False, id="short"),
        pytest.param("2024-06-10T00:00:00Z", False, id="date-time"),
        pytest.param("2024-06-10\n", False, id="trailing-newline"),
    ],
)
def test_date_accepts_only_rfc3339_full_dates(value: str, valid: bool) -> None:
    """A ``date`` string is a full-date, nothing more."""
    if valid:
        assert read_back(DATE, value) == jsonwire.dumps(value)
    else:
        expected = f"expected an RFC 3339 full-date, got {_string(value)} @ $.x"
        assert rejection_of(DATE, value) == expected


def _string(value: str) -> str:
    return f"string {value!r}"


@pytest.mark.parametrize(
    ("type_", "value"),
    [
        pytest.param(EnumOf(("stop", "length")), "length", id="enum-string"),
        pytest.param(EnumOf((1, True, None)), 1, id="enum-one"),
        pytest.param(EnumOf((1, True, None)), True, id="enum-true"),
        pytest.param(Const(1), 1, id="const-one"),
        pytest.param(Const(True), True, id="const-true"),
    ],
)
def test_enum_and_const_accept_their_values(type_: TypeRef, value: JsonValue) -> None:
    """An enum member or the const value is accepted as it is."""
    assert read_back(type_, value) == jsonwire.dumps(value)


@pytest.mark.parametrize(
    ("type_", "value"),
    [
        pytest.param(Const({"a": [1, None]}), {"a": [1, None]}, id="const-object"),
        pytest.param(Const([1, "a"]), [1, "a"], id="const-array"),
        pytest.param(EnumOf(({"a": 1}, {"b": 2})), {"b": 2}, id="enum-of-objects"),
    ],
)
def test_enum_and_const_of_objects_and_arrays_accept_their_values(
    type_: TypeRef, value: JsonValue
) -> None:
    """An object or array const (or enum member) builds a class and accepts that value."""
    assert read_back(type_, value) == jsonwire.dumps(value)


@pytest.mark.parametrize(
    ("type_", "value", "error"),
    [
        pytest.param(
            EnumOf(("stop", "length")),
            "STOP",
            'expected one of "stop", "length", got string \'STOP\'',
            id="enum-case",
        ),
        pytest.param(EnumOf((1, "a")), True, 'expected one of 1, "a", got true', id="true-for-1"),
        pytest.param(EnumOf((True,)), 1, "expected one of true, got number 1", id="1-for-true"),
        pytest.param(EnumOf((1,)), "1", "expected one of 1, got string '1'", id="string-for-1"),
        pytest.param(Const(1), True, "expected one of 1, got true", id="const-true-for-1"),
        pytest.param(Const(False), 0, "expected one of false, got number 0", id="const-0"),
        pytest.param(Const("a"), "b", "expected one of \"a\", got string 'b'", id="const-string"),
    ],
)
def test_enum_and_const_compare_json_types(type_: TypeRef, value: JsonValue, error: str) -> None:
    """``1`` is not ``true`` and ``"1"`` is not ``1``: enums and consts are type-strict."""
    assert rejection_of(type_, value) == f"{error} @ $.x"


@pytest.mark.parametrize(
    ("type_", "value"),
    [
        pytest.param(EnumOf((1, 2)), Decimal("1.0"), id="enum-integer-as-1.0"),
        pytest.param(EnumOf((Decimal("1.5"),)), Decimal("1.50"), id="enum-trailing-zero"),
        pytest.param(Const(0), Decimal("0.0"), id="const-zero-as-0.0"),
    ],
)
def test_enum_and_const_compare_numbers_by_value(type_: TypeRef, value: JsonValue) -> None:
    """A number equal to a member (``1.0`` for ``1``) is that member, with its token kept."""
    assert read_back(type_, value) == jsonwire.dumps(value)


OPEN_STRINGS = EnumOf(("known",), open=True)
OPEN_INTEGERS = EnumOf((1, 2), open=True)
OPEN_MIXED = EnumOf(("a", 1), open=True)


@pytest.mark.parametrize(
    ("type_", "value"),
    [
        pytest.param(OPEN_STRINGS, "known", id="string-known"),
        pytest.param(OPEN_STRINGS, "brand-new", id="string-unknown"),
        pytest.param(OPEN_STRINGS, "KNOWN", id="string-in-another-case"),
        pytest.param(OPEN_STRINGS, "", id="string-empty"),
        pytest.param(OPEN_INTEGERS, 2, id="integer-known"),
        pytest.param(OPEN_INTEGERS, 2**64 + 1, id="integer-unknown"),
        pytest.param(OPEN_INTEGERS, Decimal("7.0"), id="integer-unknown-as-7.0"),
        pytest.param(OPEN_MIXED, "b", id="mixed-unknown-string"),
        pytest.param(OPEN_MIXED, 3, id="mixed-unknown-integer"),
        pytest.param(EnumOf((Decimal("0.5"),), open=True), 7, id="number-takes-an-integer"),
        pytest.param(EnumOf((True,), open=True), False, id="boolean-unknown"),
        pytest.param(Nullable(OPEN_STRINGS), "brand-new", id="nullable-unknown"),
        pytest.param(ArrayOf(OPEN_STRINGS), ["known", "brand-new"], id="array-of-unknowns"),
    ],
)
def test_open_enum_keeps_known_and_unknown_values_of_its_kind(
    type_: TypeRef, value: JsonValue
) -> None:
    """An open enum accepts any value of its values' JSON kinds and writes it back unchanged."""
    assert read_back(type_, value) == jsonwire.dumps(value)


@pytest.mark.parametrize(
    ("type_", "value", "error"),
    [
        pytest.param(
            OPEN_STRINGS,
            5,
            'expected string (an open enum of "known"), got number 5',
            id="number-for-string",
        ),
        pytest.param(
            OPEN_STRINGS, None, 'expected string (an open enum of "known"), got null', id="null"
        ),
        pytest.param(
            OPEN_INTEGERS,
            Decimal("1.5"),
            "expected integer (an open enum of 1, 2), got number 1.5",
            id="fraction-for-integer",
        ),
        pytest.param(
            OPEN_INTEGERS, True, "expected integer (an open enum of 1, 2), got true", id="true"
        ),
        pytest.param(
            OPEN_MIXED,
            [],
            'expected integer or string (an open enum of "a", 1), got array',
            id="array-for-mixed",
        ),
    ],
)
def test_open_enum_rejects_other_json_kinds(type_: TypeRef, value: JsonValue, error: str) -> None:
    """An open enum still rejects a value of a JSON kind none of its values has."""
    assert rejection_of(type_, value) == f"{error} @ $.x"


def test_closed_enum_still_rejects_an_unknown_value() -> None:
    """Without ``open``, a well-typed value that is not a member is rejected as before."""
    expected = "expected one of \"known\", got string 'brand-new' @ $.x"
    assert rejection_of(EnumOf(("known",)), "brand-new") == expected


def test_open_and_closed_enums_of_the_same_values_are_distinct_types() -> None:
    """Both in one schema, each keeps its own rule (the marker cache tells them apart)."""
    models = build_models(
        schema_of(
            Model(
                "Holder",
                (
                    Field("open", OPEN_STRINGS, required=True),
                    Field("closed", EnumOf(("known",)), required=True),
                ),
            )
        )
    )
    payload: JsonValue = {"open": "brand-new", "closed": "known"}
    assert wire_round_trip(models, "Holder", payload) == payload
    error = rejection(models, "Holder", {"open": "known", "closed": "brand-new"})
    assert error == "expected one of \"known\", got string 'brand-new' @ $.closed"


OPTIONAL = build_models(
    schema_of(
        Model(
            "Holder",
            (
                Field("plain", STRING),
                Field("nullable", Nullable(STRING)),
                Field("needed", STRING, required=True),
            ),
        )
    )
)


def test_absent_optional_field_is_absent_not_null() -> None:
    """An optional key that was not sent is ``ABSENT`` on the instance and not written back."""
    converter = make_converter(OPTIONAL, "wire")
    cls = OPTIONAL.classes["Holder"]
    instance = converter.structure({"needed": "n"}, cls)
    assert (instance.plain, instance.nullable, converter.unstructure(instance, cls)) == (
        ABSENT,
        ABSENT,
        {"needed": "n"},
    )


def test_null_on_a_nullable_field_stays_null() -> None:
    """``null`` on a nullable field is ``None`` on the instance and ``null`` on the way back."""
    converter = make_converter(OPTIONAL, "wire")
    cls = OPTIONAL.classes["Holder"]
    instance = converter.structure({"nullable": None, "needed": "n"}, cls)
    assert (instance.nullable, converter.unstructure(instance, cls)) == (
        None,
        {"nullable": None, "needed": "n"},
    )


def test_null_on_a_non_nullable_optional_field_is_rejected() -> None:
    """An optional field is not a nullable one: ``null`` is a wrong value, not an absent key."""
    assert rejection(OPTIONAL, "Holder", {"plain": None, "needed": "n"}) == (
        "expected string, got null @ $.plain"
    )


def test_missing_required_field_is_rejected_at_its_key() -> None:
    """A required key that was not sent is reported at the key's path."""
    assert rejection(OPTIONAL, "Holder", {"plain": "p"}) == "required field missing @ $.needed"


def _extras_models(additional: Any) -> ModelSet:
    return build_models(schema_of(Model("Holder", (Field("a", STRING),), additional)))


def test_unknown_keys_are_kept_and_written_back_after_the_fields() -> None:
    """Keys the model does not declare are kept on the instance and written back, in order."""
    models = _extras_models(None)
    converter = make_converter(models, "wire")
    cls = models.classes["Holder"]
    instance = converter.structure({"z": [1], "a": "x", "b": None}, cls)
    assert (extras_of(instance), converter.unstructure(instance, cls)) == (
        {"z": [1], "b": None},
        {"a": "x", "z": [1], "b": None},
    )


def test_unknown_key_is_rejected_where_the_model_forbids_extras() -> None:
    """``additionalProperties: false`` makes an unknown key an error naming the key."""
    assert rejection(_extras_models(False), "Holder", {"a": "x", "b": 1}) == (
        "unknown key 'b' (the schema forbids extra keys) @ $"
    )


def test_typed_additional_values_are_validated() -> None:
    """An undeclared key's value must have the ``additionalProperties`` type."""
    assert rejection(_extras_models(INTEGER), "Holder", {"a": "x", "b": "1"}) == (
        "expected integer, got string '1' @ $.b"
    )


def test_unknown_keys_are_counted_on_the_converter_that_kept_them() -> None:
    """Each converter counts the undeclared keys it kept; another converter's count stays 0."""
    models = _extras_models(None)
    reading, idle = make_converter(models, "wire"), make_converter(models, "wire")
    cls = models.classes["Holder"]
    reading.structure({"a": "x", "b": 1, "c": 2}, cls)
    reading.structure({"a": "y", "d": 3}, cls)
    assert (unknown_key_count(reading), unknown_key_count(idle)) == (3, 0)


@pytest.mark.parametrize(
    "additional",
    [pytest.param(INTEGER, id="typed-additional"), pytest.param(AnyValue(), id="any-additional")],
)
def test_declared_additional_keys_are_not_counted_as_unknown(additional: TypeRef) -> None:
    """Keys the model's ``additionalProperties`` admits are extras, not unknown keys."""
    models = _extras_models(additional)
    converter = make_converter(models, "wire")
    converter.structure({"a": "x", "b": 1}, models.classes["Holder"])
    assert unknown_key_count(converter) == 0


def test_typed_additional_values_are_kept() -> None:
    """Undeclared keys of the ``additionalProperties`` type are written back with their tokens."""
    value = {"a": "x", "b": 1, "c": Decimal("2.0")}
    written = wire_round_trip(_extras_models(NUMBER), "Holder", value)
    assert jsonwire.dumps(written) == jsonwire.dumps(value)


NAMES = build_models(
    schema_of(
        Model(
            "Holder",
            (
                Field("system_fingerprint", STRING),
                Field("from", STRING),
                Field("by_key", MapOf(Ref("Inner"))),
                Field("items", ArrayOf(Ref("Inner"))),
            ),
        ),
        Model("Inner", (Field("finish_reason", STRING),)),
    )
)
NAMES_WIRE: JsonValue = {
    "system_fingerprint": "fp",
    "from": "f",
    "by_key": {
        "system_fingerprint": {"finish_reason": "stop"},
        "Odd Key": {},
        "from": {"finish_reason": "length"},
    },
    "items": [{"finish_reason": "stop"}],
}


@pytest.mark.parametrize(
    ("convention", "native"),
    [
        pytest.param("wire", NAMES_WIRE, id="wire"),
        pytest.param(
            "python",
            {
                "system_fingerprint": "fp",
                "from_": "f",
                "by_key": {
                    "system_fingerprint": {"finish_reason": "stop"},
                    "Odd Key": {},
                    "from": {"finish_reason": "length"},
                },
                "items": [{"finish_reason": "stop"}],
            },
            id="python",
        ),
        pytest.param(
            "typescript",
            {
                "systemFingerprint": "fp",
                "from": "f",
                "byKey": {
                    "system_fingerprint": {"finishReason": "stop"},
                    "Odd Key": {},
                    "from": {"finishReason": "length"},
                },
                "items": [{"finishReason": "stop"}],
            },
            id="typescript",
        ),
    ],
)
def test_native_view_renames_fields_but_not_map_keys(convention: str, native: JsonValue) -> None:
    """Field keys follow the convention; map keys are data and stay as sent."""
    cls = NAMES.classes["Holder"]
    instance = make_converter(NAMES, "wire").structure(NAMES_WIRE, cls)
    assert make_converter(NAMES, convention).unstructure(instance, cls) == native


@pytest.mark.parametrize("convention", ["wire", "python", "typescript"])
def test_instance_survives_unstructure_and_structure(convention: str) -> None:
    """``structure(unstructure(x)) == x`` in every convention."""
    cls = NAMES.classes["Holder"]
    instance = make_converter(NAMES, "wire").structure(NAMES_WIRE, cls)
    converter = make_converter(NAMES, convention)
    assert converter.structure(converter.unstructure(instance, cls), cls) == instance


def test_native_converter_reports_paths_in_native_names() -> None:
    """An error of the typescript converter names the typescript keys that lead to it."""
    assert rejection(NAMES, "Holder", {"items": [{"finishReason": 1}]}, "typescript") == (
        "expected string, got number 1 @ $.items[0].finishReason"
    )


COLLIDING = build_models(
    schema_of(Model("Codes", (Field("error_code", INTEGER), Field("errorCode", STRING))))
)


@pytest.mark.parametrize(
    ("convention", "native"),
    [
        pytest.param("python", {"error_code": 1, "error_code_2": "E1"}, id="python"),
        pytest.param("typescript", {"errorCode": 1, "errorCode2": "E1"}, id="typescript"),
    ],
)
def test_colliding_field_names_are_numbered_in_the_native_view(
    convention: str, native: JsonValue
) -> None:
    """Two wire keys with one native name get distinct names, and read back to the same instance."""
    cls = COLLIDING.classes["Codes"]
    instance = make_converter(COLLIDING, "wire").structure(
        {"error_code": 1, "errorCode": "E1"}, cls
    )
    converter = make_converter(COLLIDING, convention)
    written = converter.unstructure(instance, cls)
    assert (written, converter.structure(written, cls)) == (native, instance)


PATHS = build_models(
    schema_of(
        Model(
            "Root",
            (
                Field("choices", ArrayOf(Ref("Choice"))),
                Field("meta", MapOf(Ref("Choice"))),
                Field("grid", ArrayOf(ArrayOf(MapOf(INTEGER)))),
            ),
        ),
        Model("Choice", (Field("index", INTEGER, required=True),)),
    )
)
GOOD_CHOICE = {"index": 0}


@pytest.mark.parametrize(
    ("value", "error"),
    [
        pytest.param(
            {"choices": [GOOD_CHOICE, GOOD_CHOICE, {"index": "2"}]},
            "expected integer, got string '2' @ $.choices[2].index",
            id="array-item-field",
        ),
        pytest.param(
            {"choices": [GOOD_CHOICE, {}]},
            "required field missing @ $.choices[1].index",
            id="array-item-missing",
        ),
        pytest.param(
            {"meta": {"ok": GOOD_CHOICE, "odd key": "x"}},
            "expected object (Choice), got string 'x' @ $.meta[\"odd key\"]",
            id="map-odd-key",
        ),
        pytest.param(
            {"meta": {"plain": {"index": None}}},
            "expected integer, got null @ $.meta.plain.index",
            id="map-value-field",
        ),
        pytest.param(
            {"grid": [[], [{"a": 1}, {"b": 2, 'say "hi"': True}]]},
            'expected integer, got true @ $.grid[1][1]["say \\"hi\\""]',
            id="nested-arrays-and-maps",
        ),
    ],
)
def test_error_path_names_wire_keys_and_indexes(value: JsonValue, error: str) -> None:
    """The first bad value is reported at its path, in wire keys and array indexes."""
    assert rejection(PATHS, "Root", value) == error


TREE = Model(
    "Node", (Field("value", INTEGER, required=True), Field("children", ArrayOf(Ref("Node"))))
)


def _tree(depth: int) -> JsonValue:
    node: JsonValue = {"value": 0}
    for level in range(1, depth):
        node = {"value": level, "children": [{"value": -level}, node]}
    return node


def test_recursive_model_round_trips_a_deep_tree() -> None:
    """A model that refers to itself reads and writes a tree 50 levels deep."""
    value = _tree(50)
    assert wire_round_trip(build_models(schema_of(TREE)), "Node", value) == value


def test_mutually_recursive_models_round_trip() -> None:
    """Two models that refer to each other read and write each other's values."""
    models = build_models(
        schema_of(
            Model("Ping", (Field("pong", Ref("Pong")), Field("n", INTEGER))),
            Model("Pong", (Field("ping", Nullable(Ref("Ping")), required=True),)),
        )
    )
    value: JsonValue = {"pong": {"ping": {"pong": {"ping": {"n": 3}}, "n": 2}}, "n": 1}
    assert wire_round_trip(models, "Ping", value) == value


def test_mutually_recursive_error_path() -> None:
    """An error deep in mutually recursive models is reported at its full path."""
    models = build_models(
        schema_of(
            Model("Ping", (Field("pong", Ref("Pong")),)),
            Model("Pong", (Field("ping", Nullable(Ref("Ping")), required=True),)),
        )
    )
    assert rejection(models, "Ping", {"pong": {"ping": {"pong": {}}}}) == (
        "required field missing @ $.pong.ping.pong.ping"
    )


POINTS = (
    Model("Point", (Field("x", NUMBER, required=True), Field("y", NUMBER, required=True))),
    Model(
        "Point3",
        (
            Field("x", NUMBER, required=True),
            Field("y", NUMBER, required=True),
            Field("z", NUMBER, required=True),
        ),
    ),
    Model("Labelled", (Field("x", NUMBER, required=True), Field("label", STRING))),
    Model("Pair", (Field("x", NUMBER, required=True), Field("y", NUMBER))),
)


def _union_models(union: UnionOf) -> ModelSet:
    return build_models(schema_of(*POINTS, Alias("Shape", union)))


def test_one_of_picks_the_only_member_that_fits() -> None:
    """``oneOf`` reads a value as the one member it fits (exactly, with no unknown keys)."""
    models = _union_models(UnionOf((Ref("Point3"), Ref("Point"))))
    instance = make_converter(models, "wire").structure({"x": 1, "y": 2}, models.type_of("Shape"))
    assert instance == models.classes["Point"](x=1, y=2)


def test_one_of_with_two_exact_fits_is_rejected() -> None:
    """``oneOf`` rejects a value that two members read exactly."""
    models = _union_models(UnionOf((Ref("Point"), Ref("Pair"))))
    assert rejection(models, "Shape", {"x": 1, "y": 2}) == (
        "object matches 2 members of oneOf (exactly one must match) @ $"
    )


def test_one_of_with_no_fit_is_rejected_with_each_member_s_reason() -> None:
    """``oneOf`` rejects a value no member reads, saying why for each member."""
    models = _union_models(UnionOf((Ref("Point"), Ref("Labelled"))))
    assert rejection(models, "Shape", {"y": 2}) == (
        "object matches no member of oneOf: Point: required field missing @ $.x; "
        "Labelled: required field missing @ $.x @ $"
    )


def test_any_of_takes_the_first_member_that_fits() -> None:
    """``anyOf`` reads a value that several members read exactly as the first of them."""
    models = _union_models(UnionOf((Ref("Pair"), Ref("Point")), mode="anyOf"))
    instance = make_converter(models, "wire").structure({"x": 1, "y": 2}, models.type_of("Shape"))
    assert instance == models.classes["Pair"](x=1, y=2)


PETS = (
    Model("Cat", (Field("pet_type", STRING, required=True), Field("lives", INTEGER))),
    Model("Dog", (Field("pet_type", STRING, required=True), Field("lives", INTEGER))),
)
MAPPED = Discriminator("pet_type", (("cat", "Cat"), ("dog", "Dog")))
UNMAPPED = Discriminator("pet_type")


def _pets(discriminator: Discriminator) -> ModelSet:
    union = UnionOf((Ref("Cat"), Ref("Dog")), discriminator=discriminator)
    return build_models(schema_of(*PETS, Model("Owner", (Field("pet", union, required=True),))))


@pytest.mark.parametrize(
    ("discriminator", "tag", "member"),
    [
        pytest.param(MAPPED, "dog", "Dog", id="mapped"),
        pytest.param(UNMAPPED, "Dog", "Dog", id="by-name"),
    ],
)
def test_discriminated_union_picks_the_member_its_tag_names(
    discriminator: Discriminator, tag: str, member: str
) -> None:
    """The discriminator's value picks the member, even where several members would fit."""
    models = _pets(discriminator)
    owner = make_converter(models, "wire").structure(
        {"pet": {"pet_type": tag, "lives": 1}}, models.classes["Owner"]
    )
    assert owner.pet == models.classes[member](pet_type=tag, lives=1)


@pytest.mark.parametrize(
    ("discriminator", "pet", "error"),
    [
        pytest.param(
            MAPPED,
            {"pet_type": "cow"},
            "discriminator 'pet_type' is string 'cow'; expected one of 'cat', 'dog'",
            id="mapped-unknown-tag",
        ),
        pytest.param(
            UNMAPPED,
            {"pet_type": "cat"},
            "discriminator 'pet_type' is string 'cat'; expected one of 'Cat', 'Dog'",
            id="unmapped-wrong-case",
        ),
        pytest.param(
            MAPPED,
            {"pet_type": 1},
            "discriminator 'pet_type' is number 1; expected one of 'cat', 'dog'",
            id="tag-not-a-string",
        ),
        pytest.param(
            MAPPED,
            {"lives": 1},
            "discriminator 'pet_type' is absent; expected one of 'cat', 'dog'",
            id="mapped-absent-tag",
        ),
        pytest.param(
            UNMAPPED,
            {},
            "discriminator 'pet_type' is absent; expected one of 'Cat', 'Dog'",
            id="unmapped-absent-tag",
        ),
    ],
)
def test_bad_discriminator_is_reported_at_the_tag(
    discriminator: Discriminator, pet: JsonValue, error: str
) -> None:
    """A wrong, mistyped or absent tag is reported at the discriminator's path."""
    assert rejection(_pets(discriminator), "Owner", {"pet": pet}) == f"{error} @ $.pet.pet_type"


def test_discriminated_member_error_is_reported_inside_the_member() -> None:
    """Once the tag picked a member, that member's own errors keep their full path."""
    value = {"pet": {"pet_type": "cat", "lives": "9"}}
    assert rejection(_pets(MAPPED), "Owner", value) == (
        "expected integer, got string '9' @ $.pet.lives"
    )


def test_discriminated_union_reads_back_in_the_typescript_view() -> None:
    """The typescript view of a tagged member (``petType``) is read back as the same member."""
    models = _pets(MAPPED)
    cls = models.classes["Owner"]
    owner = make_converter(models, "wire").structure({"pet": {"pet_type": "dog"}}, cls)
    typescript = make_converter(models, "typescript")
    native = typescript.unstructure(owner, cls)
    assert (native, typescript.structure(native, cls)) == ({"pet": {"petType": "dog"}}, owner)


SCALAR = UnionOf((STRING, NUMBER))


@pytest.mark.parametrize(
    "value",
    [
        pytest.param("7", id="numeric-string"),
        pytest.param("", id="empty-string"),
        pytest.param(7, id="integer"),
        pytest.param(Decimal("7.50"), id="decimal"),
    ],
)
def test_union_of_string_and_number_keeps_the_json_type(value: JsonValue) -> None:
    """``"7"`` stays a string and ``7`` a number through a string-or-number union."""
    assert read_back(SCALAR, value) == jsonwire.dumps(value)


@pytest.mark.parametrize(
    ("value", "error"),
    [
        pytest.param(
            True,
            "true matches no member of oneOf: str: expected string, got true @ $; "
            "NumberType: expected number, got true @ $",
            id="boolean",
        ),
        pytest.param(
            None,
            "null matches no member of oneOf: str: expected string, got null @ $; "
            "NumberType: expected number, got null @ $",
            id="null",
        ),
    ],
)
def test_union_of_string_and_number_rejects_other_types(value: JsonValue, error: str) -> None:
    """A boolean or ``null`` fits neither member of a string-or-number union."""
    assert rejection_of(SCALAR, value) == f"{error} @ $.x"


@pytest.mark.parametrize(
    "value",
    [
        pytest.param(None, id="null"),
        pytest.param("s", id="string"),
        pytest.param({"x": 1, "y": Decimal("2.0")}, id="model"),
    ],
)
def test_nullable_union_accepts_null_and_each_member(value: JsonValue) -> None:
    """A nullable union reads ``null`` as ``null`` and members as themselves."""
    nullable = Nullable(UnionOf((STRING, Ref("Point"))))
    assert read_back(nullable, value, *POINTS) == jsonwire.dumps(value)


def test_nullable_union_rejects_what_no_member_fits() -> None:
    """A nullable union still rejects a value that no member reads."""
    nullable = Nullable(UnionOf((STRING, Ref("Point"))))
    assert rejection_of(nullable, 1, *POINTS) == (
        "number 1 matches no member of oneOf: str: expected string, got number 1 @ $; "
        "Point: expected object (Point), got number 1 @ $ @ $.x"
    )


ALIASES = (
    Alias("Count", Ref("Int32")),
    Alias("Int32", Ref("Bounded")),
    Alias("Bounded", INT32),
    Alias("Counts", ArrayOf(Ref("Count"))),
)


def test_alias_of_an_alias_reads_the_final_type() -> None:
    """An alias referring to another alias reads values of the type at the end of the chain."""
    assert read_back(Ref("Counts"), [1, 2**31 - 1], *ALIASES) == "[1,2147483647]"


def test_alias_of_an_alias_keeps_the_final_type_s_checks() -> None:
    """The format at the end of an alias chain still bounds the values."""
    assert rejection_of(Ref("Counts"), [1, 2**31], *ALIASES) == (
        "2147483648 is out of int32 integer range @ $.x[1]"
    )


def test_self_referring_alias_reads_nested_values() -> None:
    """An alias that refers to itself through an array (a tree of strings) reads deep values."""
    tree = Alias("Tree", UnionOf((STRING, ArrayOf(Ref("Tree")))))
    value: JsonValue = ["a", ["b", ["c", []]], "d"]
    assert read_back(Ref("Tree"), value, tree) == jsonwire.dumps(value)


def test_openapi_document_builds_the_same_converter_behaviour() -> None:
    """A tiny OpenAPI document reads through the converters like hand-built records."""
    schema = schema_from_document(
        {
            "openapi": "3.1.0",
            "components": {
                "schemas": {
                    "Holder": {
                        "type": "object",
                        "required": ["x"],
                        "properties": {"x": {"type": ["integer", "null"], "format": "int32"}},
                    }
                }
            },
        },
        "inline",
    )
    models = build_models(schema)
    assert (
        wire_round_trip(models, "Holder", {"x": None}),
        rejection(models, "Holder", {"x": 2**31}),
    ) == ({"x": None}, "2147483648 is out of int32 integer range @ $.x")


def test_make_converter_returns_a_fresh_converter_each_call() -> None:
    """Each call builds a new converter; hooks registered on one never reach another."""
    first = make_converter(NAMES, "wire")
    second = make_converter(NAMES, "wire")
    first.register_structure_hook(str, lambda value, _: "changed")
    cls = NAMES.classes["Inner"]
    assert (
        first is not second,
        first.structure({"finish_reason": "x"}, cls),
        second.structure({"finish_reason": "x"}, cls),
    ) == (True, cls(finish_reason="changed"), cls(finish_reason="x"))


def test_make_converter_leaves_the_global_converter_alone() -> None:
    """Building converters registers nothing on ``cattrs.global_converter``."""
    converters = [make_converter(NAMES, c) for c in ("wire", "python", "typescript")]
    assert (
        any(c is cattrs.global_converter for c in converters),
        cattrs.global_converter.structure("7", int),
        cattrs.global_converter.structure(7, str),
    ) == (False, 7, "7")
