"""The reduction by unit category, unit and assessor (DESIGN §3), from `outcomes`.

Counting unit: a catalogue item = one indicator of one catalogue (batch, headings, name) in one
unit category. A target split into one row per town (目标任务分解) is one item, not sixteen.
before = items that apply to the category; after = items whose outcome is keep (a merged
cluster counts once, as its representative); drop, merged-away and convert leave the list.
Entrusted unit types (学校, 医院) are reported apart, not inside the rates; pooled groups are
computed from summed counts, never by averaging rates.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache

import pandas as pd

from .categories import default_scheme
from .settings import PACKAGE_DATA
from .store import Store

STATUS_ORDER = ("keep", "merge", "convert", "drop", "entrust")  # an item takes its best member's

ITEMS_SQL = """
SELECT o.category, o.indicator_id, o.action, o.merge_into, o.source, o.reason_code,
       i.batch_id, i.name, i.assessor, i.target, i.target_category, i.score,
       first(o.indicator_id) OVER (
           PARTITION BY o.category, i.batch_id, i.level1, i.level2, i.name
           ORDER BY o.indicator_id) AS item_id
FROM outcomes o JOIN indicators i USING (indicator_id)
"""


@dataclass(frozen=True)
class Reference:
    label: str
    categories: tuple[str, ...]
    rate: float
    source: str


@cache
def references() -> tuple[Reference, ...]:
    raw = json.loads((PACKAGE_DATA / "reference.json").read_text(encoding="utf-8"))
    return tuple(
        Reference(r["label"], tuple(r["categories"]), r["rate"], r["source"])
        for r in raw["figures"]
    )


def item_outcomes(store: Store) -> pd.DataFrame:
    """One row per (category, item): its status and points."""
    rows = store.query_df(ITEMS_SQL)
    rank = {status: n for n, status in enumerate(STATUS_ORDER)}
    rows["rank"] = rows["action"].map(rank)
    rows["decided"] = rows["source"] == "decision"
    grouped = rows.groupby(["category", "item_id"], sort=True)
    items = grouped.agg(
        rank=("rank", "min"),
        assessor=("assessor", "first"),
        name=("name", "first"),
        points=("score", "max"),
        rows=("indicator_id", "size"),
        decided=("decided", "max"),
    ).reset_index()
    items["status"] = items["rank"].map(dict(enumerate(STATUS_ORDER)))
    return items.drop(columns="rank")


def _tally(items: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    kept = items["status"] == "keep"
    frame = items.assign(
        before=1,
        after=kept.astype(int),
        dropped=(items["status"] == "drop").astype(int),
        merged_away=(items["status"] == "merge").astype(int),
        converted=(items["status"] == "convert").astype(int),
        points_before=items["points"].fillna(0.0),
        points_after=items["points"].fillna(0.0).where(kept, 0.0),
    )
    columns = [
        "before",
        "after",
        "dropped",
        "merged_away",
        "converted",
        "points_before",
        "points_after",
    ]
    table = frame.groupby(keys, sort=True)[columns].sum().reset_index()
    return with_rates(table)


def with_rates(table: pd.DataFrame) -> pd.DataFrame:
    before = table["before"].where(table["before"] > 0)
    table["rate"] = (1 - table["after"] / before).fillna(0.0).round(4)
    points = table["points_before"].where(table["points_before"] > 0)
    table["points_rate"] = (1 - table["points_after"] / points).fillna(0.0).round(4)
    return table


def by_category(store: Store) -> pd.DataFrame:
    items = item_outcomes(store)
    entrusted = set(default_scheme().entrusted)
    table = _tally(items[~items["category"].isin(entrusted)], ["category"])
    order = {c: n for n, c in enumerate(default_scheme().categories)}
    table["_order"] = table["category"].map(order).fillna(len(order))
    return table.sort_values(["_order", "category"]).drop(columns="_order").reset_index(drop=True)


def pooled(table: pd.DataFrame) -> pd.DataFrame:
    """Groups (县直部门 = five categories) from summed counts, beside the reference figures."""
    rows = []
    for ref in references():
        part = table[table["category"].isin(ref.categories)]
        sums = part[["before", "after", "dropped", "merged_away", "converted",
                     "points_before", "points_after"]].sum()  # fmt: skip
        rows.append({"group": ref.label, "categories": "、".join(ref.categories), **sums.to_dict(),
                     "reference_rate": ref.rate, "reference_source": ref.source})  # fmt: skip
    return with_rates(pd.DataFrame(rows)) if rows else pd.DataFrame()


def by_assessor(store: Store) -> pd.DataFrame:
    items = item_outcomes(store)
    entrusted = set(default_scheme().entrusted)
    table = _tally(items[~items["category"].isin(entrusted)], ["assessor"])
    return table.sort_values(["before", "assessor"], ascending=[False, True]).reset_index(drop=True)


def entrusted_units(store: Store) -> pd.DataFrame:
    return store.query_df(
        "SELECT unit_name, category, entrusted_to FROM units WHERE entrusted_to IS NOT NULL "
        "ORDER BY category, unit_name"
    )


def unit_links(store: Store) -> pd.DataFrame:
    """(indicator, unit, category): category-wide targets reach every unit of the category."""
    indicators = store.query_df(
        "SELECT indicator_id, target, target_category, batch_id, level1, level2, name, score "
        "FROM indicators"
    )
    units = store.query_df(
        "SELECT unit_name, category FROM units WHERE entrusted_to IS NULL AND category IS NOT NULL"
    )
    groups = default_scheme().groups
    broad = (
        indicators.dropna(subset=["target_category"])
        .assign(category=lambda f: f["target_category"].map(lambda c: list(groups.get(c, (c,)))))
        .explode("category")
    )
    broad = broad.merge(units, on="category")
    named = (
        indicators[indicators["target_category"].isna()]
        .assign(unit_name=lambda f: f["target"].fillna("").str.split(r"[、，,;；/\s]+", regex=True))
        .explode("unit_name")
    )
    named = named.merge(units, on="unit_name")
    return pd.concat([broad, named], ignore_index=True)


def by_unit(store: Store) -> pd.DataFrame:
    links = unit_links(store)
    status = store.query_df("SELECT category, indicator_id, action FROM outcomes")
    links = links.merge(status, on=["category", "indicator_id"])
    rank = {s: n for n, s in enumerate(STATUS_ORDER)}
    links["rank"] = links["action"].map(rank)
    keys = ["unit_name", "category", "batch_id", "level1", "level2", "name"]
    items = (
        links.groupby(keys, dropna=False, sort=True)
        .agg(rank=("rank", "min"), points=("score", "max"))
        .reset_index()
    )
    items["status"] = items["rank"].map(dict(enumerate(STATUS_ORDER)))
    return _tally(items, ["unit_name", "category"])


def multi_assessor_matrix(store: Store) -> pd.DataFrame:
    """Items per assessor (rows) and category (columns): who assesses whom, how much."""
    items = item_outcomes(store)
    items = items[~items["category"].isin(default_scheme().entrusted)]  # reported apart
    matrix = items.pivot_table(
        index="assessor", columns="category", values="item_id", aggfunc="count", fill_value=0
    )
    matrix["合计"] = matrix.sum(axis=1)
    return matrix.sort_values("合计", ascending=False)


def shared_topics(store: Store) -> pd.DataFrame:
    """Clusters assessed by two or more assessors in one category (多头考核)."""
    return store.query_df(
        "SELECT c.category, c.cluster_id, any_value(r.name) FILTER (WHERE c.indicator_id = c.cluster_id) "
        "AS topic, count(*) AS indicators, count(DISTINCT i.assessor) AS assessors, "
        "string_agg(DISTINCT i.assessor, '、' ORDER BY i.assessor) AS assessor_list "
        "FROM clusters c JOIN indicators i USING (indicator_id) "
        "JOIN indicators r ON r.indicator_id = c.cluster_id "
        "GROUP BY c.category, c.cluster_id HAVING count(DISTINCT i.assessor) > 1 "
        "ORDER BY assessors DESC, indicators DESC, c.category, c.cluster_id"
    )


def reduction_json(store: Store) -> dict[str, object]:
    """The contract of `jianfu reduction --json`."""
    table = by_category(store)
    columns = ["category", "before", "after", "rate", "dropped", "merged_away", "converted",
               "points_before", "points_after"]  # fmt: skip
    records = [
        {k: (v.item() if hasattr(v, "item") else v) for k, v in row.items()}
        for row in table[columns].to_dict("records")
    ]
    for record in records:
        for key in ("before", "after", "dropped", "merged_away", "converted"):
            record[key] = int(record[key])
    groups = pooled(table)
    return {
        "categories": records,
        "entrusted_units": len(entrusted_units(store)),
        "pooled": [
            {k: (v.item() if hasattr(v, "item") else v) for k, v in row.items()}
            for row in groups.to_dict("records")
        ],
    }


COLUMN_LABELS = {
    "category": "单位类别", "before": "精减前", "after": "精减后", "rate": "精减率",
    "dropped": "取消", "merged_away": "整合归并", "converted": "调整转化",
    "points_before": "精减前分值", "points_after": "精减后分值",
}  # fmt: skip


def reduction_frame(payload: dict[str, object]) -> pd.DataFrame:
    """The category table with Chinese headings and rates as percents (for printing)."""
    frame = pd.DataFrame(payload["categories"])
    frame["rate"] = frame["rate"].map(lambda r: f"{r:.1%}")
    return frame.rename(columns=COLUMN_LABELS)
