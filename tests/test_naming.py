"""Naming conventions: native names, collisions, lossy names and their reports."""

from __future__ import annotations

import json
import keyword
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conformance.comparison.naming_check import naming_divergences
from conformance.core.conventions import (
    CONVENTIONS,
    PYDANTIC_MEMBERS,
    Convention,
    get_convention,
    style_label,
    style_of,
    unique_names,
    words,
)
from conformance.exceptions import ConfigError
from conformance.oracle.naming import (
    Collision,
    LossyName,
    NamingReport,
    NamingRow,
    naming_as_json,
    naming_report,
    render_naming,
)
from conformance.schema import AnyValue, Field, Model, Primitive, Ref, Schema, UnionOf

WIRE = CONVENTIONS["wire"]
PYTHON = CONVENTIONS["python"]
TYPESCRIPT = CONVENTIONS["typescript"]
PASCAL = CONVENTIONS["pascal"]
KEBAB = CONVENTIONS["kebab"]

JS_IDENTIFIER = re.compile(r"[A-Za-z_$][A-Za-z0-9_$]*")

#: Keys that look like what real specs contain, for the property tests.
KEYISH = st.text(alphabet="aZb_-/$ 1é", max_size=12)


def model(*keys: str, name: str = "M") -> Model:
    """A model whose fields are strings with these wire keys."""
    return Model(name, tuple(Field(key, Primitive("string")) for key in keys))


@pytest.mark.parametrize(
    ("key", "expected"),
    [
        pytest.param("system_fingerprint", ("system", "fingerprint"), id="snake"),
        pytest.param("systemFingerprint", ("system", "fingerprint"), id="camel"),
        pytest.param("HTTPStatusCode", ("http", "status", "code"), id="acronym-first"),
        pytest.param("APIKey", ("api", "key"), id="acronym-key"),
        pytest.param("userID", ("user", "id"), id="acronym-last"),
        pytest.param("userIDs", ("user", "ids"), id="plural-acronym"),
        pytest.param("self-harm/intent", ("self", "harm", "intent"), id="slash-and-hyphen"),
        pytest.param("Content-Type", ("content", "type"), id="train-case"),
        pytest.param("address_line2", ("address", "line2"), id="digit-joined-snake"),
        pytest.param("addressLine2", ("address", "line2"), id="digit-joined-camel"),
        pytest.param("address_line_2", ("address", "line", "2"), id="digit-separate"),
        pytest.param("HTTP2Server", ("http2", "server"), id="digit-in-acronym"),
        pytest.param("2fa", ("2fa",), id="leading-digit"),
        pytest.param("_id", ("id",), id="leading-underscore"),
        pytest.param("$ref", ("ref",), id="dollar"),
        pytest.param("café", ("cafe",), id="accent-folded"),
        pytest.param("", (), id="empty"),
        pytest.param("$/-", (), id="all-symbols"),
    ],
)
def test_words(key: str, expected: tuple[str, ...]) -> None:
    """A key splits into the lower-case words its casing and separators mark."""
    assert words(key) == expected


@pytest.mark.parametrize(
    ("key", "expected"),
    [
        pytest.param("finish_reason", "snake", id="snake"),
        pytest.param("name", "snake", id="one-word"),
        pytest.param("address_line_2", "snake", id="snake-digit"),
        pytest.param("systemFingerprint", "camel", id="camel"),
        pytest.param("userID", "camel", id="camel-acronym"),
        pytest.param("HTTPStatus", "pascal", id="pascal"),
        pytest.param("ID", "pascal", id="all-caps"),
        pytest.param("self-harm", "kebab", id="kebab"),
        pytest.param("Content-Type", "other", id="train-case"),
        pytest.param("self-harm/intent", "other", id="slash"),
        pytest.param("_id", "other", id="leading-underscore"),
        pytest.param("from_", "other", id="trailing-underscore"),
        pytest.param("2fa", "other", id="leading-digit"),
        pytest.param("API_KEY", "other", id="screaming-snake"),
        pytest.param("", "other", id="empty"),
    ],
)
def test_style_of(key: str, expected: str) -> None:
    """A key's casing style is the first of snake, camel, pascal, kebab it matches."""
    assert style_of(key) == expected


