"""Which unit categories an indicator applies to.

A target is a category or group set at import (各镇, 县直部门), or named units whose category is
in `units`. Groups expand to their member categories, so an indicator written for 县直部门
applies to each of the five department categories.
"""

from __future__ import annotations

import pandas as pd

from .categories import default_scheme
from .store import Store

UNKNOWN = "未识别"

# an indicator aimed at two towns counts once for 各镇
INDICATOR_CATEGORY_SQL = """
SELECT DISTINCT i.indicator_id, coalesce(i.target_category, u.category, $unknown) AS category
FROM indicators i
LEFT JOIN (
    SELECT indicator_id, unnest(string_split_regex(target, '[、，,;；/\\s]+')) AS unit_name
    FROM indicators WHERE target_category IS NULL
) t USING (indicator_id)
LEFT JOIN units u ON u.unit_name = t.unit_name
"""


def indicator_categories(store: Store, expand_groups: bool = True) -> pd.DataFrame:
    """indicator_id, category — one row per category an indicator applies to, sorted."""
    frame = store.query_df(INDICATOR_CATEGORY_SQL, {"unknown": UNKNOWN})
    if expand_groups:
        groups = default_scheme().groups
        frame["category"] = frame["category"].map(lambda c: list(groups.get(c, (c,))))
        frame = frame.explode("category")
    frame = frame.drop_duplicates()
    return frame.sort_values(["indicator_id", "category"]).reset_index(drop=True)
