"""A unit roster (单位名录) sheet: unit names, optionally their kind, supervisor and category."""

from __future__ import annotations

import pandas as pd

from .headers import normalize_header
from .imported import SheetImport
from .readers import Sheet

ROSTER_FIELDS = {
    "unit_name": ("单位名称", "单位", "单位全称", "被考核单位名称", "单位名"),
    "unit_kind": ("单位性质", "单位类型", "性质", "类型"),
    "supervisor": ("主管部门", "主管单位", "上级主管部门", "归口管理部门"),
    "category": ("单位类别", "考核类别", "分类", "类别", "考核分类"),
}
_LOOKUP = {normalize_header(s): f for f, syns in ROSTER_FIELDS.items() for s in syns}
_SCAN_ROWS = 20


def find_roster_header(rows: list[list[str]]) -> tuple[int, dict[int, str]] | None:
    """(header row, column → field) when a sheet is a unit roster, else None."""
    for index, row in enumerate(rows[:_SCAN_ROWS]):
        fields: dict[int, str] = {}
        for col, cell in enumerate(row):
            found = _LOOKUP.get(normalize_header(cell)) if cell else None
            if found and found not in fields.values():
                fields[col] = found
        if "unit_name" in fields.values():
            return index, fields
    return None


def roster_units(sheet: Sheet, found: tuple[int, dict[int, str]]) -> SheetImport:
    header_row, fields = found
    records = []
    for offset, row in enumerate(sheet.all_rows()[header_row + 1 :], start=header_row + 2):
        values = {f: (row[c] if c < len(row) else "") for c, f in fields.items()}
        if values.get("unit_name"):
            records.append({**{f: "" for f in ROSTER_FIELDS}, **values, "source_row": offset})
    frame = pd.DataFrame(records, columns=[*ROSTER_FIELDS, "source_row"])
    column_map = {str(c): f for c, f in sorted(fields.items())}
    return SheetImport(
        sheet.name, "roster", len(frame), None, None, None, header_row + 1, column_map, "",
        frame, {},
    )  # fmt: skip
