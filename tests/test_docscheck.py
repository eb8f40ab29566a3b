"""Cross-checking the model docs of a Python and a TypeScript SDK."""

from __future__ import annotations

import inspect
from pathlib import Path

import pytest

from conformance.comparison.docs_check import (
    PagePairResult,
    UnpairedPage,
    check_docs,
    check_docs_roots,
)
from conformance.core.divergence import Divergence, Side
from conformance.schema import Problem
from conformance.sources.sdkdocs.reader import read_docs_files, read_docs_tree

DATA = Path(__file__).parent / "data" / "docs"
PY_TREE = DATA / "python"
TS_TREE = DATA / "typescript"
SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"
PY = ("docs-python",)
TS = ("docs-typescript",)
HEADER = "| Field | Type | Required | Description |\n| --- | --- | --- | --- |\n"


def broken(name, target):
    """The problem message of a broken link."""
    return f"broken link to {name!r}: {target!r} is not a page of this tree"


def results():
    """Every result of cross-checking the hand-written trees."""
    return list(check_docs_roots(PY_TREE, TS_TREE))


def pair_named(name):
    """The result of the page pair whose Python page is ``name``."""
    return next(r for r in results() if isinstance(r, PagePairResult) and r.python_name == name)


def divergence(path, kind, left, right, detail="", **options):
    """A divergence with the docs sides."""
    severity = options.pop("severity", "fail")
    return Divergence(
        path,
        kind,
        Side(PY, left, options.pop("left_present", True)),
        Side(TS, right, options.pop("right_present", True)),
        severity,
        detail,
    )


def check_rows(tmp_path, python_rows, typescript_rows, *, ts_page=None):
    """Cross-check one page pair made of Fields rows, beside a few enum and model pages."""
    py_models = tmp_path / "py" / "docs" / "models"
    ts_models = tmp_path / "ts" / "docs" / "models" / "components"
    py_models.mkdir(parents=True)
    ts_models.mkdir(parents=True)
    (py_models / "thing.md").write_text("# Thing\n\n## Fields\n\n" + HEADER + python_rows)
    (ts_models / "thing.md").write_text(
        ts_page or "# Thing\n\n## Fields\n\n" + HEADER + typescript_rows
    )
    (py_models / "color.md").write_text('# Color\n\n## Values\n\n- `"red"`\n- `"green"`\n')
    (ts_models / "color.md").write_text(
        '# Color\n\n## Values\n\n```typescript\n"green" | "red"\n```\n'
    )
    (py_models / "kind.md").write_text('# Kind\n\n## Values\n\n- `"text"`\n')
    (py_models / "either.md").write_text(
        "# Either\n\n## Supported Types\n\n### `str`\n\n### `models.Color`\n"
    )
    (ts_models / "other.md").write_text("# Other\n\n## Fields\n\n" + HEADER)
    found = list(check_docs(read_docs_tree(tmp_path / "py"), read_docs_tree(tmp_path / "ts")))
    return next(r for r in found if isinstance(r, PagePairResult) and r.python_name == "Thing")


def test_results_stream():
    """``check_docs`` is a generator: results come one at a time."""
    assert inspect.isgenerator(check_docs(read_docs_tree(PY_TREE), read_docs_tree(TS_TREE)))


def test_pages_pair_by_tolerant_names():
    """Pairs cover exact names, acronyms, the ``T`` suffix and a name in two namespaces."""
    assert [
        (r.python_name, r.typescript_name, r.typescript_path)
        for r in results()
        if isinstance(r, PagePairResult)
    ] == [
        ("AndEq", "AndEq", "docs/models/components/andeq.md"),
        ("APIKey", "ApiKey", "docs/models/components/apikey.md"),
        ("ChatCompletion", "ChatCompletion", "docs/models/operations/chatcompletion.md"),
        ("Choice", "Choice", "docs/models/operations/choice.md"),
        ("Created", "Created", "docs/models/operations/created.md"),
        ("Error", "ErrorT", "docs/models/errors/errort.md"),
        ("FinishReason", "FinishReason", "docs/models/operations/finishreason.md"),
        ("Role", "Role", "docs/models/components/role.md"),
        ("Usage", "Usage", "docs/models/components/usage.md"),
    ]


