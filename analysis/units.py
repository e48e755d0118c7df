"""The `units` table: every unit the county assesses, with its (suggested or confirmed) category.

A category a person set (source 'user') or a roster gave (source 'roster') is never replaced by a
name-based suggestion (source 'rule').
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

import duckdb

from .categories import default_scheme, resolve_target, suggest_category
from .errors import JianfuError

_SPLIT_UNITS = re.compile(r"[、，,;；/\s]+")
CONFIRMED_SOURCES = ("user", "roster")


@dataclass(frozen=True)
class UnitRecord:
    unit_name: str
    unit_kind: str = ""
    supervisor: str = ""
    category: str = ""  # as given by a roster; empty = suggest from the name


def units_named_in(target: str) -> list[str]:
    """Unit names in a target cell, leaving out category names ('各镇、县人民医院' → [县人民医院])."""
    parts = [p for p in _SPLIT_UNITS.split(target) if p]
    return [p for p in parts if resolve_target(p) is None]


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def register_units(con: duckdb.DuckDBPyConnection, units: Iterable[UnitRecord], source: str) -> int:
    """Insert or refresh units inside the caller's transaction; return how many were written."""
    written = 0
    for unit in units:
        current = con.execute(
            "SELECT category_source FROM units WHERE unit_name = ?", [unit.unit_name]
        ).fetchone()
        given = resolve_target(unit.category) if unit.category else None
        suggestion = suggest_category(unit.unit_name)
        category = given or suggestion.category
        row_source = source if given else "rule"
        rule = None if given else suggestion.rule
        if current is None:
            con.execute(
                "INSERT INTO units VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [unit.unit_name, category, suggestion.entrusted_to, unit.supervisor or None,
                 unit.unit_kind or None, row_source, rule, _now()],
            )  # fmt: skip
        elif current[0] in CONFIRMED_SOURCES and not given:
            con.execute(
                "UPDATE units SET supervisor = coalesce(?, supervisor), "
                "unit_kind = coalesce(?, unit_kind), updated_at = ? WHERE unit_name = ?",
                [unit.supervisor or None, unit.unit_kind or None, _now(), unit.unit_name],
            )
        else:
            con.execute(
                "UPDATE units SET category = ?, entrusted_to = ?, "
                "supervisor = coalesce(?, supervisor), unit_kind = coalesce(?, unit_kind), "
                "category_source = ?, category_rule = ?, updated_at = ? WHERE unit_name = ?",
                [category, suggestion.entrusted_to, unit.supervisor or None,
                 unit.unit_kind or None, row_source, rule, _now(), unit.unit_name],
            )  # fmt: skip
        written += 1
    return written


def set_unit_category(
    con_or_store, unit_name: str, category: str, entrusted_to: str | None = None
) -> None:
    """A person's choice of category ('user' source): suggestions never overwrite it."""
    scheme = default_scheme()
    allowed = (*scheme.categories, *scheme.entrusted)
    if category not in allowed:
        raise JianfuError(f"类别“{category}”不在类别表中：可选 {'、'.join(allowed)}")
    supervisor = entrusted_to or scheme.entrusted.get(category)
    with con_or_store.transaction() as con:
        found = con.execute(
            "SELECT count(*) FROM units WHERE unit_name = ?", [unit_name]
        ).fetchone()
        if not found[0]:
            raise JianfuError(f"找不到单位“{unit_name}”：请先导入单位名录或指标表")
        con.execute(
            "UPDATE units SET category = ?, entrusted_to = ?, category_source = 'user', "
            "category_rule = NULL, updated_at = ? WHERE unit_name = ?",
            [category, supervisor, _now(), unit_name],
        )
