"""Keys an SDK keeps without declaring them: no names it gave, but fields it does not declare.

The harnesses report ``undeclared`` paths of their native view (pydantic extras, keys a
Fern schema passed through); the naming check turns each spec field among them into a
"does not declare" divergence instead of a misnaming, and families and causes say so.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from conformance.comparison.judge import judge
from conformance.comparison.naming_check import naming_divergences, undeclared_key
from conformance.comparison.policy import Policy
from conformance.core.conventions import get_convention
from conformance.core.divergence import Divergence
from conformance.core.outcome import Outcome
from conformance.results.causes import behaviour
from conformance.results.families import FamilyCollector
from conformance.results.reader import from_json
from conformance.results.records import CaseRecord, ResultRecord, to_json
from conformance.schema import (
    Alias,
    ArrayOf,
    Discriminator,
    Field,
    Model,
    Primitive,
    Ref,
    Schema,
    UnionOf,
)
from conformance.sources.cases import Case, Direction
from conformance.targets.builtin import node_sdk_target, python_sdk_target
from conformance.targets.harness import HarnessTarget
from conformance.targets.protocol import answer_problem, run_outcome
from tests.flavour_sdks_node import write_fern_sdk
from tests.tiny_sdks import SDK_PYTHON, require, require_pydantic

PYTHON = get_convention("python")
TYPESCRIPT = get_convention("typescript")

#: The spec: an OAuth connector (camelCase wire keys) with a list of scopes.
OAUTH = Schema(
    {
        "OAuth": Model(
            "OAuth",
            (
                Field("client_id", Primitive("string")),
                Field("clientSecret", Primitive("string")),
                Field("scopes", ArrayOf(Ref("Scope"))),
            ),
        ),
        "Scope": Model(
            "Scope", (Field("name", Primitive("string")), Field("readOnly", Primitive("boolean")))
        ),
    }
)
OAUTH_WIRE = {
    "client_id": "a",
    "clientSecret": "s",
    "scopes": [{"name": "x", "readOnly": True}],
}


def _names(found: list[Divergence]) -> list[tuple[str, Any, str]]:
    return [(".".join(map(str, d.path)), d.right.value, d.detail) for d in found]


# -- the naming check -------------------------------------------------------------------


def test_an_undeclared_spec_field_is_reported_as_undeclared_not_misnamed() -> None:
    """``clientSecret`` kept as an extra is a field the SDK does not declare, nested ones too."""
    native = {"client_id": "a", "clientSecret": "s", "scopes": [{"name": "x", "readOnly": True}]}
    undeclared = [("clientSecret",), ("scopes", 0, "readOnly")]
    found = naming_divergences(OAUTH, "OAuth", native, PYTHON, "py", OAUTH_WIRE, undeclared)
    assert _names(found) == [
        (
            "clientSecret",
            {"key": "clientSecret", "declared": False},
            "py does not declare 'clientSecret': it keeps the key 'clientSecret' as an unknown one",
        ),
        (
            "scopes.0.readOnly",
            {"key": "readOnly", "declared": False},
            "py does not declare 'readOnly': it keeps the key 'readOnly' as an unknown one",
        ),
    ]
    assert [undeclared_key(d.right.value) for d in found] == ["clientSecret", "readOnly"]


def test_the_same_key_declared_by_the_sdk_is_still_a_misnaming() -> None:
    """Without the undeclared mark, ``clientSecret`` is the SDK's camel name of a snake field."""
    native = {"client_id": "a", "clientSecret": "s", "scopes": []}
    (found,) = naming_divergences(OAUTH, "OAuth", native, PYTHON, "py", OAUTH_WIRE)
    assert (found.path, found.right.value) == (("clientSecret",), "clientSecret")
    assert undeclared_key(found.right.value) is None


def test_an_undeclared_key_beside_the_declared_field_is_a_copy() -> None:
    """An SDK declaring ``client_secret`` that also keeps ``clientSecret`` as an extra is right."""
    native = {"client_id": "a", "client_secret": "s", "clientSecret": "s", "scopes": []}
    found = naming_divergences(
        OAUTH, "OAuth", native, PYTHON, "py", OAUTH_WIRE, [("clientSecret",)]
    )
    assert found == []


