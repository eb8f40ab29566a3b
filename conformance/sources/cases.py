"""Shared test cases: the ``Case`` record and the loader of ``cases/**/*.json``.

A case file is described by ``conformance/schemas/cases.schema.json``. Loading
never stops at a bad file or a bad case: each problem becomes a
``CaseFileError`` naming the file, the line (and column for JSON syntax), the
JSON path and what to do, and every good case of every file still loads.

Two rules of the file's form. A payload (``wire``) may nest ``jsonwire.MAX_DEPTH``
(128) levels of arrays and objects; the levels every case file wraps it in (the
file's object, its ``tests`` array, the test's object) do not count, and nothing
else in the file may nest deeper than a payload can. A file that starts with a
UTF-8 byte-order mark is refused with a message that says so: RFC 8259 (section
8.1) lets a reader ignore a BOM but forbids writing one, and other readers of the
same files (Python's ``json`` on text, JavaScript's ``JSON.parse``) refuse it, so
a case file that loads here loads everywhere.

A case gives its payload as ``wire`` (a JSON value) or ``wire_text`` (its exact text,
sent to every SDK unchanged); when both are given the text wins. A text that is not
JSON (``NaN``, cut short) is allowed on an invalid case only, whose ``wire`` is then None.
"""

from __future__ import annotations

import codecs
import difflib
import json
import re
import shlex
from collections.abc import Container, Generator, Iterable, Iterator
from pathlib import Path
from typing import Any, Literal

from attrs import frozen

from conformance.core import jsonwire
from conformance.core import resources as _resources
from conformance.core.validation import errors_by_path, json_path
from conformance.exceptions import CaseFileError
from conformance.schema import JsonValue

__all__ = ["Case", "LoadedCases", "case_files", "line_of_case", "load_cases"]

Direction = Literal["request", "response"]

#: The levels every case file wraps a payload in: the file's object, its ``tests`` array
#: and the test's object. A payload's own ``jsonwire.MAX_DEPTH`` levels come on top.
WRAPPER_DEPTH = 3
#: Byte-order marks, by the encoding they announce.
_BOMS = (
    ("UTF-8", codecs.BOM_UTF8),
    ("UTF-16", codecs.BOM_UTF16_LE),
    ("UTF-16", codecs.BOM_UTF16_BE),
)


@frozen
class Case:
    """One wire payload of one model, read (response) or written (request) by each target.

    ``valid`` false means every target must reject the payload. ``source`` says
    where the case was defined (``file`` and JSON path) for error messages.
    ``wire_text``, when given, is the exact input text, fed to every SDK unchanged
    (NaN tokens, lone-surrogate escapes, duplicate keys, escapes vs raw UTF-8);
    ``wire`` is then its value as far as JSON can say. ``probe`` names the probe
    class a systematic probe case belongs to ("" for any other case).
    """

    id: str
    model: str
    direction: Direction
    wire: JsonValue
    valid: bool = True
    description: str = ""
    source: str = ""
    wire_text: str | None = None
    probe: str = ""
    probe_path: str = ""


@frozen
class LoadedCases:
    """The cases that loaded, and one error per file or case that did not."""

    cases: tuple[Case, ...]
    errors: tuple[CaseFileError, ...]
    files: tuple[str, ...]


def case_files(paths: Iterable[str | Path], exclude: Iterable[str | Path] = ()) -> list[Path]:
    """The case files named by ``paths``: files as given, folders searched for ``*.json``.

    ``exclude`` names JSON files in those folders that are not case files (the
    expected-failures file may live beside the cases it speaks of).
    """
    skip = {Path(p).resolve() for p in exclude}
    found: list[Path] = []
    for each in paths:
        path = Path(each)
        if path.is_dir():
            found.extend(
                sorted(p for p in path.rglob("*.json") if p.is_file() and p.resolve() not in skip)
            )
        else:
            found.append(path)
    return found


def load_cases(
    paths: Iterable[str | Path],
    models: Container[str] | None = None,
    exclude: Iterable[str | Path] = (),
) -> LoadedCases:
    """Load every case of every file; ``models`` (if given) are the model names that exist."""
    cases: list[Case] = []
    errors: list[CaseFileError] = []
    seen: dict[str, str] = {}
    files = case_files(paths, exclude)
    for path in files:
        for item in _load_file(path, models):
            if isinstance(item, CaseFileError):
                errors.append(item)
            elif item.id in seen:
                errors.append(
                    CaseFileError(
                        f"duplicate case id {item.id!r}, first defined at {seen[item.id]}",
                        "case ids must be unique across the suite: rename one of them",
                        file=str(path),
                        line=_line_of_id(path, item.id),
                        path=item.source.partition(" ")[2],
                        case_id=item.id,
                    )
                )
            else:
                seen[item.id] = item.source
                cases.append(item)
    return LoadedCases(tuple(cases), tuple(errors), tuple(str(p) for p in files))


