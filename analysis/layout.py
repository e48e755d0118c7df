"""Turn one sheet's grid into indicator rows: fill merged cells, skip blank, subtotal,
section and note rows, carry level headings down.

Plain indicator rows are recognised with vectorised checks; only the few rows that look
unusual (one cell, empty name, subtotal words, note prefixes) are classified one by one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from .headers import FIELDS, Header, column_letter, match_header
from .readers import Sheet

TEXT = pd.ArrowDtype(pa.string())
OUTPUT_NAME = {"seq": "number"}  # the 序号 as written; `seq` is the row's order in the sheet
FILL_DOWN_FIELDS = frozenset(
    {"level1", "level2", "name", "criteria", "requirement", "method", "assessor", "target",
     "period", "co_units"}
)  # fmt: skip
SUBTOTAL = re.compile(r"^\s*(小\s*计|合\s*计|总\s*计|共\s*计|总\s*分|得分合计|分值合计)")
NOTE = re.compile(
    r"^\s*(注\s*[:：\d１-９]|备\s*注\s*[:：]|说\s*明\s*[:：]|附\s*[:：]|填[表报]说明|※)"
)
SECTION_TOP = re.compile(
    r"^\s*([一二三四五六七八九十]+\s*[、.．]|第[一二三四五六七八九十]+(部分|章|篇))"
)
SECTION_SUB = re.compile(r"^\s*[（(][一二三四五六七八九十]+[）)]")


@dataclass
class SheetRows:
    """Indicator rows of one sheet in canonical columns, and the row problems found."""

    frame: pd.DataFrame
    problems: list[tuple[int, str, str]] = field(default_factory=list)  # (row, column, message)
    skipped: dict[str, int] = field(default_factory=dict)


def _rectangular(rows: list[list[str]]) -> list[list[str]]:
    width = max((len(r) for r in rows), default=0)
    return [r + [""] * (width - len(r)) if len(r) < width else r for r in rows]


def _fill_vertical_merges(rows: list[list[str]], sheet: Sheet, header: Header) -> set[int]:
    """Copy merged values down their columns; return rows that hold a horizontal merge."""
    spanning: set[int] = set()
    for (r0, c0), (r1, c1) in sheet.merged:
        if r0 <= header.last_row or r0 >= len(rows):
            continue
        if c1 > c0 and r0 == r1:
            spanning.add(r0)
            continue
        for col in range(c0, c1 + 1):
            if header.fields.get(col) not in FILL_DOWN_FIELDS:
                continue
            value = rows[r0][col]
            for r in range(r0 + 1, min(r1 + 1, len(rows))):
                if not rows[r][col]:
                    rows[r][col] = value
    return spanning


def _classify(cells: list[str], header: Header, spanning: bool) -> str:
    """Kind of an unusual row: blank, note, subtotal, header, section1/2, parent, orphan, indicator."""
    by_field = {f: cells[c] for c, f in header.fields.items() if c < len(cells)}
    texts = [c for c in cells if c]
    if not texts:
        return "blank"
    first = texts[0]
    if NOTE.match(first):
        return "note"
    if any(SUBTOTAL.match(by_field.get(f, "")) for f in ("seq", "level1", "level2", "name")):
        return "subtotal"
    if sum(1 for c in texts if match_header(c) is not None) >= max(2, len(texts) - 1):
        return "header"
    distinct = list(dict.fromkeys(texts))
    if len(distinct) == 1 and (spanning or len(texts) > 1 or not by_field.get("name")):
        return "section2" if SECTION_SUB.match(first) else "section1"
    name = by_field.get("name", "")
    if len(distinct) == 1 and name and _has_detail_columns(header):
        if SECTION_SUB.match(name):
            return "section2"
        if SECTION_TOP.match(name):
            return "section1"
    if name:
        return "indicator"
    if by_field.get("level1") or by_field.get("level2"):
        return "parent"
    if any(by_field.get(f) for f in ("criteria", "score", "requirement")):
        return "orphan"
    return "blank"


def _has_detail_columns(header: Header) -> bool:
    """A numbered name alone on its row is a heading only where other rows carry details."""
    return any(f in header.fields.values() for f in ("score", "criteria", "requirement"))


def _unusual_mask(data: pd.DataFrame, header: Header) -> pd.Series:
    col = {f: c for c, f in header.fields.items()}
    name = data[col["name"]]
    nonempty = sum((data[c] != "").to_numpy(dtype=bool).astype("int8") for c in data.columns)
    mask = (nonempty <= 1) | (name == "") | name.str.match(SUBTOTAL.pattern)
    mask |= data[0].str.match(NOTE.pattern) | name.str.match(NOTE.pattern)
    mask |= name == header.labels.get(col["name"], "\0")
    probe = next((c for f, c in col.items() if f in ("score", "criteria") and c != col["name"]), 0)
    if probe != col["name"]:
        mask |= name == data[probe]
    for level in ("level1", "level2", "seq"):
        if level in col:
            mask |= data[col[level]].str.match(SUBTOTAL.pattern)
    return mask


def _text_frame(columns: list[pa.Array] | list[pa.ChunkedArray]) -> pd.DataFrame:
    """Arrow-backed text columns 0..n-1 ('' for empty); readers have stripped the cells."""
    clean = (pc.fill_null(col, "") for col in columns)
    return pd.DataFrame(
        {i: pd.Series(pd.arrays.ArrowExtensionArray(col)) for i, col in enumerate(clean)}
    )


def _data_frame(sheet: Sheet, header: Header) -> tuple[pd.DataFrame, set[int]]:
    start = header.last_row + 1
    if sheet.table is not None:
        body = sheet.table.slice(start)
        return _text_frame(body.columns), set()
    rows = _rectangular([list(r) for r in sheet.rows])
    spanning = _fill_vertical_merges(rows, sheet, header)
    body_rows = rows[start:]
    width = len(rows[0]) if rows else 0
    columns = [pa.array([r[c] for r in body_rows], pa.string()) for c in range(width)]
    return _text_frame(columns), spanning


def extract_rows(sheet: Sheet, header: Header) -> SheetRows:
    start = header.last_row + 1
    data, spanning = _data_frame(sheet, header)
    if data.empty or not len(data.columns):
        return SheetRows(_empty_frame(header))
    kinds = pd.Series("indicator", index=data.index, dtype="object")
    for idx in data.index[_unusual_mask(data, header)]:
        kinds[idx] = _classify(list(data.loc[idx]), header, idx + start in spanning)
    frame = _canonical(data, kinds, header, start)
    problems = [
        (int(idx) + start + 1, column_letter(_name_col(header)), "有评分内容但缺少指标名称")
        for idx in kinds.index[kinds == "orphan"]
    ]
    skipped = {k: int(v) for k, v in kinds.value_counts().items() if k != "indicator"}
    return SheetRows(frame, problems, skipped)


def _name_col(header: Header) -> int:
    return next(c for c, f in header.fields.items() if f == "name")


def _context(data: pd.DataFrame, kinds: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Level headings that come from section rows (一、… / （一）…) rather than columns."""
    sections = kinds.index[kinds.isin(["section1", "section2"])]
    if sections.empty:
        blank = pd.Series(pa.array([""] * len(data), pa.string()), index=data.index, dtype=TEXT)
        return blank, blank
    heading = {i: next(c for c in data.loc[i] if c) for i in sections}
    text = pd.Series(heading, index=data.index, dtype="object")
    top = text.where(kinds == "section1").ffill().fillna("")
    sub = text.where(kinds == "section2")
    sub = sub.mask(kinds == "section1", "").ffill().fillna("")
    return top.astype(TEXT), sub.astype(TEXT)


