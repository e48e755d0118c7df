"""Lay a sheet's rows out as a grid of cells with merges: one shape for every file format."""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import groupby

from analysis.synth.build import Row
from analysis.synth.scoring import counted
from analysis.synth.vocabulary import l1_number, l2_number, leaf_number


@dataclass(frozen=True)
class Layout:
    """Column roles and the habits of one clerk.

    Roles: seq l1 l2 name score base bonus crit method assessor target goal note.
    `l1_mode`: merge | repeat | first | section | section_merged (section rows, no l1 column).
    """

    cols: tuple[str, ...]
    headers: dict[str, str]
    groups: tuple[tuple[str, str, str], ...] = ()
    l1_mode: str = "merge"
    l2_mode: str = "merge"
    l1_num: str = "一、"
    l2_num: str = ""
    leaf_num: str = ""
    l1_points: bool = False
    subtotal: bool = False
    total: bool = True
    blank_between: bool = False
    notes: tuple[str, ...] = ()
    score_unit: str = "分"
    ded_label: bool = False
    ranges: bool = False
    title_merge: bool = True


@dataclass
class Grid:
    """Cells (row-major, 0-based), merges (r1, c1, r2, c2) and the indicator rows' positions."""

    ncols: int
    cells: list[list[object]] = field(default_factory=list)
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)
    indicators: dict[int, Row] = field(default_factory=dict)
    header_rows: int = 0
    title_rows: int = 0

    def add(self, values: dict[int, object] | None = None) -> int:
        row = [""] * self.ncols
        for col, value in (values or {}).items():
            row[col] = value
        self.cells.append(row)
        return len(self.cells) - 1

    def merge(self, r1: int, c1: int, r2: int, c2: int) -> None:
        if (r1, c1) != (r2, c2):
            self.merges.append((r1, c1, r2, c2))


def _points(rows: list[Row]) -> float:
    return sum(r.score for r in rows if counted(r))


def _fmt_points(value: float, unit: str) -> str:
    return f"{value:g}%" if unit == "%" else f"{value:g}分"


def _header(grid: Grid, layout: Layout) -> None:
    col = {role: i for i, role in enumerate(layout.cols)}
    if not layout.groups:
        grid.add({i: layout.headers[r] for i, r in enumerate(layout.cols)})
        grid.header_rows = 1
        return
    top = grid.add()
    bottom = grid.add()
    grouped = set()
    for label, first, last in layout.groups:
        c1, c2 = col[first], col[last]
        grid.cells[top][c1] = label
        grid.merge(top, c1, top, c2)
        for c in range(c1, c2 + 1):
            grid.cells[bottom][c] = layout.headers[layout.cols[c]]
            grouped.add(c)
    for c, role in enumerate(layout.cols):
        if c not in grouped:
            grid.cells[top][c] = layout.headers[role]
            grid.merge(top, c, bottom, c)
    grid.header_rows = 2


def build_grid(rows: list[Row], layout: Layout, title: str, subtitle: str, total: float) -> Grid:
    """The whole sheet: title, header, body with sections/subtotals, total and notes."""
    grid = Grid(len(layout.cols))
    for text in (title, subtitle):
        if text:
            r = grid.add({0: text})
            grid.title_rows += 1
            if layout.title_merge:
                grid.merge(r, 0, r, grid.ncols - 1)
    _header(grid, layout)
    col = {role: i for i, role in enumerate(layout.cols)}
    seq = 0
    groups = [(k, list(g)) for k, g in groupby(rows, key=lambda r: r.level1)]
    for i1, (level1, members) in enumerate(groups, start=1):
        seq = _body_group(grid, layout, col, i1, level1, members, seq)
    if layout.total:
        label_col = col.get("name", 0) if "l1" not in col else col["l1"]
        r = grid.add({label_col: "合计", **_score_cells(col, total, layout)})
    for note in layout.notes:
        r = grid.add({0: note})
        grid.merge(r, 0, r, grid.ncols - 1)
    return grid


def _score_cells(col: dict[str, int], value: float, layout: Layout) -> dict[int, object]:
    key = "score" if "score" in col else "base"
    text = value if layout.score_unit == "" else _fmt_points(value, layout.score_unit)
    return {col[key]: text}


def _body_group(grid, layout, col, i1, level1, members, seq) -> int:
    head = f"{l1_number(layout.l1_num, i1)}{level1}"
    if layout.l1_points and _points(members):
        head += f"（{_fmt_points(_points(members), layout.score_unit)}）"
    if layout.l1_mode.startswith("section"):
        r = grid.add({0: head})
        if layout.l1_mode == "section_merged":
            grid.merge(r, 0, r, grid.ncols - 1)
    start = len(grid.cells)
    l2_groups = [(k, list(g)) for k, g in groupby(members, key=lambda r: r.level2)]
    leaf_index = 0
    for i2, (level2, leaves) in enumerate(l2_groups, start=1):
        l2_start = len(grid.cells)
        for i, row in enumerate(leaves):
            seq += 1
            leaf_index = i + 1 if layout.leaf_num == "1.1.1" else leaf_index + 1
            _leaf(grid, layout, col, row, seq, leaf_number(layout.leaf_num, leaf_index, i1, i2))
            if "l2" in col and (i == 0 or layout.l2_mode == "repeat"):
                grid.cells[-1][col["l2"]] = f"{l2_number(layout.l2_num, i2, i1)}{level2}"
        if "l2" in col and layout.l2_mode == "merge":
            grid.merge(l2_start, col["l2"], len(grid.cells) - 1, col["l2"])
    if "l1" in col:
        grid.cells[start][col["l1"]] = head
        for r in range(start + 1, len(grid.cells)) if layout.l1_mode == "repeat" else ():
            grid.cells[r][col["l1"]] = head
        if layout.l1_mode == "merge":
            grid.merge(start, col["l1"], len(grid.cells) - 1, col["l1"])
    if layout.subtotal:
        label_col = col["name"] if "l1" in col and layout.l1_mode == "merge" else 0
        grid.add({label_col: "小计", **_score_cells(col, _points(members), layout)})
    if layout.blank_between:
        grid.add()
    return seq


def _leaf(grid: Grid, layout: Layout, col: dict[str, int], row: Row, seq: int, prefix: str) -> None:
    row.wording = row.name
    row.name = f"{prefix}{row.name}"
    values: dict[int, object] = {col["name"]: row.name}
    score = row.score if layout.score_unit == "" and row.score is not None else row.score_text
    if row.score is not None and layout.score_unit == "" and row.bonus:
        score = row.score_text
    put = {
        "seq": seq,
        "crit": row.criteria,
        "method": row.method,
        "assessor": row.assessor,
        "target": row.target,
        "goal": row.goal,
        "score": score,
        "base": "" if row.bonus else score,
        "bonus": score if row.bonus else "",
    }
    for role, value in put.items():
        if role in col:
            values[col[role]] = value
    grid.indicators[grid.add(values)] = row
