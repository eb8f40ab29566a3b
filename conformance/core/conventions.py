"""Naming conventions: how each language names the field behind a wire key.

A ``Convention`` maps a wire key (as the API spec spells it) to the native name
a generated SDK gives it: ``system_fingerprint`` is ``system_fingerprint`` in
Python and ``systemFingerprint`` in TypeScript. A convention is never assumed
invertible: the comparison pairs fields by wire key, taken from each target,
and only this module's reports ask whether a name would come back.

Words
    Every convention starts from ``words(key)``, the key split into lower-case
    ASCII words. Any character that is not an ASCII letter or digit separates
    words (``self-harm/intent``, ``Content-Type``, ``$ref``, ``_id``); a
    lower-case letter or digit followed by an upper-case letter starts a new
    word (``systemFingerprint``); a run of capitals ends one letter before a
    capitalized word (``HTTPStatus`` is ``http status``, ``APIKey`` is
    ``api key``), and a plural acronym is one word (``userIDs`` is
    ``user ids``). Non-ASCII letters are folded to ASCII first where Unicode
    gives a decomposition (``café`` is ``cafe``); others separate words.

Digits
    A digit never starts a word by itself: it belongs to the word it follows,
    so ``addressLine2`` is ``address line2`` and becomes Python
    ``address_line2``, the name generated SDKs give it (Stainless, Fern).
    Only a separator makes a digit its own word: ``address_line_2`` is
    ``address line 2``, stays ``address_line_2`` in Python and is
    ``addressLine2`` in TypeScript, which re-cases to ``address_line2``: a
    lossy name, reported as such.

The conventions
    ``wire``
        Identity: the SDK uses the wire keys themselves.
    ``python``
        snake_case: the words joined by ``_``. A name that would not be a usable
        pydantic field gets a trailing underscore (PEP 8's escape; generated
        SDKs name ``from`` and ``schema`` as ``from_`` and ``schema_`` with the
        wire key as alias): the hard keywords of ``keyword.kwlist``
        (``from_``, ``class_``) and the members of pydantic's ``BaseModel``
        that a field would shadow (``PYDANTIC_MEMBERS``: ``schema_``,
        ``json_``, ``model_dump_``...).
        Soft keywords (``match``, ``case``, ``type``) are legal attribute names
        and generated SDKs keep them (``type`` is a field of countless models),
        so they are not escaped; nor is every ``model_*`` name, only the actual
        members (``model_id`` is an ordinary field).
    ``typescript``
        camelCase: the first word lower-case, the others capitalized. A key
        already in camelCase is kept as it is (``userID`` stays ``userID``).
        Reserved words are legal property names in JavaScript, so none are
        escaped.
    ``pascal``
        PascalCase; a key already in PascalCase is kept (``HTTPStatus``).
    ``kebab``
        kebab-case; a key already in kebab-case is kept.

    Leading underscores are separators like any other, so ``_id`` is ``id``
    in every convention but ``wire`` (pydantic would make ``_id`` a private
    attribute, not a field). In the identifier conventions (``python``,
    ``typescript``, ``pascal``) a name whose first word starts with a digit is
    prefixed with the word ``DIGIT_PREFIX`` (``"api"``: ``2fa`` is Python
    ``api_2fa``, TypeScript ``api2fa``), as Stainless's Python SDKs do (Fern
    generates ``f_`` instead). A key
    with no letters or digits at all (``""``, ``"$"``) is named by the word
    ``EMPTY_WORD`` (``"field"``).

Collisions and lossy names
    Two wire keys of one model with the same native name collide
    (``error_code`` and ``errorCode`` are both Python ``error_code``).
    ``unique_names`` disambiguates them for generated classes: the first key
    in order keeps the name, the next ones get ``_2``, ``_3``... in snake_case
    (``2``, ``3``... in camelCase and PascalCase, ``-2`` in kebab-case).

    A name is lossy when re-casing it in the style of its wire key does not
    give the key back: ``HTTPStatus`` is Python ``http_status``, which re-cases
    to ``HttpStatus``. A key whose style is ``other`` (``Content-Type``,
    ``_id``, ``2fa``, ``from_``) has no casing rule that leads back to it, so it
    is lossy in every convention but ``wire``.
"""

from __future__ import annotations

import keyword
import re
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from functools import lru_cache
from types import MappingProxyType
from typing import Literal, TypeAlias

from attrs import field, frozen

from conformance.exceptions import ConfigError

Style: TypeAlias = Literal["snake", "camel", "pascal", "kebab", "other"]

#: The word put before a name that would start with a digit (Stainless: ``api_240``).
DIGIT_PREFIX = "api"

#: The word that names a key with no letters or digits (``""``, ``"$"``).
EMPTY_WORD = "field"