def _carried(series: pd.Series, keep: pd.Series, resets: pd.Series | None = None) -> pd.Series:
    """Fill blanks down from the rows above (merged or visually grouped headings)."""
    values = series.where(keep & (series != ""))
    if resets is None:
        return values.ffill().fillna("")
    groups = resets.to_numpy(dtype=bool, na_value=False).cumsum()
    return values.groupby(groups).ffill().fillna("")


def _canonical(data: pd.DataFrame, kinds: pd.Series, header: Header, start: int) -> pd.DataFrame:
    col = {f: c for c, f in header.fields.items()}
    holder = kinds.isin(["indicator", "parent"])
    needs_context = bool(kinds.isin(["section1", "section2"]).any())
    top, sub = _context(data, kinds)
    out = pd.DataFrame(index=data.index)
    level1 = _carried(data[col["level1"]], holder) if "level1" in col else top
    if "level1" in col and needs_context:
        level1 = level1.mask(level1 == "", top)
    new_group = level1.ne(level1.shift()) | kinds.isin(["section1"])
    level2 = _carried(data[col["level2"]], holder, new_group) if "level2" in col else sub
    out["level1"], out["level2"] = level1, level2
    for name in FIELDS:
        if name not in ("level1", "level2"):
            out[OUTPUT_NAME.get(name, name)] = (
                data[col[name]] if name in col else pd.Series("", index=data.index, dtype=TEXT)
            )
    out["source_row"] = data.index + start + 1
    # Cells of columns that map to no field are kept as written; mapped ones live in fields.
    for c in data.columns:
        if c not in header.fields:
            out[f"extra_{c}"] = data[c]
    keep = kinds == "indicator"
    return out[keep].reset_index(drop=True)


def extra_columns(frame: pd.DataFrame) -> list[str]:
    """Columns of a canonical frame holding cells of unmapped sheet columns (extra_<index>)."""
    return [c for c in frame.columns if str(c).startswith("extra_")]


def extra_index(column: str) -> int:
    return int(column.removeprefix("extra_"))


def _empty_frame(header: Header) -> pd.DataFrame:
    columns = [
        "level1",
        "level2",
        *[OUTPUT_NAME.get(f, f) for f in FIELDS if f not in ("level1", "level2")],
    ]
    return pd.DataFrame(
        {c: pd.Series(dtype=TEXT) for c in columns} | {"source_row": pd.Series(dtype="int64")}
    )
