"""Precision and recall of the rule-based recommendations against labelled rows
(`jianfu eval --rules`): the sample county's gold tags say what each indicator is."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from .errors import JianfuError
from .metrics import safe_ratio
from .pipeline import analyse
from .settings import sample_dir
from .store import Store
from .workspace import build_sample_workspace

# gold tag → the reason code that should fire for it
TAG_CODES = {
    "trace": "DROP_TRACE",
    "app_usage": "DROP_APP_USAGE",
    "off_duty": "DROP_OFF_DUTY",
    "low_weight": "DROP_LOW_WEIGHT",
    "convert_annual": "CONVERT_ANNUAL",
    "statistics_method": "METHOD_STATISTICS",
}
DROP_TAGS = ("trace", "app_usage", "off_duty", "low_weight")
ROW_SQL = """
SELECT b.file_name AS file,
       CASE WHEN b.file_format IN ('csv', 'html') THEN '' ELSE b.sheet END AS sheet,
       i.source_row AS row, list(DISTINCT r.reason_code ORDER BY r.reason_code) AS codes,
       bool_or(r.action = 'drop') AS dropped
FROM indicators i JOIN import_batches b USING (batch_id) JOIN recommendations r USING (indicator_id)
GROUP BY ALL
"""


@dataclass(frozen=True)
class RuleScore:
    name: str
    gold: int
    predicted: int
    hits: int

    @property
    def precision(self) -> float:
        return safe_ratio(self.hits, self.predicted)

    @property
    def recall(self) -> float:
        return safe_ratio(self.hits, self.gold)


def _score(name: str, gold: pd.Series, predicted: pd.Series) -> RuleScore:
    return RuleScore(name, int(gold.sum()), int(predicted.sum()), int((gold & predicted).sum()))


def score_rules(store: Store, gold_rows: Path) -> list[RuleScore]:
    gold = pd.read_csv(gold_rows, dtype={"sheet": str}, keep_default_na=False)
    missing = {"file", "sheet", "row", "tags"} - set(gold.columns)
    if missing:
        raise JianfuError(f"《{gold_rows.name}》缺少列：{'、'.join(sorted(missing))}")
    ours = store.query_df(ROW_SQL)
    merged = gold.merge(ours, on=["file", "sheet", "row"], how="inner")
    if merged.empty:
        raise JianfuError(f"《{gold_rows.name}》中的行与工作库中的指标对不上：请用示例县工作库评估")
    tags = merged["tags"].str.split("|")
    scores = [
        _score(
            code,
            tags.map(lambda t, tag=tag: tag in t),
            merged["codes"].map(lambda c, code=code: code in list(c)),
        )
        for tag, code in TAG_CODES.items()
    ]
    any_drop = tags.map(lambda t: any(x in t for x in DROP_TAGS))
    scores.append(_score("取消（任一理由）", any_drop, merged["dropped"].astype(bool)))
    return scores


def evaluate_rules(gold_rows: Path | None = None, db: Path | None = None) -> list[RuleScore]:
    """Against an analysed sample workspace; without --db one is built in a temporary folder."""
    gold_rows = gold_rows or sample_dir() / "gold" / "rows.csv"
    if db is not None:
        with Store.open(db, read_only=True) as store:
            return score_rules(store, gold_rows)
    with tempfile.TemporaryDirectory(prefix="jianfu-rules-") as scratch:
        path = Path(scratch) / "sample.duckdb"
        build_sample_workspace(path)
        with Store.open(path) as store:
            analyse(store)
            return score_rules(store, gold_rows)