def test_nothing_under_an_undeclared_key_is_walked() -> None:
    """A kept ``scopes`` holds the input as it came: its camel keys are no names of the SDK's,
    and ``scopes`` itself, spelled as the convention spells it, is reached by users by that name."""
    native = {"client_id": "a", "scopes": [{"name": "x", "readOnly": True}]}
    found = naming_divergences(OAUTH, "OAuth", native, PYTHON, "py", OAUTH_WIRE, [("scopes",)])
    assert found == []
    misspelled = {"client_id": "a", "Scopes": [{"name": "x", "readOnly": True}]}
    found = naming_divergences(OAUTH, "OAuth", misspelled, PYTHON, "py", OAUTH_WIRE, [("Scopes",)])
    assert [(d.path, undeclared_key(d.right.value)) for d in found] == [(("scopes",), "Scopes")]


def test_an_undeclared_key_that_is_no_spec_field_is_left_to_the_wire_comparison() -> None:
    """A kept key matching no field is an extra, not a naming divergence."""
    native = {"client_id": "a", "colour": "red"}
    assert naming_divergences(OAUTH, "OAuth", native, PYTHON, "py", {}, [("colour",)]) == []


# -- protocol, records, families and causes ------------------------------------------------


def test_a_run_answer_carries_undeclared_paths_and_old_answers_stay_valid() -> None:
    """``undeclared`` is optional in the protocol and lands on the outcome as tuples."""
    answer: dict[str, Any] = {
        "seq": 1,
        "accepted": True,
        "wire_text": "{}",
        "native": {},
        "undeclared": [["a"], ["b", 0, "c"]],
    }
    assert answer_problem("run", answer) is None
    assert run_outcome("t", "c", answer, "", 0.0).undeclared == (("a",), ("b", 0, "c"))
    del answer["undeclared"]
    assert answer_problem("run", answer) is None
    assert run_outcome("t", "c", answer, "", 0.0).undeclared == ()
    assert answer_problem("run", {**answer, "undeclared": [[]]}) is not None


def test_results_records_keep_undeclared_paths_for_rejudging() -> None:
    """A result's outcome keeps ``undeclared`` through its JSON line; without it, no key."""
    outcome = Outcome("accepted", {}, {"k": 1}, undeclared=(("k",), ("l", 0)))
    record = ResultRecord("c", "t", "pass", outcome)
    assert from_json(to_json(record)) == record
    assert '"undeclared"' not in to_json(
        ResultRecord("c", "t", "pass", Outcome("accepted", {}, {}))
    )


def test_families_and_causes_say_the_sdk_does_not_declare_the_fields() -> None:
    """An undeclared family has its own classes, sentence and cause, apart from misnamings."""
    case = CaseRecord("c1", "OAuth", "response", OAUTH_WIRE)
    native = {"client_id": "a", "clientSecret": "s", "scopes": []}
    undeclared = naming_divergences(
        OAUTH, "OAuth", native, PYTHON, "py", OAUTH_WIRE, [("clientSecret",)]
    )
    misnamed = naming_divergences(OAUTH, "OAuth", {"clientSecret": "s"}, PYTHON, "py2")
    result = ResultRecord(
        "c1", "py", "diverge", Outcome("accepted", OAUTH_WIRE, native), (*undeclared,)
    )
    other = ResultRecord("c1", "py2", "diverge", Outcome("accepted", OAUTH_WIRE, {}), (*misnamed,))
    collector = FamilyCollector(OAUTH, {"py": "python-sdk", "py2": "python-sdk"})
    collector.add(case, [result, other])
    families = {f.diverging: f for f in collector.records()}
    mine, theirs = families[("py",)], families[("py2",)]
    assert (mine.input_class, mine.output_class) == ("a field the schema declares", "undeclared")
    assert mine.sentence.startswith(
        "py does not declare fields the spec declares (keeps their keys as unknown ones)"
    )
    assert theirs.output_class == "camel name"
    assert behaviour(mine)[0] != behaviour(theirs)[0]
    assert "unknown keys" in behaviour(mine)[1].format(s="s")