def _load_file(path: Path, models: Container[str] | None) -> Iterator[Case | CaseFileError]:
    file = str(path)
    text = yield from _read_text(path, file)
    if text is None:
        return
    document = yield from _parse_document(text, file)
    if document is None:
        return
    yield from _file_cases(document, path, text, models)


def _read_text(path: Path, file: str) -> Generator[CaseFileError, None, str | None]:
    """The file's text; a problem (unreadable, a byte-order mark, not UTF-8) and None if not."""
    try:
        data = path.read_bytes()
    except OSError as error:
        yield CaseFileError(
            f"cannot read the case file: {error.strerror}", "check the path", file=file
        )
        return None
    bom = next((name for name, mark in _BOMS if data.startswith(mark)), None)
    if bom is not None:
        yield _bom_error(bom, file)
        return None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        data = error.object
        yield CaseFileError(
            f"not UTF-8 (byte {error.start})",
            "save the file as UTF-8 JSON",
            file=file,
            line=data.count(b"\n", 0, error.start) + 1,
            column=error.start - data.rfind(b"\n", 0, error.start),
        )
        return None
    return text


def _parse_document(text: str, file: str) -> Generator[CaseFileError, None, dict[str, Any] | None]:
    """The case file's object, checked against the envelope of the cases schema."""
    duplicates: list[str] = []
    try:
        document = jsonwire.loads_pairs(text, duplicates.append, jsonwire.MAX_DEPTH + WRAPPER_DEPTH)
    except jsonwire.NestingError as error:
        yield CaseFileError(
            f"a value is nested more than {jsonwire.MAX_DEPTH} levels deep (arrays and objects)",
            f"keep payloads within {jsonwire.MAX_DEPTH} levels of arrays and objects (the"
            " file's object, its tests array and the test's object do not count)",
            file=file,
            line=error.lineno,
            column=error.colno,
        )
        return None
    except json.JSONDecodeError as error:
        yield CaseFileError(
            f"invalid JSON: {error.msg}",
            "fix the JSON syntax at that position",
            file=file,
            line=error.lineno,
            column=error.colno,
        )
        return None
    if duplicates:
        at = jsonwire.locate(text, "duplicate")
        yield CaseFileError(
            f"key {duplicates[0]!r} appears twice in one object",
            "JSON readers disagree on duplicate keys: keep one",
            file=file,
            line=text.count("\n", 0, at) + 1,
            column=at - text.rfind("\n", 0, at),
        )
    if not isinstance(document, dict):
        yield CaseFileError(
            "a case file must be a JSON object with a 'tests' array",
            'start from {"model": "...", "direction": "response", "tests": []}',
            file=file,
            line=1,
        )
        return None
    envelope: dict[str, Any] = {k: v for k, v in document.items() if k != "tests"}
    envelope["tests"] = [] if isinstance(document.get("tests"), list) else document.get("tests")
    problems = errors_by_path(_resources.validator("cases"), envelope)
    if problems:
        yield _schema_error(problems[0], file, None, text)
        return None
    return document


