"""SDK model docs: type expressions, pages, trees, wire names and the schema they make."""

from __future__ import annotations

import inspect
from decimal import Decimal
from pathlib import Path

import pytest

from conformance.exceptions import SchemaError
from conformance.schema import (
    Alias,
    AnyValue,
    ArrayOf,
    Const,
    EnumOf,
    Field,
    MapOf,
    Model,
    Nullable,
    Primitive,
    Problem,
    Ref,
    Schema,
    UnionOf,
)
from conformance.sources.sdkdocs.reader import (
    CodeBlock,
    DocField,
    DocsPage,
    FieldPair,
    UnionMember,
    detect_language,
    docs_schema,
    index_docs,
    pair_fields,
    parse_page,
    parse_page_bytes,
    read_docs_files,
    read_docs_tree,
    schema_from_docs,
    wire_name,
)
from conformance.sources.sdkdocs.type_text import (
    DocLink,
    ParsedType,
    TypeSyntaxError,
    parse_type_cell,
)

DATA = Path(__file__).parent / "data" / "docs"
PY_TREE = DATA / "python"
TS_TREE = DATA / "typescript"
PY_MODELS = PY_TREE / "docs" / "models"
SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"
needs_seeds = pytest.mark.skipif(
    not SEEDS.is_dir(), reason="the seed pages (../shared/seeds) are not in this checkout"
)
STRING = Primitive("string")
DATETIME = Primitive("string", "date-time")


def ambiguous(model, fields):
    """The problem message of a model with uncertain wire keys."""
    count = len(fields.split(", "))
    return (
        f"{model}: the wire keys of {count} field(s) cannot be known from the docs ({fields}); "
        "took the snake_case form"
    )


def broken(name, target):
    """The problem message of a broken link."""
    return f"broken link to {name!r}: {target!r} is not a page of this tree"


