"""Example Usage blocks of TypeScript docs as wire-format test cases."""

from __future__ import annotations

import json
from decimal import Decimal
from importlib import resources
from pathlib import Path

import jsonschema
import pytest

from conformance.core import jsonwire
from conformance.schema import Field, Model, Primitive, Problem, Ref, Schema, UnionOf
from conformance.sources.sdkdocs.examples import (
    JsSyntaxError,
    PageExamples,
    case_file,
    docs_cases,
    example_cases,
    example_value,
    parse_js_value,
)
from conformance.sources.sdkdocs.reader import CodeBlock, docs_schema, parse_page, read_docs_files

DATA = Path(__file__).parent / "data" / "docs"
PY_TREE = DATA / "python"
TS_TREE = DATA / "typescript"
SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param('{ a: "x", "b-c": 1, }', {"a": "x", "b-c": 1}, id="object-trailing-comma"),
        pytest.param("[1, [2, 3,], ]", [1, [2, 3]], id="arrays"),
        pytest.param("4113.95", Decimal("4113.95"), id="decimal"),
        pytest.param("1.50", Decimal("1.50"), id="decimal-keeps-zero"),
        pytest.param("1e3", Decimal("1e3"), id="exponent"),
        pytest.param("9007199254740993", 9007199254740993, id="big-int"),
        pytest.param("-7", -7, id="negative"),
        pytest.param("0x1F", 31, id="hex"),
        pytest.param("1_000", 1000, id="separators"),
        pytest.param("'it\\'s'", "it's", id="single-quotes"),
        pytest.param('"a\\nb\\u00e9"', "a\nb\u00e9", id="escapes"),
        pytest.param("`plain`", "plain", id="template-without-substitution"),
        pytest.param("[true, false, null]", [True, False, None], id="constants"),
        pytest.param("{ a: undefined, b: 1 }", {"b": 1}, id="undefined-dropped"),
        pytest.param('new Date("2023-01-01T00:00:00Z")', "2023-01-01T00:00:00Z", id="Date"),
        pytest.param('new RFCDate("2023-01-01")', "2023-01-01", id="RFCDate"),
        pytest.param("{ // a comment\n a: /* inline */ 1 }", {"a": 1}, id="comments"),
        pytest.param("{ a: 1 };", {"a": 1}, id="semicolon"),
    ],
)
def test_parse_js_value(text, expected):
    """The JavaScript literal subset parses into JSON values with exact number tokens."""
    value = parse_js_value(text)
    assert (value, jsonwire.same(value, expected)) == (expected, True)


@pytest.mark.parametrize(
    ("text", "message", "line"),
    [
        pytest.param(
            "{\n  a: someVariable,\n}", "'someVariable' is not a literal value", 2, id="variable"
        ),
        pytest.param("{ a: 1", "the example ends too soon", 1, id="unclosed"),
        pytest.param('new Blob(["x"])', "'new Blob(...)' is not a JSON value", 1, id="new-other"),
        pytest.param("`a ${b}`", "cannot read '`a ${b}`'", 1, id="template-substitution"),
        pytest.param("[1,,2]", "an array with a hole", 1, id="hole"),
        pytest.param(
            "{ ...rest }", "unexpected '...' where a property name belongs", 1, id="spread"
        ),
        pytest.param("1 2", "unexpected '2' after the value", 1, id="trailing"),
    ],
)
def test_parse_js_value_refuses_what_is_not_a_literal(text, message, line):
    """Code outside the subset raises ``JsSyntaxError`` with its line."""
    with pytest.raises(JsSyntaxError) as caught:
        parse_js_value(text)
    assert (str(caught.value), caught.value.line) == (message, line)


def test_example_value_skips_imports_and_the_type_annotation():
    """The value is what ``let value: Type = ...`` assigns, past imports and generics."""
    block = CodeBlock(
        "typescript",
        'import { X } from "@acme/sdk/models/operations";\n\n'
        "let value:\n  Record<string, components.X[]> =\n    { a: [] };",
        1,
    )
    assert example_value(block) == {"a": []}


def test_example_value_of_a_block_without_assignment_is_none():
    """A block with no assignment (``// No examples available``) gives no value."""
    assert (
        example_value(CodeBlock("typescript", "// No examples available for this model", 1)) is None
    )


