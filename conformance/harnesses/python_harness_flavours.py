"""Generator flavours of the Python harness (see ``python_harness.py``): which SDK functions run.

Runs under the SDK's own interpreter with the standard library only, like the
harness. The ``flavor`` start option names the generator that made the SDK:

* ``speakeasy``: ``<package>.utils.unmarshal_json`` / ``unmarshal`` /
  ``marshal_json`` (``python_harness_cases``'s own routes); a start error when
  the package has none of them.
* ``pydantic``: a hand-written pydantic SDK: ``model_validate_json`` /
  ``model_validate`` / ``model_dump_json(by_alias=True)``, without looking for
  a ``utils`` (and so without the fallback warning).
* ``stainless``: ``python_harness_stainless.py``.
* ``fern``: ``python_harness_fern.py``.

Without ``flavor`` the harness does what it always did: Speakeasy's ``utils``
when found, else plain pydantic with a warning. A declared flavour whose
generator's modules are not in the package is a start error that names the
missing module, never a silent fallback.

Both Fern and Stainless SDKs talk HTTP through ``httpx``: a response body is
read with ``httpx.Response.json()`` (what their generated clients call) and
Fern's request body is encoded by ``httpx`` (``json=``). ``HttpText`` does the
same with the ``httpx`` of the SDK's environment, or the standard ``json``
module where there is none (the details name which).
"""

from __future__ import annotations

import importlib
import json
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # how the type checker names the sibling; at run time it is top-level
    from conformance.harnesses.python_harness_cases import CaseSkipped
else:
    from python_harness_cases import CaseSkipped

#: The flavours this harness knows, as the ``flavor`` start option names them.
FLAVOURS = ("speakeasy", "pydantic", "fern", "stainless")


class FlavourMissing(LookupError):
    """The declared flavour's modules or functions are not in the SDK's package."""


def import_part(package: str, module: str, *names: str, flavor: str) -> tuple[Any, ...]:
    """``<package>.<module>`` and the named attributes of it, or ``FlavourMissing`` saying which."""
    where = f"{package}.{module}"
    try:
        found = importlib.import_module(where)
    except Exception as error:
        raise FlavourMissing(
            f'flavor "{flavor}" needs {where}, which cannot be imported'
            f" ({type(error).__name__}: {error}); is {package!r} a {flavor} SDK's import package?"
        ) from None
    values = []
    for name in names:
        value = getattr(found, name, None)
        if value is None:
            raise FlavourMissing(f'flavor "{flavor}" needs {where}.{name}, which is not there')
        values.append(value)
    return (found, *values)


def optional_part(package: str, module: str, name: str) -> Any:
    """``<package>.<module>.<name>``, or None when the SDK's generator version has none."""
    try:
        return getattr(importlib.import_module(f"{package}.{module}"), name, None)
    except Exception:
        return None


class HttpText:
    """JSON text in and out of an HTTP body, as ``httpx`` (the SDK's HTTP client) does it."""

    def __init__(self, client: str = "httpx") -> None:
        # ``client``: the module the SDK talks HTTP with (``httpx2`` in newer Stainless SDKs).
        try:
            self.httpx: Any = importlib.import_module(client)
        except Exception:
            self.httpx = None
        self.reader = f"{client}.Response.json" if self.httpx else "json.loads"
        self.writer = f"{client}.Request(json=...)" if self.httpx else "json.dumps"

    def body(self, text: str) -> bytes:
        """The UTF-8 bytes of ``text``; a lone surrogate (no HTTP body can carry it) skips."""
        try:
            return text.encode("utf-8")
        except UnicodeEncodeError as error:
            raise CaseSkipped(
                f"the wire text holds a lone surrogate ({error.reason}), which no UTF-8 HTTP"
                " body can carry; the SDK only ever reads a body's bytes"
            ) from None

    def read(self, text: str) -> Any:
        """The JSON value of a response body, as ``response.json()`` gives it."""
        content = self.body(text)
        if self.httpx is None:
            return json.loads(content)
        headers = {"content-type": "application/json"}
        return self.httpx.Response(200, content=content, headers=headers).json()

    def write(self, value: Any) -> str:
        """The body ``httpx`` sends for ``json=value``, as text."""
        if self.httpx is None:
            return json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
        request = self.httpx.Request("POST", "http://harness.invalid/", json=value)
        return bytes(request.content).decode("utf-8")


def load_routes(flavor: str, package: str, base_model: Any) -> Any:
    """The routes of a Fern or Stainless SDK (``FlavourMissing`` when it is not one)."""
    module = importlib.import_module(f"python_harness_{flavor}")
    return module.load(package, base_model, HttpText())