def seed_trees():
    """The Python and TypeScript seed pages, each a one-page tree."""
    python, typescript = sorted(SEEDS.iterdir())[:2]
    return read_docs_files([python]), read_docs_files([typescript])


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        pytest.param("*str*", ParsedType(STRING), id="str"),
        pytest.param("*string*", ParsedType(STRING), id="string"),
        pytest.param("*int*", ParsedType(Primitive("integer")), id="int"),
        pytest.param("*float*", ParsedType(Primitive("number")), id="float"),
        pytest.param("*number*", ParsedType(Primitive("number")), id="number"),
        pytest.param("*bool*", ParsedType(Primitive("boolean")), id="bool"),
        pytest.param("*boolean*", ParsedType(Primitive("boolean")), id="boolean"),
        pytest.param("*Any*", ParsedType(AnyValue()), id="Any"),
        pytest.param("*any*", ParsedType(AnyValue()), id="any"),
        pytest.param("*datetime*", ParsedType(DATETIME), id="datetime"),
        pytest.param("*date*", ParsedType(Primitive("string", "date")), id="date"),
        pytest.param("*Date*", ParsedType(DATETIME), id="Date"),
        pytest.param("*Optional[str]*", ParsedType(STRING, optional=True), id="Optional"),
        pytest.param(
            "*OptionalNullable[str]*",
            ParsedType(Nullable(STRING), optional=True),
            id="OptionalNullable",
        ),
        pytest.param("*Nullable[str]*", ParsedType(Nullable(STRING)), id="Nullable"),
        pytest.param("List[*str*]", ParsedType(ArrayOf(STRING)), id="List"),
        pytest.param("*string*[]", ParsedType(ArrayOf(STRING)), id="array-suffix"),
        pytest.param("Dict[str, *Any*]", ParsedType(MapOf(AnyValue())), id="Dict"),
        pytest.param("Record<string, *any*>", ParsedType(MapOf(AnyValue())), id="Record"),
        pytest.param(
            "List[*Optional[str]*]", ParsedType(ArrayOf(Nullable(STRING))), id="nested-Optional"
        ),
        pytest.param(
            "Record<string, Record<string, *boolean*>>",
            ParsedType(MapOf(MapOf(Primitive("boolean")))),
            id="nested-Record",
        ),
        pytest.param("*operations.X*", ParsedType(Ref("operations.X")), id="unlinked-ref"),
        pytest.param('*"text"*', ParsedType(Const("text")), id="string-literal"),
        pytest.param("*false*", ParsedType(Const(False)), id="false"),
        pytest.param("*Literal[False]*", ParsedType(Const(False)), id="Literal"),
        pytest.param('*Literal["a", "b"]*', ParsedType(EnumOf(("a", "b"))), id="Literal-enum"),
        pytest.param(
            "*string* \\| *number*",
            ParsedType(UnionOf((STRING, Primitive("number")), mode="anyOf")),
            id="escaped-union",
        ),
        pytest.param(
            "*Union[str, int]*",
            ParsedType(UnionOf((STRING, Primitive("integer")), mode="anyOf")),
            id="Union",
        ),
        pytest.param("*Union[str, None]*", ParsedType(Nullable(STRING)), id="Union-None"),
        pytest.param(
            "{ [k: string]: components.X }",
            ParsedType(MapOf(Ref("components.X"))),
            id="index-signature",
        ),
        pytest.param(
            "*Union[bytes, IO[bytes], io.IOBase]*",
            ParsedType(
                UnionOf(
                    (
                        Primitive("string", "binary"),
                        Primitive("string", "binary"),
                        Primitive("string", "binary"),
                    ),
                    mode="anyOf",
                )
            ),
            id="file-like",
        ),
        pytest.param(
            "[models.Choice](../models/choice.md)",
            ParsedType(Ref("Choice"), links=(DocLink("Choice", "../models/choice.md"),)),
            id="link",
        ),
        pytest.param(
            "[Optional[models.Usage]](../models/usage.md)",
            ParsedType(
                Ref("Usage"), optional=True, links=(DocLink("Usage", "../models/usage.md"),)
            ),
            id="link-Optional",
        ),
        pytest.param(
            "List[[models.Choice](../models/choice.md)]",
            ParsedType(ArrayOf(Ref("Choice")), links=(DocLink("Choice", "../models/choice.md"),)),
            id="List-of-link",
        ),
        pytest.param(
            "[operations.Choice](../../models/operations/choice.md)[]",
            ParsedType(
                ArrayOf(Ref("operations.Choice")),
                links=(DocLink("operations.Choice", "../../models/operations/choice.md"),),
            ),
            id="link-array",
        ),
        pytest.param(
            "Dict[str, [Nullable[models.Value]](../models/value.md)]",
            ParsedType(
                MapOf(Nullable(Ref("Value"))), links=(DocLink("Value", "../models/value.md"),)
            ),
            id="Dict-of-Nullable-link",
        ),
        pytest.param(
            "[date](https://docs.python.org/3/library/datetime.html#date-objects)",
            ParsedType(DATETIME),
            id="python-date-link-is-datetime",
        ),
        pytest.param(
            "[Date](https://developer.mozilla.org/en-US/docs/Web/JavaScript/Reference/Global_Objects/Date)",
            ParsedType(DATETIME),
            id="mdn-Date-link",
        ),
    ],
)
def test_type_expression(cell, expected):
    """A ``Type`` cell parses into the neutral type, its Optional flag and its links."""
    assert parse_type_cell(cell) == expected


@pytest.mark.parametrize(
    "cell",
    [
        pytest.param("*Frobnicate[str]*", id="unknown-generic"),
        pytest.param("*widget*", id="unknown-lowercase"),
        pytest.param("List[*str*", id="unbalanced"),
        pytest.param("*EventStream<operations.X>*", id="event-stream"),
        pytest.param("", id="empty"),
    ],
)
def test_unreadable_type_expression_raises(cell):
    """A type outside the grammar or vocabulary raises ``TypeSyntaxError``."""
    with pytest.raises(TypeSyntaxError):
        parse_type_cell(cell)


