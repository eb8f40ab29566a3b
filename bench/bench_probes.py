"""Benchmark: how long systematic probes take to build, and how many there are.

Two schemas, each probed in both directions of every model:

- bundled: the bundled orq OpenAPI document (``cases/orq/openapi.yaml``);
- synthetic: ``--models`` models (default 2,000) of twelve fields each, shaped
  like a large SDK's: scalars with formats, enums, nullable fields, arrays and
  maps, references to other models (a tree a few levels deep), discriminated and
  plain unions.

For each it prints the probe cases, the classes with a case, the sites
deduplication skipped, the mean payload size (JSON characters) and the time.
Only generation is timed: running the cases through targets is ``scale``'s cost.

Run: ``python bench/bench_probes.py [--models N] [--depth D]``.
"""

from __future__ import annotations

import argparse
import random
import time
from pathlib import Path

from conformance.core import jsonwire
from conformance.schema import (
    Alias,
    ArrayOf,
    Definition,
    Discriminator,
    EnumOf,
    Field,
    MapOf,
    Model,
    Nullable,
    Primitive,
    Ref,
    Schema,
    TypeRef,
    UnionOf,
)
from conformance.sources.cases import Direction
from conformance.sources.generate import probe_cases
from conformance.sources.openapi import load_openapi

ROOT = Path(__file__).resolve().parent.parent
DIRECTIONS: tuple[Direction, ...] = ("request", "response")
SCALARS: tuple[TypeRef, ...] = (
    Primitive("string"),
    Primitive("integer"),
    Primitive("integer", "int64"),
    Primitive("number"),
    Primitive("boolean"),
    Primitive("string", "date-time"),
    Primitive("string", "date"),
)


def synthetic(models: int, seed: int = 0) -> Schema:
    """``models`` models of twelve fields; each refers only to later ones (a finite tree)."""
    draw = random.Random(seed)
    definitions: dict[str, Definition] = {}
    for index in range(models):
        later = [f"M{n}" for n in range(index + 1, min(models, index + 40))]
        fields = []
        for number in range(12):
            roll = draw.random()
            type_: TypeRef
            if roll < 0.45 or not later:
                type_ = draw.choice(SCALARS)
            elif roll < 0.55:
                type_ = EnumOf((f"e{index % 7}", f"e{index % 7 + 1}"), open=roll < 0.5)
            elif roll < 0.65:
                type_ = Nullable(draw.choice(SCALARS))
            elif roll < 0.75:
                type_ = ArrayOf(Ref(draw.choice(later)))
            elif roll < 0.8:
                type_ = MapOf(Primitive("string"))
            elif roll < 0.9:
                type_ = Ref(draw.choice(later))
            else:
                type_ = UnionOf((Ref(draw.choice(later)), Primitive("string")), mode="anyOf")
            name = f"field_{number}_{draw.choice(('id', 'name', 'count', 'created_at'))}"
            fields.append(Field(name, type_, required=number < 3))
        definitions[f"M{index}"] = Model(f"M{index}", tuple(fields))
    if models >= 3:
        tagged = UnionOf(
            (Ref("Cat"), Ref("Dog")),
            discriminator=Discriminator("kind", (("cat", "Cat"), ("dog", "Dog"))),
        )
        definitions["Pet"] = Alias("Pet", tagged)
        definitions["Cat"] = Model("Cat", (Field("kind", Primitive("string"), required=True),))
        definitions["Dog"] = Model("Dog", (Field("kind", Primitive("string"), required=True),))
        first = definitions["M0"]
        assert isinstance(first, Model)
        definitions["M0"] = Model("M0", (*first.fields, Field("pet", Ref("Pet"))))
    return Schema(definitions, source="synthetic")


def measure(label: str, schema: Schema, depth: int) -> None:
    runs = [(model.name, way) for model in schema.models for way in DIRECTIONS]
    began = time.perf_counter()
    probes = probe_cases(schema, runs, max_depth=depth, problems=[])
    seconds = time.perf_counter() - began
    sizes = [len(jsonwire.dumps(case.wire)) for case in probes.cases]
    mean = sum(sizes) / len(sizes) if sizes else 0
    print(
        f"{label:>10}: {len(schema.models):6d} models, {len(probes.cases):7d} probes over "
        f"{probes.model_directions} model-directions, {probes.classes} classes, "
        f"{probes.repeats} repeats skipped, mean payload {mean:,.0f} chars, {seconds:.2f} s"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--models", type=int, default=2000, help="synthetic models")
    parser.add_argument("--depth", type=int, default=3, help="max_depth of the base payloads")
    args = parser.parse_args()
    measure("bundled", load_openapi(ROOT / "cases" / "orq" / "openapi.yaml"), args.depth)
    measure("synthetic", synthetic(args.models), args.depth)


if __name__ == "__main__":
    main()
