"""The API spec as the oracle of a run at scale, when the configuration has one.

A spec is the one voice neither SDK under test wrote: where it is available its
bodies decide which models are wire JSON and which way each goes
(``sources.wire_models``), and the reference targets read it. ``auto`` takes the
spec when the configured schema is an OpenAPI document whose operations have JSON
bodies; a fragment of ``components.schemas`` alone says nothing of which models are
sent or received, so ``auto`` leaves it to the SDK export, and ``spec`` runs every
object model of it both ways.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping
from typing import Literal

from attrs import frozen

from conformance.core.config import Config
from conformance.exceptions import ConfigError
from conformance.schema import Schema
from conformance.sources.cases import Direction
from conformance.sources.loading import load_schema
from conformance.sources.wire_models import wire_models

__all__ = ["SpecOracle", "spec_oracle"]

Oracle = Literal["auto", "spec", "sdk"]
_OPENAPI_SUFFIXES = (".yaml", ".yml", ".json")
#: Schema problems said one by one; past this, a count per message.
_SAID = 5


@frozen
class SpecOracle:
    """The spec's schema and its wire models with their directions."""

    schema: Schema
    runs: Mapping[str, tuple[Direction, ...]]


def spec_oracle(config: Config, oracle: Oracle, say: Callable[[str], None]) -> SpecOracle | None:
    """The spec oracle of ``config`` (None: use the SDK export); ``say`` takes one line each."""
    if oracle == "sdk":
        return None
    paths = config.schema
    if len(paths) != 1 or paths[0].suffix.lower() not in _OPENAPI_SUFFIXES:
        if oracle == "spec":
            raise ConfigError(
                "--oracle spec needs one OpenAPI document as the schema",
                "pass --schema openapi.yaml or set [tool.conformance] schema",
                file=config.file,
                key="tool.conformance.schema",
            )
        return None
    schema = load_schema(paths[0])
    wire = wire_models(schema)
    if not wire.from_bodies and oracle == "auto":
        say(
            f"{paths[0]} has no JSON bodies in its operations, so it does not say which "
            "models are sent or received: the oracle is a Python SDK's export "
            "(--oracle spec runs every model of the document both ways)"
        )
        return None
    _say_problems(schema, say)
    requests = sum(1 for ways in wire.runs.values() if "request" in ways)
    responses = sum(1 for ways in wire.runs.values() if "response" in ways)
    if wire.from_bodies:
        say(
            f"the oracle is the API spec {schema.source}: {wire.bodies} JSON bodies reach "
            f"{len(wire.runs)} wire models ({requests} sent, {responses} received); "
            f"{wire.other_media} bodies of other media types and {wire.unreachable} named "
            "schemas no JSON body uses are not run"
        )
    else:
        say(
            f"the oracle is the API spec {schema.source}, a document without operations: "
            f"its {len(wire.runs)} object models are run both ways"
        )
    return SpecOracle(schema, wire.runs)


def _say_problems(schema: Schema, say: Callable[[str], None]) -> None:
    """The schema's problems: the first few in full, then a count per message."""
    for problem in schema.problems[:_SAID]:
        say(f"schema: {problem}")
    rest = Counter(problem.message for problem in schema.problems[_SAID:])
    for message, count in rest.most_common():
        say(f"schema: {count} more: {message}")