def test_reads_a_python_model_page():
    """Every row of a Python Fields table, with its extra Example column, becomes a ``DocField``."""
    tree = read_docs_tree(PY_TREE)
    page = tree.page("docs/models/chatcompletion.md")
    row = 10
    choice = DocLink("Choice", "../models/choice.md")
    assert page == DocsPage(
        path="docs/models/chatcompletion.md",
        language="python",
        name="ChatCompletion",
        namespace="",
        line=1,
        description="A chat completion returned by the model.",
        fields=(
            DocField(
                "id",
                STRING,
                "*str*",
                True,
                "A unique identifier.",
                row,
                False,
                (),
                (("Example", "abc-123"),),
            ),
            DocField(
                "choices",
                ArrayOf(Ref("Choice")),
                "List[[models.Choice](../models/choice.md)]",
                True,
                "The completion choices.",
                row + 1,
                False,
                (choice,),
                (("Example", ""),),
            ),
            DocField(
                "created",
                Ref("Created"),
                "[Optional[models.Created]](../models/created.md)",
                False,
                "When it was created.",
                row + 2,
                True,
                (DocLink("Created", "../models/created.md"),),
                (("Example", ""),),
            ),
            DocField(
                "created_at",
                DATETIME,
                "[date](https://docs.python.org/3/library/datetime.html#date-objects)",
                False,
                "The creation time.",
                row + 3,
                False,
                (),
                (("Example", ""),),
            ),
            DocField(
                "system_fingerprint",
                Nullable(STRING),
                "*OptionalNullable[str]*",
                False,
                "The backend configuration | build.",
                row + 4,
                True,
                (),
                (("Example", ""),),
            ),
            DocField(
                "from_",
                STRING,
                "*Optional[str]*",
                False,
                "The sender.",
                row + 5,
                True,
                (),
                (("Example", ""),),
            ),
            DocField(
                "format_",
                STRING,
                "*Optional[str]*",
                False,
                "The output format.",
                row + 6,
                True,
                (),
                (("Example", ""),),
            ),
            DocField(
                "usage",
                Ref("Usage"),
                "[Optional[models.Usage]](../models/usage.md)",
                False,
                "Token usage.",
                row + 7,
                True,
                (DocLink("Usage", "../models/usage.md"),),
                (("Example", ""),),
            ),
            DocField(
                "metadata",
                MapOf(AnyValue()),
                "Dict[str, *Any*]",
                False,
                "Free-form metadata.",
                row + 8,
                False,
                (),
                (("Example", ""),),
            ),
            DocField(
                "tags",
                ArrayOf(STRING),
                "List[*str*]",
                True,
                "Tags.",
                row + 9,
                False,
                (),
                (("Example", ""),),
            ),
            DocField(
                "score",
                Nullable(Primitive("integer")),
                "*Nullable[int]*",
                True,
                "A score.",
                row + 10,
                False,
                (),
                (("Example", ""),),
            ),
            DocField(
                "seed",
                Primitive("integer"),
                "*Optional[int]*",
                False,
                "The seed, as used.",
                row + 11,
                True,
                (),
                (("Example", ""),),
            ),
            DocField(
                "stream",
                Const(False),
                "*Literal[False]*",
                True,
                "Never streamed.",
                row + 12,
                False,
                (),
                (("Example", ""),),
            ),
            DocField(
                "python_only",
                Primitive("boolean"),
                "*Optional[bool]*",
                False,
                "Only Python has it.",
                row + 13,
                True,
                (),
                (("Example", ""),),
            ),
            DocField(
                "__pydantic_extra__",
                MapOf(AnyValue()),
                "Dict[str, *Any*]",
                False,
                "N/A",
                row + 14,
                False,
                (),
                (("Example", ""),),
            ),
        ),
        columns=("Field", "Type", "Required", "Description", "Example"),
    )


def test_reads_a_python_enum_bullet_list():
    """A Python ``## Values`` bullet list gives the values as JSON literals."""
    page = read_docs_tree(PY_TREE).page("docs/models/finishreason.md")
    assert (page.kind, page.values, page.examples) == (
        "enum",
        ("stop", "length", "content_filter"),
        (
            CodeBlock(
                "python",
                'from acme.models import FinishReason\nvalue: FinishReason = "stop"',
                8,
            ),
        ),
    )


def test_enum_values_keep_number_tokens():
    """Numeric enum values stay exact: ``1`` is an int, ``2.50`` a Decimal of that token."""
    page = read_docs_tree(PY_TREE).page("docs/models/pythononly.md")
    assert page.values == (1, Decimal("2.50"))


def test_reads_an_enum_values_table():
    """A ``Name | Value`` table gives the Value column."""
    page = read_docs_tree(PY_TREE).page("docs/models/role.md")
    assert page.values == ("user", "assistant")


def test_reads_a_typescript_enum_union_line():
    """A TypeScript ``## Values`` code block of literals gives the values."""
    page = read_docs_tree(TS_TREE).page("docs/models/operations/finishreason.md")
    assert (page.kind, page.namespace, page.values) == (
        "enum",
        "operations",
        ("stop", "length", "tool_calls"),
    )


