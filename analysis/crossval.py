"""Cross-validation of the pair model (`jianfu fit --cv`): how the whole training configuration
does on pairs it has not seen, file by file.

Each training file is cut into stratified folds; a fold is scored by a model fitted on the other
folds of its file and on every other training file, so the figure for a file is out of sample
while the rest of the configuration stays as shipped. Repeated over several seeds, the pooled
confusion counts give one precision, recall, F1 and false-positive rate per file. Transfer files
are never trained on: they are scored by the model fitted on all training files, which is what
`jianfu eval` measures on a new county's pairs.

Token weights (idf) come from the texts of all files at once: they use no label, and fitting
them per fold would change every feature for a difference the model does not see in use.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.model_selection import StratifiedKFold

from .fitting import labelled_features, read_pairs
from .metrics import PairMetrics, confusion
from .model import fit_model, token_idf
from .normalize import normalize_text

FOLDS = 5
SEEDS = (0, 1, 2)


@dataclass(frozen=True)
class FileResult:
    name: str
    pairs: int
    transfer: bool
    metrics: PairMetrics

    def as_json(self) -> dict:
        m = self.metrics
        rates = {"precision": m.precision, "recall": m.recall, "f1": m.f1, "fpr": m.fpr}
        return {"file": self.name, "pairs": self.pairs, "transfer": self.transfer} | {
            k: round(v, 4) for k, v in rates.items()
        }


@dataclass(frozen=True)
class _Labelled:
    name: str
    features: pd.DataFrame
    labels: np.ndarray
    weight: float


def _load(files: Sequence[tuple[Path, float]], idf, default) -> list[_Labelled]:
    out = []
    for path, weight in files:
        frame = read_pairs(path)
        features = labelled_features(frame, idf, default)
        out.append(_Labelled(path.name, features, frame["label"].to_numpy(), weight))
    return out


def _corpus(files: Sequence[tuple[Path, float]]) -> list[str]:
    texts = []
    for path, _ in files:
        frame = read_pairs(path)
        texts += [normalize_text(t) for t in [*frame["text_a"], *frame["text_b"]]]
    return texts


def _fit(parts: list[tuple[pd.DataFrame, np.ndarray, float]], idf, default):
    features = pd.concat([p[0] for p in parts], ignore_index=True)
    labels = np.concatenate([p[1] for p in parts])
    weights = np.concatenate([np.full(len(p[1]), p[2]) for p in parts])
    return fit_model(features, labels, weights, idf, default, {})


def cross_validate(
    training: Sequence[tuple[Path, float]],
    transfer: Sequence[Path] = (),
    folds: int = FOLDS,
    seeds: Sequence[int] = SEEDS,
    progress=None,
) -> list[FileResult]:
    """Out-of-sample figures per training file, then per transfer file (see module doc)."""
    everything = [*training, *((p, 0.0) for p in transfer)]
    idf, default = token_idf(_corpus(everything))
    train = _load(training, idf, default)
    held = _load([(p, 0.0) for p in transfer], idf, default)
    results = []
    for index, item in enumerate(train):
        others = [(o.features, o.labels, o.weight) for j, o in enumerate(train) if j != index]
        labels, predicted = [], []
        for seed in seeds:
            splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed)
            for fit_rows, test_rows in splitter.split(item.features, item.labels):
                own = (item.features.iloc[fit_rows], item.labels[fit_rows], item.weight)
                model = _fit([*others, own], idf, default)
                scores = model.probabilities(item.features.iloc[test_rows])
                labels.append(item.labels[test_rows])
                predicted.append(scores >= model.threshold)
        pooled = confusion(np.concatenate(labels), np.concatenate(predicted), 0.5)
        results.append(FileResult(item.name, len(item.labels), False, pooled))
        if progress:
            progress(item.name)
    if held:
        model = _fit([(o.features, o.labels, o.weight) for o in train], idf, default)
        for item in held:
            predicted = model.probabilities(item.features) >= model.threshold
            results.append(FileResult(item.name, len(item.labels), True,
                                      confusion(item.labels, predicted, 0.5)))  # fmt: skip
    return results
