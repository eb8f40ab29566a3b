"""conformance: check that SDKs of one HTTP API read and write the same wire JSON."""

from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["__version__"]