def test_reads_union_members_with_their_examples():
    """``## Supported Types`` gives one member per ``###`` heading, with its code block."""
    page = read_docs_tree(TS_TREE).page("docs/models/operations/created.md")
    assert (page.kind, page.description, page.members) == (
        "union",
        "When it was created.",
        (
            UnionMember(
                STRING, "string", 8, CodeBlock("typescript", 'const value: string = "<value>";', 11)
            ),
            UnionMember(
                Primitive("number"),
                "number",
                14,
                CodeBlock("typescript", "const value: number = 1284.03;", 17),
            ),
        ),
    )


def test_iterating_a_tree_parses_lazily():
    """Iterating a tree is a generator that yields one page per file, in file order."""
    tree = read_docs_tree(TS_TREE)
    pages = iter(tree)
    assert (inspect.isgenerator(pages), [p.path for p in pages]) == (True, list(tree.files))


def test_finds_the_models_folder_from_any_root():
    """The repository, its docs folder and docs/models itself list the same pages."""
    names = [
        [p.name for p in read_docs_tree(root)]
        for root in (TS_TREE, TS_TREE / "docs", TS_TREE / "docs" / "models")
    ]
    assert names[0] == names[1] == names[2]


def test_detects_the_language_of_each_tree():
    """A tree's language comes from its pages: Python ``*str*``, TypeScript ``*string*``."""
    assert (read_docs_tree(PY_TREE).language, read_docs_tree(TS_TREE).language) == (
        "python",
        "typescript",
    )


def test_detects_the_language_from_the_layout_when_pages_say_nothing(tmp_path):
    """Without telling pages, namespace folders mean TypeScript and a flat folder Python."""
    (tmp_path / "ts" / "components").mkdir(parents=True)
    (tmp_path / "py").mkdir()
    (tmp_path / "ts" / "components" / "a.md").write_text("# A\n")
    (tmp_path / "py" / "a.md").write_text("# A\n")
    assert (
        detect_language([str(tmp_path / "ts" / "components" / "a.md")], str(tmp_path / "ts")),
        detect_language([str(tmp_path / "py" / "a.md")], str(tmp_path / "py")),
    ) == ("typescript", "python")


def test_missing_root_raises_schema_error(tmp_path):
    """A docs root that is not a folder cannot be read at all."""
    with pytest.raises(SchemaError):
        read_docs_tree(tmp_path / "nowhere")


def test_broken_pages_become_problems_with_file_and_line():
    """Empty, non-UTF-8, ragged, untitled and section-less pages are problems, not errors."""
    tree = read_docs_tree(PY_TREE)
    paths = [p for p in tree.files if "/broken" in p]
    assert [problem for path in paths for problem in tree.page(path).problems] == [
        Problem(
            "docs/models/brokenempty.md:1", "empty page", "a docs page starts with '# ModelName'"
        ),
        Problem(
            "docs/models/brokenfence.md:5",
            "code block never closed",
            "close it with the same fence",
        ),
        Problem(
            "docs/models/brokenfence.md:1",
            "no Fields, Values or Supported Types section",
            "the page is not read as a model, an enum or a union",
        ),
        Problem(
            "docs/models/brokenlatin1.md:7",
            "not UTF-8: byte 0xe9 at offset 147",
            "the page was read with the bad bytes replaced",
        ),
        Problem(
            "docs/models/brokennosection.md:1",
            "no Fields, Values or Supported Types section",
            "the page is not read as a model, an enum or a union",
        ),
        Problem(
            "docs/models/brokennotitle.md:1",
            "no '# ModelName' title",
            "the page is not read as a definition",
        ),
        Problem("docs/models/brokentable.md:7", "the row has 2 cells, the header has 4"),
        Problem("docs/models/brokentable.md:8", "the row has 5 cells, the header has 4"),
        Problem(
            "docs/models/brokentable.md:9",
            "unknown type expression: unknown type 'Frobnicate' in 'Frobnicate[str]'",
            "read as any value",
        ),
        Problem(
            "docs/models/brokentable.md:10",
            "unknown type expression: unknown type 'widget' in 'widget'",
            "read as any value",
        ),
        Problem(
            "docs/models/brokentable.md:11",
            broken("Missing", "../models/missing.md"),
        ),
        Problem("docs/models/brokentable.md:12", "unknown Required flag 'maybe' of field 'maybe'"),
        Problem("docs/models/brokentable.md:13", "a Fields row with no field name"),
    ]


