"""Cross-validation of the pair model (`jianfu fit --cv`): how the whole training configuration
does on pairs it has not seen, file by file.

Each training file is cut into stratified folds; a fold is scored by a model fitted on the other
folds of its file and on every other training file, so the figure for a file is out of sample
while the rest of the configuration stays as shipped. A pair of texts is never on both sides:
the folds keep every copy of one pair of normalised texts together, and a pair of the held-out
fold is taken out of the other files' training too (the real files share catalogue rows: the
same two texts can be labelled once from a town's list and once from a department's).
Repeated over several seeds, the pooled confusion counts give one precision, recall, F1 and
false-positive rate per file. Transfer files are never trained on: they are scored by the model
fitted on all training files, the model `jianfu fit` would ship, so their rows equal what
`jianfu eval` prints for that model.

Token weights (idf) are taken per fold from the texts it is fitted on, as `jianfu fit` takes them
from its training files: the shipped model has never seen the texts it is used on either. Counted
in, a held-out pair's words look commoner than they are in use: with one line of work held out
(`analysis.line_out`) an earlier model read 48 false positives instead of 67. With random folds it is
small (the real files unchanged, the team-written ones within 0.025), as most held-out texts recur
in other pairs; each fold costs 0.4 s more.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
from sklearn.model_selection import StratifiedGroupKFold

from .fitting import PairFile, feature_sets, fit_pair_files, labelled_features, read_pair_files
from .metrics import CalibrationBin, PairMetrics, brier_score, calibration_bins, confusion
from .normalize import normalize_text

FOLDS = 5
SEEDS = (0, 1, 2)


@dataclass(frozen=True)
class FileResult:
    name: str
    pairs: int
    transfer: bool
    metrics: PairMetrics
    labels: np.ndarray  # every prediction's label (each pair once per seed)
    scores: np.ndarray  # and its probability

    @property
    def brier(self) -> float:
        return brier_score(self.labels, self.scores)

    def as_json(self) -> dict:
        m = self.metrics
        rates = {"precision": m.precision, "recall": m.recall, "f1": m.f1, "fpr": m.fpr,
                 "brier": self.brier}  # fmt: skip
        return {"file": self.name, "pairs": self.pairs, "transfer": self.transfer} | {
            k: round(v, 4) for k, v in rates.items()
        }


def cross_validate(
    training: Sequence[tuple[Path, float]],
    transfer: Sequence[Path] = (),
    folds: int = FOLDS,
    seeds: Sequence[int] = SEEDS,
    progress=None,
) -> list[FileResult]:
    """Out-of-sample figures per training file, then per transfer file (see module doc)."""
    train_files = read_pair_files(training)
    keys = [text_pair_keys(f) for f in train_files]
    results = []
    for index, item in enumerate(train_files):
        all_labels = item.frame["label"].to_numpy()
        labels, scores = [], []
        for seed in seeds:
            splitter = StratifiedGroupKFold(n_splits=folds, shuffle=True, random_state=seed)
            for fit_rows, test_rows in splitter.split(all_labels, all_labels, keys[index]):
                held_out = keys[index][test_rows]
                kept = [
                    rows_of(f, fit_rows if j == index else ~np.isin(keys[j], held_out))
                    for j, f in enumerate(train_files)
                ]
                model = fit_pair_files(kept)
                test = labelled_features(item.frame.iloc[test_rows], model.idf, model.default_idf)
                scores.append(model.probabilities(test))
                labels.append(all_labels[test_rows])
        y, p = np.concatenate(labels), np.concatenate(scores)
        # every fold's threshold is model.THRESHOLD
        pooled = confusion(y, p >= model.threshold, model.threshold)
        results.append(FileResult(item.name, len(all_labels), False, pooled, y, p))
        if progress:
            progress(item.name)
    if transfer:
        model = fit_pair_files(train_files)
        held = feature_sets(
            read_pair_files([(p, 0.0) for p in transfer]), model.idf, model.default_idf
        )
        for item in held:
            scores = model.probabilities(item.features)
            metrics = confusion(item.labels, scores >= model.threshold, model.threshold)
            results.append(FileResult(item.name, len(item.labels), True, metrics, item.labels,
                                      scores))  # fmt: skip
    return results


def text_pair_keys(pairs: PairFile) -> np.ndarray:
    """One key per labelled pair: its two normalised texts, in either order."""
    a = [normalize_text(t) for t in pairs.frame["text_a"]]
    b = [normalize_text(t) for t in pairs.frame["text_b"]]
    return np.array(["\x00".join(sorted(p)) for p in zip(a, b, strict=True)], dtype=object)


def rows_of(pairs: PairFile, rows: np.ndarray) -> PairFile:
    """The given rows (positions or a mask) of a pair file."""
    return replace(
        pairs, frame=pairs.frame.iloc[np.flatnonzero(rows) if rows.dtype == bool else rows]
    )


def calibration(results: Sequence[FileResult]) -> list[CalibrationBin]:
    """Reliability of the held-out-fold probabilities of all training files together: whether a
    pair scored 0.7 is one indicator about 70 % of the time (transfer files left out)."""
    held = [r for r in results if not r.transfer]
    if not held:
        return []
    return calibration_bins(np.concatenate([r.labels for r in held]),
                            np.concatenate([r.scores for r in held]))  # fmt: skip
