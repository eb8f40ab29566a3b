"""The HTML page's surroundings: its Jinja2 environment, inline assets, security policy,
and JSON blocks no data can break out of (``html`` fills the page)."""

from __future__ import annotations

import base64
import hashlib
import json
import re
from functools import cache
from importlib.resources import files
from urllib.parse import quote

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from conformance.report.terminal import contexts_text

__all__ = ["asset", "csp", "environment", "script_json"]

#: Shown as escapes: C0 controls but tab and line feed, DEL, C1, bidi controls, lone surrogates.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def script_json(value: object) -> Markup:
    """JSON for a ``<script type="application/json">`` block that no data can break out of.

    ``<``, ``>`` and ``&`` can only occur inside JSON strings, where ``\\u003c``
    means the same; ``ensure_ascii`` escapes U+2028, U+2029 and the rest.
    """
    text = json.dumps(value, ensure_ascii=True, separators=(",", ":"), allow_nan=False)
    return Markup(text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))


def csp(css: str, js: str) -> str:
    """No network, no plugin, no script or style but the page's own (by hash)."""

    def digest(text: str) -> str:
        return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"

    return (
        "default-src 'none'; "
        f"script-src {digest(js)}; style-src {digest(css)}; "
        "base-uri 'none'; form-action 'none'"
    )


@cache
def asset(name: str) -> str:
    text = files("conformance.report").joinpath("templates", name).read_text("utf-8")
    closing = "</script" if name.endswith(".js") else "</style"
    if closing in text.lower() or "<!--" in text:
        raise ValueError(f"{name} must not contain {closing!r} or '<!--'")
    return text


def _visible(value: object) -> object:
    """What the template shows for ``value``: controls and bidi controls as ``\\u202e`` text.

    The template's ``finalize``: every ``{{ ... }}`` passes through it before it is
    escaped. Markup (the page's own JSON blocks, style and script) is left alone.
    """
    if isinstance(value, Markup) or value is None or isinstance(value, int | float):
        return value
    return _CONTROL.sub(
        lambda found: f"\\u{ord(found.group()):04x}", str(value).replace("\r\n", "\n")
    )


def _urlencode(value: object) -> str:
    """Percent-encode for a URL fragment; a lone surrogate is encoded as its escape text."""
    return quote(str(value).encode("utf-8", "backslashreplace"), safe="")


@cache
def environment() -> Environment:
    made = Environment(
        loader=PackageLoader("conformance.report", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        finalize=_visible,
    )
    made.filters["urlencode"] = _urlencode
    made.globals["contexts_text"] = contexts_text
    return made