def test_unpaired_pages_come_with_their_problems():
    """Pages without a pair, broken pages included, are reported with their problems."""
    unpaired = [r for r in results() if isinstance(r, UnpairedPage)]
    assert [(r.side, r.name, r.path, len(r.problems)) for r in unpaired] == [
        ("python", "", "docs/models/brokenempty.md", 1),
        ("python", "BrokenFence", "docs/models/brokenfence.md", 2),
        ("python", "Latin", "docs/models/brokenlatin1.md", 1),
        ("python", "NoSection", "docs/models/brokennosection.md", 1),
        ("python", "", "docs/models/brokennotitle.md", 1),
        ("python", "BrokenTable", "docs/models/brokentable.md", 7),
        ("python", "PythonOnly", "docs/models/pythononly.md", 0),
        ("typescript", "TsOnly", "docs/models/components/tsonly.md", 0),
        ("typescript", "operations.AndEq", "docs/models/operations/andeq.md", 0),
        ("typescript", "BrokenExample", "docs/models/operations/brokenexample.md", 0),
    ]


def test_model_pair_divergences():
    """Naming, required, type, description, missing and extra fields of one pair, in field order."""
    assert pair_named("ChatCompletion") == PagePairResult(
        "ChatCompletion",
        "docs/models/chatcompletion.md",
        "ChatCompletion",
        "docs/models/operations/chatcompletion.md",
        (
            divergence(
                ("format",),
                "naming",
                "format_",
                "format",
                "python escapes 'format' as 'format_'; the convention does not",
                severity="note",
            ),
            divergence(("tags",), "required", True, False),
            divergence(("score",), "type", "*Nullable[int]*", "*string*", "integer vs string"),
            divergence(("seed",), "description", "The seed, as used.", "The seed as used."),
            divergence(("python_only",), "missing", "python_only", None, right_present=False),
            divergence(("ts_only",), "extra", None, "ts_only", left_present=False),
            divergence(
                ("ts_only",),
                "naming",
                None,
                "ts_only",
                "typescript names wire key 'ts_only' 'tsOnly', the docs say 'ts_only'",
                left_present=False,
            ),
        ),
    )


def test_unresolved_refs_are_problems_of_the_pair():
    """A reference to a page no tree has is a problem of the page pair, not a divergence."""
    assert pair_named("Choice") == PagePairResult(
        "Choice",
        "docs/models/choice.md",
        "Choice",
        "docs/models/operations/choice.md",
        (),
        (
            Problem(
                "docs/models/choice.md:11",
                "'Logprobs' names no page of the python docs",
                "compared by name only",
            ),
            Problem(
                "docs/models/operations/choice.md:23",
                "'operations.Logprobs' names no page of the typescript docs",
                "compared by name only",
            ),
        ),
    )


def test_enum_values_that_differ():
    """An enum pair whose value sets differ is one ``enum`` divergence at the page."""
    assert pair_named("FinishReason").divergences == (
        divergence(
            (),
            "enum",
            ["stop", "length", "content_filter"],
            ["stop", "length", "tool_calls"],
            "python only ['content_filter']; typescript only ['tool_calls']",
        ),
    )


def test_corresponding_pages_have_no_divergences():
    """Unions, value tables, acronym and ``T``-suffix pairs that agree report nothing."""
    assert {
        r.python_name: r.divergences
        for r in results()
        if isinstance(r, PagePairResult)
        and r.python_name in ("AndEq", "APIKey", "Created", "Error", "Role", "Usage")
    } == dict.fromkeys(("AndEq", "APIKey", "Created", "Error", "Role", "Usage"), ())


