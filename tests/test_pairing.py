"""Pairing model names across two SDKs: exact, tolerant, aliased, and fast."""

from __future__ import annotations

import json
import random
import subprocess
import sys
from pathlib import Path

from conformance.sources.pairing import Pairing, Tie, pair_names


def test_exact_names_pair():
    """Names spelled the same on both sides pair, and the rest is left over, sorted."""
    assert pair_names(["Foo", "Bar", "Only"], ["Bar", "Foo", "Other"]) == Pairing(
        pairs=(("Bar", "Bar"), ("Foo", "Foo")), left_only=("Only",), right_only=("Other",)
    )


def test_acronym_casing_pairs():
    """``APIKey``/``ApiKey`` and ``CacheTTL``/``CacheTtl`` differ only in acronym case."""
    assert pair_names(["APIKey", "CacheTTL"], ["ApiKey", "CacheTtl"]) == Pairing(
        pairs=(("APIKey", "ApiKey"), ("CacheTTL", "CacheTtl")), left_only=(), right_only=()
    )


def test_names_that_differ_only_in_punctuation_pair():
    """A spec's ``Overrides-Output`` (FastAPI's two schemas of one model) is a generator's
    ``OverridesOutput``; a name spelled exactly still wins."""
    left = ["Overrides-Input", "Overrides-Output", "Foo_Bar"]
    right = ["OverridesInput", "OverridesOutput", "FooBar", "Foo_Bar"]
    assert pair_names(left, right) == Pairing(
        pairs=(
            ("Foo_Bar", "Foo_Bar"),
            ("Overrides-Input", "OverridesInput"),
            ("Overrides-Output", "OverridesOutput"),
        ),
        left_only=(),
        right_only=("FooBar",),
    )


def test_names_of_the_same_words_but_for_role_words_pair():
    """``ChatCompletionRequestUserMessage`` is ``ChatCompletionUserMessageParam`` (Stainless
    names its request types ``...Param``); two names of one such key are a tie."""
    left = [
        "ChatCompletionRequestUserMessage",
        "ChatCompletionTool",
        "ChatCompletionRequestMessage",
        "ChatCompletionResponseMessage",
    ]
    right = ["ChatCompletionUserMessageParam", "ChatCompletionToolParam", "ChatCompletionMessage"]
    pairing = pair_names(left, right)
    assert pairing.pairs == (
        ("ChatCompletionRequestUserMessage", "ChatCompletionUserMessageParam"),
        ("ChatCompletionTool", "ChatCompletionToolParam"),
    )
    assert pairing.ambiguous == (
        Tie(
            ("ChatCompletionRequestMessage", "ChatCompletionResponseMessage"),
            ("ChatCompletionMessage",),
        ),
    )


def test_t_suffix_pairs_when_the_plain_name_is_absent():
    """``ErrorT`` (a name clashing with a JavaScript global) pairs with ``Error``."""
    assert pair_names(["Error", "File"], ["ErrorT", "FileT"]) == Pairing(
        pairs=(("Error", "ErrorT"), ("File", "FileT")), left_only=(), right_only=()
    )


def test_t_suffix_is_kept_when_the_plain_name_is_present():
    """Where a side has both ``Error`` and ``ErrorT``, the ``T`` is part of the name."""
    assert pair_names(["Error", "ErrorT"], ["Error", "ErrorTT"]) == Pairing(
        pairs=(("Error", "Error"), ("ErrorT", "ErrorTT")), left_only=(), right_only=()
    )


def test_t_suffix_is_not_stripped_on_both_sides_at_once():
    """A plain name on the other side is needed: ``ErrorT`` alone stays unpaired with ``Errors``."""
    assert pair_names(["Errors"], ["ErrorT"]) == Pairing(
        pairs=(), left_only=("Errors",), right_only=("ErrorT",)
    )


def test_digit_suffix_pairs_when_unambiguous():
    """``SearchRequest1`` pairs with ``SearchRequest`` when no other candidate exists."""
    assert pair_names(["SearchRequest1"], ["SearchRequest"]) == Pairing(
        pairs=(("SearchRequest1", "SearchRequest"),), left_only=(), right_only=()
    )


def test_digit_suffixes_are_not_paired_when_ambiguous():
    """Two numbered candidates for one plain name pair with neither."""
    assert pair_names(["Content"], ["Content1", "Content2"]) == Pairing(
        pairs=(),
        left_only=("Content",),
        right_only=("Content1", "Content2"),
        ambiguous=(Tie(("Content",), ("Content1", "Content2")),),
    )


