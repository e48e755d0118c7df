"""Refit the shipped pair model from labelled pair files (`jianfu fit`).

Default training data (data/labelled/README.md): the real development pairs, the pairs the team
wrote across some forty lines of work, the sample county's gold pairs, and negatives drawn from
the real catalogues (rows of one list are different indicators: analysis.synth.siblings), and
rows of two real lists of one line of work paired and labelled by hand. The
generated sample pairs are weighted down: they are many, and their wording comes from one
generator, so at full weight they teach its habits rather than how departments write
(cross-validated on the real pairs: F1 0.73 with the sample at full weight, 0.77 at 0.2).
Deterministic: same files, same model file.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from .errors import JianfuError
from .features import pair_features
from .labelled_table import SHEET_ROW, read_labelled_table
from .model import MODEL_FILE, PairModel, fit_model, token_idf
from .normalize import normalize_criteria, normalize_text
from .settings import PROJECT_ROOT

DEFAULT_TRAINING = (
    (PROJECT_ROOT / "data" / "sample" / "gold" / "pairs.csv", 0.2),
    (PROJECT_ROOT / "data" / "labelled" / "real_pairs_dev.csv", 3.0),
    (PROJECT_ROOT / "data" / "labelled" / "authored_pairs.csv", 1.0),
    # team-written and half one indicator by design, so they teach that two long look-alike
    # tasks are often one; in a real list of a line of work the model never saw, they mostly are
    # not. At half weight, with every river-chief pair out of the real files, the river pairs'
    # false positives fell from 67 of 768 to 33 (F1 0.526 → 0.646) and the sample's clusters
    # gained (pairwise F1 0.790 → 0.797); random folds lose one real cross-list positive a seed
    (PROJECT_ROOT / "data" / "labelled" / "authored_long_pairs.csv", 0.5),
    (PROJECT_ROOT / "data" / "labelled" / "authored_programme_pairs.csv", 0.5),
    (PROJECT_ROOT / "data" / "labelled" / "authored_metric_pairs.csv", 1.0),
    # negatives only, generated from the real catalogues (analysis.synth.siblings); at full
    # weight they outvote the real positives that share few words (cross-validated, one seed:
    # real F1 0.805 at weight 1, 0.816 at 0.5)
    (PROJECT_ROOT / "data" / "labelled" / "real_catalogue_siblings.csv", 0.5),
    # negatives only, the same way from the sample county's sheets (analysis.synth.sample_siblings):
    # thirty-odd lines of work, so that the lesson of the real siblings does not stay with the
    # three lines they come from. Fitted with every river-chief pair out of the real files, the
    # river pairs' false positives fell from 103 of 768 to 43 (weight 0.15: 50, 0.5: 53)
    (PROJECT_ROOT / "data" / "labelled" / "sample_catalogue_siblings.csv", 0.25),
    # each row of a real catalogue beside its two nearest rows in another list of the same line
    # of work, labelled by hand: 48 of 552 are one indicator. At weight 1 they taught caution
    # the team-written programme and institution pairs paid for (cross-validated: programme
    # F1 0.818 → 0.788, institution 0.552 → 0.504); at 0.5, 0.801 and 0.537
    (PROJECT_ROOT / "data" / "labelled" / "real_cross_source_pairs.csv", 0.5),
)
# Never trained on: how the model does on another county's wording (`jianfu fit --cv`).
TRANSFER = (
    PROJECT_ROOT / "data" / "labelled" / "authored_cross_county_pairs.csv",
    PROJECT_ROOT / "data" / "labelled" / "authored_institution_pairs.csv",
)
REQUIRED = ("text_a", "text_b", "label")


@dataclass(frozen=True)
class PairFile:
    frame: pd.DataFrame
    weight: float
    name: str


# Label spellings accepted besides 1 / 0: a spreadsheet's numbers (1.0), booleans, Chinese,
# and the dup / not_dup of ../shared/real/pairs_labelled.csv. Debatable pairs are left out of
# evaluation and training, as the real labelling rule says, and counted.
SAME = frozenset({"1", "1.0", "true", "是", "dup", "same", "同一指标"})
DIFFERENT = frozenset({"0", "0.0", "false", "否", "not_dup", "different", "不同"})
DEBATABLE = frozenset({"debatable", "有争议", "争议"})


def read_pairs(path: Path) -> pd.DataFrame:
    """A labelled pair file: text_a, text_b, label (1/0), optional criteria_a, criteria_b, as
    CSV/TSV or an Excel sheet. Debatable pairs are dropped; `frame.attrs["debatable"]` counts them."""
    frame = read_labelled_table(path, REQUIRED, "标注文件")
    labels = frame["label"].str.strip().str.lower()
    bad = frame.index[~labels.isin(SAME | DIFFERENT | DEBATABLE)]
    if len(bad):
        row = int(frame[SHEET_ROW].iloc[bad[0]])
        raise JianfuError(
            f"《{path.name}》第{row}行“label”列：应为 1（同一指标）或 0（不同），"
            f"实为“{frame['label'].iloc[bad[0]]}”"
        )
    debatable = labels.isin(DEBATABLE)
    frame = frame.loc[~debatable].reset_index(drop=True)
    frame["label"] = labels[~debatable].isin(SAME).astype(int).to_numpy()
    for column in ("criteria_a", "criteria_b"):
        if column not in frame.columns:
            frame[column] = ""
    frame.attrs["debatable"] = int(debatable.sum())
    return frame


def labelled_features(frame: pd.DataFrame, idf: dict[str, float], default: float) -> pd.DataFrame:
    n = len(frame)
    texts = [normalize_text(t) for t in [*frame["text_a"], *frame["text_b"]]]
    criteria = [normalize_criteria(c) for c in [*frame["criteria_a"], *frame["criteria_b"]]]
    return pair_features(texts, np.arange(n), np.arange(n, 2 * n), idf, default, criteria)


@dataclass(frozen=True)
class FeatureSet:
    """One pair file's features, labels and training weight."""

    name: str
    features: pd.DataFrame
    labels: np.ndarray
    weight: float