@pytest.mark.parametrize(
    ("python", "typescript"),
    [
        pytest.param("*str*", "*string*", id="string"),
        pytest.param("*int*", "*number*", id="int-number"),
        pytest.param("*float*", "*number*", id="float-number"),
        pytest.param("*bool*", "*boolean*", id="boolean"),
        pytest.param("*Any*", "*any*", id="any"),
        pytest.param(
            "[date](https://docs.python.org/3/library/datetime.html#date-objects)",
            "[Date](https://developer.mozilla.org/Date)",
            id="datetime-Date",
        ),
        pytest.param("*date*", "*string*", id="date-string"),
        pytest.param("*date*", "*RFCDate*", id="date-RFCDate"),
        pytest.param("*OptionalNullable[float]*", "*number*", id="nullable-ignored"),
        pytest.param("List[*str*]", "*string*[]", id="list"),
        pytest.param("Dict[str, *int*]", "Record<string, *number*>", id="dict"),
        pytest.param("*Union[str, int]*", "*number* \\| *string*", id="union-any-order"),
        pytest.param('*Literal["a", "b"]*', '*"b"* \\| *"a"*', id="literal-enum"),
        pytest.param(
            "[models.Color](../models/color.md)",
            "[components.Color](../../models/components/color.md)",
            id="paired-refs",
        ),
        pytest.param(
            "[models.Kind](../models/kind.md)", '*"text"*', id="one-value-enum-vs-literal"
        ),
        pytest.param(
            "[models.Color](../models/color.md)", '*"red"* \\| *"green"*', id="enum-vs-inline"
        ),
        pytest.param(
            "[models.Either](../models/either.md)",
            "*string* \\| *components.Color*",
            id="union-page-vs-inline",
        ),
    ],
)
def test_corresponding_types(tmp_path, python, typescript):
    """Types that correspond across the languages report no divergence."""
    row = "| `value` | {} | :heavy_check_mark: | N/A |\n"
    found = check_rows(tmp_path, row.format(python), row.format(typescript))
    assert (found.divergences, found.problems) == ((), ())


@pytest.mark.parametrize(
    ("python", "typescript", "detail"),
    [
        pytest.param("*str*", "*number*", "string vs number", id="string-number"),
        pytest.param(
            "*datetime*", "*string*", "string (date-time) vs string", id="datetime-string"
        ),
        pytest.param("List[*str*]", "*string*", "an array vs string", id="array-scalar"),
        pytest.param("List[*str*]", "*number*[]", "items: string vs number", id="items"),
        pytest.param(
            "Dict[str, *str*]",
            "Record<string, *boolean*>",
            "values: string vs boolean",
            id="map-values",
        ),
        pytest.param("*Any*", "*string*", "any value vs string", id="any-string"),
        pytest.param(
            "*Union[str, int]*",
            "*string* \\| *boolean*",
            "union members differ: python only integer; typescript only boolean",
            id="union",
        ),
        pytest.param(
            "[models.Color](../models/color.md)",
            '*"red"* \\| *"blue"*',
            "values ['red', 'green'] vs ['red', 'blue']",
            id="enum-values",
        ),
        pytest.param(
            "[models.Color](../models/color.md)",
            "[components.Other](../../models/components/other.md)",
            "model Color is not the pair of model components.Other",
            id="unpaired-refs",
        ),
    ],
)
def test_types_that_do_not_correspond(tmp_path, python, typescript, detail):
    """Types that do not correspond are one ``type`` divergence, with the cells and a reason."""
    row = "| `value` | {} | :heavy_check_mark: | N/A |\n"
    found = check_rows(tmp_path, row.format(python), row.format(typescript))
    assert found.divergences == (
        divergence(
            ("value",), "type", python.replace("\\|", "|"), typescript.replace("\\|", "|"), detail
        ),
    )


def test_extras_buckets_pair_with_each_other(tmp_path):
    """``__pydantic_extra__`` and ``additionalProperties`` are one bucket, at path ``*``."""
    found = check_rows(
        tmp_path,
        "| `__pydantic_extra__` | Dict[str, *str*] | :heavy_minus_sign: | N/A |\n",
        "| `additionalProperties` | Record<string, *number*> | :heavy_minus_sign: | N/A |\n",
    )
    assert found.divergences == (
        divergence(
            ("*",),
            "type",
            "Dict[str, *str*]",
            "Record<string, *number*>",
            "values: string vs number",
        ),
    )


def test_an_extras_bucket_on_one_side_is_missing(tmp_path):
    """A model that takes extra keys on one side only says so at path ``*``."""
    found = check_rows(
        tmp_path, "| `__pydantic_extra__` | Dict[str, *Any*] | :heavy_minus_sign: | N/A |\n", ""
    )
    assert found.divergences == (
        divergence(("*",), "missing", "__pydantic_extra__", None, right_present=False),
    )


