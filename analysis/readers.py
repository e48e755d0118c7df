"""Read a spreadsheet file into plain grids, whatever its extension claims.

The format is sniffed from the bytes: xlsx/ods (zip), xls (OLE2/BIFF), HTML saved as .xls,
or CSV/TSV text in UTF-8 (with or without BOM) or GBK/GB18030. Size, sheet count and zip
expansion are checked before anything is parsed.
"""

from __future__ import annotations

import contextlib
import csv
import io
import re
import tempfile
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path

import pandas as pd
import pyarrow as pa
import python_calamine as calamine

from .errors import ImportRejected, Problem
from .settings import IMPORT_LIMITS, LAYOUT, ImportLimits
from .store import CsvUnreadable, read_csv_table

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
SNIFF_BYTES = 65_536
HTML_MARKERS = re.compile(rb"<\s*(html|table|!doctype\s+html|meta|head|body)\b", re.IGNORECASE)
SPREADSHEETML_MARKER = b"urn:schemas-microsoft-com:office:spreadsheet"
CHARSET_META = re.compile(rb"charset\s*=\s*[\"']?([A-Za-z0-9_\-]+)", re.IGNORECASE)
TEXT_ENCODINGS = ("utf-8-sig", "gb18030")

Merge = tuple[tuple[int, int], tuple[int, int]]


@dataclass
class Sheet:
    """One sheet as a grid of strings ('' for empty), 0-based, plus merged ranges.

    Large CSV files arrive as an Arrow table of all rows; `rows` then holds only the first
    rows, where the header is looked for.
    """

    name: str
    rows: list[list[str]]
    merged: list[Merge] = field(default_factory=list)
    table: pa.Table | None = None

    def all_rows(self) -> list[list[str]]:
        """Every row as lists (small sheets such as rosters; catalogues stay columnar)."""
        if self.table is None:
            return self.rows
        return [[(v or "").strip() for v in record.values()] for record in self.table.to_pylist()]


@dataclass
class Workbook:
    file_name: str
    file_format: str  # xlsx | ods | xls | html | csv
    sheets: list[Sheet]
    skipped_sheets: list[str] = field(default_factory=list)
    encoding: str | None = None


def reject(file_name: str, message: str, sheet: str | None = None) -> ImportRejected:
    return ImportRejected([Problem(file=file_name, sheet=sheet, message=message)])


def sniff_format(head: bytes) -> str | None:
    """Name the format from the first bytes: 'zip', 'xls', 'html', 'spreadsheetml' or 'text'."""
    if head.startswith(ZIP_MAGIC):
        return "zip"
    if head.startswith(OLE2_MAGIC):
        return "xls"
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if SPREADSHEETML_MARKER in head and stripped.startswith(b"<?xml"):
        return "spreadsheetml"
    if HTML_MARKERS.search(stripped[:4096]):
        return "html"
    if b"\x00" in head:
        return None
    return "text"


def read_workbook(path: Path, limits: ImportLimits = IMPORT_LIMITS) -> Workbook:
    """Read every visible sheet of `path`; raise ImportRejected with a Chinese message."""
    name = path.name
    try:
        size = path.stat().st_size
        with path.open("rb") as handle:
            head = handle.read(SNIFF_BYTES)
    except OSError as exc:
        raise reject(name, f"无法读取文件（{exc.strerror or exc}）") from exc
    if size == 0:
        raise reject(name, "文件为空")
    if size > limits.max_file_bytes:
        raise reject(
            name, f"文件过大（{size / 2**20:.0f} MB，上限 {limits.max_file_bytes // 2**20} MB）"
        )
    kind = sniff_format(head)
    if kind == "zip":
        return _read_zip_workbook(path, limits)
    if kind == "xls":
        return _read_ole2(path, limits)
    if kind == "html":
        return _read_html(path, limits)
    if kind == "text":
        return _read_csv(path, limits)
    if kind == "spreadsheetml":
        raise reject(name, "这是 Excel 2003 XML 表格，请在 Excel 中另存为 .xlsx 后重新导入")
    raise reject(name, "无法识别的文件格式：请上传 Excel（.xlsx/.xls）或 CSV 文件")


