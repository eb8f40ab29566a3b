"""A spec model an SDK splits in two (a response class, a request TypedDict) pairs per direction."""

from __future__ import annotations

from pathlib import Path

import pytest

from conformance.core.config import parse_config
from conformance.engine.sdk_pairing import pair_with
from tests.flavour_sdks_python import write_stainless_sdk
from tests.tiny_sdks import SDK_PYTHON, require_pydantic


def test_a_model_split_by_direction_maps_each_direction_to_its_own_class(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The spec's `Tag`, run both ways, is Stainless's `shared.Tag` read and `shared_params.Tag`
    sent: twins no pairing of all directions can tell apart, one in each direction."""
    require_pydantic()
    folder = tmp_path / "sdk"
    folder.mkdir()
    write_stainless_sdk(folder)
    monkeypatch.setenv("PYTHONPATH", str(folder))
    table = {"name": "stainy", "kind": "python-sdk", "python": str(SDK_PYTHON), "package": "stainy"}
    config = parse_config({"targets": [table]}, tmp_path)
    [each] = config.targets
    both = ("request", "response")
    paired, directions, pairing = pair_with(
        config, each, ["Tag"], {"Tag": frozenset({"label"})}, {"Tag": both}
    )
    models = paired.options["models"]
    assert (models["Tag@request"], models["Tag@response"]) == ("shared_params.Tag", "shared.Tag")
    assert directions["Tag"] == both
    assert "Tag" not in pairing.left_only