# -- the harnesses ----------------------------------------------------------------------

OAUTH_MODELS = """\
from __future__ import annotations

from typing import List, Optional

import pydantic


class Scope(pydantic.BaseModel):
    model_config = pydantic.ConfigDict(extra="allow")

    name: str


class OAuth(pydantic.BaseModel):
    model_config = pydantic.ConfigDict(extra="allow")

    client_id: str
    scopes: List[Scope] = []


class Misnamed(pydantic.BaseModel):
    model_config = pydantic.ConfigDict(extra="allow")

    client_id: str
    clientSecret: Optional[str] = None
"""


def _case(model: str, direction: Direction, text: str) -> Case:
    return Case(f"{model}-{direction}", model, direction, None, wire_text=text)


def _judged(case: Case, outcome: Outcome, target: str, convention: str) -> list[Divergence]:
    (verdict,) = judge(case, [(target, outcome)], Policy(), OAUTH, {target: convention})
    return [d for d in verdict.divergences if d.kind == "naming"]


@pytest.fixture
def python_oauth(tmp_path: Path) -> Iterator[HarnessTarget]:
    """A started target over ``vendor.oauth``, whose models keep unknown keys as extras."""
    require_pydantic()
    package = tmp_path / "vendor" / "oauth"
    package.mkdir(parents=True)
    (tmp_path / "vendor" / "__init__.py").write_text("")
    (package / "__init__.py").write_text('__version__ = "0.0.1"\n')
    (package / "models.py").write_text(OAUTH_MODELS)
    target = python_sdk_target(
        "oauth-python",
        str(SDK_PYTHON),
        ["vendor.oauth.models"],
        "vendor.oauth",
        env={"PYTHONPATH": str(tmp_path)},
        start_timeout=60.0,
    )
    with target:
        target.start()
        yield target


def test_python_extras_are_undeclared_and_judged_so(python_oauth: HarnessTarget) -> None:
    """A pydantic model without ``clientSecret`` keeps it as an extra: the new divergence, at the
    top and in a nested model, and no misnaming."""
    text = '{"client_id":"a","clientSecret":"s","scopes":[{"name":"x","readOnly":true}]}'
    case = _case("OAuth", "response", text)
    outcome = python_oauth.run(case)
    assert outcome.state == "accepted", outcome.error
    assert set(outcome.undeclared) == {("clientSecret",), ("scopes", 0, "readOnly")}
    found = _judged(case, outcome, "oauth-python", "python")
    assert {(d.path, undeclared_key(d.right.value)) for d in found} == {
        (("clientSecret",), "clientSecret"),
        (("scopes", 0, "readOnly"), "readOnly"),
    }


def test_python_a_declared_misnamed_field_is_still_a_misnaming(python_oauth: HarnessTarget) -> None:
    """The same SDK declaring the attribute ``clientSecret`` misnames the field, and says nothing
    is undeclared."""
    case = Case("m", "Misnamed", "response", None, wire_text='{"client_id":"a","clientSecret":"s"}')
    outcome = python_oauth.run(case)
    assert (outcome.state, outcome.undeclared) == ("accepted", ())
    (found,) = _judged(
        Case("m", "OAuth", "response", None, wire_text=case.wire_text), outcome, "p", "python"
    )
    assert (found.path, found.right.value) == (("clientSecret",), "clientSecret")


@pytest.fixture
def fern(tmp_path: Path) -> Iterator[HarnessTarget]:
    """A started Fern-flavoured target over ``@tiny/fern`` (it reads with passthrough)."""
    require(shutil.which("node") is not None, "Node.js")
    root = write_fern_sdk(tmp_path)
    with node_sdk_target(
        "fern-node", str(root), [], "@tiny/fern", options={"flavor": "fern"}
    ) as target:
        target.start()
        yield target