def test_two_different_numbers_never_pair():
    """``Foo1`` and ``Foo2`` look like two members, not one renamed name."""
    assert pair_names(["Foo1"], ["Foo2"]) == Pairing(
        pairs=(), left_only=("Foo1",), right_only=("Foo2",)
    )


def test_namespace_prefix_is_tolerated():
    """``operations.Foo`` pairs with ``Foo`` when it is the only ``Foo``."""
    assert pair_names(["Foo"], ["operations.Foo", "components.Bar"]) == Pairing(
        pairs=(("Foo", "operations.Foo"),), left_only=(), right_only=("components.Bar",)
    )


def test_aliases_come_first():
    """An alias pairs its names even where an exact match exists for one of them."""
    assert pair_names(["Foo", "Bar"], ["Foo", "Baz"], {"Foo": "Baz"}) == Pairing(
        pairs=(("Foo", "Baz"),), left_only=("Bar",), right_only=("Foo",)
    )


def test_aliases_of_absent_names_are_ignored():
    """An alias naming a name that is not there changes nothing."""
    assert pair_names(["Foo"], ["Foo"], {"Gone": "Foo"}) == Pairing(
        pairs=(("Foo", "Foo"),), left_only=(), right_only=()
    )


def test_exact_match_wins_over_tolerant():
    """``ApiKey`` pairs with ``ApiKey``, leaving ``APIKey`` unpaired, not tied."""
    assert pair_names(["ApiKey"], ["APIKey", "ApiKey"]) == Pairing(
        pairs=(("ApiKey", "ApiKey"),), left_only=(), right_only=("APIKey",)
    )


def test_ties_stay_unpaired():
    """Two names with one tolerant key on one side pair with nothing."""
    assert pair_names(["Apikey"], ["APIKey", "ApiKey"]) == Pairing(
        pairs=(),
        left_only=("Apikey",),
        right_only=("APIKey", "ApiKey"),
        ambiguous=(Tie(("Apikey",), ("APIKey", "ApiKey")),),
    )


def test_result_does_not_depend_on_input_order():
    """The same names in another order (or as sets) give the same pairing."""
    left = ["APIKey", "ErrorT", "Foo1", "Bar", "Baz"]
    right = ["ApiKey", "Error", "Foo", "Bar", "Qux"]
    assert pair_names(left, right) == pair_names(reversed(left), set(right))


def test_pairs_thousands_of_names():
    """3,000 x 3,000 names differing only in acronym case all pair (speed is in bench/)."""
    rng = random.Random(7)
    base = [f"Model{i}Name{rng.randrange(10**6)}" for i in range(3000)]
    left = [name.replace("Name", "API") for name in base]
    right = [name.replace("Name", "Api") for name in base]
    pairing = pair_names(left, right)
    assert (len(pairing.pairs), pairing.left_only, pairing.right_only) == (3000, (), ())


def test_mappings_both_ways():
    """``left_to_right`` and ``right_to_left`` are the pairs as dicts."""
    pairing = pair_names(["APIKey"], ["ApiKey"])
    assert (pairing.left_to_right(), pairing.right_to_left()) == (
        {"APIKey": "ApiKey"},
        {"ApiKey": "APIKey"},
    )


NODE = "@acme/sdk/models"  # a module specifier prefix, as the Node harness names later modules


def test_node_module_specifier_is_a_namespace():
    """The Node harness's ``<module specifier>#Foo`` pairs with ``Foo`` like ``operations.Foo``."""
    assert pair_names(["Foo"], [f"{NODE}/components/index.js#Foo"]).pairs == (
        ("Foo", f"{NODE}/components/index.js#Foo"),
    )


def test_error_body_pairs_with_the_error_of_the_errors_namespace():
    """Python's ``XData`` body pairs with TypeScript's ``errors.X`` (or ``.../errors/...#X``)."""
    left = ["HonoAPIErrorData", "DeleteAgentResponseBodyData"]
    right = ["errors.HonoApiError", f"{NODE}/errors/index.js#DeleteAgentResponseBody"]
    assert pair_names(left, right) == Pairing(
        pairs=(
            ("DeleteAgentResponseBodyData", f"{NODE}/errors/index.js#DeleteAgentResponseBody"),
            ("HonoAPIErrorData", "errors.HonoApiError"),
        ),
        left_only=(),
        right_only=(),
    )


def test_error_body_pairs_from_either_side_and_without_a_namespace():
    """``X`` (an errors module listed plainly) pairs with ``XData`` on the other side."""
    assert pair_names(["NotFound"], ["NotFoundData"]).pairs == (("NotFound", "NotFoundData"),)