#: Public members of pydantic's ``BaseModel`` (v2, and the deprecated v1 API it
#: still carries) that a field of the same name would shadow; generators escape them.
PYDANTIC_MEMBERS: frozenset[str] = frozenset(
    {
        # pydantic v2
        "model_computed_fields",
        "model_config",
        "model_construct",
        "model_copy",
        "model_dump",
        "model_dump_json",
        "model_extra",
        "model_fields",
        "model_fields_set",
        "model_json_schema",
        "model_parametrized_name",
        "model_post_init",
        "model_rebuild",
        "model_validate",
        "model_validate_json",
        "model_validate_strings",
        # the v1 API, deprecated but still on every v2 model
        "construct",
        "copy",
        "dict",
        "from_orm",
        "json",
        "parse_file",
        "parse_obj",
        "parse_raw",
        "schema",
        "schema_json",
        "update_forward_refs",
        "validate",
    }
)

#: Every name the ``python`` convention escapes with a trailing underscore.
PYTHON_ESCAPED: frozenset[str] = frozenset(keyword.kwlist) | PYDANTIC_MEMBERS

_CACHE_SIZE = 1 << 16

_SEPARATORS = re.compile(r"[^A-Za-z0-9]+")
_WORD = re.compile(
    r"""
    [A-Z]{2,}s(?![a-z])         # a plural acronym: IDs in userIDs, URLs
    | [A-Z]+[0-9]*(?=[A-Z][a-z])  # an acronym before a capitalized word: HTTP in HTTPStatus
    | [A-Z]?[a-z0-9]+           # a word, capitalized or not, with its digits: Line2, 2fa
    | [A-Z]+[0-9]*              # a trailing acronym: ID in userID, V2
    """,
    re.VERBOSE,
)
_STYLES: tuple[tuple[Style, re.Pattern[str]], ...] = (
    ("snake", re.compile(r"[a-z][a-z0-9]*(?:_[a-z0-9]+)*")),
    ("camel", re.compile(r"[a-z][a-z0-9]*[A-Z][A-Za-z0-9]*")),
    ("pascal", re.compile(r"[A-Z][A-Za-z0-9]*")),
    ("kebab", re.compile(r"[a-z][a-z0-9]*(?:-[a-z0-9]+)+")),
)


@lru_cache(maxsize=_CACHE_SIZE)
def words(key: str) -> tuple[str, ...]:
    """Split a key into lower-case ASCII words: ``"HTTPStatus"`` -> ``("http", "status")``.

    Digits belong to the word before them (``"addressLine2"`` -> ``("address",
    "line2")``) unless a separator stands between (``"address_line_2"`` ->
    ``("address", "line", "2")``); leading underscores and punctuation vanish.
    """
    if not key.isascii():
        key = unicodedata.normalize("NFKD", key)
        key = "".join(c if c.isascii() else " " for c in key if not unicodedata.combining(c))
    return tuple(word.lower() for chunk in _SEPARATORS.split(key) for word in _WORD.findall(chunk))


@lru_cache(maxsize=_CACHE_SIZE)
def style_of(key: str) -> Style:
    """Which casing style a key is in; a single lower-case word counts as ``"snake"``."""
    for style, pattern in _STYLES:
        if pattern.fullmatch(key):
            return style
    return "other"


#: All-caps names (``ERROR``, ``GRANT_TYPE``, ``ID``): no convention here writes them, and
#: ``style_of`` counts one word of them as pascal (it names a convention's own style).
_UPPER = re.compile(r"[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+|[A-Z][A-Z0-9]+")


def style_label(key: str) -> str:
    """A key's casing in words a reader expects: its style (``style_of``), ``upper`` for an
    all-caps name, ``mixed-case`` for a name in no one style."""
    if _UPPER.fullmatch(key):
        return "upper"
    style = style_of(key)
    return "mixed-case" if style == "other" else style


def _join(parts: Sequence[str], style: Style) -> str:
    """Join lower-case words in a casing style (``other`` joins as snake_case)."""
    if style == "camel":
        return parts[0] + "".join(w[:1].upper() + w[1:] for w in parts[1:]) if parts else ""
    if style == "pascal":
        return "".join(w[:1].upper() + w[1:] for w in parts)
    if style == "kebab":
        return "-".join(parts)
    return "_".join(parts)


def _identifier_words(key: str) -> tuple[str, ...]:
    """The words of a key, made fit to start an identifier (never empty, no leading digit)."""
    parts = words(key) or (EMPTY_WORD,)
    if parts[0][0].isdigit():
        return (DIGIT_PREFIX, *parts)
    return parts


def _unescaped(name: str) -> str:
    """A snake_case name without its one trailing escape underscore (``format_``)."""
    return name[:-1] if name.endswith("_") and len(name) > 1 else name


def _wire(key: str) -> str:
    return key


