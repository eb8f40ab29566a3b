"""Pairing every SDK target with listings begun at once: the same pairing as one by one, and a
target that cannot start skips every case, said in one line, either way."""

from __future__ import annotations

from pathlib import Path

import pytest

from conformance.core.config import parse_config
from conformance.engine.sdk_pairing import listings, pair_sdks, to_pair
from tests.flavour_sdks_python import write_stainless_sdk
from tests.tiny_sdks import SDK_PYTHON, require_pydantic


def test_listings_begun_at_once_pair_as_listing_one_by_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two SDK targets listed side by side pair exactly as when each is listed in turn; one
    that cannot start is left unpaired with the same line."""
    require_pydantic()
    folder = tmp_path / "sdk"
    folder.mkdir()
    write_stainless_sdk(folder)
    monkeypatch.setenv("PYTHONPATH", str(folder))
    good = {"kind": "python-sdk", "python": str(SDK_PYTHON), "package": "stainy"}
    broken = {"kind": "python-sdk", "python": str(tmp_path / "no-python"), "package": "stainy"}
    tables = [{"name": "one", **good}, {"name": "two", **good}, {"name": "gone", **broken}]
    config = parse_config({"targets": tables}, tmp_path)
    wanted = {"Tag": ("request", "response")}
    signatures = {"Tag": frozenset({"label"})}

    def paired(begin: bool) -> tuple[object, list[str]]:
        said: list[str] = []
        listed = listings(config, to_pair(config, pair_every_sdk=True)) if begin else None
        result = pair_sdks(
            config, wanted, said.append, signatures, pair_every_sdk=True, listed=listed
        )
        return result, said

    (targets, runs), said = paired(begin=True)
    assert paired(begin=False) == ((targets, runs), said)
    assert runs == wanted
    assert [t.name for t in targets] == ["one", "two", "gone"]
    [one, two, gone] = targets
    assert one.options["models"] == two.options["models"] != {}
    assert "models" not in gone.options
    assert [line.split(":")[0] for line in said] == ["one", "two", "gone"]
    assert said[2].endswith("it skips every case")