def test_error_body_does_not_pair_where_its_side_has_the_plain_name():
    """``FooData`` beside a ``Foo`` model is a model of its own, not the body of error ``Foo``."""
    assert pair_names(["FooData", "Foo"], ["errors.Foo"]) == Pairing(
        pairs=(("Foo", "errors.Foo"),), left_only=("FooData",), right_only=()
    )


def test_error_body_does_not_pair_outside_an_errors_namespace():
    """``FooData`` and ``components.Foo`` are two models: only an error's body is renamed."""
    assert pair_names(["FooData"], ["components.Foo"]) == Pairing(
        pairs=(), left_only=("FooData",), right_only=("components.Foo",)
    )


def test_namespace_breaks_a_tie():
    """``components.Foo`` pairs with the ``components`` module's ``Foo``, and so on."""
    left = ["components.Foo", "operations.Foo"]
    right = [f"{NODE}/operations/index.js#Foo", f"{NODE}/components/index.js#Foo"]
    assert pair_names(left, right) == Pairing(
        pairs=(
            ("components.Foo", f"{NODE}/components/index.js#Foo"),
            ("operations.Foo", f"{NODE}/operations/index.js#Foo"),
        ),
        left_only=(),
        right_only=(),
    )


def test_what_a_shared_namespace_leaves_of_twins_is_a_tie():
    """``operations.Foo`` and the plain ``Foo`` are not paired by elimination: nothing says so."""
    left = ["components.Foo", "operations.Foo"]
    right = ["Foo", f"{NODE}/components/index.js#Foo"]
    assert pair_names(left, right) == Pairing(
        pairs=(("components.Foo", f"{NODE}/components/index.js#Foo"),),
        left_only=("operations.Foo",),
        right_only=("Foo",),
        ambiguous=(Tie(("operations.Foo",), ("Foo",)),),
    )


def test_a_genuine_tie_is_reported_as_ambiguous():
    """``Foo`` with nothing to choose between ``components.Foo`` and ``operations.Foo``."""
    assert pair_names(["Foo", "Bar"], ["components.Foo", "operations.Foo", "Bar"]) == Pairing(
        pairs=(("Bar", "Bar"),),
        left_only=("Foo",),
        right_only=("components.Foo", "operations.Foo"),
        ambiguous=(Tie(("Foo",), ("components.Foo", "operations.Foo")),),
    )


def test_a_tie_on_the_other_side_is_reported_too():
    """Two namespaced names on the left for one plain name on the right are one tie."""
    assert pair_names(["components.Foo", "operations.Foo"], ["Foo"]).ambiguous == (
        Tie(("components.Foo", "operations.Foo"), ("Foo",)),
    )


def test_structure_breaks_a_tie():
    """Given signatures, ``Foo`` pairs with the namespaced ``Foo`` whose fields are closer."""
    pairing = pair_names(
        ["Foo"],
        ["components.Foo", "operations.Foo"],
        left_signatures={"Foo": {"id:string", "name:string"}},
        right_signatures={
            "components.Foo": {"id:string", "name:string", "extra:integer"},
            "operations.Foo": {"fooId:string", "requestBody:object"},
        },
    )
    assert (pairing.pairs, pairing.ambiguous) == ((("Foo", "components.Foo"),), ())


TWIN = f"{NODE}/components/index.js#Foo"  # a later module's ``Foo``, beside the plain ``Foo``
TWIN_SIGNATURES = {
    "left_signatures": {"Foo": {"items:array"}, "Foo1": {"fooId:string", "body:object"}},
    "right_signatures": {"Foo": {"fooId:string", "body:object"}, TWIN: {"items:array"}},
}


def test_twins_are_not_paired_by_spelling():
    """Flat ``Foo``/``Foo1`` against Node's ``Foo``/``<module>#Foo``: one tie, no guessed pair."""
    assert pair_names(["Foo", "Foo1", "Bar"], ["Foo", TWIN, "Bar"]) == Pairing(
        pairs=(("Bar", "Bar"),),
        left_only=("Foo", "Foo1"),
        right_only=(TWIN, "Foo"),
        ambiguous=(Tie(("Foo", "Foo1"), (TWIN, "Foo")),),
    )


def test_structure_pairs_twins():
    """With signatures, ``Foo`` is the later module's and ``Foo1`` the plain ``Foo``."""
    pairing = pair_names(["Foo", "Foo1"], ["Foo", TWIN], **TWIN_SIGNATURES)
    assert (pairing.pairs, pairing.ambiguous) == ((("Foo", TWIN), ("Foo1", "Foo")), ())


