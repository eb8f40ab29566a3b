"""The pydantic package of ``tests/planted_sdks.py``: ``acme.client``, shaped like a Speakeasy SDK.

Faithful to the reference: strict models that forbid unknown keys; integers and
decimals kept exact (the SDK's ``unmarshal_json`` reads floats as ``Decimal``
and its ``marshal_json`` writes them back digit for digit); date-times and
dates kept as the strings they were, checked as RFC 3339 says; only the fields
the payload had are written (``exclude_unset``). ``acme.client._planted`` names
the planted differences; each is one condition in the code below, at one field.
"""

from __future__ import annotations

from collections.abc import Collection

__all__ = ["python_files"]

PLANTED_MODULE = "PLANTED = frozenset([{names}])\n"

TYPES = r'''"""Value types shared by the models: strict, and written back as they were read."""

from __future__ import annotations

import datetime
import re
from decimal import Context, Decimal
from typing import Annotated, Any, Union

from pydantic import AfterValidator, BeforeValidator, Strict, StrictBool, StrictInt, StrictStr
from pydantic import condecimal

from acme.client._planted import PLANTED

_ZONE = r"([Zz]|([+-])(\d{2}):(\d{2}))" + ("?" if "datetime.naive" in PLANTED else "")
_DATE_TIME = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d+)?" + _ZONE + r"\Z", re.ASCII
)
_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})\Z", re.ASCII)
_INT32 = (-(2**31), 2**31 - 1)
_INT64 = (-(2**63), 2**63 - 1)
_EXACT = Annotated[Decimal, Strict()]


def _real_date(year: str, month: str, day: str) -> bool:
    if "datetime.feb-30" in PLANTED:
        return 1 <= int(month) <= 12 and 1 <= int(day) <= 31
    try:
        datetime.date(int(year), int(month), int(day))
    except ValueError:
        return False
    return True


def _date_time(value: str) -> str:
    match = _DATE_TIME.match(value)
    ok = match is not None and _real_date(*match.group(1, 2, 3))
    if ok:
        hour, minute, second = (int(g) for g in match.group(4, 5, 6))
        ok = hour < 24 and minute < 60 and second <= 60
        if match.group(9):
            ok = ok and int(match.group(10)) < 24 and int(match.group(11)) < 60
    if not ok:
        raise ValueError("not an RFC 3339 date-time")
    fraction = match.group(7) or ""
    if "datetime.nanoseconds" in PLANTED and len(fraction) > 7:
        value = value.replace(fraction, fraction[:7])  # datetime holds microseconds
    if "datetime.offset" in PLANTED and match.group(9):
        value = _in_utc(match)
    return value


def _in_utc(match: re.Match[str]) -> str:
    """The same instant in UTC, written with ``Z``."""
    numbers = [int(g) for g in match.group(1, 2, 3, 4, 5, 6)]
    local = datetime.datetime(*numbers)
    shift = datetime.timedelta(hours=int(match.group(10)), minutes=int(match.group(11)))
    utc = local - shift if match.group(9) == "+" else local + shift
    return f"{utc:%Y-%m-%dT%H:%M:%S}{match.group(7) or ''}Z"


def _epoch(value: Any) -> Any:
    if "datetime.epoch" in PLANTED and type(value) is int:
        moment = datetime.datetime.fromtimestamp(value, datetime.timezone.utc)
        return f"{moment:%Y-%m-%dT%H:%M:%S}Z"
    return value


def _date(value: str) -> str:
    if "date.as-date-time" in PLANTED and _DATE_TIME.match(value):
        return value
    match = _DATE.match(value)
    if match is None or not _real_date(*match.group(1, 2, 3)):
        raise ValueError("not an RFC 3339 full-date")
    return value


def _integer(value: Union[int, Decimal], bounds: tuple[int, int]) -> Union[int, Decimal]:
    if isinstance(value, Decimal) and value != value.to_integral_value():
        raise ValueError("not an integer")
    if not bounds[0] <= value <= bounds[1]:
        raise ValueError("out of range")
    return value


def _int32(value: Union[int, Decimal]) -> Union[int, Decimal]:
    return _integer(value, _INT32)


def _count(value: Union[int, Decimal]) -> Union[int, Decimal]:
    if "coercion.integral-float" in PLANTED and isinstance(value, Decimal):
        raise ValueError("expected an integer token")
    return _integer(value, _INT64 if "numbers.2^53+1" in PLANTED else _INT32)


def _digits(value: Any) -> Any:
    if "coercion.numeric-string" in PLANTED and type(value) is str and value.isdigit():
        return int(value)
    return value


def _number(value: Union[int, Decimal]) -> Union[int, float, Decimal]:
    if isinstance(value, int):
        if "numbers.2^64+1" in PLANTED and value >= 2**64:
            return value % 2**64  # wraps around as a uint64
        if "numbers.2^63" in PLANTED and 2**63 <= value < 2**64:
            return value - 2**64  # overflows a signed int64
        return value
    if not value.is_finite():
        return value
    if "numbers.1e400" in PLANTED and value.adjusted() > 308:
        return float(value)  # inf: written as null
    if "numbers.17-digits" in PLANTED and len(value.as_tuple().digits) > 15:
        return Context(prec=15).create_decimal(value)
    if "numbers.1E+21" in PLANTED and value.as_tuple().exponent > 0:
        return int(value)
    return value


def _flag(value: Any) -> Any:
    if "coercion.boolean-string" in PLANTED and value in ("true", "false", "yes", "no"):
        return value in ("true", "yes")
    return value


def _name(value: str) -> str:
    if "strings.astral" in PLANTED:
        value = "".join(c for c in value if ord(c) <= 0xFFFF)
    if "strings.lone-surrogate" in PLANTED and any(0xD800 <= ord(c) <= 0xDFFF for c in value):
        raise ValueError("a lone surrogate")
    return value


def _label(value: str) -> str:
    if "strings.u2028" in PLANTED:
        return value.replace("\u2028", "\n")
    return value


_NON_FINITE = "text.nan" in PLANTED or "text.infinity" in PLANTED

DateTime = Annotated[StrictStr, AfterValidator(_date_time), BeforeValidator(_epoch)]
Date = Annotated[StrictStr, AfterValidator(_date)]
# An integer token stays an int; 1.0 stays Decimal("1.0"), written back as 1.0.
Int32 = Annotated[Union[StrictInt, _EXACT], AfterValidator(_int32)]
Count = Annotated[Union[StrictInt, _EXACT], AfterValidator(_count), BeforeValidator(_digits)]
Number = Annotated[
    Union[StrictInt, condecimal(strict=True, allow_inf_nan=_NON_FINITE)],
    AfterValidator(_number),
]
Flag = Annotated[StrictBool, BeforeValidator(_flag)]
Name = Annotated[StrictStr, AfterValidator(_name)]
Label = Annotated[StrictStr, AfterValidator(_label)]
'''