def test_cases_from_hand_written_trees():
    """Each TypeScript model example becomes one response case, its keys renamed to wire keys."""
    found = list(docs_cases(PY_TREE, TS_TREE))
    assert found == [
        PageExamples(
            "docs/models/components/usage.md",
            "Usage",
            (
                {
                    "id": "docs-Usage-example-1",
                    "model": "Usage",
                    "direction": "response",
                    "wire": {"prompt_tokens": 10, "completion_tokens": 20},
                    "description": "from docs/models/components/usage.md Example Usage",
                },
            ),
        ),
        PageExamples(
            "docs/models/operations/andeq.md",
            "operations.AndEq",
            (
                {
                    "id": "docs-operations.AndEq-example-1",
                    "model": "operations.AndEq",
                    "direction": "response",
                    "wire": {"eq": "<value>"},
                    "description": "from docs/models/operations/andeq.md Example Usage",
                },
            ),
        ),
        PageExamples(
            "docs/models/operations/brokenexample.md",
            "BrokenExample",
            (),
            (
                Problem(
                    "docs/models/operations/brokenexample.md:10",
                    "unreadable example: 'someVariable' is not a literal value",
                    "no case made",
                ),
            ),
        ),
        PageExamples(
            "docs/models/operations/chatcompletion.md",
            "ChatCompletion",
            (
                {
                    "id": "docs-ChatCompletion-example-1",
                    "model": "ChatCompletion",
                    "direction": "response",
                    "wire": {
                        "id": "<id>",
                        "choices": [
                            {
                                "finish_reason": "stop",
                                "index": Decimal("4113.95"),
                                "text": 'it\'s "quoted"',
                                "logprobs": None,
                            }
                        ],
                        "created_at": "2024-07-09T19:24:40.889Z",
                        "metadata": {
                            "someKey": "<value>",
                            "nestedKey": {"innerKey": Decimal("1.50")},
                        },
                        "tags": [],
                        "score": "7",
                        "seed": 9007199254740993,
                        "stream": False,
                        "extraThing": Decimal("1e3"),
                    },
                    "description": "from docs/models/operations/chatcompletion.md Example Usage",
                },
            ),
        ),
        PageExamples(
            "docs/models/operations/choice.md",
            "Choice",
            (
                {
                    "id": "docs-Choice-example-1",
                    "model": "Choice",
                    "direction": "response",
                    "wire": {
                        "finish_reason": "length",
                        "index": 0,
                        "text": "<value>",
                        "logprobs": -1,
                    },
                    "description": "from docs/models/operations/choice.md Example Usage",
                },
            ),
            (
                Problem(
                    "docs/models/operations/choice.md:6",
                    "Choice: 'logProbs' is no field's camelCase name; "
                    "guessed the wire key 'logprobs' by its words",
                    "check it in the case file",
                ),
            ),
        ),
    ]


def test_an_unknown_property_is_a_problem_and_kept():
    """A property no field has (and no extras bucket takes) stays as written, with a problem."""
    schema = Schema({"M": Model("M", (Field("known_key", Primitive("string")),))})
    page = _page("M", "let value: M = { knownKey: 'a', otherKey: 1 };")
    assert list(example_cases([page], schema)) == [
        PageExamples(
            "m.md",
            "M",
            (
                {
                    "id": "docs-M-example-1",
                    "model": "M",
                    "direction": "response",
                    "wire": {"known_key": "a", "otherKey": 1},
                    "description": "from m.md Example Usage",
                },
            ),
            (Problem("m.md:6", "'otherKey' is not a field of M", "kept as written"),),
        )
    ]


def test_union_members_are_chosen_by_their_fields():
    """An object under a union is renamed as the first member model holding all its properties."""
    schema = Schema(
        {
            "M": Model("M", (Field("part", UnionOf((Ref("A"), Ref("B")), mode="anyOf")),)),
            "A": Model("A", (Field("a_key", Primitive("string")),)),
            "B": Model(
                "B", (Field("b_key", Primitive("string")), Field("b_other", Primitive("string")))
            ),
        }
    )
    page = _page("M", "let value: M = { part: { bKey: 'x', bOther: 'y' } };")
    assert [r.cases[0]["wire"] for r in example_cases([page], schema)] == [
        {"part": {"b_key": "x", "b_other": "y"}}
    ]


def test_a_page_the_schema_lacks_is_a_problem():
    """Examples of a page with no model in the schema make a problem, not a case."""
    page = _page("Ghost", "let value: Ghost = {};")
    assert list(example_cases([page], Schema())) == [
        PageExamples(
            "m.md", "Ghost", (), (Problem("m.md:1", "'Ghost': the schema has no definition"),)
        )
    ]


def test_case_file_validates_against_the_shipped_schema():
    """The case file made from the examples is valid against ``cases.schema.json``."""
    document = case_file(docs_cases(PY_TREE, TS_TREE))
    shipped = resources.files("conformance") / "schemas" / "cases.schema.json"
    schema = json.loads(shipped.read_text(encoding="utf-8"))
    jsonschema.validate(jsonwire.loads(jsonwire.dumps(document)), schema)
    assert [case["id"] for case in document["tests"]] == [
        "docs-Usage-example-1",
        "docs-operations.AndEq-example-1",
        "docs-ChatCompletion-example-1",
        "docs-Choice-example-1",
    ]


@pytest.mark.skipif(not SEEDS.is_dir(), reason="the seed pages (../shared/seeds) are not here")
def test_seed_example():
    """The TypeScript seed's example is a case; nested keys of the missing page stay camelCase."""
    python, typescript = (read_docs_files([p]) for p in sorted(SEEDS.iterdir())[:2])
    ts_name = typescript.files[0]
    assert list(example_cases(typescript, docs_schema(python, typescript))) == [
        PageExamples(
            ts_name,
            "PostV2ProxyCompletionsData",
            (
                {
                    "id": "docs-PostV2ProxyCompletionsData-example-1",
                    "model": "PostV2ProxyCompletionsData",
                    "direction": "response",
                    "wire": {
                        "id": "<id>",
                        "choices": [
                            {"finishReason": "stop", "index": Decimal("4113.95"), "text": "<value>"}
                        ],
                        "model": "Charger",
                        "object": "<value>",
                    },
                    "description": f"from {ts_name} Example Usage",
                },
            ),
            (
                Problem(
                    f"{ts_name}:6",
                    "PostV2ProxyCompletionsData.choices is of no known model (any value), "
                    "so its keys stay as written: finishReason",
                    "kept as written",
                ),
            ),
        )
    ]


def _page(name, code):
    """A one-example TypeScript model page (the code is on line 6)."""
    return parse_page(
        f"# {name}\n\n## Example Usage\n\n```typescript\n{code}\n```\n\n## Fields\n\n"
        "| Field | Type | Required | Description |\n| --- | --- | --- | --- |\n",
        path="m.md",
        language="typescript",
    )
