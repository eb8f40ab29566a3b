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
from collections.abc import Iterable
from fnmatch import fnmatchcase
from functools import cache

from attrs import define, field, frozen

from conformance.core.config import PolicyRule
from conformance.core.divergence import Divergence, Severity

__all__ = ["DEFAULT_RULES", "Policy", "path_glob", "rule_matches"]


def rule_matches(rule: PolicyRule, divergence: Divergence) -> bool:
    """Whether the rule applies to the divergence."""
    if rule.kind != "*" and rule.kind != divergence.kind:
        return False
    if rule.path != "*" and not path_glob(rule.path).fullmatch(divergence.where):
        return False
    names = divergence.left.targets + divergence.right.targets
    return all(any(fnmatchcase(n, glob) for n in names) for glob in rule.targets)


@cache
def path_glob(pattern: str) -> re.Pattern[str]:
    """A path glob: ``*`` matches any run of characters; everything else is literal."""
    return re.compile(".*".join(re.escape(part) for part in pattern.split("*")))


DEFAULT_RULES: tuple[PolicyRule, ...] = (
    PolicyRule("note", "JSON objects are unordered (RFC 8259 section 4)", kind="order"),
    PolicyRule(
        "note", "the same number written another way; no reader can tell", kind="number-format"
    ),
    PolicyRule(
        "note",
        "the same value written as other JSON text (escapes, spacing); every reader reads"
        " it the same",
        kind="text",
    ),
)


@frozen
class Policy:
    """Ordered rules; the first match decides, the default is ``fail``."""

    rules: tuple[PolicyRule, ...] = DEFAULT_RULES

    @classmethod
    def from_rules(cls, rules: Iterable[PolicyRule]) -> Policy:
        """A project's rules (``Config.policy``), then the built-in ones."""
        return cls((*rules, *DEFAULT_RULES))

    def judge(self, divergence: Divergence) -> Divergence:
        """The divergence with the severity (and reason) of the first matching rule."""
        verdict = self.kind_verdict(divergence.kind)
        if verdict is None:
            for rule in _of_kind(self.rules, divergence.kind):
                if rule_matches(rule, divergence):
                    return divergence.with_severity(rule.severity, rule.reason)
        severity, reason = verdict or ("fail", "")
        if (divergence.severity, divergence.reason) == (severity, reason):
            return divergence  # already what it would become: no copy
        return divergence.with_severity(severity, reason)

    def kind_verdict(self, kind: str) -> tuple[Severity, str] | None:
        """The severity and reason every divergence of ``kind`` gets when its kind alone
        decides (no rule that can match it names a path or targets: the first of them, else
        ``fail``); None otherwise."""
        cached = _cache(self.rules)
        if kind not in cached.verdicts:
            rules = _of_kind(self.rules, kind)
            if any(rule.path != "*" or rule.targets for rule in rules):
                cached.verdicts[kind] = None
            elif rules:
                cached.verdicts[kind] = (rules[0].severity, rules[0].reason)
            else:
                cached.verdicts[kind] = ("fail", "")
        return cached.verdicts[kind]

    def judge_all(self, divergences: Iterable[Divergence]) -> list[Divergence]:
        """``judge`` each divergence."""
        return [self.judge(d) for d in divergences]


@define
class _Cached:
    """What one rule list gives each kind, computed once: the rules that can match a
    divergence of that kind (in order), and ``Policy.kind_verdict``."""

    rules: tuple[PolicyRule, ...]
    of_kind: dict[str, tuple[PolicyRule, ...]] = field(factory=dict)
    verdicts: dict[str, tuple[Severity, str] | None] = field(factory=dict)


# id(rules) -> what they give each kind. Holding the rules keeps their id from reuse.
_KINDS: dict[int, _Cached] = {}


def _cache(rules: tuple[PolicyRule, ...]) -> _Cached:
    cached = _KINDS.get(id(rules))
    if cached is None or cached.rules is not rules:
        cached = _KINDS[id(rules)] = _Cached(rules)
    return cached


def _of_kind(rules: tuple[PolicyRule, ...], kind: str) -> tuple[PolicyRule, ...]:
    cached = _cache(rules)
    found = cached.of_kind.get(kind)
    if found is None:
        found = cached.of_kind[kind] = tuple(r for r in rules if r.kind in ("*", kind))
    return found
