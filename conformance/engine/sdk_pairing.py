"""Pairing the SDK targets' models with the oracle's, for ``scale`` and ``init``.

Each SDK target to pair starts its harness, lists its models (``listings``: every
target at once, each in a thread of its own, beside the schema's export; the harness
stopped after, or kept open for the run: ``engine.kept``) and is
paired with the oracle's model names (``pair_with``: by name, then by structure,
then one direction at a time); ``pair_sdks`` does it for every target of a
configuration and says what each left unpaired.
"""

from __future__ import annotations

import concurrent.futures
from collections.abc import Callable, Mapping, Sequence

import attrs

from conformance.core.config import Config, TargetConfig
from conformance.engine.kept import Kept, held
from conformance.engine.structure import listing_signatures, or_none
from conformance.exceptions import ConfigError
from conformance.oracle.models import build_models
from conformance.schema import Schema
from conformance.sources.cases import Direction
from conformance.sources.pairing import Pairing, Signature, pair_names
from conformance.targets.discovery import ModelEntry
from conformance.targets.factory import build_targets
from conformance.targets.harness import HarnessTarget

__all__ = [
    "DIRECTIONS",
    "SDK_KINDS",
    "harness_of",
    "listings",
    "pair_sdks",
    "pair_with",
    "to_pair",
]

SDK_KINDS = ("python-sdk", "node-sdk")
DIRECTIONS: tuple[Direction, ...] = ("request", "response")
Say = Callable[[str], None]


def pair_sdks(
    config: Config,
    wanted: Mapping[str, tuple[Direction, ...]],
    note: Say,
    signatures: Mapping[str, Signature],
    *,
    pair_every_sdk: bool = False,
    listed: Mapping[str, concurrent.futures.Future[list[ModelEntry]]] | None = None,
) -> tuple[list[TargetConfig], dict[str, tuple[Direction, ...]]]:
    """The SDK targets (with name mappings) and the directions run per model of ``wanted``;
    ``signatures`` are the models' wire keys, to pair by structure too; ``listed``: the
    targets' model listings begun already (``listings``), by target name.

    The Python SDK the schema was exported from needs no pairing: the names are its
    own; with ``pair_every_sdk`` (the oracle is the spec) every SDK target pairs.
    """
    sdk_targets: list[TargetConfig] = []
    runs: dict[str, tuple[Direction, ...]] = dict(wanted)
    paired_names = {each.name for each in to_pair(config, pair_every_sdk)}
    for each in config.targets:
        if each.kind not in SDK_KINDS:
            continue
        if each.name not in paired_names:
            sdk_targets.append(each)
            continue
        begun = (listed or {}).get(each.name)
        try:
            entries = None if begun is None else begun.result()
            paired, directions, pairing = pair_with(
                config, each, list(runs), signatures, runs, entries
            )
        except ConfigError as error:
            note(f"{each.name}: {error.message}; it skips every case")
            sdk_targets.append(each)
            continue
        sdk_targets.append(paired)
        unpaired = [name for name in runs if name not in directions]
        # Paired, but without a direction the oracle runs (a Node SDK has no schema for it).
        one_way = [n for n in runs if n in directions and set(runs[n]) - set(directions[n])]
        note(
            f"{each.name}: {len(unpaired)} model(s) unpaired (left out; of them "
            f"{sum(len(t.left) for t in pairing.ambiguous)} in {len(pairing.ambiguous)} tie(s) "
            f"and {len(pairing.refused)} refused name match(es): one name, two structures), "
            f"{len(one_way)} lack a direction the oracle runs (run the other way only)"
        )
        runs = {
            name: tuple(d for d in ways if d in directions[name])
            for name, ways in runs.items()
            if name in directions
        }
        runs = {name: ways for name, ways in runs.items() if ways}
    return sdk_targets, runs


def to_pair(config: Config, pair_every_sdk: bool) -> list[TargetConfig]:
    """The SDK targets whose models are paired with the oracle's: every one when the oracle
    is the spec, else all but the Python SDKs (the export's names are a Python SDK's own)."""
    return [
        each
        for each in config.targets
        if each.kind in SDK_KINDS and (pair_every_sdk or each.kind != "python-sdk")
    ]


def listings(
    config: Config, targets: Sequence[TargetConfig], kept: Kept | None = None
) -> dict[str, concurrent.futures.Future[list[ModelEntry]]]:
    """Each target's model listing, begun now in a thread of its own (its harness started and
    asked there, then stopped, or with ``kept`` held open there for the run); a failure to
    start is raised by the future's ``result``."""
    if not targets:
        return {}
    threads = concurrent.futures.ThreadPoolExecutor(len(targets), "conformance-listing")
    begun = {each.name: threads.submit(_listing, config, each, kept) for each in targets}
    threads.shutdown(wait=False)  # each thread ends when its listing does
    return begun


