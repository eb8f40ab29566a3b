"""Pairing model names across two SDKs: exact, tolerant, aliased, and fast."""

from __future__ import annotations

import random

from conformance.sources.pairing import Pairing, pair_names


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
        pairs=(), left_only=("Content",), right_only=("Content1", "Content2")
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
        pairs=(), left_only=("Apikey",), right_only=("APIKey", "ApiKey")
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