def _check_zip(path: Path, limits: ImportLimits) -> str:
    name = path.name
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
            names = {info.filename for info in infos}
            mimetype = archive.read("mimetype")[:100] if "mimetype" in names else b""
    except (zipfile.BadZipFile, OSError, KeyError) as exc:
        raise reject(name, "文件已损坏，无法作为 Excel 文件打开") from exc
    unzipped = sum(info.file_size for info in infos)
    packed = max(1, sum(info.compress_size for info in infos))
    if unzipped > limits.max_unzipped_bytes or unzipped / packed > limits.max_zip_ratio:
        raise reject(name, "文件解压后异常庞大（疑似压缩炸弹），已拒绝导入")
    if "xl/workbook.xml" in names or "xl/workbook.bin" in names:
        return "xlsx"
    if b"opendocument.spreadsheet" in mimetype:
        return "ods"
    if "word/document.xml" in names:
        raise reject(name, "这是 Word 文档，请将指标表格复制到 Excel 后导入")
    raise reject(name, "压缩文件中没有 Excel 工作簿，无法导入")


def _read_zip_workbook(path: Path, limits: ImportLimits) -> Workbook:
    return _read_with_calamine(path, _check_zip(path, limits), limits)


def _read_ole2(path: Path, limits: ImportLimits) -> Workbook:
    with path.open("rb") as handle:
        blob = handle.read(min(path.stat().st_size, 4 * SNIFF_BYTES))
    if "EncryptedPackage".encode("utf-16-le") in blob:
        raise reject(path.name, "文件设置了打开密码，请取消密码后重新导入")
    return _read_with_calamine(path, "xls", limits)


def _cell_text(value: object) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d") if value.time() == time() else value.isoformat(" ")
    if isinstance(value, date | time):
        return value.isoformat()
    return str(value).strip()


def _read_with_calamine(path: Path, file_format: str, limits: ImportLimits) -> Workbook:
    name = path.name
    try:
        book = calamine.CalamineWorkbook.from_path(str(path))
    except Exception as exc:  # calamine raises several untyped errors for damaged files
        raise reject(name, f"文件已损坏或格式不受支持，无法打开（{type(exc).__name__}）") from exc
    metas = [m for m in book.sheets_metadata if m.typ == calamine.SheetTypeEnum.WorkSheet]
    if len(metas) > limits.max_sheets:
        raise reject(name, f"工作表过多（{len(metas)} 个，上限 {limits.max_sheets} 个）")
    sheets, skipped = [], []
    for meta in metas:
        if meta.visible != calamine.SheetVisibleEnum.Visible:
            skipped.append(meta.name)
            continue
        try:
            sheet = book.get_sheet_by_name(meta.name)
            if sheet.total_height > limits.max_rows_per_sheet:
                raise reject(name, f"行数过多（上限 {limits.max_rows_per_sheet} 行）", meta.name)
            values = sheet.to_python(skip_empty_area=False)
            merged = list(sheet.merged_cell_ranges or [])
        except ImportRejected:
            raise
        except Exception as exc:
            raise reject(name, f"工作表无法读取（{type(exc).__name__}）", meta.name) from exc
        rows = [[_cell_text(v) for v in row] for row in values]
        sheets.append(Sheet(meta.name, rows, merged))
    return Workbook(name, file_format, sheets, skipped)


def decode_text(data: bytes, file_name: str, declared: str | None = None) -> tuple[str, str]:
    """Decode bytes as UTF-8 (BOM or not) or GB18030 (a superset of GBK); name the encoding."""
    candidates = ([declared] if declared else []) + list(TEXT_ENCODINGS)
    for encoding in candidates:
        try:
            return data.decode(encoding), encoding
        except (UnicodeDecodeError, LookupError):
            continue
    raise reject(file_name, "文件编码无法识别：请另存为 UTF-8 或 GBK 编码的 CSV，或 Excel 文件")


