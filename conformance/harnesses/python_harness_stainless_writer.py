"""Which request writer an installed Stainless SDK uses (``python_harness_stainless``).

Runs under the SDK's own interpreter with the standard library only, like the harness.

An older generation sends ``_utils.maybe_transform(body, Params)`` (keys renamed by
``PropertyInfo(alias=...)``) encoded by ``_base_client``'s ``openapi_dumps``, or handed to
httpx as ``json=`` where it has none. A newer generation has no ``maybe_transform``: a
method passes a ``body={...}`` literal of its keyword arguments, ``_base_client`` prepares
it with ``_utils._prepare.prepare_request_data(data, location="body")`` and sends its
``openapi_dumps``; ``_utils._prepare.serialize_data(data, location="body")`` is that text,
and is the request writer then (else ``prepare_request_data`` and the dumps). An SDK with
neither has no writer here (its request cases are skipped).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from conformance.harnesses.python_harness_flavours import HttpText, optional_part
else:
    from python_harness_flavours import HttpText, optional_part

__all__ = ["RequestWriter", "request_writer"]


class RequestWriter:
    """The SDK's own request writer: ``write(body, params type)`` gives the JSON text sent
    (None: no body), or None when the SDK has none this harness knows."""

    def __init__(
        self, name: str, write: Callable[[Any, Any], str | None] | None, prepares: bool
    ) -> None:
        self.name = name
        self.write = write
        #: The newer generation: body literals prepared by ``prepare_request_data``.
        self.prepares = prepares


def request_writer(package: str, base_client: Any, http: HttpText) -> RequestWriter:
    """The writer the installed ``_base_client`` uses (see the module doc)."""
    dumps = getattr(base_client, "openapi_dumps", None)
    prepare = getattr(base_client, "prepare_request_data", None)
    if callable(prepare):
        serialize = optional_part(package, "_utils._prepare", "serialize_data")
        if callable(serialize):
            name = f'{package}._utils._prepare.serialize_data(location="body")'
            return RequestWriter(
                name, lambda body, _: _sent(serialize(body, location="body")), True
            )
        if callable(dumps):
            name = f'{package}._utils._prepare.prepare_request_data(location="body")'
            return RequestWriter(
                f"{name} + {package}._utils._json.openapi_dumps",
                lambda body, _: bytes(dumps(prepare(body, location="body"))).decode("utf-8"),
                True,
            )
        name = f'{package}._utils._prepare.prepare_request_data(location="body") + {http.writer}'
        return RequestWriter(name, lambda body, _: http.write(prepare(body, location="body")), True)
    transform = optional_part(package, "_utils", "maybe_transform")
    if not callable(transform):
        return RequestWriter(
            f"none: {package}._base_client uses no prepare_request_data and {package}._utils"
            " has no maybe_transform",
            None,
            False,
        )
    if callable(dumps):
        return RequestWriter(
            f"{package}._utils.maybe_transform + {package}._utils._json.openapi_dumps",
            lambda body, cls: bytes(dumps(transform(body, cls))).decode("utf-8"),
            False,
        )
    return RequestWriter(
        f"{package}._utils.maybe_transform + {http.writer}",
        lambda body, cls: http.write(transform(body, cls)),
        False,
    )


def _sent(text: Any) -> str:
    """``serialize_data``'s text as the UTF-8 body ``openapi_dumps`` makes of it: a lone
    surrogate fails there as it does in the SDK."""
    return str(text).encode("utf-8").decode("utf-8")