def test_a_ragged_page_keeps_its_readable_rows():
    """Parsing goes on past bad rows: every named row is kept, unknown types as any value."""
    page = read_docs_tree(PY_TREE).page("docs/models/brokentable.md")
    assert [(f.name, f.type, f.required) for f in page.fields or ()] == [
        ("short", STRING, False),
        ("long", STRING, True),
        ("odd", AnyValue(), True),
        ("lower", AnyValue(), False),
        ("linked", Ref("Missing"), True),
        ("maybe", STRING, False),
    ]


def test_non_utf8_page_is_read_with_replacement():
    """The bad byte becomes U+FFFD and the rest of the page is read."""
    page = read_docs_tree(PY_TREE).page("docs/models/brokenlatin1.md")
    assert [(f.name, f.description) for f in page.fields or ()] == [("name", "Caf\ufffd au lait")]


def test_parse_page_bytes_reports_the_line_of_a_bad_byte():
    """The problem names the line the first undecodable byte is on."""
    page = parse_page_bytes(b'# A\n\n## Values\n\n- `"x\xff"`\n', path="a.md", language="python")
    assert page.problems[0] == Problem(
        "a.md:5",
        "not UTF-8: byte 0xff at offset 21",
        "the page was read with the bad bytes replaced",
    )


def test_table_without_separator_is_a_problem():
    """A Fields table with no ``| --- |`` row is read, and said to be malformed."""
    page = parse_page(
        "# A\n\n## Fields\n\n| Field | Type | Required | Description |\n"
        "| `a` | *str* | :heavy_check_mark: | N/A |\n",
        path="a.md",
        language="python",
    )
    assert (page.problems, [f.name for f in page.fields or ()]) == (
        (Problem("a.md:6", "the Fields table has no separator row after its header"),),
        ["a"],
    )


def test_deprecated_names_lose_their_strike_through():
    """``# ~~Name~~`` and ``~~`field`~~`` (deprecated) are read as ``Name`` and ``field``."""
    page = parse_page(
        "# ~~Old~~\n\n## Fields\n\n| Field | Type | Required | Description |\n"
        "| --- | --- | --- | --- |\n| ~~`contact`~~ | *str* | \u2796 | N/A |\n",
        path="a.md",
        language="python",
    )
    assert (page.name, [f.name for f in page.fields or ()]) == ("Old", ["contact"])


def test_index_qualifies_names_that_are_in_two_namespaces():
    """``AndEq`` is in components and operations, so both get ``namespace.Name`` keys."""
    index = index_docs(read_docs_tree(TS_TREE))
    assert sorted(index.pages) == [
        "ApiKey",
        "BrokenExample",
        "ChatCompletion",
        "Choice",
        "Created",
        "ErrorT",
        "FinishReason",
        "Role",
        "TsOnly",
        "Usage",
        "components.AndEq",
        "operations.AndEq",
    ]


@pytest.mark.parametrize(
    ("python", "typescript", "expected"),
    [
        pytest.param("id", "id", ("id", True), id="one-word"),
        pytest.param("from_", "from", ("from", True), id="keyword-escape"),
        pytest.param("format_", "format", ("format", True), id="extra-escape"),
        pytest.param("api_key_id", "apiKeyID", ("apiKeyID", True), id="acronym-decides"),
        pytest.param(
            "system_fingerprint", "systemFingerprint", ("system_fingerprint", False), id="ambiguous"
        ),
        pytest.param("system_fingerprint", None, ("system_fingerprint", False), id="python-only"),
        pytest.param(None, "model", ("model", True), id="typescript-only-one-word"),
        pytest.param(
            "systemFingerprint",
            "systemFingerprint",
            ("systemFingerprint", False),
            id="off-convention",
        ),
    ],
)
def test_wire_name(python, typescript, expected):
    """The wire key behind a pair of native names, and whether the docs make it certain."""
    assert wire_name(python, typescript) == expected


def test_pair_fields_through_the_conventions():
    """Fields pair by convention and by words; one-sided ones come last."""

    def row(name):
        return DocField(name, STRING, "*str*", True)

    python = [row("from_"), row("address_line_2"), row("only_here")]
    typescript = [row("addressLine2"), row("from"), row("onlyThere")]
    assert pair_fields(python, typescript) == [
        FieldPair("from", True, row("from_"), row("from")),
        FieldPair("address_line_2", True, row("address_line_2"), row("addressLine2")),
        FieldPair("only_here", False, row("only_here"), None),
        FieldPair("onlyThere", False, None, row("onlyThere")),
    ]


