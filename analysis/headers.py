"""Find the header of a catalogue sheet and map its columns to canonical fields.

Synonyms live in data/headers.json (domain.md §5). A caller may override the mapping, by header
text or by column letter: ``{"责任单位": "assessor", "F": "criteria"}``.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache

from .chinese import simplified
from .readers import Merge
from .settings import LAYOUT, PACKAGE_DATA

FIELDS = (
    "seq", "level1", "level2", "name", "requirement", "score", "criteria", "method",
    "assessor", "target", "co_units", "period", "note",
)  # fmt: skip
IGNORE = "ignore"
OTHER = "other"  # a known header that is kept as an extra cell, not as a field
_SPACES = re.compile(r"\s+")
_BRACKETS = re.compile(r"[（(\[【][^）)\]】]*[）)\]】]")
_MIN_CONTAINED = 3


@dataclass(frozen=True)
class Header:
    """Where the header sits (0-based rows, inclusive) and what each column means."""

    first_row: int
    last_row: int
    fields: dict[int, str]  # column index → canonical field
    labels: dict[int, str]  # column index → header text as written (two-row headers joined)


def column_letter(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA (as Excel names columns)."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(ord("A") + rem) + letters
    return letters


def normalize_header(text: str) -> str:
    """``normalize_header(" 分 值\\n（分）") == "分值(分)"``; traditional characters folded."""
    return _SPACES.sub("", simplified(text)).rstrip(":：")


@cache
def _synonyms() -> tuple[dict[str, str], dict[str, tuple[str, ...]]]:
    raw = json.loads((PACKAGE_DATA / "headers.json").read_text(encoding="utf-8"))
    exact = {normalize_header(s): field for field, syns in raw["fields"].items() for s in syns}
    exact.update(
        {normalize_header(s): OTHER for s in raw["other"] if normalize_header(s) not in exact}
    )
    ambiguous = {normalize_header(k): tuple(v) for k, v in raw["ambiguous"].items()}
    return exact, ambiguous


@cache
def _verb_pattern() -> re.Pattern[str]:
    raw = json.loads((PACKAGE_DATA / "headers.json").read_text(encoding="utf-8"))
    return re.compile("|".join(map(re.escape, raw["synonym_verbs"]["from"])))


def match_header(text: str) -> str | tuple[str, ...] | None:
    """A canonical field, a tuple of possible fields (ambiguous), or None."""
    key = normalize_header(text)
    if not key:
        return None
    exact, ambiguous = _synonyms()
    bare = _BRACKETS.sub("", key)
    for candidate in (key, bare, _verb_pattern().sub("考核", bare)):
        if candidate in exact:
            return exact[candidate]
        if candidate in ambiguous:
            return ambiguous[candidate]
    contained = [s for s in exact if len(s) >= _MIN_CONTAINED and s in key]
    if contained:
        best = max(contained, key=lambda s: (len(s), -key.index(s)))
        return exact[best]
    return None


def _row_fields(row: list[str]) -> int:
    return len({str(match_header(c)) for c in row if c and match_header(c) is not None})


def _spread_merged_headers(
    rows: list[list[str]], merged: list[Merge], top: int, bottom: int
) -> None:
    """Copy a merged header cell's text into every column it covers (rows top..bottom)."""
    for (r0, c0), (r1, c1) in merged:
        if r0 > bottom or r1 < top or r0 >= len(rows):
            continue
        value = rows[r0][c0] if c0 < len(rows[r0]) else ""
        for r in range(max(r0, top), min(r1, bottom) + 1):
            for c in range(c0, min(c1 + 1, len(rows[r]))):
                if not rows[r][c]:
                    rows[r][c] = value


def _is_header_continuation(row: list[str]) -> bool:
    """A row of sub-headers: every non-empty cell is a short known header (titles are long)."""
    cells = [c for c in row if c]
    return bool(cells) and all(
        len(normalize_header(c)) <= LAYOUT.max_header_chars and match_header(c) is not None
        for c in cells
    )


