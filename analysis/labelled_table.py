"""Read a file of labels (pair files for `jianfu eval` and `jianfu fit`, gold clusters) the way
the importer reads catalogues: CSV or TSV in UTF-8 or GBK, or an Excel workbook, whatever the
extension says (`analysis.readers`).

The header is the first row, within the first rows of any sheet, that names every required
column (case and surrounding spaces ignored), so a title row above it does no harm. Every cell is
text. Each row keeps its row number as the sheet shows it (`SHEET_ROW`), so that messages and
listed mistakes point at the row a user would open.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from .errors import JianfuError
from .readers import read_workbook
from .settings import LAYOUT

SHEET_ROW = "_sheet_row"
# a row wider than the header in a CSV is nearly always a comma inside an unquoted text
CSV_HINT = "（文本里有逗号时，整格要用英文双引号括起来）"


def read_labelled_table(path: Path, required: tuple[str, ...], what: str) -> pd.DataFrame:
    """The rows below the header as text columns (blank rows left out) plus `SHEET_ROW`.
    Raises JianfuError with a Chinese message naming the file, and the row where one is at fault."""
    if not path.is_file():
        raise JianfuError(f"找不到{what}：{path}")
    workbook = read_workbook(path)  # ImportRejected is a JianfuError with the file's name
    first_header: list[str] | None = None
    for sheet in workbook.sheets:
        rows = sheet.all_rows()
        found = _header_row(rows, required)
        if found is not None:
            if workbook.file_format == "csv":
                return _frame(f"《{path.name}》", rows, found, CSV_HINT)
            return _frame(f"《{path.name}》工作表“{sheet.name}”", rows, found, "")
        if first_header is None:
            first_header = next((r for r in rows if any(r)), [])
    if first_header is None:
        raise JianfuError(f"《{path.name}》没有可读的工作表")
    seen = {cell.strip().lower() for cell in first_header}
    missing = [c for c in required if c not in seen]
    raise JianfuError(
        f"《{path.name}》缺少列：{'、'.join(missing)}（表头需要 {', '.join(required)}）"
    )


def _header_row(rows: list[list[str]], required: tuple[str, ...]) -> int | None:
    for index, row in enumerate(rows[: LAYOUT.header_scan_rows]):
        if set(required) <= {cell.strip().lower() for cell in row}:
            return index
    return None


def _frame(where: str, rows: list[list[str]], header_index: int, hint: str) -> pd.DataFrame:
    header = [cell.strip().lower() for cell in rows[header_index]]
    width = len(header)
    while width and not header[width - 1]:
        width -= 1
    records, numbers = [], []
    for offset, row in enumerate(rows[header_index + 1 :], start=header_index + 2):
        cells = [cell.strip() for cell in row]
        if not any(cells):
            continue
        used = max((k + 1 for k, c in enumerate(cells) if c), default=0)
        if used > width:
            raise JianfuError(f"{where}第{offset}行有 {used} 列内容，多于表头的 {width} 列{hint}")
        records.append((cells + [""] * width)[:width])
        numbers.append(offset)
    columns = [name or f"column_{k + 1}" for k, name in enumerate(header[:width])]
    frame = pd.DataFrame(records, columns=columns, dtype=str)
    if len(set(columns)) < len(columns):  # keep the first of two columns with one name
        frame = frame.loc[:, ~frame.columns.duplicated()]
    frame[SHEET_ROW] = pd.Series(numbers, dtype="int64")
    return frame