PETS = """\
from __future__ import annotations

from typing import Literal

import pydantic

from acme.client._planted import PLANTED
from acme.client.models._types import Int32


class Cat(pydantic.BaseModel):
    model_config = pydantic.ConfigDict(strict=True, extra="forbid")

    if "union.unknown-discriminator" in PLANTED:
        species: pydantic.StrictStr
    else:
        species: Literal["cat"]
    lives: Int32


class Dog(pydantic.BaseModel):
    model_config = pydantic.ConfigDict(strict=True, extra="forbid")

    species: Literal["dog"]
    good_boy: pydantic.StrictBool
"""

SHAPES = """\
from __future__ import annotations

import pydantic

from acme.client.models._types import Int32, Label


class Plain(pydantic.BaseModel):
    model_config = pydantic.ConfigDict(strict=True, extra="forbid")

    label: Label


class Rich(pydantic.BaseModel):
    model_config = pydantic.ConfigDict(strict=True, extra="forbid")

    label: Label
    weight: Int32 = None
"""

OWNER = """\
from __future__ import annotations

import pydantic

from acme.client._planted import PLANTED
from acme.client.models._types import Int32


class Owner(pydantic.BaseModel):
    model_config = pydantic.ConfigDict(strict=True, extra="forbid")

    if "keys.camel-name" in PLANTED:
        owner_name: pydantic.StrictStr = pydantic.Field(
            validation_alias=pydantic.AliasChoices("owner_name", "ownerName")
        )
    else:
        owner_name: pydantic.StrictStr
    nickname: pydantic.StrictStr = None


class Counts(pydantic.BaseModel):
    # A map read as a model of the keys its example had: other keys are dropped.
    model_config = pydantic.ConfigDict(strict=True, extra="ignore")

    key: Int32 = None
"""

