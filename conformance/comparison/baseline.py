"""Expected failures: known divergences that do not fail a run, kept honest.

The file (JSON, ``[tool.conformance] expected``) lists entries, each with a
case-id glob, the targets involved, the divergence kind and path glob, a reason
and an optional link::

    {"expected": [
      {"case": "big-integer-*", "targets": ["orq-node"], "kind": "value",
       "path": "$.usage.total_tokens", "reason": "JSON.parse rounds beyond 2^53",
       "link": "https://example.invalid/issue/1"}
    ]}

Listed cases still run. A failing divergence that matches an entry becomes
``expected`` (it is still reported, with the entry's reason). An entry that
matched nothing in a whole run is *stale*: the divergence it excused is gone
(fixed, or the entry is wrong), and a stale entry fails the run, as protobuf's
conformance failure lists do. ``conformance baseline update`` writes the
current divergences as entries, for review.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from fnmatch import fnmatchcase
from pathlib import Path
from typing import Any

from attrs import define, field, frozen

from conformance.comparison.policy import path_glob
from conformance.core import jsonwire
from conformance.core import resources as _resources
from conformance.core.divergence import KINDS, Divergence
from conformance.core.validation import errors_by_path, json_path
from conformance.exceptions import ConfigError

__all__ = ["Baseline", "Entry", "load_expected", "write_expected"]


@frozen
class Entry:
    """One known divergence (or family of them, through globs)."""

    case: str
    kind: str
    path: str
    reason: str
    targets: tuple[str, ...] = ()
    link: str = ""

    def matches(self, case_id: str, divergence: Divergence) -> bool:
        """Whether this entry excuses ``divergence`` of case ``case_id``."""
        if not fnmatchcase(case_id, self.case):
            return False
        if self.kind != "*" and self.kind != divergence.kind:
            return False
        if self.path != "*" and not path_glob(self.path).fullmatch(divergence.where):
            return False
        names = divergence.left.targets + divergence.right.targets
        return all(any(fnmatchcase(n, glob) for n in names) for glob in self.targets)

    def describe(self) -> str:
        """One line naming the entry."""
        targets = ", ".join(self.targets) or "any target"
        return f"{self.case} {self.kind} {self.path} ({targets}): {self.reason}"


@define
class Baseline:
    """The entries of an expected-failures file, and which of them matched in this run."""

    entries: tuple[Entry, ...] = ()
    file: str = ""
    _matched: set[int] = field(factory=set)
    _applicable: set[int] = field(factory=set)

    def observe(self, case_id: str, target: str) -> None:
        """A target gave a verdict on a case: entries naming both could have matched."""
        for index, entry in enumerate(self.entries):
            if (
                index not in self._applicable
                and fnmatchcase(case_id, entry.case)
                and (not entry.targets or any(fnmatchcase(target, g) for g in entry.targets))
            ):
                self._applicable.add(index)

    def judge(self, case_id: str, divergences: Sequence[Divergence]) -> list[Divergence]:
        """Failing divergences that an entry lists become ``expected``, with its reason."""
        out = []
        for each in divergences:
            if each.severity == "fail":
                for index, entry in enumerate(self.entries):
                    if entry.matches(case_id, each):
                        self._matched.add(index)
                        reason = entry.reason + (f" ({entry.link})" if entry.link else "")
                        each = each.with_severity("expected", reason)
                        break
            out.append(each)
        return out

    def seen(self) -> tuple[frozenset[int], frozenset[int]]:
        """Which entries could have matched so far and which did (by index): what a worker
        process judging with a copy of this baseline sends back to the run's."""
        return frozenset(self._applicable), frozenset(self._matched)

    def absorb(self, seen: tuple[frozenset[int], frozenset[int]]) -> None:
        """Take in what a copy of this baseline saw (``seen``) in another process."""
        applicable, matched = seen
        self._applicable |= applicable
        self._matched |= matched

    @property
    def matched(self) -> tuple[Entry, ...]:
        """Entries that excused at least one divergence so far."""
        return tuple(e for i, e in enumerate(self.entries) if i in self._matched)

    @property
    def stale(self) -> tuple[Entry, ...]:
        """Entries that could have matched (their case ran on their target) and did not.

        An entry whose cases or targets did not run here (a ``--target`` subset,
        an SDK that is not installed, another shard's cases) is not stale.
        """
        return tuple(
            e
            for i, e in enumerate(self.entries)
            if i in self._applicable and i not in self._matched
        )


def load_expected(path: str | Path) -> Baseline:
    """Read an expected-failures file; a malformed one is a configuration error."""
    file = str(path)
    try:
        document: Any = jsonwire.loads(Path(path).read_bytes())
    except OSError as error:
        raise ConfigError(
            f"cannot read the expected-failures file: {error.strerror}",
            "create it with `conformance baseline update` or fix [tool.conformance] expected",
            file=file,
        ) from None
    except json.JSONDecodeError as error:
        raise ConfigError(
            f"invalid JSON at line {error.lineno} column {error.colno}: {error.msg}",
            "fix the JSON syntax",
            file=file,
        ) from None
    except ValueError as error:  # not UTF-8, NaN or Infinity, nested too deeply
        raise ConfigError(f"invalid JSON: {error}", "fix the JSON", file=file) from None
    problems = errors_by_path(_resources.validator("expected"), document)
    if problems:
        raise ConfigError(
            f"{problems[0].message} at {json_path(problems[0].path)}",
            "see conformance/schemas/expected.schema.json",
            file=file,
        )
    entries = []
    for index, raw in enumerate(document.get("expected", [])):
        if raw["kind"] != "*" and raw["kind"] not in KINDS:
            raise ConfigError(
                f"unknown divergence kind {raw['kind']!r}",
                f"use one of {', '.join(KINDS)}",
                file=file,
                key=f"$.expected[{index}].kind",
            )
        entries.append(
            Entry(
                raw["case"],
                raw["kind"],
                raw["path"],
                raw["reason"],
                tuple(raw.get("targets", ())),
                raw.get("link", ""),
            )
        )
    return Baseline(tuple(entries), file)


def write_expected(path: str | Path, entries: Iterable[Entry]) -> int:
    """Write entries (sorted, one per line group) to an expected-failures file; return the count."""
    rows = sorted(set(entries), key=lambda e: (e.case, e.path, e.kind, e.targets))
    document = {
        "expected": [
            {
                "case": e.case,
                "targets": list(e.targets),
                "kind": e.kind,
                "path": e.path,
                "reason": e.reason,
                **({"link": e.link} if e.link else {}),
            }
            for e in rows
        ]
    }
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".partial")
    partial.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n", "utf-8")
    partial.replace(target)
    return len(rows)
