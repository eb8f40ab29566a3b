"""Which divergences fail a run and which are only notes.

A policy is an ordered list of rules; the first rule that matches a divergence
decides its severity. A rule matches on kind, on a path glob (``*`` matches
any run of characters, so ``$.choices[*].index`` matches ``$.choices[0].index``)
and on target globs (each glob must match a target on either side). Every rule
carries a reason, shown in reports next to each divergence it softened. The
built-in rules come last, so a project's own rules override them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from fnmatch import fnmatchcase
from functools import cache
from typing import Any

from attrs import frozen

from conformance.core.divergence import KINDS, Divergence, Severity
from conformance.exceptions import ConfigError

__all__ = ["DEFAULT_RULES", "Policy", "Rule", "path_glob"]


@frozen
class Rule:
    """One policy rule: what it matches and the severity it gives."""

    severity: Severity
    reason: str
    kind: str = "*"
    path: str = "*"
    targets: tuple[str, ...] = ()

    def matches(self, divergence: Divergence) -> bool:
        """Whether this rule applies to the divergence."""
        if self.kind != "*" and self.kind != divergence.kind:
            return False
        if self.path != "*" and not path_glob(self.path).fullmatch(divergence.where):
            return False
        names = divergence.left.targets + divergence.right.targets
        return all(any(fnmatchcase(n, glob) for n in names) for glob in self.targets)


@cache
def path_glob(pattern: str) -> re.Pattern[str]:
    """A path glob: ``*`` matches any run of characters; everything else is literal."""
    return re.compile(".*".join(re.escape(part) for part in pattern.split("*")))


DEFAULT_RULES: tuple[Rule, ...] = (
    Rule("note", "JSON objects are unordered (RFC 8259 section 4)", kind="order"),
    Rule("note", "the same number written another way; no reader can tell", kind="number-format"),
)


@frozen
class Policy:
    """Ordered rules; the first match decides, the default is ``fail``."""

    rules: tuple[Rule, ...] = DEFAULT_RULES

    def judge(self, divergence: Divergence) -> Divergence:
        """The divergence with the severity (and reason) of the first matching rule."""
        for rule in self.rules:
            if rule.matches(divergence):
                return divergence.with_severity(rule.severity, rule.reason)
        return divergence.with_severity("fail")

    def judge_all(self, divergences: Iterable[Divergence]) -> list[Divergence]:
        """``judge`` each divergence."""
        return [self.judge(d) for d in divergences]

    @classmethod
    def from_config(cls, rules: Sequence[Mapping[str, Any]], file: str = "") -> Policy:
        """Project rules from ``[[tool.conformance.policy]]`` tables, then the defaults."""
        parsed = []
        for index, raw in enumerate(rules):
            key = f"tool.conformance.policy[{index}]"
            unknown = set(raw) - {"kind", "path", "targets", "severity", "reason"}
            if unknown:
                raise ConfigError(
                    f"unknown policy key(s) {sorted(unknown)!r}",
                    "use kind, path, targets, severity and reason",
                    file=file,
                    key=key,
                )
            severity = raw.get("severity")
            if severity not in ("fail", "note"):
                raise ConfigError(
                    f"severity must be 'fail' or 'note', not {severity!r}", file=file, key=key
                )
            reason = raw.get("reason")
            if not isinstance(reason, str) or not reason.strip():
                raise ConfigError(
                    "every policy rule needs a reason",
                    "say why this kind of divergence is acceptable (or not)",
                    file=file,
                    key=key,
                )
            kind = raw.get("kind", "*")
            if kind != "*" and kind not in KINDS:
                raise ConfigError(
                    f"unknown divergence kind {kind!r}",
                    f"use one of {', '.join(KINDS)}",
                    file=file,
                    key=key,
                )
            targets = raw.get("targets", ())
            if isinstance(targets, str):
                targets = (targets,)
            parsed.append(
                Rule(severity, reason, kind, str(raw.get("path", "*")), tuple(map(str, targets)))
            )
        return cls((*parsed, *DEFAULT_RULES))
