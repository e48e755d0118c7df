"""Writers: one grid per sheet → .xlsx (xlsxwriter), BIFF .xls (xlwt), HTML-as-.xls and CSV.

Every writer puts grid row i at spreadsheet row i + 1 (CSV line i + 1, HTML table row i + 1),
so the gold row numbers are the same for every format. Output is byte-stable: fixed document
properties, no timestamps, sorted nothing — the grids are already in order.
"""

from __future__ import annotations

import csv
import html
from datetime import datetime
from pathlib import Path

from analysis.synth.grid import Grid

CREATED = datetime(2024, 1, 1)
WIDE = {"name": 34, "crit": 48, "l1": 14, "l2": 16, "method": 14, "assessor": 14, "target": 16}


def _covered(grid: Grid) -> dict[tuple[int, int], tuple[int, int, int, int]]:
    """Cells inside a merge → the merge (top-left cells included)."""
    cover = {}
    for m in grid.merges:
        r1, c1, r2, c2 = m
        for r in range(r1, r2 + 1):
            for c in range(c1, c2 + 1):
                cover[(r, c)] = m
    return cover


def _plain(value: object) -> object:
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def write_xlsx(path: Path, sheets: list[tuple[str, Grid, tuple[str, ...]]], extra=None) -> None:
    """Write sheets (name, grid, column roles) and optional text-only sheets to .xlsx."""
    import xlsxwriter

    wb = xlsxwriter.Workbook(str(path))
    wb.set_properties({"created": CREATED, "author": "", "company": ""})
    fmt = {
        "title": wb.add_format({"bold": True, "font_size": 14, "align": "center"}),
        "head": wb.add_format({"bold": True, "border": 1, "align": "center", "valign": "vcenter"}),
        "body": wb.add_format({"border": 1, "text_wrap": True, "valign": "vcenter"}),
        "plain": wb.add_format({"text_wrap": False}),
    }
    for name, grid, roles in sheets:
        ws = wb.add_worksheet(name)
        for c, role in enumerate(roles):
            ws.set_column(c, c, WIDE.get(role, 9))
        _xlsx_cells(ws, grid, fmt)
    for name, lines in (extra or {}).items():
        ws = wb.add_worksheet(name)
        ws.set_column(0, 0, 90)
        for r, line in enumerate(lines):
            ws.write_string(r, 0, line, fmt["title"] if r == 0 else fmt["plain"])
    wb.close()


def _cell_format(grid: Grid, r: int, fmt: dict) -> object:
    if r < grid.title_rows:
        return fmt["title"]
    if r < grid.title_rows + grid.header_rows:
        return fmt["head"]
    return fmt["body"] if any(v != "" for v in grid.cells[r]) else fmt["plain"]


def _xlsx_cells(ws, grid: Grid, fmt: dict) -> None:
    cover = _covered(grid)
    for r, row in enumerate(grid.cells):
        style = _cell_format(grid, r, fmt)
        for c, value in enumerate(row):
            if (r, c) in cover:
                continue
            if isinstance(value, int | float):
                ws.write_number(r, c, value, style)
            elif value != "" or style is not fmt["plain"]:
                ws.write_string(r, c, str(value), style)
    for r1, c1, r2, c2 in grid.merges:
        value = _plain(grid.cells[r1][c1])
        ws.merge_range(r1, c1, r2, c2, value, _cell_format(grid, r1, fmt))


def write_xls(path: Path, sheets: list[tuple[str, Grid, tuple[str, ...]]]) -> None:
    """Write a real BIFF8 .xls with xlwt (imported here: only this format needs it)."""
    import xlwt

    wb = xlwt.Workbook(encoding="utf-8")
    for name, grid, roles in sheets:
        ws = wb.add_sheet(name)
        for c, role in enumerate(roles):
            ws.col(c).width = 256 * WIDE.get(role, 9)
        cover = _covered(grid)
        for r, row in enumerate(grid.cells):
            for c, value in enumerate(row):
                if (r, c) not in cover and value != "":
                    ws.write(r, c, _plain(value))
        for r1, c1, r2, c2 in grid.merges:
            ws.write_merge(r1, r2, c1, c2, _plain(grid.cells[r1][c1]))
    wb.save(str(path))


HTML_HEAD = (
    '<html xmlns:o="urn:schemas-microsoft-com:office:office" '
    'xmlns:x="urn:schemas-microsoft-com:office:excel" '
    'xmlns="http://www.w3.org/TR/REC-html40">\n<head>\n'
    '<meta http-equiv="Content-Type" content="text/html; charset=utf-8">\n'
    "<!--[if gte mso 9]><xml><x:ExcelWorkbook><x:ExcelWorksheets><x:ExcelWorksheet>"
    "<x:Name>{name}</x:Name><x:WorksheetOptions><x:DisplayGridlines/></x:WorksheetOptions>"
    "</x:ExcelWorksheet></x:ExcelWorksheets></x:ExcelWorkbook></xml><![endif]-->\n"
    '</head>\n<body>\n<table border="1" cellspacing="0">\n'
)


def write_html(path: Path, name: str, grid: Grid) -> None:
    """An "export to Excel" HTML table saved as .xls, merges as rowspan/colspan."""
    cover = _covered(grid)
    lines = [HTML_HEAD.format(name=html.escape(name))]
    for r, row in enumerate(grid.cells):
        cells = []
        for c, value in enumerate(row):
            merge = cover.get((r, c))
            if merge and (merge[0], merge[1]) != (r, c):
                continue
            span = ""
            if merge:
                r1, c1, r2, c2 = merge
                span += f' rowspan="{r2 - r1 + 1}"' if r2 > r1 else ""
                span += f' colspan="{c2 - c1 + 1}"' if c2 > c1 else ""
            cells.append(f"<td{span}>{html.escape(str(_plain(value)))}</td>")
        lines.append("<tr>" + "".join(cells) + "</tr>\n")
    lines.append("</table>\n</body>\n</html>\n")
    path.write_text("".join(lines), encoding="utf-8", newline="\n")


def write_csv(path: Path, grid: Grid, encoding: str) -> None:
    """CSV as Excel saves it: merged cells keep their value in the top-left cell only."""
    with path.open("w", encoding=encoding, newline="") as fh:
        writer = csv.writer(fh, lineterminator="\r\n")
        for row in grid.cells:
            writer.writerow([_plain(v) for v in row])
