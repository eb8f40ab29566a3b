"""The one cattrs converter factory of the reference targets.

``make_converter(models, convention)`` returns a fresh ``OracleConverter`` (a
``cattrs.Converter``) configured for one naming convention: ``wire`` reads and
writes wire JSON, ``python`` and ``typescript`` read and write the *native view*
(the same data under that language's field names). Every hook comes from a
factory registered by predicate for a whole family of types, never from the
global converter; the modules are cut by concept:

* ``_primitives``: exact JSON types, formats, integer bounds, enums (closed or open), consts;
* ``_unions``: ``oneOf``/``anyOf`` (by discriminator or by trial) and nullables;
* ``_definitions``: the generated attrs classes with their extras, and aliases (each
  class's hooks written as code for it by ``_codegen``, as cattrs writes its own);
* ``_containers``: arrays and maps;
* ``_converter``: the converter class, the factory and the registrations.

What cattrs would do by default is wrong for a conformance oracle, so the hooks
are strict: ``"7"`` is not an integer, ``42`` is not a string, ``"false"`` and
``0`` are not booleans, a string is not a list. A key that was absent stays
absent (``ABSENT``) and ``null`` stays ``None``. Unknown keys are kept (in the
instance's extras) and counted per converter (``unknown_key_count``), so callers
can report them. Errors are ``StructureError`` with the path in the convention's
names (wire names for the wire converter): ``required field missing @ $.choices[0].index``.
"""

from __future__ import annotations

from conformance.oracle.converters._converter import (
    OracleConverter,
    configure_converter,
    direct_hooks,
    make_converter,
    unknown_key_count,
)
from conformance.oracle.converters._core import StructureError, ViewCollision, describe

__all__ = [
    "OracleConverter",
    "StructureError",
    "ViewCollision",
    "configure_converter",
    "describe",
    "direct_hooks",
    "make_converter",
    "unknown_key_count",
]