def read_pair_files(files: Sequence[tuple[Path, float]]) -> list[PairFile]:
    return [PairFile(read_pairs(path), weight, path.name) for path, weight in files]


def pair_file_idf(pairs: Sequence[PairFile]) -> tuple[dict[str, float], float]:
    """Token weights from the texts of the training files (labels unused)."""
    return token_idf(
        normalize_text(t) for p in pairs for t in [*p.frame["text_a"], *p.frame["text_b"]]
    )


def feature_sets(pairs: Sequence[PairFile], idf: dict[str, float], default: float):
    return [
        FeatureSet(
            p.name, labelled_features(p.frame, idf, default), p.frame["label"].to_numpy(), p.weight
        )
        for p in pairs
    ]


def fit_feature_sets(sets: Sequence[FeatureSet], idf: dict[str, float], default: float):
    features = pd.concat([s.features for s in sets], ignore_index=True)
    labels = np.concatenate([s.labels for s in sets])
    weights = np.concatenate([np.full(len(s.labels), s.weight) for s in sets])
    trained_on = {s.name: len(s.labels) for s in sets}
    return fit_model(features, labels, weights, idf, default, trained_on)


def fit_pair_files(pairs: Sequence[PairFile]) -> PairModel:
    """A model fitted on these pairs, with token weights from their texts alone: what it is
    later used on stays out of its weights, in `jianfu fit` and in every validation."""
    idf, default = pair_file_idf(pairs)
    return fit_feature_sets(feature_sets(pairs, idf, default), idf, default)


def fit_from_files(files: Sequence[tuple[Path, float]] = DEFAULT_TRAINING) -> PairModel:
    return fit_pair_files(read_pair_files(files))


def refit(
    files: Sequence[tuple[Path, float]] = DEFAULT_TRAINING, out: Path = MODEL_FILE
) -> PairModel:
    model = fit_from_files(files)
    model.save(out)
    return model
