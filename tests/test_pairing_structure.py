"""Structure has the last word on a name match: pairs whose wire keys disagree are refused."""

from __future__ import annotations

from conformance.sources.pairing import MIN_CLOSENESS, Refused, Tie, closeness, pair_names


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


def test_a_spec_array_is_not_paired_with_an_sdk_union_or_object_of_its_name() -> None:
    """A spec body that is an array shares its name with an SDK's union of items: refused;
    an array, a scalar or a union of the spec pairs with its like."""
    from conformance.engine.structure import listing_signatures, schema_signatures
    from conformance.schema import (
        Alias,
        ArrayOf,
        EnumOf,
        Field,
        Model,
        Primitive,
        Ref,
        Schema,
        UnionOf,
    )
    from conformance.targets.discovery import ModelEntry

    schema = Schema(
        {
            "Item": Model("Item", (Field("id", Primitive("string")),)),
            "ListBody": Alias("ListBody", ArrayOf(Ref("Item"))),
            "Tags": Alias("Tags", ArrayOf(Primitive("string"))),
            "Color": Alias("Color", EnumOf(("red", "blue"))),
            "Either": Alias("Either", UnionOf((Ref("Item"), Primitive("string")))),
        }
    )
    both = ("request", "response")
    entries = [
        ModelEntry("Item", both, "object", keys=("id",)),
        ModelEntry("ListBody", both, "union"),
        ModelEntry("Tags", both, "array"),
        ModelEntry("Color", both, "enum"),
        ModelEntry("Either", both, "union"),
    ]
    pairing = pair_names(
        list(schema.definitions),
        [e.name for e in entries],
        left_signatures=schema_signatures(schema),
        right_signatures=listing_signatures(entries),
    )
    assert [r.left for r in pairing.refused] == ["ListBody"]
    assert set(pairing.pairs) == {(n, n) for n in ("Item", "Tags", "Color", "Either")}


def test_differently_named_models_with_one_key_set_pair_by_structure() -> None:
    """A spec's `CreateChatCompletionResponse` is an SDK's `ChatCompletion` when only they share
    those keys; the pair says it was made by structure."""
    keys = {"id", "choices", "created", "model"}
    pairing = pair_names(
        ["CreateChatCompletionResponse", "Usage"],
        ["ChatCompletion", "Usage"],
        left_signatures={"CreateChatCompletionResponse": keys, "Usage": {"total", "prompt"}},
        right_signatures={"ChatCompletion": set(keys), "Usage": {"total", "prompt"}},
    )
    assert pairing.pairs == (("CreateChatCompletionResponse", "ChatCompletion"), ("Usage", "Usage"))
    assert pairing.by_structure == (("CreateChatCompletionResponse", "ChatCompletion"),)
    assert (pairing.left_only, pairing.right_only) == ((), ())


def test_a_key_set_two_models_share_pairs_neither_and_is_a_tie() -> None:
    """Two SDK models with the spec model's keys are no evidence of which it is."""
    keys = {"type", "text"}
    pairing = pair_names(
        ["TextPart"],
        ["InputText", "OutputText"],
        left_signatures={"TextPart": keys},
        right_signatures={"InputText": set(keys), "OutputText": set(keys)},
    )
    assert pairing.pairs == ()
    assert pairing.ambiguous == (Tie(("TextPart",), ("InputText", "OutputText")),)


def test_one_shared_key_is_too_little_to_pair_by() -> None:
    """Models that only share a single key (`data`) are left unpaired."""
    pairing = pair_names(
        ["ListA"],
        ["Page"],
        left_signatures={"ListA": {"data"}},
        right_signatures={"Page": {"data"}},
    )
    assert (pairing.pairs, pairing.left_only, pairing.right_only) == ((), ("ListA",), ("Page",))


def test_a_refused_name_match_may_pair_by_structure_elsewhere() -> None:
    """A spec `Moderation` refused by the SDK's unlike `Moderation` pairs with the SDK model that
    has its keys."""
    keys = {"flagged", "categories", "category_scores"}
    pairing = pair_names(
        ["Moderation"],
        ["Moderation", "ModerationResult"],
        left_signatures={"Moderation": keys},
        right_signatures={"Moderation": {"id", "model", "results"}, "ModerationResult": set(keys)},
    )
    assert pairing.pairs == (("Moderation", "ModerationResult"),)
    assert pairing.refused == (Refused("Moderation", "Moderation", 0.0),)
    assert pairing.right_only == ("Moderation",)