def _file_cases(
    document: dict[str, Any], path: Path, text: str, models: Container[str] | None
) -> Iterator[Case | CaseFileError]:
    """Each test of a checked case file: a case, or the problem that keeps it out."""
    file = str(path)
    default_model = document.get("model")
    default_direction = document.get("direction")
    tests: Any = document["tests"]
    test_validator = _resources.validator("cases", "test")
    for index, raw in enumerate(tests):
        where = f"$.tests[{index}]"
        case_id: str = raw["id"] if isinstance(raw, dict) and isinstance(raw.get("id"), str) else ""
        errors = errors_by_path(test_validator, raw)
        # The line costs a search of the file: only errors pay for it.
        line = _line_of_id(path, case_id, text) if case_id and errors else None
        if errors:
            yield _schema_error(errors[0], file, index, text, line, case_id)
            continue
        model = raw.get("model", default_model)
        direction = raw.get("direction", default_direction)
        if model is None or direction is None:
            line = _line_of_id(path, case_id, text) if case_id else None
            missing = "model" if model is None else "direction"
            yield CaseFileError(
                f"no {missing!r} for this case",
                f"set {missing!r} on the case or once at the top of the file",
                file=file,
                line=line,
                path=where,
                case_id=case_id,
            )
            continue
        payload = yield from _wire_of(raw, path, text, where, case_id)
        if payload is None:
            continue
        if models is not None and model not in models:
            line = _line_of_id(path, case_id, text) if case_id else None
            close = difflib.get_close_matches(model, _names(models), n=3)
            yield CaseFileError(
                f"unknown model {model!r}",
                f"did you mean {', '.join(map(repr, close))}?"
                if close
                else "use a model name from the schema (see `conformance naming`)",
                file=file,
                line=line,
                path=f"{where}.model" if "model" in raw else "$.model",
                case_id=case_id,
            )
            continue
        yield Case(
            id=raw["id"],
            model=model,
            direction=direction,
            wire=payload[0],
            valid=raw.get("valid", True),
            description=raw.get("description", ""),
            source=f"{file} {where}",
            wire_text=raw.get("wire_text"),
        )


def _wire_of(
    raw: dict[str, Any], path: Path, text: str, where: str, case_id: str
) -> Generator[CaseFileError, None, tuple[JsonValue] | None]:
    """The case's payload (in a 1-tuple): ``wire``, or what its ``wire_text`` reads as.

    A text that is not JSON is a payload only an invalid case may have (its value is
    then None); on a valid case it is a problem, and the result is None.
    """
    given = raw.get("wire_text")
    if given is None:
        return (raw["wire"],)
    try:
        return (jsonwire.loads(given),)
    except ValueError as error:
        if raw.get("valid", True) is False:
            return (None,)
        yield CaseFileError(
            f"wire_text is not JSON: {error}",
            'only an invalid case may send text that is not JSON: set "valid": false,'
            " or fix the text (NaN and Infinity are not JSON)",
            file=str(path),
            line=_line_of_id(path, case_id, text) if case_id else None,
            path=f"{where}.wire_text",
            case_id=case_id,
        )
        return None


def _bom_error(encoding: str, file: str) -> CaseFileError:
    """A case file that starts with a byte-order mark: how to save it without one."""
    if encoding == "UTF-8":
        how = f"e.g. sed -i '1s/^\\xEF\\xBB\\xBF//' {shlex.quote(file)}"
    else:
        how = f"e.g. iconv -f UTF-16 -t UTF-8 {shlex.quote(file)} > utf8.json"
    return CaseFileError(
        f"the file starts with a {encoding} byte-order mark (BOM)",
        f"save case files as UTF-8 without a BOM (RFC 8259, section 8.1): {how}",
        file=file,
        line=1,
        column=1,
    )


def _names(models: Container[str]) -> list[str]:
    return list(models) if isinstance(models, Iterable) else []


def _schema_error(
    error: Any,
    file: str,
    index: int | None,
    text: str,
    line: int | None = None,
    case_id: str = "",
) -> CaseFileError:
    prefix = "$" if index is None else f"$.tests[{index}]"
    path = json_path(error.path, prefix)
    message = error.message
    if error.validator == "anyOf" and error.context:  # neither wire nor wire_text
        message = " or ".join(dict.fromkeys(each.message for each in error.context))
    hint = {
        "required": "add the missing key",
        "additionalProperties": "remove the key or fix its spelling "
        "(allowed: id, model, direction, wire, wire_text, valid, description)",
        "anyOf": "give the payload as wire (JSON) or wire_text (its exact text)",
        "pattern": "ids use letters, digits, '.', '_', ':' and '-', from a letter or digit",
        "enum": "use one of the allowed values",
        "type": "use the type the case format expects",
    }.get(error.validator, "see conformance/schemas/cases.schema.json")
    return CaseFileError(message, hint, file=file, line=line, path=path, case_id=case_id)


def line_of_case(path: Path, case_id: str) -> int | None:
    """The line of a case file where the case ``case_id`` stands (None when not found)."""
    return _line_of_id(path, case_id)


def _line_of_id(path: Path, case_id: str, text: str | None = None) -> int | None:
    """The line where a case's ``"id": "..."`` stands (the best line to point a user at)."""
    if text is None:
        try:
            text = path.read_text("utf-8")
        except (OSError, UnicodeDecodeError):
            return None
    match = re.search(r'"id"\s*:\s*' + re.escape(json.dumps(case_id)), text)
    return text.count("\n", 0, match.start()) + 1 if match else None
