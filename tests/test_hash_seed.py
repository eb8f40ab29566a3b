"""Python harnesses run with one hash seed, so set-ordered SDK behaviour repeats across runs."""

from __future__ import annotations

import sys

import pytest

from conformance.targets.builtin import python_sdk_target


def test_python_sdk_target_fixes_the_hash_seed(monkeypatch: pytest.MonkeyPatch) -> None:
    """With no PYTHONHASHSEED of the user's, the harness gets seed 0 and its other env stays."""
    monkeypatch.delenv("PYTHONHASHSEED", raising=False)
    target = python_sdk_target("sdk", sys.executable, ["m"], "m", env={"EXTRA": "1"})
    assert target.env == {"PYTHONHASHSEED": "0", "EXTRA": "1"}


def test_python_sdk_target_keeps_the_users_hash_seed(monkeypatch: pytest.MonkeyPatch) -> None:
    """A PYTHONHASHSEED the user set is the one the harness inherits."""
    monkeypatch.setenv("PYTHONHASHSEED", "random")
    target = python_sdk_target("sdk", sys.executable, ["m"], "m")
    assert target.env is None