def test_one_name_facing_twins_is_a_tie_even_when_spelled_like_one():
    """A lone ``Foo`` is as likely the later module's ``Foo`` as the plain one."""
    assert pair_names(["Foo"], ["Foo", TWIN]).ambiguous == (Tie(("Foo",), (TWIN, "Foo")),)


def test_a_family_takes_in_numbered_and_recased_relatives():
    """``Foo2`` and ``FOO`` beside twins are not paired with a twin's numbered relative either."""
    pairing = pair_names(["FOO", "Foo2"], ["components.Foo", "operations.Foo", "Foo2"])
    assert (pairing.pairs, pairing.ambiguous) == (
        (),
        (Tie(("FOO", "Foo2"), ("Foo2", "components.Foo", "operations.Foo")),),
    )


def test_names_beside_a_family_pair_as_before():
    """A family holds only its own names: ``FooBar`` and ``Foo3`` with no twin nearby pair."""
    pairing = pair_names(["Foo", "FooBar", "Baz3"], ["Foo", TWIN, "FooBar", "Baz"])
    assert pairing.pairs == (("Baz3", "Baz"), ("FooBar", "FooBar"))


def test_a_missing_signature_in_a_family_leaves_it_tied():
    """Structure pairs twins only where every candidate of the names has a signature."""
    signatures = {
        "left_signatures": TWIN_SIGNATURES["left_signatures"],
        "right_signatures": {TWIN: {"items:array"}},
    }
    pairing = pair_names(["Foo", "Foo1"], ["Foo", TWIN], **signatures)
    assert (pairing.pairs, pairing.ambiguous) == ((), (Tie(("Foo", "Foo1"), (TWIN, "Foo")),))


def test_disjoint_signatures_are_no_evidence():
    """A lone candidate left with nothing in common is not paired: that would be spelling."""
    signatures = {
        "left_signatures": {"Foo": {"items:array"}, "Foo1": {"other:string"}},
        "right_signatures": {"Foo": {"fooId:string"}, TWIN: {"items:array"}},
    }
    pairing = pair_names(["Foo", "Foo1"], ["Foo", TWIN], **signatures)
    assert (pairing.pairs, pairing.ambiguous) == ((("Foo", TWIN),), (Tie(("Foo1",), ("Foo",)),))


def test_twins_with_a_shared_namespace_pair():
    """Namespaced twins on both sides pair by namespace; ``Foo1`` and ``Foo2`` are no tie."""
    left = ["components.Foo", "operations.Foo", "Foo1"]
    right = ["operations.Foo", "components.Foo", "Foo2"]
    assert pair_names(left, right) == Pairing(
        pairs=(
            ("components.Foo", "components.Foo"),
            ("operations.Foo", "operations.Foo"),
        ),
        left_only=("Foo1",),
        right_only=("Foo2",),
    )


def test_aliases_pair_twins():
    """Aliases pair a family's names; aliasing one twin leaves its relatives tied."""
    both = pair_names(["Foo", "Foo1"], ["Foo", TWIN], {"Foo": TWIN, "Foo1": "Foo"})
    one = pair_names(["Foo", "Foo1"], ["Foo", TWIN], {"Foo": TWIN})
    assert (both.pairs, both.ambiguous) == ((("Foo", TWIN), ("Foo1", "Foo")), ())
    assert (one.pairs, one.ambiguous) == ((("Foo", TWIN),), (Tie(("Foo1",), ("Foo",)),))


def test_twin_families_do_not_depend_on_input_order():
    """Families, their ties and their pairs by namespace come out the same in any order."""
    left = ["Foo", "Foo1", "Foo2", "components.Bar", "operations.Bar", "Bar1", "Baz"]
    right = ["Foo", TWIN, "Foo3", f"{NODE}/components/index.js#Bar", "Bar", "Baz", "Qux"]
    expected = pair_names(left, right)
    rng = random.Random(5)
    for _ in range(20):
        rng.shuffle(left)
        rng.shuffle(right)
        assert pair_names(left, set(right)) == expected
    assert expected == Pairing(
        pairs=(("Baz", "Baz"), ("components.Bar", f"{NODE}/components/index.js#Bar")),
        left_only=("Bar1", "Foo", "Foo1", "Foo2", "operations.Bar"),
        right_only=(TWIN, "Bar", "Foo", "Foo3", "Qux"),
        ambiguous=(
            Tie(("Bar1", "operations.Bar"), ("Bar",)),
            Tie(("Foo", "Foo1", "Foo2"), (TWIN, "Foo", "Foo3")),
        ),
    )


