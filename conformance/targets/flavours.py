"""Which generator made an installed SDK (its flavour), told by the files the generator leaves.

A flavour says how a harness reads and writes with the SDK (``python_harness.py`` and
``node_harness.mjs`` take it as the ``flavor`` start option) and which naming
convention the SDK's native objects use when the target does not declare one:

=============  =====================================================  ==========
flavour        markers (inside the installed package)                 convention
=============  =====================================================  ==========
Python
``speakeasy``  ``_version.py`` with ``__gen_version__``, or            python
               ``utils/serializers.py``
``stainless``  ``_base_client.py`` and ``_models.py``                  python
``fern``       ``core/pydantic_utilities.py``                          python
``pydantic``   none of these (a hand-written pydantic SDK)             python
Node
``speakeasy``  ``lib/config.js`` or ``models/components/``             typescript
``stainless``  ``core/api-promise.js``, or ``core.js`` and ``_shims/``  wire
``fern``       ``serialization/`` and ``core/schemas/``; or, the       typescript
               newer generation with no serialization layer,           (newer: wire)
               ``core/fetcher/`` and ``api/``
``zod``        none of these (zod schemas of its own)                  typescript
=============  =====================================================  ==========

Stainless's TypeScript SDKs have no runtime schema: a response is ``JSON.parse`` of the
body and a request ``JSON.stringify`` of the params, so their objects keep the wire's
keys (the ``wire`` convention). So do the plain types of Fern's newer TypeScript generation
(no ``serialization/``: its client hands over the body ``JSON.parse`` made and sends the object
it is given through ``JSON.stringify``); ``flavour_convention`` tells it by the markers found
(its ``evidence``). A declared ``flavor`` always wins over detection; the
markers are checked in the order of the table, first match wins (a package carries
one generator's markers).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from attrs import Factory, field, frozen

from conformance.targets.npm_exports import entry_folder, read_manifest

__all__ = [
    "NODE_FLAVOURS",
    "PYTHON_FLAVOURS",
    "Flavour",
    "flavour_convention",
    "generated_subpackage",
    "node_flavour",
    "python_flavour",
]

PYTHON_FLAVOURS = ("speakeasy", "fern", "stainless", "pydantic")
NODE_FLAVOURS = ("speakeasy", "fern", "stainless", "zod")

#: Each kind's markers, in detection order: (flavour, files or folders that must all exist).
_PYTHON_MARKERS: tuple[tuple[str, tuple[tuple[str, ...], ...]], ...] = (
    ("speakeasy", (("utils/serializers.py",),)),
    ("stainless", (("_base_client.py", "_models.py"),)),
    ("fern", (("core/pydantic_utilities.py",),)),
)
_NODE_MARKERS: tuple[tuple[str, tuple[tuple[str, ...], ...]], ...] = (
    ("speakeasy", (("lib/config.js",), ("models/components/",))),
    ("stainless", (("core/api-promise.js",), ("core.js", "_shims/"))),
    # A newer Fern generation keeps only its fetcher and types (no serialization/): Fern's
    # all the same (the harness runs it with its fetcher's body reader and writer).
    ("fern", (("serialization/", "core/schemas/"), ("core/fetcher/", "api/"))),
)
_CONVENTIONS = {("node-sdk", "stainless"): "wire"}
#: Fern's newer TypeScript generation (told by its markers) keeps the wire's keys.
_NEWER_FERN = "core/fetcher/ and api/"
_EVIDENCE_CONVENTIONS = {("node-sdk", "fern", _NEWER_FERN): "wire"}
_DEFAULT_CONVENTIONS = {"python-sdk": "python", "node-sdk": "typescript"}


@frozen
class Flavour:
    """An SDK's flavour and why: the marker files found, or ``declared``; ``markers``: the
    marker files found (a declared flavour's too, where the package's files agree), which
    tell a generation of the flavour apart (``flavour_convention``)."""

    name: str
    evidence: str
    markers: str = field(
        default=Factory(lambda self: "" if self.evidence == "declared" else self.evidence, True)
    )


def python_flavour(folder: Path) -> Flavour:
    """The flavour of the Python package installed in ``folder`` (its import package's folder)."""
    version = folder / "_version.py"
    try:
        if "__gen_version__" in version.read_text("utf-8", errors="replace"):
            return Flavour("speakeasy", "_version.py has __gen_version__")
    except OSError:
        pass
    return _detect(folder, _PYTHON_MARKERS, "pydantic")


def generated_subpackage(folder: Path) -> str | None:
    """The one direct subpackage with a Python generator's markers, of a package that has
    none itself (a namespace package shared by several SDKs: ``mistralai`` holds its
    SDK as ``mistralai.client``); None where there is no such one subpackage."""
    if python_flavour(folder).name != "pydantic":
        return None
    found = [
        sub.name
        for sub in sorted(folder.iterdir())
        if sub.is_dir()
        and sub.name.isidentifier()
        and (sub / "__init__.py").is_file()
        and python_flavour(sub).name != "pydantic"
    ]
    return found[0] if len(found) == 1 else None


def node_flavour(folder: Path) -> Flavour:
    """The flavour of the npm package installed in ``folder`` (``node_modules/<package>``).

    The markers are looked for at the package root, in ``dist/``, and in the folder of
    the package's own entry (``esm/`` for an ``exports`` map whose ``"."`` is
    ``./esm/index.js``): packages publish their build folder through the map.
    """
    bases = [folder, folder / "dist"]
    entry = entry_folder(read_manifest(folder))
    if entry is not None and (folder / entry).resolve() not in {b.resolve() for b in bases}:
        bases.append(folder / entry)
    for base in bases:
        found = _detect(base, _NODE_MARKERS, "")
        if found.name:
            return found
    return Flavour("zod", "no generator's markers")


def flavour_convention(kind: str, flavour: str | None, markers: str = "") -> str | None:
    """The naming convention of an SDK of ``kind`` and ``flavour`` (None: not an SDK kind);
    ``markers`` (a :class:`Flavour`'s) tell a generation of the flavour apart."""
    found = _EVIDENCE_CONVENTIONS.get((kind, flavour or "", markers))
    if found is not None:
        return found
    return _CONVENTIONS.get((kind, flavour or ""), _DEFAULT_CONVENTIONS.get(kind))


def _detect(
    folder: Path, markers: Sequence[tuple[str, tuple[tuple[str, ...], ...]]], fallback: str
) -> Flavour:
    for name, alternatives in markers:
        for files in alternatives:
            if all(_exists(folder, each) for each in files):
                return Flavour(name, " and ".join(files))
    return Flavour(fallback, "no generator's markers")


def _exists(folder: Path, relative: str) -> bool:
    path = folder / relative.rstrip("/")
    return path.is_dir() if relative.endswith("/") else path.is_file()