#: The spec's Pet: what the tiny Fern SDK declares, and a ``vaccinated_at`` it does not.
PETS = Schema(
    {
        "Pet": Model(
            "Pet",
            (
                Field("pet_name", Primitive("string")),
                Field("age", Primitive("number")),
                Field("kind", Primitive("string")),
                Field("tags", ArrayOf(Ref("Tag"))),
                Field("vaccinated_at", Primitive("string")),
            ),
        ),
        "Tag": Model(
            "Tag", (Field("label", Primitive("string")), Field("colour_code", Primitive("string")))
        ),
    }
)


@pytest.mark.node
def test_fern_passed_through_keys_are_undeclared_and_judged_so(fern: HarnessTarget) -> None:
    """Keys the Fern schemas pass through (top level and in a list's objects) are undeclared:
    the new divergence under the TypeScript convention, while a declared field the Python
    convention would name otherwise is still a misnaming."""
    text = (
        '{"pet_name":"Rex","age":3,"kind":"dog","tags":[{"label":"a","colour_code":"r"}],'
        '"vaccinated_at":"2024"}'
    )
    case = _case("Pet", "response", text)
    outcome = fern.run(case)
    assert outcome.state == "accepted", outcome.error
    assert outcome.undeclared == (("tags", 0, "colour_code"), ("vaccinated_at",))
    (verdict,) = judge(case, [("fern-node", outcome)], Policy(), PETS, {"fern-node": "typescript"})
    found = [
        (d.path, undeclared_key(d.right.value)) for d in verdict.divergences if d.kind == "naming"
    ]
    assert found == [
        (("tags", 0, "colour_code"), "colour_code"),
        (("vaccinated_at",), "vaccinated_at"),
    ]
    (verdict,) = judge(case, [("fern-node", outcome)], Policy(), PETS, {"fern-node": "python"})
    misnamed = [
        d
        for d in verdict.divergences
        if d.kind == "naming" and undeclared_key(d.right.value) is None
    ]
    assert [(d.path, d.right.value) for d in misnamed] == [(("pet_name",), "petName")]


@pytest.mark.node
def test_fern_a_payload_of_declared_keys_has_nothing_undeclared(fern: HarnessTarget) -> None:
    """Every key the schemas declare is the SDK's: nothing is reported undeclared."""
    text = '{"pet_name":"Rex","age":3,"kind":"dog","tags":[{"label":"a"}]}'
    outcome = fern.run(_case("Pet", "response", text))
    assert (outcome.state, outcome.undeclared) == ("accepted", ())


def test_a_tag_its_union_owns_is_not_reported_undeclared_on_a_member() -> None:
    """A member schema that leaves its union's tag to the union (as Fern's do) keeps
    `event_type` as an unknown key when read alone: no divergence; another key still is one."""
    start = Model(
        "Start",
        (
            Field("event_type", Primitive("string"), required=True),
            Field("gen_id", Primitive("string")),
        ),
    )
    end = Model("End", (Field("event_type", Primitive("string"), required=True),))
    mapping = (("start", "Start"), ("end", "End"))
    union = UnionOf((Ref("Start"), Ref("End")), "oneOf", Discriminator("event_type", mapping))
    # A second union tags Start by another property: each union's tag is still its own.
    other = UnionOf((Ref("Start"),), "oneOf", Discriminator("type", (("s", "Start"),)))
    definitions = {"Start": start, "End": end, "Event": Alias("Event", union)}
    schema = Schema({**definitions, "Other": Alias("Other", other)})
    typescript = get_convention("typescript")
    native = {"event_type": "start", "gen_id": "g"}
    wire = {"event_type": "start", "gen_id": "g"}
    undeclared = [("event_type",), ("gen_id",)]
    found = naming_divergences(schema, "Start", native, typescript, "ts", wire, undeclared)
    assert [undeclared_key(d.right.value) for d in found] == ["gen_id"]