@lru_cache(maxsize=_CACHE_SIZE)
def _python(key: str) -> str:
    name = "_".join(_identifier_words(key))
    return name + "_" if name in PYTHON_ESCAPED else name


@lru_cache(maxsize=_CACHE_SIZE)
def _typescript(key: str) -> str:
    if style_of(key) == "camel":
        return key
    return _join(_identifier_words(key), "camel")


@lru_cache(maxsize=_CACHE_SIZE)
def _pascal(key: str) -> str:
    if style_of(key) == "pascal":
        return key
    return _join(_identifier_words(key), "pascal")


@lru_cache(maxsize=_CACHE_SIZE)
def _kebab(key: str) -> str:
    if style_of(key) == "kebab":
        return key
    return "-".join(words(key) or (EMPTY_WORD,))


@frozen
class Convention:
    """How one language names a wire key; ``style`` is ``None`` for the identity (``wire``)."""

    name: str
    style: Style | None
    _to_native: Callable[[str], str] = field(alias="to_native", repr=False, eq=False)

    def native(self, wire_key: str) -> str:
        """The native name of a wire key in this convention."""
        return self._to_native(wire_key)

    def restyle(self, native_name: str, like: str) -> str:
        """Re-case a native name in the casing style of ``like`` (a wire key).

        A name already in that style is returned as it is; into style ``other``
        nothing can be re-cased, so the words are joined with ``_``. The
        identity convention returns the name unchanged.
        """
        if self.style is None:
            return native_name
        target = style_of(like)
        if style_of(native_name) == target:
            return native_name
        return _join(words(native_name), target)

    def allows(self, name: str, wire_key: str) -> bool:
        """Whether ``name`` is a spelling of ``wire_key`` that keeps this convention.

        Its own name does; so does one that differs from it only where the
        convention leaves a choice: the letter case inside the same words in the
        same style (acronyms: ``ofPIIRedaction`` and ``ofPiiRedaction`` are both
        camelCase), and in snake_case a trailing underscore that escapes a reserved
        name (PEP 8's ``format_``; each generator has its own list of them).
        """
        wanted = self.native(wire_key)
        if name == wanted:
            return True
        if self.style == "snake":
            return _unescaped(name) == _unescaped(wanted) and style_of(_unescaped(name)) == "snake"
        return (
            self.style is not None
            and style_of(name) == self.style
            and (name.lower() == wanted.lower())
        )

    def is_lossy(self, wire_key: str) -> bool:
        """Whether the native name of ``wire_key`` does not lead back to it.

        A key in style ``other`` is lossy even where ``restyle`` happens to give
        it back (``2fa`` in kebab-case): no casing rule leads back to such keys.
        """
        if self.style is None:
            return False
        return style_of(wire_key) == "other" or (
            self.restyle(self.native(wire_key), like=wire_key) != wire_key
        )

    def numbered(self, native_name: str, number: int) -> str:
        """The ``number``-th variant of a native name, used to break a collision."""
        if self.style in ("camel", "pascal"):
            return f"{native_name}{number}"
        if self.style == "kebab":
            return f"{native_name}-{number}"
        # A trailing escape underscore is not needed once a number follows it.
        base = native_name[:-1] if self.style and native_name.endswith("_") else native_name
        return f"{base}_{number}"


CONVENTIONS: Mapping[str, Convention] = MappingProxyType(
    {
        each.name: each
        for each in (
            Convention("wire", None, to_native=_wire),
            Convention("python", "snake", to_native=_python),
            Convention("typescript", "camel", to_native=_typescript),
            Convention("pascal", "pascal", to_native=_pascal),
            Convention("kebab", "kebab", to_native=_kebab),
        )
    }
)


def get_convention(name: str, *, key: str = "convention") -> Convention:
    """The convention called ``name``; ``key`` names the config setting it came from."""
    try:
        return CONVENTIONS[name]
    except KeyError:
        known = ", ".join(CONVENTIONS)
        raise ConfigError(
            f"unknown naming convention {name!r}",
            hint=f"use one of: {known}",
            key=key,
        ) from None


def unique_names(wire_keys: Sequence[str], convention: Convention) -> dict[str, str]:
    """Map each wire key to a native name, no two alike.

    The first key (in order) to claim a native name keeps it; each later one
    takes the lowest free numbered variant (``error_code_2``, ``errorCode2``),
    skipping names that any key has natively.
    """
    natives = {key: convention.native(key) for key in wire_keys}
    taken = set(natives.values())
    claimed: set[str] = set()
    out: dict[str, str] = {}
    for key, name in natives.items():
        if name in claimed:
            number = 2
            while convention.numbered(name, number) in taken:
                number += 1
            name = convention.numbered(name, number)
            taken.add(name)
        claimed.add(name)
        out[key] = name
    return out
