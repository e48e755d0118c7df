"""Catalogue-level flags (DESIGN §5): 千分制, very fine deductions, too many indicators in one
catalogue, too many assessors for one unit. Thresholds are in data/rules.json."""

from __future__ import annotations

import re

import pandas as pd

from .reduction import unit_links
from .rules import default_rules
from .store import Store

_DEDUCTION = re.compile(r"扣\s*(\d+(?:\.\d+)?)\s*分")

CATALOGUES_SQL = """
SELECT b.file_name, b.sheet, coalesce(i.assessor, '') AS assessor, coalesce(i.target, '') AS target,
       count(*) AS indicators,
       coalesce(sum(CASE WHEN i.score_kind IN ('fixed', 'range', 'percent') THEN i.score END), 0)
           AS total_points,
       list(i.criteria) FILTER (WHERE i.criteria IS NOT NULL) AS criteria
FROM indicators i JOIN import_batches b USING (batch_id)
GROUP BY b.file_name, b.sheet, i.batch_id, i.assessor, i.target
ORDER BY b.file_name, b.sheet, assessor, target
"""


def _finest_deduction(criteria) -> float | None:
    texts = [] if criteria is None else list(criteria)
    steps = [float(m) for text in texts for m in _DEDUCTION.findall(text)]
    steps = [s for s in steps if s > 0]
    return min(steps) if steps else None


def catalogue_flags(store: Store) -> pd.DataFrame:
    """One row per catalogue (a sheet, per target) with the problems found, if any."""
    limits = default_rules().flags
    frame = store.query_df(CATALOGUES_SQL)
    frame["finest_deduction"] = frame["criteria"].map(_finest_deduction)
    frame = frame.drop(columns="criteria")

    def problems(row: pd.Series) -> str:
        found = []
        if row["total_points"] > limits["thousand_point_total"]:
            found.append(f"总分 {row['total_points']:g} 分，超过百分制（千分制）")
        step = row["finest_deduction"]
        if step is not None and not pd.isna(step) and step <= limits["fine_deduction_step"]:
            found.append(f"扣分细至 {step:g} 分")
        if row["indicators"] > limits["too_many_indicators"]:
            found.append(f"指标 {row['indicators']} 条，过多")
        return "；".join(found)

    frame["flags"] = frame.apply(problems, axis=1) if len(frame) else pd.Series(dtype=str)
    return frame[frame["flags"] != ""].reset_index(drop=True)


def unit_assessor_flags(store: Store) -> pd.DataFrame:
    """Units assessed by more assessors than the threshold (多头考核 of one unit)."""
    links = unit_links(store)
    assessors = store.query_df(
        "SELECT indicator_id, coalesce(assessor, '') AS assessor FROM indicators"
    )
    counted = (
        links.merge(assessors, on="indicator_id")
        .groupby(["unit_name", "category"])["assessor"]
        .agg(assessors="nunique", assessor_list=lambda s: "、".join(sorted(set(s) - {""})))
        .reset_index()
    )
    limit = default_rules().flags["too_many_assessors"]
    over = counted[counted["assessors"] > limit]
    return over.sort_values(["assessors", "unit_name"], ascending=[False, True]).reset_index(
        drop=True
    )
