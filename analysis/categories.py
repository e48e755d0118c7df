"""Unit categories as data (data/categories.json): suggest one from a unit's name, and read the
category a catalogue targets from its title or target column.

>>> suggest_category("青禾县应急管理局").category
'执法监督部门'
>>> suggest_category("青禾县第一中学").entrusted_to
'教育局党委'
>>> resolve_target("各镇（街道）")
'各镇'
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from .chinese import simplified
from .settings import PACKAGE_DATA

CATEGORY_FILE = PACKAGE_DATA / "categories.json"
_PUNCT = re.compile(r"[\s，,、;；]+")


@dataclass(frozen=True)
class CategorySuggestion:
    category: str | None
    entrusted_to: str | None
    rule: str | None  # the pattern that matched, shown to the user as the reason


@dataclass(frozen=True)
class CategoryScheme:
    categories: tuple[str, ...]
    labels: dict[str, str]
    aliases: dict[str, str]  # alias → category or group name
    groups: dict[str, tuple[str, ...]]
    entrusted: dict[str, str]  # entrusted unit type → supervising body (学校 → 教育局党委)
    unit_rules: tuple[tuple[str, str | None, re.Pattern[str]], ...]  # (category, entrust, pattern)
    county_prefix: re.Pattern[str]


def _compact(text: str) -> str:
    return _PUNCT.sub("", simplified(text)).replace("(", "（").replace(")", "）")


def load_scheme(path: Path = CATEGORY_FILE) -> CategoryScheme:
    raw: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    rules: list[tuple[str, str | None, re.Pattern[str]]] = []
    for item in raw["entrust"]:
        rules += [(item["name"], item["supervisor"], re.compile(p)) for p in item["patterns"]]
    aliases: dict[str, str] = {}
    for item in raw["categories"]:
        rules += [(item["name"], None, re.compile(p)) for p in item["patterns"]]
        aliases.update({_compact(a): item["name"] for a in [item["name"], *item["aliases"]]})
    groups = {}
    for name, group in raw["groups"].items():
        groups[name] = tuple(group["members"])
        aliases.update({_compact(a): name for a in [name, *group["aliases"]]})
    aliases.update({_compact(e["name"]): e["name"] for e in raw["entrust"]})
    return CategoryScheme(
        categories=tuple(c["name"] for c in raw["categories"]),
        labels={c["name"]: c["label"] for c in raw["categories"]},
        aliases=aliases,
        groups=groups,
        entrusted={e["name"]: e["supervisor"] for e in raw["entrust"]},
        unit_rules=tuple(rules),
        county_prefix=re.compile(raw["county_prefix"]),
    )


@cache
def default_scheme() -> CategoryScheme:
    return load_scheme()


def suggest_category(unit_name: str, scheme: CategoryScheme | None = None) -> CategorySuggestion:
    """First matching name rule, tried on the full name and without the county prefix."""
    scheme = scheme or default_scheme()
    full = _compact(unit_name)
    short = scheme.county_prefix.sub("", full) or full
    for category, entrust, pattern in scheme.unit_rules:
        if pattern.search(full) or pattern.search(short):
            return CategorySuggestion(category, entrust, pattern.pattern)
    return CategorySuggestion(None, None, None)


def resolve_target(text: str, scheme: CategoryScheme | None = None) -> str | None:
    """The category or group a target text names ('各镇（街道）' → '各镇'), else None."""
    scheme = scheme or default_scheme()
    key = _compact(text)
    if key in scheme.aliases:
        return scheme.aliases[key]
    stripped = scheme.county_prefix.sub("", key)
    return scheme.aliases.get(stripped)


def find_target_in_text(text: str, scheme: CategoryScheme | None = None) -> str | None:
    """The category or group named inside a title or file name (longest alias wins)."""
    scheme = scheme or default_scheme()
    key = _compact(text)
    hits = [alias for alias in scheme.aliases if len(alias) >= 2 and alias in key]
    if not hits:
        return None
    return scheme.aliases[max(hits, key=lambda a: (len(a), -key.index(a)))]
