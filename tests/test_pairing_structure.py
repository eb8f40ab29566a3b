"""Structure has the last word on a name match: pairs whose wire keys disagree are refused."""

from __future__ import annotations

from conformance.sources.pairing import MIN_CLOSENESS, Refused, closeness, pair_names


def test_a_name_shared_by_an_object_and_a_value_union_is_refused() -> None:
    """One name for two types (an object ``{eq}`` and a union of values) is no pair."""
    pairing = pair_names(
        ["StreamAndEq", "Usage"],
        ["StreamAndEq", "Usage"],
        left_signatures={"StreamAndEq": {"eq"}, "Usage": {"total", "prompt"}},
        right_signatures={"StreamAndEq": set(), "Usage": {"total", "prompt"}},
    )
    assert pairing.pairs == (("Usage", "Usage"),)
    assert pairing.refused == (Refused("StreamAndEq", "StreamAndEq", 0.0),)
    assert (pairing.left_only, pairing.right_only) == (("StreamAndEq",), ("StreamAndEq",))


def test_close_structures_keep_their_pair() -> None:
    """A match whose keys mostly agree (one key added by a newer generator) is kept."""
    pairing = pair_names(
        ["Thing"],
        ["Thing"],
        left_signatures={"Thing": {"id", "name", "created"}},
        right_signatures={"Thing": {"id", "name", "created", "updated"}},
    )
    assert (pairing.pairs, pairing.refused) == ((("Thing", "Thing"),), ())
    assert closeness({"id", "name", "created"}, {"id", "name", "created", "updated"}) >= (
        MIN_CLOSENESS
    )


def test_an_alias_is_never_refused() -> None:
    """A pair the user declared stays, whatever the structures say."""
    pairing = pair_names(
        ["Body"],
        ["Payload"],
        {"Body": "Payload"},
        left_signatures={"Body": {"a"}},
        right_signatures={"Payload": {"b"}},
    )
    assert (pairing.pairs, pairing.refused) == ((("Body", "Payload"),), ())


def test_without_signatures_on_both_sides_names_decide() -> None:
    """With one side's signatures only, a name match stands: there is nothing to weigh."""
    pairing = pair_names(["Thing"], ["Thing"], left_signatures={"Thing": {"a"}})
    assert (pairing.pairs, pairing.refused) == ((("Thing", "Thing"),), ())
