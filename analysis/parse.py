"""Read and check a catalogue file without writing anything: sheets, header, rows, problems."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from .categories import resolve_target
from .errors import ImportRejected, Problem
from .headers import Header, column_letter, find_header
from .imported import FileImport, ImportOptions, SheetImport
from .layout import extra_columns, extra_index, extract_rows
from .provenance import guess_assessor, guess_target
from .readers import Sheet, read_workbook
from .roster import find_roster_header, roster_units
from .scores import ScoreReading, parse_score
from .settings import LAYOUT, ImportLimits

EXCEL_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".ods"}


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def batch_id_for(source_key: str, sheet: str) -> str:
    """Stable across re-imports of a changed file, so its batch is replaced, not duplicated."""
    return "B" + hashlib.sha1(f"{source_key}\x1f{sheet}".encode()).hexdigest()[:12]


def _title_text(sheet: Sheet, header: Header) -> str:
    cells = [c for row in sheet.rows[: header.first_row] for c in row if c]
    return " ".join(dict.fromkeys(cells))


def _score_problems(frame: pd.DataFrame, sheet: str, file: str, col: str) -> list[Problem]:
    problems = []
    for text in frame["score"].unique():
        reading = parse_score(text)
        bad = reading is None or (reading.value is not None and reading.value > LAYOUT.max_score)
        if not bad:
            continue
        message = f"分值“{text}”无法识别" if reading is None else f"分值 {text} 超出合理范围"
        for row in frame.loc[frame["score"] == text, "source_row"]:
            problems.append(Problem(file, message, sheet, int(row), col))
    return problems


def map_unique(series: pd.Series, func: Callable[[str], object], dtype: str) -> pd.Series:
    """Apply `func` once per distinct value: catalogues repeat scores and targets a lot."""
    codes, uniques = pd.factorize(series)
    values = pd.array([func(u) for u in uniques], dtype=dtype)
    return pd.Series(values.take(codes), index=series.index)


def _apply_scores(frame: pd.DataFrame) -> None:
    unreadable = ScoreReading(None, "none")  # reported as a problem; kept only to finish parsing
    readings = {t: parse_score(t) or unreadable for t in frame["score"].unique()}
    frame["score_text"] = frame["score"]
    frame["score_value"] = map_unique(frame["score"], lambda t: readings[t].value, "Float64")
    frame["score_kind"] = map_unique(frame["score"], lambda t: readings[t].kind, "string")


def _sheet_catalogue(
    path: Path, sheet: Sheet, header: Header, options: ImportOptions
) -> tuple[SheetImport, list[Problem]]:
    rows = extract_rows(sheet, header)
    frame = rows.frame
    problems = [Problem(path.name, msg, sheet.name, row, col) for row, col, msg in rows.problems]
    score_col = next((column_letter(c) for c, f in header.fields.items() if f == "score"), None)
    problems += _score_problems(frame, sheet.name, path.name, score_col or "分值")
    _apply_scores(frame)
    title = _title_text(sheet, header)
    places = [title, sheet.name, Path(path.name).stem]
    assessor = options.assessor or guess_assessor([title, Path(path.name).stem, sheet.name])
    target = options.target or guess_target(places)
    frame["assessor"] = frame["assessor"].mask(frame["assessor"] == "", assessor or "")
    frame["target"] = frame["target"].mask(frame["target"] == "", target or "")
    frame["target_category"] = map_unique(frame["target"], _category_of, "string")
    column_map = {column_letter(c): f for c, f in sorted(header.fields.items())}
    result = SheetImport(
        sheet.name, "catalogue", len(frame), assessor, target,
        resolve_target(target) if target else None, header.last_row + 1, column_map, title,
        frame, rows.skipped, _extra_labels(header, frame), _header_labels(header),
    )  # fmt: skip
    return result, problems


def _extra_labels(header: Header, frame: pd.DataFrame) -> list[str]:
    return [
        header.labels.get(extra_index(c)) or column_letter(extra_index(c))
        for c in extra_columns(frame)
    ]


def _category_of(target: str) -> str | None:
    return resolve_target(target) if target else None


def parse_file(path: Path, options: ImportOptions) -> tuple[FileImport, list[Problem]]:
    """Read and check every sheet; nothing is written here."""
    book = read_workbook(path, options.limits)
    result = FileImport(path.name, "parsed", book.file_format)
    problems: list[Problem] = []
    for name in book.skipped_sheets:
        result.warnings.append(f"《{path.name}》工作表“{name}”为隐藏工作表，已跳过")
    for sheet in book.sheets:
        header = find_header(sheet.rows, sheet.merged, options.column_map)
        if header is not None:
            sheet_result, found = _sheet_catalogue(path, sheet, header, options)
            problems += found
            result.sheets.append(sheet_result)
            if not sheet_result.assessor and (sheet_result.frame["assessor"] == "").any():
                result.warnings.append(
                    f"《{path.name}》工作表“{sheet.name}”：未能识别考核单位，可用 --assessor 指定"
                )
            if not sheet_result.target and (sheet_result.frame["target"] == "").any():
                result.warnings.append(
                    f"《{path.name}》工作表“{sheet.name}”：未能识别考核对象，可用 --target 指定"
                )
            continue
        roster = find_roster_header(sheet.rows)
        if roster is not None:
            result.sheets.append(roster_units(sheet, roster))
            continue
        if any(any(c for c in row) for row in sheet.rows):
            result.warnings.append(
                f"《{path.name}》工作表“{sheet.name}”：不是指标表（未找到“指标名称/考核内容”等表头），已跳过"
            )
    if not result.sheets and not problems:
        checked = "、".join(s.name for s in book.sheets) or "无"
        message = (
            f"没有找到指标表头：表头应包含“指标名称”或“考核内容”等列（已检查工作表：{checked}）"
        )
        if book.file_format == "csv" and path.suffix.lower() in EXCEL_SUFFIXES:
            message += f"；注意：文件扩展名是 {path.suffix}，但内容是纯文本，不是 Excel 文件"
        problems.append(Problem(path.name, message))
    return result, problems


def raise_if_any(problems: list[Problem], limits: ImportLimits) -> None:
    if problems:
        shown = problems[: limits.max_problems]
        raise ImportRejected(shown, omitted=len(problems) - len(shown))


def column_map_json(sheet: SheetImport) -> str:
    return json.dumps(sheet.column_map, ensure_ascii=False, sort_keys=True)


def _header_labels(header: Header) -> dict[str, str]:
    return {column_letter(c): label for c, label in sorted(header.labels.items())}
