"""A Stainless TypeScript SDK's native view, judged and reproduced through its own reader.

The harness runs the tiny Stainless-shaped package (``tests/flavour_sdks_node.py``), whose
``Pet`` is a response model the SDK never sends (``written: false``) and whose parser adds
an enumerable ``_request_id``; the judge compares the view with the input under the
``wire`` convention. Reproducers check what the SDK hands its user where its text does not
show what the family says.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from conformance.comparison.judge import judge
from conformance.comparison.policy import Policy
from conformance.core import jsonwire
from conformance.sources.cases import Case
from conformance.targets.builtin import node_sdk_target
from conformance.targets.harness import HarnessTarget
from tests.flavour_sdks_node import write_stainless_sdk
from tests.test_flavour_reproducers import claim, node_target, outcome
from tests.tiny_sdks import require

pytestmark = pytest.mark.node

#: Artefacts of the view around one real rounding (``owner.id``): number text, an
#: integer-like key JavaScript lists first, a number beyond a double (null in the view),
#: 2^63 (a double exactly, shown as 9223372036854776000), and the parser's ``_request_id``.
PET = (
    '{"id":"1","pet_name":"Rex","owner":{"id":9007199254740993},"b":1.0,"1":1E+2,'
    '"big":1E+400,"e":9223372036854775808}'
)


@pytest.fixture
def stainless(tmp_path: Path) -> Iterator[HarnessTarget]:
    """A started harness target over ``tiny-stainless``."""
    require(shutil.which("node") is not None, "Node.js")
    root = write_stainless_sdk(tmp_path)
    options = {"flavor": "stainless"}
    with node_sdk_target("tiny", str(root), [], "tiny-stainless", options=options) as target:
        target.start()
        yield target


def test_a_stainless_view_shows_only_the_rounding_of_its_reader(stainless: HarnessTarget) -> None:
    """Of everything the view shows otherwise than the input, only the integer JSON.parse
    rounded diverges."""
    case = Case("pet", "Pet", "response", jsonwire.loads(PET), wire_text=PET)
    ran = stainless.run(case)
    assert (ran.state, ran.written) == ("accepted", False)
    (verdict,) = judge(case, [("tiny", ran)], Policy(), conventions={"tiny": "wire"})
    assert [(d.where, d.kind, d.left.value, d.right.value) for d in verdict.divergences] == [
        ("$.owner.id", "value", 9007199254740993, 9007199254740992)
    ]


@pytest.mark.parametrize(("held", "code"), [(9223372036854775808, 0), (9223372036854775807, 1)])
def test_a_stainless_reproducer_checks_the_double_its_user_holds(
    held: int, code: int, tmp_path: Path
) -> None:
    """2^63 is a double exactly: the SDK hands its user 2^63, though its text shows
    9223372036854776000; a family saying so is reproduced, one saying 2^63 - 1 is not."""
    root = write_stainless_sdk(tmp_path / "node")
    target = node_target(root, "tiny-stainless", "stainless")
    wire = {"id": "1", "owner": {"id": 2**63}}
    family = claim("value", "Pet", wire, "$.owner.id", held)
    assert outcome(family, target, tmp_path)[0] == code


@pytest.mark.parametrize(("held", "code"), [(9007199254740992, 0), (9007199254740993, 1)])
def test_a_stainless_reproducer_checks_a_view_its_sdk_cannot_write(
    held: int, code: int, tmp_path: Path
) -> None:
    """A response the SDK's encoder cannot write (the planted ``blob``) is still read: the
    rounding is checked in what the SDK hands its user."""
    root = write_stainless_sdk(tmp_path / "node")
    target = node_target(root, "tiny-stainless", "stainless")
    wire = {"id": "1", "blob": {}, "owner": {"id": 2**53 + 1}}
    family = claim("value", "Pet", wire, "$.owner.id", held)
    assert outcome(family, target, tmp_path)[0] == code
