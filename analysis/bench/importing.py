"""Import benchmark: a 100,000-row .xlsx and a 1,000,000-row CSV, rows/s and peak memory.

    python -m analysis.bench import [--xlsx-rows N] [--csv-rows N] [--json] [--keep DIR]

Files are written first (not timed); each import then runs in its own process into a new
DuckDB file, so that its peak memory is its own.
"""

from __future__ import annotations

import argparse
import tempfile
from datetime import datetime
from pathlib import Path

import pandas as pd
import xlsxwriter

from ..synth.scaled import synthetic_indicators
from .measure import emit, run_child

TARGETS = {"xlsx": 20_000, "csv": 200_000}  # rows per second, from the issue
MEMORY_LIMIT_MB = 2048
HEADER = ["序号", "一级指标", "指标名称", "分值", "评分标准", "考核单位", "考核对象"]
TITLE = "青禾县2024年度考核指标汇总（基准测试）"


def _frame(rows: int, seed: int) -> pd.DataFrame:
    data = synthetic_indicators(rows, seed=seed)
    return pd.DataFrame(
        {
            "序号": range(1, rows + 1),
            "一级指标": data["level1"],
            "指标名称": data["name"],
            "分值": data["score"].map(lambda v: f"{v:g}分"),
            "评分标准": data["criteria"],
            "考核单位": data["assessor"],
            "考核对象": data["target"],
        }
    )


def write_xlsx(path: Path, frame: pd.DataFrame) -> None:
    book = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    book.set_properties({"created": datetime(2024, 1, 1)})
    sheet = book.add_worksheet("指标")
    sheet.write_row(0, 0, [TITLE])
    sheet.write_row(1, 0, HEADER)
    for number, row in enumerate(frame.itertuples(index=False, name=None), start=2):
        sheet.write_row(number, 0, row)
    book.close()


def write_csv(path: Path, frame: pd.DataFrame) -> None:
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        handle.write(TITLE + "\n")
        frame.to_csv(handle, index=False)


def _report(name: str, rows: int, figures: dict, as_json: bool) -> dict:
    rate = rows / figures["seconds"]
    result = {
        "format": name,
        "rows": figures["rows"],
        "seconds": round(figures["seconds"], 2),
        "rows_per_second": round(rate),
        "peak_rss_mb": round(figures["peak_rss_mb"]),
        "target_rows_per_second": TARGETS[name],
        "meets_target": rate >= TARGETS[name] and figures["peak_rss_mb"] <= MEMORY_LIMIT_MB,
    }
    if not as_json:
        print(
            f"{name:5} {result['rows']:>9,} 行  {result['seconds']:>7.2f} s  "
            f"{result['rows_per_second']:>9,} 行/s（目标 ≥ {TARGETS[name]:,}）  "
            f"峰值内存 {result['peak_rss_mb']:>5,} MB（上限 {MEMORY_LIMIT_MB}）"
            f"  {'达标' if result['meets_target'] else '未达标'}",
            flush=True,
        )
    return result


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m analysis.bench import")
    parser.add_argument("--xlsx-rows", type=int, default=100_000)
    parser.add_argument("--csv-rows", type=int, default=1_000_000)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--keep", type=Path, help="保留生成的文件到此目录")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="jianfu-bench-") as scratch:
        folder = args.keep or Path(scratch)
        folder.mkdir(parents=True, exist_ok=True)
        results = []
        for name, rows, writer in (
            ("xlsx", args.xlsx_rows, write_xlsx),
            ("csv", args.csv_rows, write_csv),
        ):
            path = folder / f"bench-{rows}.{name}"
            if not args.json:
                print(f"生成 {path.name} ……", flush=True)
            writer(path, _frame(rows, seed=rows))
            figures = run_child(
                "analysis.bench.import_one", str(path), str(folder / f"{name}.duckdb")
            )
            results.append(_report(name, rows, figures, args.json))
    if args.json:
        emit({"results": results})
    return 0 if all(r["meets_target"] for r in results) else 1
