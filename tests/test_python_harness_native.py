"""The Python harness's native view: each kind of value a pydantic model holds, shown as JSON.

The view is built by the harness's own walk (``CaseRunner.native``), run here in the
SDK's interpreter (it has pydantic) over models that hold every kind of value the walk
tells apart: plain values, subclasses of them, enums, models in lists and maps, extras,
"not given" markers, and values JSON has no type for.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

from conformance.targets.builtin import harness_program
from tests.tiny_sdks import SDK_PYTHON, require_pydantic

SCRIPT = """
import datetime, decimal, enum, json, sys, uuid
from typing import Any, Dict, List, Optional

import pydantic

sys.path.insert(0, sys.argv[1])
sys.dont_write_bytecode = True  # no bytecode in the package's folder, as the harness does
from python_harness_cases import CaseRunner


class Colour(str, enum.Enum):
    RED = "red"


class Level(enum.IntEnum):
    HIGH = 3


class Count(int):
    pass


class Ratio(float):
    pass


class Label(str):
    pass


class Thing:
    def __str__(self) -> str:
        return "a thing"


class UnsetType(pydantic.BaseModel):
    def __bool__(self) -> bool:
        return False


UNSET = UnsetType()


class Leaf(pydantic.BaseModel):
    model_config = pydantic.ConfigDict(extra="allow", arbitrary_types_allowed=True)
    name: str
    note: Optional[str] = None
    later: Any = UNSET


class Tree(pydantic.BaseModel):
    model_config = pydantic.ConfigDict(arbitrary_types_allowed=True)
    colour: Colour
    level: Level
    count: Any
    ratio: Any
    label: Any
    big: float
    inf: float
    when: datetime.datetime
    day: datetime.date
    span: datetime.timedelta
    exact: decimal.Decimal
    huge: decimal.Decimal
    raw: bytes
    ident: uuid.UUID
    pair: Any
    tags: Any
    leaves: List[Leaf]
    by_name: Dict[str, Leaf]
    other: Any
    absent: Optional[int] = None
    given_none: Optional[int] = None


tree = Tree(
    colour="red",
    level=3,
    count=Count(7),
    ratio=Ratio("nan"),
    label=Label("x"),
    big=1e300,
    inf=float("inf"),
    when=datetime.datetime(2024, 1, 2, 3, 4, 5, tzinfo=datetime.timezone.utc),
    day=datetime.date(2024, 1, 2),
    span=datetime.timedelta(seconds=90),
    exact=decimal.Decimal("1.50"),
    huge=decimal.Decimal("1E+400"),
    raw=b"hi",
    ident=uuid.UUID(int=1),
    pair=(1, "a"),
    tags=frozenset({"t"}),
    leaves=[Leaf(name="a", extra_key={"deep": [1]}), Leaf(name="b", note=None)],
    by_name={"k": Leaf(name="c", later="now")},
    other=Thing(),
    given_none=None,
)


class Revision(pydantic.BaseModel):
    model_config = pydantic.ConfigDict(extra="allow", protected_namespaces=())
    api_model_revision_id: Optional[str] = pydantic.Field(default=None, alias="modelRevisionId")


# As Stainless's construct_type builds it: the aliased key in the field and among the extras.
revision = Revision.model_construct(api_model_revision_id="4")
revision.__pydantic_extra__ = {"modelRevisionId": "4", "other": 1}


class Models:
    base_model = pydantic.BaseModel


runner = CaseRunner(Models(), None, None, None, "", "")
warnings, undeclared = [], []
native = runner.native(tree, warnings, undeclared)
aliased_undeclared = []
aliased = runner.native(revision, [], aliased_undeclared)
print(json.dumps({"native": native, "warnings": warnings, "undeclared": undeclared,
                  "aliased": aliased, "aliased_undeclared": aliased_undeclared}))
"""


def native_view(tmp_path: Path) -> Any:
    """What the harness's walk makes of the ``Tree`` above, with its warnings and extras."""
    script = tmp_path / "native.py"
    script.write_text(SCRIPT, encoding="utf-8")
    folder = harness_program("python_harness_cases.py").parent
    done = subprocess.run(
        [str(SDK_PYTHON), str(script), str(folder)], capture_output=True, text=True, check=True
    )
    return json.loads(done.stdout)


def test_every_kind_of_value_has_its_native_view(tmp_path: Path) -> None:
    """Plain values stay, subclasses and enums show as their plain value, the rest as JSON."""
    require_pydantic()
    view = native_view(tmp_path)
    assert view["native"] == {
        "colour": "red",
        "level": 3,
        "count": 7,
        "ratio": "nan",
        "label": "x",
        "big": 1e300,
        "inf": "inf",
        "when": "2024-01-02T03:04:05+00:00",
        "day": "2024-01-02",
        "span": 90.0,
        "exact": 1.5,
        "huge": "1E+400",
        "raw": "aGk=",
        "ident": "00000000-0000-0000-0000-000000000001",
        "pair": [1, "a"],
        "tags": ["t"],
        "leaves": [
            {"name": "a", "extra_key": {"deep": [1]}},
            {"name": "b", "note": None},
        ],
        "by_name": {"k": {"name": "c", "later": "now"}},
        "other": "a thing",
        "given_none": None,
    }


def test_values_json_cannot_hold_are_named_in_warnings(tmp_path: Path) -> None:
    """Non-finite floats and a Decimal beyond float range are strings, each with a warning."""
    require_pydantic()
    assert native_view(tmp_path)["warnings"] == [
        "non-finite float nan shown as a string",
        "non-finite float inf shown as a string",
        "Decimal '1E+400' beyond float range shown as a string",
        "Thing value shown as its str()",
    ]


def test_an_extra_key_is_undeclared_at_its_path(tmp_path: Path) -> None:
    """A key a model kept without declaring it is listed at its path, and nothing under it."""
    require_pydantic()
    assert native_view(tmp_path)["undeclared"] == [["leaves", 0, "extra_key"]]


def test_an_extra_that_is_a_field_s_own_wire_key_is_not_a_key_of_its_own(tmp_path: Path) -> None:
    """A model that keeps a field's alias among its extras too (Stainless's construct_type)
    shows the field once, under its attribute name; only the truly unknown key is undeclared."""
    require_pydantic()
    view = native_view(tmp_path)
    assert view["aliased"] == {"api_model_revision_id": "4", "other": 1}
    assert view["aliased_undeclared"] == [["other"]]
