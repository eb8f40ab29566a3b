"""``conformance check``: validate case files and expected-failures files, offline.

Nothing runs and no schema is loaded, so it is quick enough for a pre-commit
hook (``.pre-commit-hooks.yaml``). Each file is read by the same loader the run
uses, so a file that passes here loads there, except for model names, which
only the schema can judge (``conformance run`` reports an unknown model).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import attrs
import click

from conformance.cli import EXIT_DIVERGED, EXIT_OK, reports_errors
from conformance.cli._common import config_option
from conformance.comparison.baseline import load_expected
from conformance.core import jsonwire
from conformance.core.config import load_config
from conformance.exceptions import ConfigError
from conformance.sources.cases import case_files, load_cases

#: JSON tokens, for finding the line of a JSON path: strings, punctuation, other scalars.
_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[{}\[\]:,]|[^\s{}\[\]:,"]+')
#: One step of a JSON path as the loaders write them: ``.key`` or ``[index]``.
_STEP = re.compile(r"\.([^.\[]+)|\[(\d+)\]")
#: Where a message of ``load_expected`` says the problem is.
_AT_PATH = re.compile(r" at (\$\S*)$")
_AT_LINE = re.compile(r"^invalid JSON at line (\d+)")


@click.command()
@config_option
@click.argument("files", nargs=-1, type=click.Path(path_type=Path))
@reports_errors
def check(config_path: Path | None, files: tuple[Path, ...]) -> None:
    """Check case files and expected-failures files without running anything.

    FILES are case files, expected-failures files, or folders of case files;
    a JSON object with an "expected" key and no "tests" is an expected-failures
    file, any other file a case file. Without FILES, the [tool.conformance]
    cases and expected file are checked. Each problem is printed as
    file:line: message; the exit code is 1 if there is any.
    """
    if files:
        cases, expected = _split(case_files(files))
    else:
        config = load_config(config_path)
        expected = [config.expected] if config.expected else []
        cases = case_files(config.cases, exclude=expected)
    problems = [*_case_problems(cases), *_expected_problems(expected)]
    for problem in problems:
        click.echo(problem)
    checked = len(cases) + len(expected)
    click.echo(f"checked {checked} file(s): {len(problems)} problem(s)", err=True)
    raise SystemExit(EXIT_DIVERGED if problems else EXIT_OK)


def _split(paths: list[Path]) -> tuple[list[Path], list[Path]]:
    """Case files and expected-failures files, told apart by their content."""
    cases: list[Path] = []
    expected: list[Path] = []
    for path in paths:
        (expected if _is_expected_file(path) else cases).append(path)
    return cases, expected


def _is_expected_file(path: Path) -> bool:
    try:
        document = jsonwire.loads(path.read_bytes())
    except (OSError, ValueError):
        return False  # the case loader says what is wrong with it
    return isinstance(document, dict) and "expected" in document and "tests" not in document


def _case_problems(paths: list[Path]) -> Iterator[str]:
    """Every problem of the case files (duplicate ids across them included), each with a line."""
    if not paths:
        return
    for error in load_cases(paths).errors:
        # The path is more precise than the line of the case's id (a duplicate id's line
        # is the first definition's), and it gives a line to errors that have none.
        if error.path and error.file:
            line = _line_in_file(Path(error.file), error.path)
            error = attrs.evolve(error, line=line or error.line, column=None)
        yield str(error)


def _expected_problems(paths: list[Path]) -> Iterator[str]:
    """The problem of each expected-failures file that does not load, with its line."""
    for path in paths:
        try:
            load_expected(path)
        except ConfigError as error:
            yield _expected_message(path, error)


def _expected_message(path: Path, error: ConfigError) -> str:
    at_line = _AT_LINE.match(error.message)
    at_path = _AT_PATH.search(error.message)
    where = error.key if error.key.startswith("$") else at_path.group(1) if at_path else ""
    message = error.message if error.key.startswith("$") else _AT_PATH.sub("", error.message)
    line = int(at_line.group(1)) if at_line else _line_in_file(path, where or "$")
    located = f"{path}:{line}" if line is not None else str(path)
    text = f"{located} at {where}: {message}" if where else f"{located}: {message}"
    return f"{text}\n  hint: {error.hint}" if error.hint else text


def _line_in_file(path: Path, json_path: str) -> int | None:
    try:
        text = path.read_text("utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    return line_of_path(text, json_path)


def line_of_path(text: str, json_path: str) -> int | None:
    """The line of ``text`` (a JSON document) where the value at ``json_path`` stands.

    For a key of an object, the line of the key; for an item of an array, the
    line where the item starts. A path that is not there gives the line of the
    deepest part of it that is (the root: line 1); text that is not JSON, None.
    """
    want: list[str | int] = []
    for step in _STEP.finditer(json_path.removeprefix("$")):
        want.append(step.group(1) if step.group(1) is not None else int(step.group(2)))
    best, best_line = 0, 1
    # Per open container: is it an object, the key or index being read, is a key due.
    frames: list[list[object]] = []
    for match in _TOKEN.finditer(text):
        token = match.group()
        if token in ("}", "]"):
            if frames:
                frames.pop()
            continue
        if token == ":":
            continue
        if token == ",":
            if frames and frames[-1][0]:
                frames[-1][2] = True
            elif frames:
                index = frames[-1][1]
                frames[-1][1] = index + 1 if isinstance(index, int) else 0
            continue
        top = frames[-1] if frames else None
        if top is not None and (top[2] or not top[0]):
            if top[0]:
                try:
                    top[1], top[2] = json.loads(token), False
                except ValueError:
                    return None
            here = [frame[1] for frame in frames]
            depth = _common_prefix(here, want)
            if depth == len(here) and depth > best:
                best, best_line = depth, text.count("\n", 0, match.start()) + 1
                if depth == len(want):
                    return best_line
            if top[0]:
                continue
        if token in ("{", "["):
            frames.append([token == "{", None if token == "{" else 0, token == "{"])
    return best_line if frames == [] else None


def _common_prefix(left: list[object], right: list[str | int]) -> int:
    count = 0
    for a, b in zip(left, right, strict=False):
        if a != b:
            break
        count += 1
    return count