# Optional fields default to None without being Optional: the default is never
# validated, and an explicit null is refused as the schema says.
THING = """\
from __future__ import annotations

from typing import Annotated, Any, Dict, List, Literal, Optional, Union

import pydantic

from acme.client._planted import PLANTED
from acme.client.models._types import Count, Date, DateTime, Flag, Int32, Name, Number
from acme.client.models.owner import Counts, Owner
from acme.client.models.pets import Cat, Dog
from acme.client.models.shapes import Plain, Rich

_TAGS = pydantic.AliasChoices("tags", "TAGS") if "keys.case-variant" in PLANTED else None


class Thing(pydantic.BaseModel):
    model_config = pydantic.ConfigDict(
        strict=True, extra="forbid", populate_by_name="keys.attribute-name" in PLANTED
    )

    if "presence.null-required" in PLANTED:
        item_count: Optional[Count]
    else:
        item_count: Count
    if "presence.required-nullable-removed" in PLANTED:
        display_name: Optional[Name] = None
    else:
        display_name: Optional[Name]
    ratio: Number = None
    page_limit: Int32 = 10
    kind: Literal["thing"] = "thing"
    is_active: Flag = None
    created_at: DateTime = None
    birth_day: Date = None
    color: Literal["red", "green", "blue"] = None
    if "union.unknown-discriminator" in PLANTED:
        pet: Union[Cat, Dog] = None
    else:
        pet: Annotated[Union[Cat, Dog], pydantic.Field(discriminator="species")] = None
    shape: Union[Plain, Rich] = None
    last_seen: pydantic.StrictStr = pydantic.Field(default=None, alias="Last-Seen")
    if "keys.additional" in PLANTED:
        counts: Counts = None
    else:
        counts: Dict[str, Int32] = None
    owner: Owner = None
    tags: List[pydantic.StrictStr] = pydantic.Field(default=None, validation_alias=_TAGS)

    def model_post_init(self, context: Any) -> None:
        if "presence.const-default-absent" in PLANTED:
            self.model_fields_set.add("kind")  # the SDK always sends its const tag
"""

UTILS = """\
import json
from decimal import Decimal

from acme.client._planted import PLANTED

_ASCII = "text.raw-utf8" in PLANTED


def _constant(token):
    if token == "NaN" and "text.nan" in PLANTED:
        return Decimal(token)
    if token != "NaN" and "text.infinity" in PLANTED:
        return Decimal(token)
    raise ValueError(f"{token} is not JSON")


def _object(pairs):
    if "text.duplicate-key" in PLANTED:
        out = {}
        for key, value in pairs:
            if key != "color" or key not in out:  # the first "color" wins
                out[key] = value
        return out
    return dict(pairs)


def _exact(value):
    if isinstance(value, float):
        return Decimal(repr(value))
    if isinstance(value, dict):
        return {k: _exact(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_exact(v) for v in value]
    return value


def unmarshal_json(text, cls):
    value = json.loads(
        text, parse_float=Decimal, parse_constant=_constant, object_pairs_hook=_object
    )
    return cls.model_validate(value)


def unmarshal(value, cls):
    return cls.model_validate(_exact(value))


def _dumps(value):
    if isinstance(value, dict):
        items = (json.dumps(k, ensure_ascii=_ASCII) + ":" + _dumps(v) for k, v in value.items())
        return "{" + ",".join(items) + "}"
    if isinstance(value, list):
        return "[" + ",".join(_dumps(v) for v in value) + "]"
    if isinstance(value, Decimal):
        return str(value) if value.is_finite() else "null"
    if isinstance(value, float):
        return repr(value) if value - value == 0 else "null"
    return json.dumps(value, ensure_ascii=_ASCII)


def marshal_json(obj, cls):
    return _dumps(obj.model_dump(by_alias=True, exclude_unset=True))
"""


def python_files(planted: Collection[str]) -> dict[str, str]:
    """The package's files, by path under the ``PYTHONPATH`` folder, with ``planted`` set."""
    client = "acme/client"
    names = ", ".join(repr(name) for name in sorted(planted))
    return {
        "acme/__init__.py": "",
        f"{client}/__init__.py": "",
        f"{client}/_version.py": '__title__ = "acme-client"\n__version__ = "0.1.0"\n',
        f"{client}/_planted.py": PLANTED_MODULE.format(names=names),
        f"{client}/utils/__init__.py": UTILS,
        f"{client}/models/__init__.py": "",
        f"{client}/models/_types.py": TYPES,
        f"{client}/models/pets.py": PETS,
        f"{client}/models/shapes.py": SHAPES,
        f"{client}/models/owner.py": OWNER,
        f"{client}/models/thing.py": THING,
    }