def test_a_python_name_off_its_convention_is_a_naming_divergence(tmp_path):
    """A camelCase Python name is reported, at the wire key it was read as."""
    found = check_rows(
        tmp_path,
        "| `systemFingerprint` | *str* | :heavy_check_mark: | N/A |\n",
        "| `systemFingerprint` | *string* | :heavy_check_mark: | N/A |\n",
    )
    assert found.divergences == (
        divergence(
            ("systemFingerprint",),
            "naming",
            "systemFingerprint",
            "systemFingerprint",
            "python names wire key 'systemFingerprint' 'system_fingerprint', "
            "the docs say 'systemFingerprint'",
        ),
    )


def test_pages_of_different_kinds(tmp_path):
    """A model on one side and an enum on the other is a ``type`` divergence at the page."""
    found = check_rows(
        tmp_path,
        "| `a` | *str* | :heavy_check_mark: | N/A |\n",
        "",
        ts_page='# Thing\n\n## Values\n\n```typescript\n"a"\n```\n',
    )
    assert found.divergences == (
        divergence((), "type", "model", "enum", "the pages differ in kind"),
    )


def test_description_whitespace_does_not_count(tmp_path):
    """Descriptions that differ only in spacing are the same."""
    found = check_rows(
        tmp_path,
        "| `a` | *str* | :heavy_check_mark: | One  two three. |\n",
        "| `a` | *string* | :heavy_check_mark: | One two   three. |\n",
    )
    assert found.divergences == ()


def test_aliases_pair_pages_no_rule_would(tmp_path):
    """An explicit alias pairs two differently named pages."""
    py_models = tmp_path / "py" / "docs" / "models"
    ts_models = tmp_path / "ts" / "docs" / "models" / "components"
    py_models.mkdir(parents=True)
    ts_models.mkdir(parents=True)
    (py_models / "a.md").write_text('# Alpha\n\n## Values\n\n- `"x"`\n')
    (ts_models / "b.md").write_text('# Beta\n\n## Values\n\n```typescript\n"x"\n```\n')
    found = list(check_docs_roots(tmp_path / "py", tmp_path / "ts", {"Alpha": "Beta"}))
    assert found == [
        PagePairResult("Alpha", "docs/models/a.md", "Beta", "docs/models/components/b.md")
    ]


@pytest.mark.skipif(not SEEDS.is_dir(), reason="the seed pages (../shared/seeds) are not here")
def test_seed_cross_check():
    """The two seed pages agree on every field; their links lead to pages that are not there."""
    python, typescript = sorted(SEEDS.iterdir())[:2]
    py_name, ts_name = python.name, typescript.name
    found = list(check_docs(read_docs_files([python]), read_docs_files([typescript])))
    assert found == [
        PagePairResult(
            "PostV2ProxyCompletionsData",
            py_name,
            "PostV2ProxyCompletionsData",
            ts_name,
            (),
            (
                Problem(
                    f"{py_name}:9",
                    broken(
                        "PostV2ProxyCompletionsProxyChoices",
                        "../models/postv2proxycompletionsproxychoices.md",
                    ),
                ),
                Problem(
                    f"{py_name}:10",
                    broken(
                        "PostV2ProxyCompletionsCreated",
                        "../models/postv2proxycompletionscreated.md",
                    ),
                ),
                Problem(
                    f"{py_name}:14",
                    broken(
                        "PostV2ProxyCompletionsProxyUsage",
                        "../models/postv2proxycompletionsproxyusage.md",
                    ),
                ),
                Problem(
                    f"{ts_name}:27",
                    broken(
                        "operations.PostV2ProxyCompletionsProxyChoices",
                        "../../models/operations/postv2proxycompletionsproxychoices.md",
                    ),
                ),
                Problem(
                    f"{ts_name}:32",
                    broken(
                        "operations.PostV2ProxyCompletionsProxyUsage",
                        "../../models/operations/postv2proxycompletionsproxyusage.md",
                    ),
                ),
                Problem(
                    f"{ts_name}:28",
                    "'operations.PostV2ProxyCompletionsCreated' names no page of the "
                    "typescript docs",
                    "compared by name only",
                ),
            ),
        )
    ]
