"""The `jianfu eval` commands as plain functions (analysis.cli wires them into the app).

Human-readable Chinese text goes to stdout; with `as_json` the last line of stdout is one JSON
object. Bad input raises JianfuError with a Chinese message naming the file, row and column.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pandas as pd

from .errors import JianfuError
from .evaluate import evaluate_clusters, evaluate_pairs, render_cluster_report, render_pair_report
from .fitting import read_pairs
from .labelled_table import SHEET_ROW, read_labelled_table

CLUSTER_COLUMNS = ("text", "gold_cluster")


def _emit(text: str, payload: dict[str, Any], as_json: bool) -> None:
    sys.stdout.write(text + "\n")
    if as_json:
        sys.stdout.write(json.dumps(payload, ensure_ascii=False, sort_keys=True) + "\n")
    sys.stdout.flush()


def read_clusters(path: Path) -> pd.DataFrame:
    """A gold cluster file: one row per item, columns text and gold_cluster, neither empty."""
    frame = read_labelled_table(path, CLUSTER_COLUMNS, "聚类标准答案文件")
    for column in CLUSTER_COLUMNS:
        blank = frame.index[frame[column].str.strip() == ""]
        if len(blank):
            row = int(frame[SHEET_ROW].iloc[blank[0]])
            raise JianfuError(f"《{path.name}》第{row}行“{column}”列为空")
    if frame.empty:
        raise JianfuError(f"《{path.name}》没有数据行")
    return frame


def eval_pairs_command(path: Path, as_json: bool, errors: int = 0) -> None:
    """`jianfu eval --pairs FILE.csv [--errors N] [--json]`."""
    if errors < 0:
        raise JianfuError("--errors 应为不小于 0 的整数（列出判错最有把握的几对）")
    frame = read_pairs(path)
    if frame.empty:
        raise JianfuError(f"《{path.name}》没有标注对")
    report = evaluate_pairs(frame, path.name, errors)
    text = render_pair_report(report)
    if frame.attrs.get("debatable"):
        text = f"已跳过有争议（debatable）的 {frame.attrs['debatable']} 对，不计入评估。\n" + text
    _emit(text, report.as_json(), as_json)


def eval_clusters_command(path: Path, as_json: bool) -> None:
    """`jianfu eval --clusters FILE.csv [--json]`."""
    report = evaluate_clusters(read_clusters(path), path.name)
    _emit(render_cluster_report(report), report.as_json(), as_json)