def _sniff_delimiter(text: str) -> str:
    try:
        return csv.Sniffer().sniff(text[:SNIFF_BYTES], delimiters=",\t;|").delimiter
    except csv.Error:
        return ","


def decode_head(head: bytes, file_name: str) -> tuple[str, str]:
    """Decode the first bytes, which may end inside a multi-byte character."""
    for encoding in TEXT_ENCODINGS:
        for cut in range(4):
            try:
                return head[: len(head) - cut].decode(encoding), encoding
            except UnicodeDecodeError:
                continue
    return decode_text(head, file_name)  # raises the Chinese message


def _read_csv(path: Path, limits: ImportLimits) -> Workbook:
    """Native (DuckDB) reading for speed; Python's csv module when a file is irregular."""
    with path.open("rb") as handle:
        head_text, encoding = decode_head(handle.read(SNIFF_BYTES), path.name)
    delimiter = _sniff_delimiter(head_text)
    table = None
    if encoding == "utf-8-sig":
        with contextlib.suppress(CsvUnreadable):  # e.g. GBK bytes after a UTF-8-looking start
            table = read_csv_table(path, delimiter)
    if table is None:
        text, encoding = decode_text(path.read_bytes(), path.name)
        try:
            table = _native_csv(text, delimiter)
        except CsvUnreadable:
            return _read_csv_python(path, text, encoding, delimiter, limits)
    if table.num_rows > limits.max_rows_per_sheet:
        raise reject(path.name, f"行数过多（上限 {limits.max_rows_per_sheet} 行）")
    head = table.slice(0, LAYOUT.header_scan_rows + 2).to_pylist()
    rows = [[(v or "").strip() for v in record.values()] for record in head]
    return Workbook(path.name, "csv", [Sheet(path.stem, rows, table=table)], encoding=encoding)


def _native_csv(text: str, delimiter: str) -> pa.Table:
    """DuckDB reads UTF-8 only: hand it a re-encoded copy."""
    with tempfile.NamedTemporaryFile("w", suffix=".csv", encoding="utf-8") as utf8:
        utf8.write(text)
        utf8.flush()
        return read_csv_table(Path(utf8.name), delimiter)


def _read_csv_python(
    path: Path, text: str, encoding: str, delimiter: str, limits: ImportLimits
) -> Workbook:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows: list[list[str]] = []
    try:
        for record in reader:
            rows.append([cell.strip() for cell in record])
            if len(rows) > limits.max_rows_per_sheet:
                raise reject(path.name, f"行数过多（上限 {limits.max_rows_per_sheet} 行）")
    except csv.Error as exc:
        raise reject(path.name, f"CSV 格式错误，第{reader.line_num}行：{exc}") from exc
    return Workbook(path.name, "csv", [Sheet(path.stem, rows)], encoding=encoding)


def _read_html(path: Path, limits: ImportLimits) -> Workbook:
    data = path.read_bytes()
    declared = CHARSET_META.search(data[:SNIFF_BYTES])
    declared_name = declared.group(1).decode("ascii").lower() if declared else None
    if declared_name in {"gbk", "gb2312", "gb18030"}:
        declared_name = "gb18030"
    text, encoding = decode_text(data, path.name, declared_name)
    try:
        # pandas expands rowspan/colspan into every covered cell, as Excel shows the merge.
        tables = pd.read_html(io.StringIO(text), header=None, flavor="lxml", keep_default_na=False)
    except ValueError as exc:
        raise reject(path.name, "网页格式的表格中没有找到任何表格") from exc
    if len(tables) > limits.max_sheets:
        raise reject(path.name, f"表格过多（{len(tables)} 个，上限 {limits.max_sheets} 个）")
    sheets = []
    for number, table in enumerate(tables, start=1):
        rows = [[_cell_text(v) for v in record] for record in table.itertuples(index=False)]
        sheets.append(Sheet(f"表{number}", rows))
    return Workbook(path.name, "html", sheets, encoding=encoding)