def _listing(config: Config, each: TargetConfig, kept: Kept | None = None) -> list[ModelEntry]:
    # Kept before the listing is given: whoever waits for it finds the harness kept.
    with held(harness_of(config, each), kept) as target:
        target.start()
        return target.list_model_entries()


def harness_of(config: Config, each: TargetConfig) -> HarnessTarget:
    """The harness target of one configured SDK target, or a usage error saying why not."""
    alone = attrs.evolve(config, targets=(each,), models={}, cross=False)
    built = build_targets(alone, build_models(Schema()))[0]
    if not isinstance(built, HarnessTarget):
        reason = getattr(built, "reason", "it is not a harness target")
        raise ConfigError(f"target {each.name!r} cannot run here: {reason}")
    return built


def pair_with(
    config: Config,
    each: TargetConfig,
    models: Sequence[str],
    signatures: Mapping[str, Signature] | None = None,
    runs: Mapping[str, Sequence[Direction]] | None = None,
    entries: Sequence[ModelEntry] | None = None,
) -> tuple[TargetConfig, dict[str, tuple[Direction, ...]], Pairing]:
    """``each`` with a name mapping from ``models`` to its names; the directions it runs per
    model; and the pairing itself (its ties and refused matches are left out of the run).

    Models it does not pair are absent from the directions (a Speakeasy Node SDK
    only has the schemas of the directions the API uses each model in). The
    wire keys of ``models`` (``signatures``) and of the target's listing pair
    namespace twins by structure where both sides have them.

    What the pairing of all directions leaves (a tie, no match) is paired again one
    direction at a time, among the SDK's models of that direction (``runs``: the
    directions each model runs in; default both): an SDK may have one model per
    direction where the spec has one (Stainless's response class and request
    ``TypedDict`` of one name). Such a model maps each direction on its own
    (``Model@response``, ``Model@request`` in the mapping). ``entries``: the target's model
    listing when it was made already (``listings``); without it the target is listed here.
    """
    if entries is None:
        entries = _listing(config, each)
    theirs = {entry.name: entry.directions for entry in entries}
    aliases = {**config.models, **each.options.get("models", {})}
    ours_signatures = or_none(signatures or {})
    their_signatures = or_none(listing_signatures(entries))
    pairing = pair_names(
        models, theirs, aliases, left_signatures=ours_signatures, right_signatures=their_signatures
    )
    found: dict[tuple[str, Direction], str] = {
        (ours, d): other for ours, other in pairing.pairs for d in DIRECTIONS if d in theirs[other]
    }
    claimed = {other for _, other in pairing.pairs}
    leftover = [name for name in models if name not in pairing.left_to_right()]
    for direction in DIRECTIONS:
        lefts = [n for n in leftover if runs is None or direction in runs.get(n, DIRECTIONS)]
        rights = {n: d for n, d in theirs.items() if direction in d and n not in claimed}
        if not lefts or not rights:
            continue
        one_way = pair_names(
            lefts,
            rights,
            aliases,
            left_signatures=ours_signatures,
            right_signatures=their_signatures,
        )
        found.update({(ours, direction): other for ours, other in one_way.pairs})
    mapping: dict[str, str] = {}
    for (ours, direction), other in found.items():
        both = {found.get((ours, d)) for d in DIRECTIONS if (ours, d) in found}
        if len(both) == 1:
            if ours != other:
                mapping[ours] = other
        else:
            mapping[f"{ours}@{direction}"] = other
    options = {**each.options, "models": {**each.options.get("models", {}), **mapping}}
    directions = {ours: tuple(d for d in DIRECTIONS if (ours, d) in found) for ours, _ in found}
    return attrs.evolve(each, options=options), directions, _with_pairs(pairing, found)


def _with_pairs(pairing: Pairing, found: Mapping[tuple[str, Direction], str]) -> Pairing:
    """``pairing`` with the pairs made one direction at a time added (and out of its ties)."""
    pairs = sorted({(ours, other) for (ours, _), other in found.items()})
    if len(pairs) == len(pairing.pairs):
        return pairing
    paired = {ours for ours, _ in pairs}
    theirs = {other for _, other in pairs}
    return Pairing(
        tuple(pairs),
        tuple(n for n in pairing.left_only if n not in paired),
        tuple(n for n in pairing.right_only if n not in theirs),
        tuple(t for t in pairing.ambiguous if not paired.issuperset(t.left)),
        pairing.refused,
        pairing.by_structure,
    )