def test_schema_from_both_trees_merges_a_page_pair():
    """A paired model takes Python's types and names, and TypeScript's extra fields."""
    schema = schema_from_docs(PY_TREE, TS_TREE)
    assert schema["ChatCompletion"] == Model(
        "ChatCompletion",
        (
            Field("id", STRING, True, description="A unique identifier."),
            Field("choices", ArrayOf(Ref("Choice")), True, description="The completion choices."),
            Field("created", Ref("Created"), False, description="When it was created."),
            Field("created_at", DATETIME, False, description="The creation time."),
            Field(
                "system_fingerprint",
                Nullable(STRING),
                False,
                description="The backend configuration | build.",
            ),
            Field("from", STRING, False, description="The sender."),
            Field("format", STRING, False, description="The output format."),
            Field("usage", Ref("Usage"), False, description="Token usage."),
            Field("metadata", MapOf(AnyValue()), False, description="Free-form metadata."),
            Field("tags", ArrayOf(STRING), True, description="Tags."),
            Field("score", Nullable(Primitive("integer")), True, description="A score."),
            Field("seed", Primitive("integer"), False, description="The seed, as used."),
            Field("stream", Const(False), True, description="Never streamed."),
            Field("python_only", Primitive("boolean"), False, description="Only Python has it."),
            Field("ts_only", Primitive("boolean"), False, description="Only TypeScript has it."),
        ),
        additional=AnyValue(),
        description="A chat completion returned by the model.",
        source="docs/models/chatcompletion.md",
    )


def test_schema_from_both_trees_names_every_definition():
    """Pairs take the Python name; TypeScript-only pages keep their key, renamed refs follow."""
    schema = schema_from_docs(PY_TREE, TS_TREE)
    assert (
        list(schema.definitions),
        schema["operations.AndEq"],
        schema["APIKey"],
    ) == (
        [
            "AndEq",
            "APIKey",
            "Latin",
            "BrokenTable",
            "ChatCompletion",
            "Choice",
            "Created",
            "Error",
            "FinishReason",
            "PythonOnly",
            "Role",
            "Usage",
            "TsOnly",
            "operations.AndEq",
            "BrokenExample",
        ],
        Model(
            "operations.AndEq",
            (Field("eq", Ref("AndEq"), True, description="N/A"),),
            description="Equal to",
            source="docs/models/operations/andeq.md",
        ),
        Model(
            "APIKey",
            (
                Field("apiKeyID", STRING, True, description="The key's id."),
                Field("role", Ref("Role"), True, description="Who uses the key."),
            ),
            source="docs/models/apikey.md",
        ),
    )


def test_schema_problems_include_unresolved_refs_and_ambiguous_wire_keys():
    """Each tree's problems, unresolved unlinked refs and one ambiguity problem per model."""
    schema = schema_from_docs(PY_TREE, TS_TREE)
    hint = "an OpenAPI document names the wire keys for sure"
    assert [p for p in schema.problems if "brokentable" not in p.location] == [
        Problem(
            "docs/models/brokenempty.md:1", "empty page", "a docs page starts with '# ModelName'"
        ),
        Problem(
            "docs/models/brokenfence.md:5",
            "code block never closed",
            "close it with the same fence",
        ),
        Problem(
            "docs/models/brokenfence.md:1",
            "no Fields, Values or Supported Types section",
            "the page is not read as a model, an enum or a union",
        ),
        Problem(
            "docs/models/brokenlatin1.md:7",
            "not UTF-8: byte 0xe9 at offset 147",
            "the page was read with the bad bytes replaced",
        ),
        Problem(
            "docs/models/brokennosection.md:1",
            "no Fields, Values or Supported Types section",
            "the page is not read as a model, an enum or a union",
        ),
        Problem(
            "docs/models/brokennotitle.md:1",
            "no '# ModelName' title",
            "the page is not read as a definition",
        ),
        Problem(
            "docs/models/choice.md:11",
            "'Logprobs' names no page of the python docs",
            "read as any value",
        ),
        Problem(
            "docs/models/operations/choice.md:23",
            "'operations.Logprobs' names no page of the typescript docs",
            "read as any value",
        ),
        Problem(
            "docs/models/chatcompletion.md:1",
            ambiguous("ChatCompletion", "created_at, system_fingerprint, python_only, ts_only"),
            hint,
        ),
        Problem(
            "docs/models/choice.md:1",
            ambiguous("Choice", "finish_reason"),
            hint,
        ),
        Problem(
            "docs/models/usage.md:1",
            ambiguous("Usage", "prompt_tokens, completion_tokens, total_tokens"),
            hint,
        ),
    ]


