"""Sibling negatives: pairs of different rows of one real catalogue, as training pairs.

One catalogue lists each indicator once, so two of its rows are two indicators: a county does
not score the same work twice in one list. Its rows are the look-alikes a model must tell
apart in real wording (门诊次均费用增幅 / 住院次均费用增幅, 持续开展非法采砂专项整治 / 开展非法
设置入河排污口专项整治), and they differ in length as real neighbours do. Without them the
model saw almost no negative whose texts differ much in length (the team-written negatives
are minimal contrasts) and learned that a short name beside a long text is one indicator.

Each row is paired with its nearest rows of the same catalogue by character 2–3-gram TF-IDF
cosine. Pairs the team labelled (by row or by text, any label, the few within-catalogue
duplicates among them) are left out, so a labelled pair is never contradicted or repeated.

    python -m analysis.synth.siblings   # writes data/labelled/real_catalogue_siblings.csv
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.feature_extraction.text import TfidfVectorizer

from analysis.labelled_table import read_labelled_table
from analysis.normalize import normalize_text
from analysis.settings import PROJECT_ROOT

REAL = PROJECT_ROOT / "data" / "real"
OUT = PROJECT_ROOT / "data" / "labelled" / "real_catalogue_siblings.csv"
NEIGHBOURS = 3  # per row; more adds mostly unrelated pairs, which teach nothing new
COLUMNS = ["text_a", "text_b", "label", "criteria_a", "criteria_b", "source_id"]


def _labelled_keys(catalogue: pd.DataFrame, labelled: pd.DataFrame) -> set[frozenset[str]]:
    """Every labelled pair, as a pair of row ids and as a pair of normalised texts."""
    norm = dict(zip(catalogue["row_id"], catalogue["norm"], strict=True))
    keys = set()
    for a, b in zip(labelled["row_id_a"], labelled["row_id_b"], strict=True):
        keys.add(frozenset((a, b)))
        keys.add(frozenset((norm[a], norm[b])))
    return keys


def _nearest(norm: list[str]) -> np.ndarray:
    """Row × row cosine of character 2–3-grams, the diagonal out."""
    vectors = TfidfVectorizer(analyzer="char", ngram_range=(2, 3)).fit_transform(norm)
    similarity = (vectors @ vectors.T).toarray()
    np.fill_diagonal(similarity, -1.0)
    return similarity


def sibling_pairs(
    catalogue: pd.DataFrame, labelled: pd.DataFrame, neighbours: int = NEIGHBOURS
) -> pd.DataFrame:
    """Label-0 pairs of nearest rows within each source (see module doc), sorted."""
    catalogue = catalogue.assign(norm=catalogue["indicator"].map(normalize_text))
    excluded = _labelled_keys(catalogue, labelled)
    rows, seen = [], set()
    for source, rows_of in catalogue.groupby("source_id", sort=True):
        group = rows_of.reset_index(drop=True)
        similarity = _nearest(list(group["norm"]))
        for i in range(len(group)):
            taken = 0
            for j in np.argsort(-similarity[i], kind="stable"):
                if taken == neighbours:
                    break
                a, b = sorted((int(i), int(j)), key=lambda k: group.at[k, "row_id"])
                texts = frozenset((group.at[a, "norm"], group.at[b, "norm"]))
                ids = frozenset((group.at[a, "row_id"], group.at[b, "row_id"]))
                if len(texts) < 2 or texts in seen or texts in excluded or ids in excluded:
                    continue
                seen.add(texts)
                taken += 1
                rows.append([group.at[a, "indicator"], group.at[b, "indicator"], 0,
                             group.at[a, "criteria"], group.at[b, "criteria"], source])  # fmt: skip
    out = pd.DataFrame(rows, columns=COLUMNS)
    return out.sort_values(["source_id", "text_a", "text_b"], kind="stable", ignore_index=True)


def build(real: Path = REAL, out: Path = OUT) -> pd.DataFrame:
    catalogue = read_labelled_table(
        real / "catalogues.csv", ("row_id", "source_id", "indicator", "criteria"), "真实指标目录"
    )
    labelled = read_labelled_table(real / "pairs_labelled.csv", ("row_id_a", "row_id_b"), "标注对")
    pairs = sibling_pairs(catalogue, labelled)
    pairs.to_csv(out, index=False, encoding="utf-8")
    return pairs


if __name__ == "__main__":
    written = build()
    print(f"{OUT}：{len(written)} 对（同一目录内的不同指标，label 0）")
