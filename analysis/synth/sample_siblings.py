"""Sibling negatives from the sample county: pairs of different indicators of one sheet.

The real sibling pairs (`analysis.synth.siblings`) come from three lines of work. Fitted
without one of them, the model loses what that line's siblings taught: cross-validated with
every river-chief (河长制) pair out of the real files, the river pairs' false positives rose to
14 % (44 of 348 sibling pairs, 59 of 411 cross-list pairs), two tasks of one programme taken for
one indicator. The sample county's sheets cover thirty-odd lines of work; one sheet lists each
indicator once, so its nearest rows are look-alikes of other lines, as a new county's would be.
Rows of one gold concept are never paired (`data/sample/gold/rows.csv`).

    python -m analysis.synth.sample_siblings   # writes data/labelled/sample_catalogue_siblings.csv

Rebuild it whenever `python -m analysis.synth.sample` changes the sample.
"""

from __future__ import annotations

from itertools import combinations
from pathlib import Path

import pandas as pd

from analysis.labelled_table import read_labelled_table
from analysis.settings import PROJECT_ROOT

from .siblings import sibling_pairs

GOLD_ROWS = PROJECT_ROOT / "data" / "sample" / "gold" / "rows.csv"
OUT = PROJECT_ROOT / "data" / "labelled" / "sample_catalogue_siblings.csv"


def sheet_catalogue(rows: pd.DataFrame) -> pd.DataFrame:
    """The gold rows as a catalogue: one source per sheet, one row id per row."""
    sheet = rows["file"] + "｜" + rows["sheet"]
    return pd.DataFrame({
        "row_id": sheet + "｜" + rows["row"].astype(str),
        "source_id": sheet,
        "indicator": rows["name"],
        "criteria": rows["criteria"].fillna(""),
        "concept_id": rows["concept_id"],
    })  # fmt: skip


def same_concept(catalogue: pd.DataFrame) -> pd.DataFrame:
    """Every pair of rows of one sheet that the gold calls one indicator."""
    pairs = [
        (a, b)
        for _, group in catalogue.groupby(["source_id", "concept_id"], sort=True)
        for a, b in combinations(group["row_id"], 2)
    ]
    return pd.DataFrame(pairs, columns=["row_id_a", "row_id_b"])


def build(gold_rows: Path = GOLD_ROWS, out: Path = OUT) -> pd.DataFrame:
    rows = read_labelled_table(gold_rows, ("file", "sheet", "row", "concept_id", "name", "criteria"),
                             "示例县金标准行")  # fmt: skip
    catalogue = sheet_catalogue(rows)
    pairs = sibling_pairs(catalogue, same_concept(catalogue))
    pairs.to_csv(out, index=False, encoding="utf-8")
    return pairs


if __name__ == "__main__":
    written = build()
    print(f"{OUT}：{len(written)} 对（示例县同一表内的不同指标，label 0）")