def find_header(
    rows: list[list[str]], merged: list[Merge], overrides: dict[str, str] | None = None
) -> Header | None:
    """Locate the header among the first rows; join a second header row when there is one."""
    scan = rows[: LAYOUT.header_scan_rows]
    scores = [_row_fields(r) for r in scan]
    if not scores or max(scores) < LAYOUT.min_header_fields:
        return None
    best = scores.index(max(scores))
    first, last = best, best
    if best > 0 and _row_fields(rows[best - 1]) and _is_header_continuation(rows[best - 1]):
        first = best - 1
    if best + 1 < len(rows) and _is_header_continuation(rows[best + 1]):
        last = best + 1
    header_rows = [list(r) for r in rows[first : last + 1]]
    _spread_merged_headers(
        header_rows,
        [((r0 - first, c0), (r1 - first, c1)) for (r0, c0), (r1, c1) in merged],
        0,
        last - first,
    )
    width = max(len(r) for r in header_rows)
    labels: dict[int, str] = {}
    for col in range(width):
        parts = [r[col] for r in header_rows if col < len(r) and r[col]]
        unique = list(dict.fromkeys(parts))
        if unique:
            labels[col] = "/".join(unique)
    fields = assign_fields(labels, header_rows, overrides or {})
    if "name" not in fields.values():
        return None
    return Header(first, last, fields, labels)


def _candidates(col: int, header_rows: list[list[str]]) -> str | tuple[str, ...] | None:
    """The most specific reading of a column: its lowest header cell first."""
    for row in reversed(header_rows):
        if col < len(row) and row[col]:
            found = match_header(row[col])
            if found is not None:
                return found
    return None


def assign_fields(
    labels: dict[int, str], header_rows: list[list[str]], overrides: dict[str, str]
) -> dict[int, str]:
    """Give each column at most one field and each field at most one column (leftmost wins)."""
    fields: dict[int, str] = {}
    pending: dict[int, tuple[str, ...]] = {}
    for col in sorted(labels):
        forced = overrides.get(column_letter(col)) or overrides.get(labels[col])
        if forced is None:
            forced = next(
                (
                    overrides[k]
                    for k in overrides
                    if normalize_header(k) in {normalize_header(p) for p in labels[col].split("/")}
                ),
                None,
            )
        found = forced or _candidates(col, header_rows)
        if isinstance(found, tuple):
            pending[col] = found
        elif found and found not in (IGNORE, OTHER):
            deeper = _free_level(found, fields) if found in DEEPER else found
            if deeper and deeper not in fields.values():
                fields[col] = deeper
    for col, options in sorted(pending.items()):
        fields_left = [f for f in options if f not in fields.values()]
        if not fields_left:
            continue
        later_name = any(f == "name" and c > col for c, f in fields.items())
        later_name = later_name or any(c > col and "name" in o for c, o in pending.items())
        choice = fields_left[0] if (later_name or "name" not in fields_left) else "name"
        fields[col] = choice
    return _promote_deepest_level(fields)


DEEPER = {"level1": "level2", "level2": "name"}
HIERARCHY = ("level1", "level2", "name")


def _free_level(field: str, fields: dict[int, str]) -> str | None:
    """A second level-1 column is level 2, a second level-2 column is the indicator itself
    (一级指标 | 二级指标 | 考核要点: the last one holds the indicators)."""
    taken = set(fields.values())
    while field in taken:
        if field not in DEEPER:
            return None
        field = DEEPER[field]
    return field


def _order_levels(fields: dict[int, str]) -> dict[int, str]:
    """Headings run left to right from level 1 to the indicator: 考核内容 | 考核要点 where the
    first column is merged over groups means the right-hand column holds the indicators."""
    columns = sorted(c for c, f in fields.items() if f in HIERARCHY)
    roles = [fields[c] for c in columns]
    if "name" not in roles or roles[-1] == "name":
        return fields
    ordered = {2: ["level1", "name"], 3: ["level1", "level2", "name"]}.get(len(columns))
    if ordered is None:
        return fields
    return {**fields, **dict(zip(columns, ordered, strict=True))}


def _promote_deepest_level(fields: dict[int, str]) -> dict[int, str]:
    """Without a name column, the deepest level heading names the indicator."""
    if "name" in fields.values():
        return _order_levels(fields)
    for level in ("level2", "level1"):
        for col, field in fields.items():
            if field == level:
                return {**fields, col: "name"}
    return fields
