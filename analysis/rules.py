"""Recommendation rules as data (data/rules.json): patterns, thresholds, policy basis.

Each rule names its action, reason code and a Chinese explanation template; `match_rule`
says which pattern fired so that the evidence can show it.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from .settings import PACKAGE_DATA

RULES_FILE = PACKAGE_DATA / "rules.json"
ACTIONS = ("keep", "merge", "drop", "convert", "entrust")


@dataclass(frozen=True)
class Rule:
    code: str
    action: str
    reason_zh: str
    basis: str
    patterns: tuple[re.Pattern[str], ...] = ()
    criteria_patterns: tuple[re.Pattern[str], ...] = ()
    catalogue_patterns: tuple[re.Pattern[str], ...] = ()
    extra: dict[str, Any] | None = None

    def explain(self, **values: object) -> str:
        return self.reason_zh.format(**values)


@dataclass(frozen=True, eq=False)  # hashed by identity: used as a cache key
class RuleBook:
    version: str
    precedence: tuple[str, ...]
    rules: dict[str, Rule]
    exempt_kinds: frozenset[str]
    exempt_patterns: tuple[re.Pattern[str], ...]
    flags: dict[str, float]

    def __getitem__(self, code: str) -> Rule:
        return self.rules[code]


def _compile(items: list[str] | None) -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(p) for p in items or [])


def load_rules(path: Path = RULES_FILE) -> RuleBook:
    raw = json.loads(path.read_text(encoding="utf-8"))
    rules = {}
    for code, spec in raw["rules"].items():
        known = {
            "action",
            "reason_zh",
            "basis",
            "patterns",
            "criteria_patterns",
            "catalogue_patterns",
        }
        rules[code] = Rule(
            code=code,
            action=spec["action"],
            reason_zh=spec["reason_zh"],
            basis=spec["basis"],
            patterns=_compile(spec.get("patterns")),
            criteria_patterns=_compile(spec.get("criteria_patterns")),
            catalogue_patterns=_compile(spec.get("catalogue_patterns")),
            extra={k: v for k, v in spec.items() if k not in known and not k.startswith("_")},
        )
    exempt = raw["exempt_from_low_weight"]
    return RuleBook(
        version=raw["rule_version"],
        precedence=tuple(raw["precedence"]),
        rules=rules,
        exempt_kinds=frozenset(exempt["score_kinds"]),
        exempt_patterns=_compile(exempt["patterns"]),
        flags={k: v for k, v in raw["catalogue_flags"].items() if not k.startswith("_")},
    )


@cache
def default_rules() -> RuleBook:
    return load_rules()


def first_match(patterns: tuple[re.Pattern[str], ...], text: str) -> str | None:
    """The text a pattern matched (shown as evidence), or None."""
    for pattern in patterns:
        found = pattern.search(text or "")
        if found:
            return found.group(0)
    return None