@pytest.mark.parametrize(
    ("key", "expected"),
    [
        pytest.param("ERROR", "upper", id="all-caps-word"),
        pytest.param("GRANT_TYPE", "upper", id="screaming-snake"),
        pytest.param("ID", "upper", id="all-caps-acronym"),
        pytest.param("Error", "pascal", id="pascal"),
        pytest.param("A", "pascal", id="one-capital"),
        pytest.param("grant_type", "snake", id="snake"),
        pytest.param("Grant_type", "mixed-case", id="mixed"),
    ],
)
def test_style_label_names_all_caps_and_mixed_names_as_a_reader_would(
    key: str, expected: str
) -> None:
    """A name's label says upper for all-caps names (which style_of counts as pascal or
    other) and mixed-case for a name in no one style."""
    assert style_label(key) == expected


#: wire key -> (python, typescript, pascal, kebab)
NAMES = [
    ("system_fingerprint", "system_fingerprint", "systemFingerprint", "SystemFingerprint",
     "system-fingerprint"),
    ("finish_reason", "finish_reason", "finishReason", "FinishReason", "finish-reason"),
    ("systemFingerprint", "system_fingerprint", "systemFingerprint", "SystemFingerprint",
     "system-fingerprint"),
    ("self-harm/intent", "self_harm_intent", "selfHarmIntent", "SelfHarmIntent",
     "self-harm-intent"),
    ("Content-Type", "content_type", "contentType", "ContentType", "content-type"),
    ("from", "from_", "from", "From", "from"),
    ("class", "class_", "class", "Class", "class"),
    ("type", "type", "type", "Type", "type"),
    ("match", "match", "match", "Match", "match"),
    ("schema", "schema_", "schema", "Schema", "schema"),
    ("model_dump", "model_dump_", "modelDump", "ModelDump", "model-dump"),
    ("model_id", "model_id", "modelId", "ModelId", "model-id"),
    ("_id", "id", "id", "Id", "id"),
    ("$ref", "ref", "ref", "Ref", "ref"),
    ("HTTPStatus", "http_status", "httpStatus", "HTTPStatus", "http-status"),
    ("APIKey", "api_key", "apiKey", "APIKey", "api-key"),
    ("userID", "user_id", "userID", "UserId", "user-id"),
    ("address_line_2", "address_line_2", "addressLine2", "AddressLine2", "address-line-2"),
    ("addressLine2", "address_line2", "addressLine2", "AddressLine2", "address-line2"),
    ("2fa", "api_2fa", "api2fa", "Api2fa", "2fa"),
    ("error_code", "error_code", "errorCode", "ErrorCode", "error-code"),
    ("errorCode", "error_code", "errorCode", "ErrorCode", "error-code"),
    ("self-harm", "self_harm", "selfHarm", "SelfHarm", "self-harm"),
    ("", "field", "field", "Field", "field"),
    ("$", "field", "field", "Field", "field"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("convention", "key", "expected"),
    [
        pytest.param(convention, row[0], name, id=f"{convention}-{row[0] or 'empty'}")
        for row in NAMES
        for convention, name in zip(
            ("wire", "python", "typescript", "pascal", "kebab"), (row[0], *row[1:]), strict=True
        )
    ],
)
def test_native(convention: str, key: str, expected: str) -> None:
    """Each convention names each wire key as its rules say."""
    assert CONVENTIONS[convention].native(key) == expected


@pytest.mark.parametrize(
    ("convention", "native", "like", "expected"),
    [
        pytest.param(PYTHON, "system_fingerprint", "systemFingerprint", "systemFingerprint",
                     id="snake-to-camel"),
        pytest.param(PYTHON, "http_status", "HTTPStatus", "HttpStatus", id="snake-to-pascal"),
        pytest.param(PYTHON, "from_", "from", "from", id="escape-dropped"),
        pytest.param(TYPESCRIPT, "addressLine2", "address_line_2", "address_line2",
                     id="camel-to-snake-digit"),
        pytest.param(TYPESCRIPT, "userID", "userID", "userID", id="same-style-kept"),
        pytest.param(PYTHON, "self_harm", "self-harm", "self-harm", id="snake-to-kebab"),
        pytest.param(PYTHON, "content_type", "Content-Type", "content_type",
                     id="other-joins-snake"),
        pytest.param(WIRE, "anything", "Content-Type", "anything", id="wire-identity"),
    ],
)  # fmt: skip
def test_restyle(convention: Convention, native: str, like: str, expected: str) -> None:
    """A native name is re-cased in the casing style of the wire key it is compared to."""
    assert convention.restyle(native, like=like) == expected


def test_get_convention() -> None:
    """A known convention is found by its name."""
    assert get_convention("typescript") is TYPESCRIPT


def test_get_convention_unknown_names_the_known_ones() -> None:
    """An unknown convention is a configuration error that lists the known conventions."""
    with pytest.raises(ConfigError) as caught:
        get_convention("ruby", key="targets.rb.convention")
    error = caught.value
    assert (error.message, error.hint, error.key) == (
        "unknown naming convention 'ruby'",
        "use one of: wire, python, typescript, pascal, kebab",
        "targets.rb.convention",
    )


@pytest.mark.parametrize(
    ("convention", "keys", "expected"),
    [
        pytest.param(
            PYTHON,
            ["error_code", "errorCode"],
            {"error_code": "error_code", "errorCode": "error_code_2"},
            id="python-suffix",
        ),
        pytest.param(
            TYPESCRIPT,
            ["error_code", "errorCode"],
            {"error_code": "errorCode", "errorCode": "errorCode2"},
            id="typescript-suffix",
        ),
        pytest.param(
            KEBAB,
            ["error_code", "errorCode"],
            {"error_code": "error-code", "errorCode": "error-code-2"},
            id="kebab-suffix",
        ),
        pytest.param(
            PYTHON,
            ["errorCode", "error_code"],
            {"errorCode": "error_code", "error_code": "error_code_2"},
            id="order-decides",
        ),
        pytest.param(
            PYTHON,
            ["a_b", "aB", "a_b_2", "A-B"],
            {"a_b": "a_b", "aB": "a_b_3", "a_b_2": "a_b_2", "A-B": "a_b_4"},
            id="skips-taken-names",
        ),
        pytest.param(
            PYTHON,
            ["from", "from_"],
            {"from": "from_", "from_": "from_2"},
            id="escape-replaced-by-number",
        ),
        pytest.param(
            PYTHON,
            ["id", "name"],
            {"id": "id", "name": "name"},
            id="no-collision",
        ),
    ],
)
def test_unique_names(convention: Convention, keys: list[str], expected: dict[str, str]) -> None:
    """Colliding wire keys get numbered native names in order, never a taken one."""
    assert unique_names(keys, convention) == expected


def test_naming_report() -> None:
    """A report names every field in every convention and lists collisions and lossy names."""
    report = naming_report(
        model("finish_reason", "error_code", "errorCode", "HTTPStatus", name="Choice"),
        [WIRE, PYTHON, TYPESCRIPT],
    )
    assert report == NamingReport(
        model="Choice",
        rows=(
            NamingRow(
                "finish_reason",
                (("wire", "finish_reason"), ("python", "finish_reason"),
                 ("typescript", "finishReason")),
            ),
            NamingRow(
                "error_code",
                (("wire", "error_code"), ("python", "error_code"), ("typescript", "errorCode")),
            ),
            NamingRow(
                "errorCode",
                (("wire", "errorCode"), ("python", "error_code"), ("typescript", "errorCode")),
            ),
            NamingRow(
                "HTTPStatus",
                (("wire", "HTTPStatus"), ("python", "http_status"), ("typescript", "httpStatus")),
            ),
        ),
        collisions=(
            Collision("Choice", "python", "error_code", ("error_code", "errorCode")),
            Collision("Choice", "typescript", "errorCode", ("error_code", "errorCode")),
        ),
        lossy=(
            LossyName("Choice", "python", "HTTPStatus", "http_status", "HttpStatus"),
            LossyName("Choice", "typescript", "HTTPStatus", "httpStatus", "HttpStatus"),
        ),
    )  # fmt: skip


def test_clean_model_is_not_flagged() -> None:
    """A model whose keys convert and come back cleanly has no collisions or lossy names."""
    report = naming_report(
        model("system_fingerprint", "finish_reason", "from"), [WIRE, PYTHON, TYPESCRIPT]
    )
    assert (report.collisions, report.lossy, report.flagged) == ((), (), False)


@pytest.mark.parametrize(
    ("convention", "key", "expected"),
    [
        pytest.param(PYTHON, "HTTPStatus", ("http_status", "HttpStatus"), id="python-acronym"),
        pytest.param(PYTHON, "APIKey", ("api_key", "ApiKey"), id="python-apikey"),
        pytest.param(PYTHON, "userID", ("user_id", "userId"), id="python-camel-acronym"),
        pytest.param(PYTHON, "_id", ("id", "id"), id="python-leading-underscore"),
        pytest.param(TYPESCRIPT, "_id", ("id", "id"), id="typescript-leading-underscore"),
        pytest.param(TYPESCRIPT, "address_line_2", ("addressLine2", "address_line2"),
                     id="typescript-digit"),
        pytest.param(PYTHON, "2fa", ("api_2fa", "api_2fa"), id="python-leading-digit"),
        pytest.param(KEBAB, "2fa", ("2fa", "2fa"), id="kebab-other-style"),
        pytest.param(PYTHON, "Content-Type", ("content_type", "content_type"),
                     id="python-train-case"),
        pytest.param(TYPESCRIPT, "self-harm/intent", ("selfHarmIntent", "self_harm_intent"),
                     id="typescript-slash"),
        pytest.param(PASCAL, "userID", ("UserId", "userId"), id="pascal-camel-acronym"),
    ],
)  # fmt: skip
def test_lossy_name(convention: Convention, key: str, expected: tuple[str, str]) -> None:
    """A name that does not re-case back to its wire key is reported with what it gives."""
    native, back = expected
    assert naming_report(model(key), [convention]).lossy == (
        LossyName("M", convention.name, key, native, back),
    )


@pytest.mark.parametrize(
    ("convention", "key"),
    [
        pytest.param(PYTHON, "system_fingerprint", id="python-snake"),
        pytest.param(PYTHON, "systemFingerprint", id="python-camel"),
        pytest.param(PYTHON, "addressLine2", id="python-camel-digit"),
        pytest.param(PYTHON, "address_line_2", id="python-snake-digit"),
        pytest.param(PYTHON, "from", id="python-keyword"),
        pytest.param(PYTHON, "schema", id="python-pydantic-member"),
        pytest.param(PYTHON, "self-harm", id="python-kebab"),
        pytest.param(TYPESCRIPT, "userID", id="typescript-kept-camel"),
        pytest.param(TYPESCRIPT, "finish_reason", id="typescript-snake"),
        pytest.param(PASCAL, "HTTPStatus", id="pascal-kept"),
        pytest.param(WIRE, "Content-Type", id="wire-other"),
    ],
)
def test_not_lossy(convention: Convention, key: str) -> None:
    """A name that re-cases back to its wire key is not reported as lossy."""
    assert naming_report(model(key), [convention]).lossy == ()


@pytest.mark.parametrize("key", ["Content-Type", "self-harm/intent", "_id", "2fa", "from_"])
def test_other_style_is_lossy_in_every_convention_but_wire(key: str) -> None:
    """A key in no casing style is lossy in every convention except the identity."""
    report = naming_report(model(key), list(CONVENTIONS.values()))
    assert tuple(each.convention for each in report.lossy) == (
        "python",
        "typescript",
        "pascal",
        "kebab",
    )


def test_render_naming() -> None:
    """The text report is a table of names per model followed by the flagged items."""
    report = naming_report(
        model("finish_reason", "error_code", "errorCode", "_id", name="Choice"),
        [WIRE, PYTHON, TYPESCRIPT],
    )
    assert render_naming([report]) == (
        "Choice\n"
        "  wire key       python         typescript\n"
        "  finish_reason  finish_reason  finishReason\n"
        "  error_code     error_code     errorCode\n"
        "  errorCode      error_code     errorCode\n"
        "  _id            id             id\n"
        "  collisions:\n"
        "    python: error_code <- error_code, errorCode\n"
        "    typescript: errorCode <- error_code, errorCode\n"
        "  lossy names (wire key -> native -> re-cased back):\n"
        "    python: _id -> id -> id\n"
        "    typescript: _id -> id -> id\n"
    )


def test_render_naming_separates_models() -> None:
    """Several models render as blocks separated by a blank line, fieldless ones marked."""
    reports = [naming_report(model("id", name=name), [PYTHON]) for name in ("A", "B")]
    reports.append(naming_report(model(name="Empty"), [PYTHON]))
    assert render_naming(reports) == (
        "A\n  wire key  python\n  id        id\n\n"
        "B\n  wire key  python\n  id        id\n\n"
        "Empty\n  (no fields)\n"
    )


def test_render_naming_quotes_unprintable_keys() -> None:
    """Blank and unprintable keys are shown quoted so the table stays readable."""
    text = render_naming([naming_report(model("", "a\nb"), [PYTHON])])
    assert text.splitlines()[2:4] == ["  ''        field", "  'a\\nb'    a_b"]


def test_render_nothing() -> None:
    """No reports render as empty text."""
    assert render_naming([]) == ""


def test_naming_as_json() -> None:
    """The JSON form holds plain values, with each row's names as an object."""
    report = naming_report(model("errorCode", "error_code", name="E"), [PYTHON])
    data = naming_as_json([report])
    assert data == [
        {
            "model": "E",
            "rows": [
                {"wire_key": "errorCode", "names": {"python": "error_code"}},
                {"wire_key": "error_code", "names": {"python": "error_code"}},
            ],
            "collisions": [
                {
                    "model": "E",
                    "convention": "python",
                    "native": "error_code",
                    "wire_keys": ["errorCode", "error_code"],
                }
            ],
            "lossy": [],
        }
    ]
    assert json.loads(json.dumps(data)) == data


@given(st.text() | KEYISH)
def test_python_names_are_usable_identifiers(key: str) -> None:
    """For any key, the Python name is an identifier, no keyword, no pydantic member, public."""
    name = PYTHON.native(key)
    assert name.isidentifier()
    assert not keyword.iskeyword(name)
    assert name not in PYDANTIC_MEMBERS
    assert not name.startswith("_")


@given(st.text() | KEYISH)
def test_typescript_names_are_js_identifiers(key: str) -> None:
    """For any key, the TypeScript name is a valid JavaScript identifier."""
    assert JS_IDENTIFIER.fullmatch(TYPESCRIPT.native(key))


@given(st.text() | KEYISH)
def test_words_are_lower_case_ascii(key: str) -> None:
    """For any key, every word is a non-empty run of lower-case ASCII letters and digits."""
    assert all(re.fullmatch(r"[a-z0-9]+", word) for word in words(key))


@given(st.from_regex(r"[a-z][a-z0-9]{0,5}(_[a-z0-9]{1,5}){0,3}", fullmatch=True))
def test_snake_keys_are_never_lossy_in_python(key: str) -> None:
    """A snake_case wire key always comes back from its Python name."""
    assert not PYTHON.is_lossy(key)


@given(st.from_regex(r"[a-z][a-z0-9]{0,5}([A-Z][A-Za-z0-9]{0,5}){1,3}", fullmatch=True))
def test_camel_keys_are_kept_in_typescript(key: str) -> None:
    """A camelCase wire key is its own TypeScript name, and so never lossy."""
    assert (TYPESCRIPT.native(key), TYPESCRIPT.is_lossy(key)) == (key, False)


@given(st.lists(st.text() | KEYISH, max_size=8), st.sampled_from(sorted(CONVENTIONS)))
def test_unique_names_are_unique(keys: list[str], name: str) -> None:
    """For any keys, unique_names gives every distinct key its own native name."""
    names = unique_names(keys, CONVENTIONS[name])
    assert (list(names), len(set(names.values()))) == (list(dict.fromkeys(keys)), len(names))


@pytest.mark.parametrize(
    ("convention", "name", "key", "allowed"),
    [
        ("typescript", "ofPIIRedaction", "OfPIIRedaction", True),
        ("typescript", "modelDBId", "model_db_id", True),
        ("typescript", "modelDbId", "model_db_id", True),
        ("typescript", "model_db_id", "model_db_id", False),
        ("typescript", "ModelDbId", "model_db_id", False),
        ("python", "format_", "format", True),
        ("python", "bytes_", "bytes", True),
        ("python", "schema", "schema", True),
        ("python", "format__", "format", False),
        ("python", "modelDbId", "model_db_id", False),
        ("python", "Format", "format", False),
        ("wire", "a_b", "aB", False),
    ],
)
def test_allowed_spellings(convention: str, name: str, key: str, allowed: bool) -> None:
    """A convention allows its own name, acronym case and a trailing escape underscore only."""
    assert get_convention(convention).allows(name, key) is allowed


def test_allowed_spellings_are_no_naming_divergence() -> None:
    """``ofPIIRedaction`` in TypeScript and ``format_`` in Python keep their conventions."""
    schema = Schema(
        {
            "M": Model(
                "M",
                (
                    Field("OfPIIRedaction", Primitive("string")),
                    Field("format", Primitive("string")),
                ),
            )
        }
    )
    ts = {"ofPIIRedaction": "x", "format": "y"}
    py = {"of_pii_redaction": "x", "format_": "y"}
    assert naming_divergences(schema, "M", ts, get_convention("typescript"), "ts") == []
    assert naming_divergences(schema, "M", py, get_convention("python"), "py") == []
    leaked = {"of_pii_redaction": "x", "format": "y"}
    (divergence,) = naming_divergences(schema, "M", leaked, get_convention("typescript"), "ts")
    assert divergence.right.value == "of_pii_redaction"


def test_an_unknown_input_key_echoed_in_the_native_view_is_no_naming_divergence() -> None:
    """A field's camelCase name sent as an unknown key and kept by a Python SDK is the input's
    own key, not a name the SDK gave the field; the field misnamed still is one."""
    schema = Schema({"M": Model("M", (Field("created_at", Primitive("string")),))})
    python = get_convention("python")
    echoed = {"createdAt": "x"}
    assert naming_divergences(schema, "M", echoed, python, "py", given={"createdAt": "x"}) == []
    (misnamed,) = naming_divergences(schema, "M", echoed, python, "py", given={"created_at": "x"})
    assert (misnamed.path, misnamed.right.value) == (("created_at",), "createdAt")


def test_a_wire_key_kept_beside_the_field_s_own_name_is_no_naming_divergence() -> None:
    """A field held as `self_harm` and also under its wire key `self-harm` (an SDK that copies
    aliased keys into its extras) is named right; the wire key alone is not."""
    schema = Schema({"M": Model("M", (Field("self-harm", Primitive("boolean")),))})
    python = get_convention("python")
    both = {"self_harm": True, "self-harm": True}
    assert naming_divergences(schema, "M", both, python, "py") == []
    (misnamed,) = naming_divergences(schema, "M", {"self-harm": True}, python, "py")
    assert (misnamed.path, misnamed.right.value) == (("self-harm",), "self-harm")


def test_a_union_value_another_member_explains_is_no_naming_divergence() -> None:
    """Snake keys in a union of a model that keeps any key as it came and one that declares
    them: the target may have read the first, so nothing is misnamed; beside a member that
    forbids other keys, the misnaming stands."""
    repo = Model("Repo", (Field("repository_owner", Primitive("string")),))
    custom = Model("Custom", (), additional=AnyValue())
    other = Model("Other", (Field("label", Primitive("string")),), additional=False)
    value = {"properties": {"repository_owner": "x"}}
    typescript = get_convention("typescript")

    def holder(first: str) -> Model:
        union = UnionOf((Ref(first), Ref("Repo")))
        return Model("Holder", (Field("properties", union),))

    open_union = Schema({"Repo": repo, "Custom": custom, "Holder": holder("Custom")})
    assert naming_divergences(open_union, "Holder", value, typescript, "ts") == []
    closed = Schema({"Repo": repo, "Other": other, "Holder": holder("Other")})
    (misnamed,) = naming_divergences(closed, "Holder", value, typescript, "ts")
    assert (misnamed.path, misnamed.right.value) == (
        ("properties", "repository_owner"),
        "repository_owner",
    )