def test_schema_from_one_typescript_tree_uses_its_own_names():
    """Alone, a TypeScript tree keeps camelCase keys and its own enum and union definitions."""
    schema = docs_schema(typescript=read_docs_tree(TS_TREE))
    assert (schema["Usage"], schema["FinishReason"], schema["components.AndEq"]) == (
        Model(
            "Usage",
            (
                Field(
                    "promptTokens", Primitive("number"), True, description="Tokens in the prompt."
                ),
                Field(
                    "completionTokens",
                    Primitive("number"),
                    True,
                    description="Tokens in the completion.",
                ),
                Field("totalTokens", Primitive("number"), False, description="Tokens in all."),
            ),
            source="docs/models/components/usage.md",
        ),
        Alias(
            "FinishReason",
            EnumOf(("stop", "length", "tool_calls")),
            "Why the model stopped.",
            "docs/models/operations/finishreason.md",
        ),
        Alias(
            "components.AndEq",
            UnionOf((STRING, Primitive("number")), mode="anyOf"),
            "",
            "docs/models/components/andeq.md",
        ),
    )


def test_no_tree_gives_an_empty_schema():
    """Without trees there is nothing to read."""
    assert docs_schema() == Schema()


@needs_seeds
def test_seed_pages_parse():
    """The two seed pages read as the same model, with links to pages that are not there."""
    python, typescript = seed_trees()
    py_page, ts_page = next(iter(python)), next(iter(typescript))
    assert (
        (py_page.language, py_page.name, [f.name for f in py_page.fields or ()]),
        (ts_page.language, ts_page.name, [f.name for f in ts_page.fields or ()]),
        [p.message for p in (*py_page.problems, *ts_page.problems)],
    ) == (
        (
            "python",
            "PostV2ProxyCompletionsData",
            ["id", "choices", "created", "model", "system_fingerprint", "object", "usage"],
        ),
        (
            "typescript",
            "PostV2ProxyCompletionsData",
            ["id", "choices", "created", "model", "systemFingerprint", "object", "usage"],
        ),
        [
            broken(
                "PostV2ProxyCompletionsProxyChoices",
                "../models/postv2proxycompletionsproxychoices.md",
            ),
            broken("PostV2ProxyCompletionsCreated", "../models/postv2proxycompletionscreated.md"),
            broken(
                "PostV2ProxyCompletionsProxyUsage", "../models/postv2proxycompletionsproxyusage.md"
            ),
            broken(
                "operations.PostV2ProxyCompletionsProxyChoices",
                "../../models/operations/postv2proxycompletionsproxychoices.md",
            ),
            broken(
                "operations.PostV2ProxyCompletionsProxyUsage",
                "../../models/operations/postv2proxycompletionsproxyusage.md",
            ),
        ],
    )


@needs_seeds
def test_seed_schema():
    """The seeds make one model; missing pages make its refs any values."""
    schema = docs_schema(*seed_trees())
    python_seed = sorted(p.name for p in SEEDS.iterdir())[0]
    assert schema["PostV2ProxyCompletionsData"] == Model(
        "PostV2ProxyCompletionsData",
        (
            Field("id", STRING, True, description="A unique identifier for the completion."),
            Field(
                "choices",
                ArrayOf(AnyValue()),
                True,
                description="The list of completion choices the model generated for the "
                "input prompt.",
            ),
            Field(
                "created",
                AnyValue(),
                False,
                description="The Unix timestamp (in seconds) of when the chat completion "
                "was created.",
            ),
            Field("model", STRING, True, description="The model used for the chat completion."),
            Field(
                "system_fingerprint",
                STRING,
                False,
                description="This fingerprint represents the backend configuration that the "
                "model runs with.",
            ),
            Field("object", STRING, True, description="The object type"),
            Field(
                "usage",
                AnyValue(),
                False,
                description="Usage statistics for the completion request.",
            ),
        ),
        source=python_seed,
    )
