"""Read-only figures about a workspace: what was imported, by assessor and by unit category."""

from __future__ import annotations

import json
from dataclasses import dataclass

import pandas as pd

from .applies import INDICATOR_CATEGORY_SQL, UNKNOWN
from .categories import default_scheme
from .store import Store

SOURCE_FIELD = {"seq": "number", "score": "score_text"}  # field → indicators column

# Every indicator column plus the category (before groups are expanded) it counts for here.
CATEGORY_ROWS_SQL = f"""
SELECT i.*, c.category FROM indicators i JOIN ({INDICATOR_CATEGORY_SQL}) c USING (indicator_id)
"""


@dataclass(frozen=True)
class WorkspaceSummary:
    indicators: int
    batches: int
    units: int
    by_batch: pd.DataFrame
    by_assessor: pd.DataFrame
    by_category: pd.DataFrame
    units_by_category: pd.DataFrame

    def as_json(self) -> dict[str, object]:
        def records(frame: pd.DataFrame) -> list[dict[str, object]]:
            return [
                {k: (None if pd.isna(v) else v) for k, v in row.items()}
                for row in frame.astype(object).to_dict("records")
            ]

        return {
            "indicators": self.indicators,
            "batches": self.batches,
            "units": self.units,
            "by_assessor": records(self.by_assessor),
            "by_category": records(self.by_category),
            "by_batch": records(self.by_batch),
        }


def workspace_summary(store: Store) -> WorkspaceSummary:
    by_batch = store.query_df(
        "SELECT file_name AS 文件, sheet AS 工作表, coalesce(assessor, ?) AS 考核单位, "
        "coalesce(target, ?) AS 考核对象, row_count AS 指标数, file_format AS 格式, "
        "strftime(uploaded_at, '%Y-%m-%d %H:%M') AS 导入时间 "
        "FROM import_batches WHERE status = 'imported' ORDER BY file_name, sheet",
        [UNKNOWN, UNKNOWN],
    )
    by_assessor = store.query_df(
        "SELECT coalesce(assessor, ?) AS 考核单位, count(*) AS 指标数, "
        "count(DISTINCT batch_id) AS 表数, round(sum(score), 1) AS 总分值 "
        "FROM indicators GROUP BY ALL ORDER BY 指标数 DESC, 考核单位",
        [UNKNOWN],
    )
    by_category = store.query_df(
        "SELECT category AS 单位类别, count(*) AS 指标数, count(DISTINCT assessor) AS 考核单位数, "
        f"round(sum(score), 1) AS 总分值 FROM ({CATEGORY_ROWS_SQL}) "
        "GROUP BY ALL ORDER BY 指标数 DESC, 单位类别",
        {"unknown": UNKNOWN},
    )
    units_by_category = store.query_df(
        "SELECT coalesce(category, ?) AS 单位类别, count(*) AS 单位数, "
        "count(entrusted_to) AS 委托考核 FROM units GROUP BY ALL ORDER BY 单位数 DESC, 单位类别",
        [UNKNOWN],
    )
    groups = default_scheme().groups
    by_category["单位类别"] = by_category["单位类别"].map(
        lambda name: f"{name}（{len(groups[name])}类通用）" if name in groups else name
    )
    return WorkspaceSummary(
        indicators=int(store.scalar("SELECT count(*) FROM indicators")),
        batches=int(store.scalar("SELECT count(*) FROM import_batches")),
        units=int(store.scalar("SELECT count(*) FROM units")),
        by_batch=by_batch,
        by_assessor=by_assessor,
        by_category=by_category,
        units_by_category=units_by_category,
    )


def indicator_source(store: Store, indicator_id: str) -> dict[str, str]:
    """The indicator's row as its sheet shows it: header text → cell, in column order.

    Mapped cells come from the stored fields (level headings as carried down from merged
    cells); the other cells were kept as written.
    """
    found = store.query_df(
        "SELECT i.*, b.column_map, b.header_labels, b.extra_labels "
        "FROM indicators i JOIN import_batches b USING (batch_id) WHERE i.indicator_id = ?",
        [indicator_id],
    )
    if found.empty:
        return {}
    row = found.iloc[0]
    fields = json.loads(row["column_map"])
    labels, values = row["extra_labels"], row["extra"]
    extra = {} if _missing(labels) or _missing(values) else dict(zip(labels, values, strict=False))
    cells: dict[str, str] = {}
    for letter, label in json.loads(row["header_labels"]).items():
        field = fields.get(letter)
        value = row[SOURCE_FIELD.get(field, field)] if field else extra.get(label)
        if value is not None and not pd.isna(value) and str(value) != "":
            cells[label] = str(value)
    return cells


def _missing(value: object) -> bool:
    return value is None or (not hasattr(value, "__len__") and bool(pd.isna(value)))