def test_equal_structures_stay_a_tie():
    """Two candidates as close as each other are still a tie."""
    same = {"name:string", "arguments:string"}
    pairing = pair_names(
        ["Function"],
        ["components.Function", "operations.Function"],
        left_signatures={"Function": same},
        right_signatures={"components.Function": same, "operations.Function": same},
    )
    assert pairing.ambiguous == (
        Tie(("Function",), ("components.Function", "operations.Function")),
    )


def test_a_missing_signature_leaves_the_tie_to_the_names():
    """Structure breaks a tie only where every candidate has a signature."""
    pairing = pair_names(
        ["Foo"],
        ["components.Foo", "operations.Foo"],
        left_signatures={"Foo": {"id:string"}},
        right_signatures={"components.Foo": {"id:string"}},
    )
    assert (pairing.pairs, len(pairing.ambiguous)) == ((), 1)


def test_pairing_with_ties_and_namespaces_does_not_depend_on_input_order():
    """Namespaces, error bodies, structure and ties give one result in any input order."""
    left = ["Foo", "Foo1", "components.Bar", "operations.Bar", "Baz", "NotFoundData", "Apikey"]
    right = [
        "Foo",
        f"{NODE}/components/index.js#Foo",
        f"{NODE}/components/index.js#Bar",
        f"{NODE}/operations/index.js#Bar",
        "components.Baz",
        "operations.Baz",
        "errors.NotFound",
        "APIKey",
        "ApiKey",
    ]
    signatures = {
        "left_signatures": {"Foo": {"a"}, "Foo1": {"b"}},
        "right_signatures": {"Foo": {"b"}, f"{NODE}/components/index.js#Foo": {"a"}},
    }
    expected = pair_names(left, right, **signatures)
    rng = random.Random(11)
    for _ in range(20):
        rng.shuffle(left)
        rng.shuffle(right)
        assert pair_names(left, set(right), **signatures) == expected
    assert (expected.pairs, expected.ambiguous) == (
        (
            ("Foo", f"{NODE}/components/index.js#Foo"),
            ("Foo1", "Foo"),
            ("NotFoundData", "errors.NotFound"),
            ("components.Bar", f"{NODE}/components/index.js#Bar"),
            ("operations.Bar", f"{NODE}/operations/index.js#Bar"),
        ),
        (
            Tie(("Apikey",), ("APIKey", "ApiKey")),
            Tie(("Baz",), ("components.Baz", "operations.Baz")),
        ),
    )


HARNESS = """
import json, sys
answers = {
    "start": {"ready": True, "implementation": {
        "name": "names", "language": "python", "sdk": "names-sdk", "sdk_version": "1.0"}},
    "models": {"models": [{"name": n, "directions": ["response"]} for n in sys.argv[1:]]},
}
for line in sys.stdin:
    cmd = json.loads(line).get("cmd")
    if cmd == "stop":
        break
    print(json.dumps(answers.get(cmd, {"error": "not served"})), flush=True)
"""


def _pair_command(tmp_path: Path, fmt: str, *sdk_names: str) -> str:
    (tmp_path / "harness.py").write_text(HARNESS)
    (tmp_path / "schema.yaml").write_text(
        "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n"
        "  schemas:\n    Foo: {type: object}\n    Bar: {type: object}\n"
    )
    command = [sys.executable, str(tmp_path / "harness.py"), *sdk_names]
    (tmp_path / "pyproject.toml").write_text(
        '[tool.conformance]\nschema = "schema.yaml"\n\n[[tool.conformance.targets]]\n'
        f'name = "names"\nkind = "harness"\ncommand = {json.dumps(command)}\n'
    )
    done = subprocess.run(
        [sys.executable, "-m", "conformance", "pair", "--format", fmt],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_pair_command_lists_ambiguous_matches(tmp_path: Path):
    """`conformance pair` lists a schema model with two equally good SDK names as ambiguous."""
    report = json.loads(_pair_command(tmp_path, "json", "components.Foo", "operations.Foo", "Bar"))
    assert (report["names"]["pairs"], report["names"]["ambiguous"]) == (
        [["Bar", "Bar"]],
        [{"schema": ["Foo"], "sdk": ["components.Foo", "operations.Foo"]}],
    )


def test_pair_command_prints_ambiguous_matches(tmp_path: Path):
    """The pretty output counts the ambiguous matches and shows each with its candidates."""
    text = _pair_command(tmp_path, "pretty", "components.Foo", "operations.Foo", "Bar")
    assert "1 ambiguous match(es)" in text.splitlines()[0]
    assert "    Foo ~ components.Foo | operations.Foo" in text.splitlines()
